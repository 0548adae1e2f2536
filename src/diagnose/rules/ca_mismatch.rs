//! `ca-mismatch`: a certificate on disk is not signed by the CA file beside it (what a manual
//! copy that stopped half-way leaves). `consistency` pairs the files; this rule judges a pair.

use std::sync::Arc;

use jiff::Timestamp;

use super::data::{gaps, Data, Identifiers};
use super::finding::{CertRef, Finding};
use super::folder::{split, Folder, SignedBy};
use super::{About, Fix, FromSystem, PushTo, Rule, SystemFix, Verifier};
use crate::diagnose::text::{fill, Values};
use crate::diagnose::Severity;
use crate::firepower::context_of_path;
use crate::model::CertSummary;
use crate::model::Evidence;

pub static RULE: Rule = Rule {
    name: "ca-mismatch",
    severity: Severity::Critical,
    summary: "a certificate on disk is not signed by the CA file beside it",
    about: About::TunnelCredentials,
    verifier: Verifier::Nobody,
    marks_tunnel_down: false,
    verify: None,
    window: None,
    push_to: PushTo::Reporters,
    fixes: FIXES,
    system: Some(SystemFix { when: FromSystem::Always, about: |f, _| fill(IN_SYSTEM, &f.values()) }),
    min_fmc_release: None,
};

/// What a `ca-mismatch` finding carries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaMismatch {
    /// `cert_path`, `ca_path`: the certificate file and the CA file beside it.
    pub cert_path: String,
    pub ca_path: String,
    /// `cert_issuer`: the issuer the certificate names.
    pub cert_issuer: String,
    /// `ca_subject`: the subjects of the CA file's certificates, one a line.
    pub ca_subjects: Vec<String>,
    /// `ca_not_after`: the end of the CA file's first certificate.
    pub ca_not_after: Option<Timestamp>,
    pub folder: Folder,
}

impl Data for CaMismatch {
    fn values(&self, out: &mut Values) {
        out.set("cert_path", &self.cert_path);
        out.set("ca_path", &self.ca_path);
        out.set("cert_issuer", &self.cert_issuer);
        out.set("ca_subject", self.ca_subjects.join("\n"));
        out.set_some("ca_not_after", self.ca_not_after);
        self.folder.values(out);
    }
    // The files are the finding's own; only what it lacks is taken.
    gaps!(ca_not_after, folder);
    fn forget_peer(&mut self) {
        self.folder.forget_peer();
    }
    fn peer_name(&self) -> Option<&str> {
        self.folder.peer_name.as_deref()
    }
    fn identifiers<'a>(&'a self, out: &mut Identifiers<'a>) {
        self.folder.identifiers(out);
        out.ca_subjects.extend(self.ca_subjects.iter().map(String::as_str));
    }
}

/// The line before the steps of its InternalCA system.
const IN_SYSTEM: &str = "{cert_path} is not signed by {ca_path} beside it: the folder holds files of two generations \
(a copy that stopped half-way). Copy all three files again from the same run.";

/// The first certificate of `certs` (in `ev`) checked against the CAs of `cas` (in `ca_ev`);
/// `folder` says where the pair sits.
pub(in crate::diagnose) fn judge_pair(
    ev: &Evidence,
    certs: &[Arc<CertSummary>],
    ca_ev: &Evidence,
    cas: &[Arc<CertSummary>],
    signed_by: SignedBy<'_>,
    folder: impl FnOnce() -> Folder,
) -> Option<Finding> {
    let leaf = certs.first()?;
    let same_name: Vec<&Arc<CertSummary>> = cas.iter().filter(|ca| ca.subject == leaf.issuer).collect();
    if same_name.iter().any(|ca| signed_by(leaf, ca)) {
        return None;
    }
    let subjects: Vec<&str> = cas.iter().map(|c| c.subject.as_str()).collect();
    let why = if same_name.is_empty() {
        format!("it names {} as its issuer, but {} holds {}", leaf.issuer, ca_ev.path, subjects.join(" and "))
    } else {
        format!("{} has the issuer's name, but the signature does not verify with its key", ca_ev.path)
    };
    let (_, name) = split(&ev.path);
    let (_, ca_name) = split(&ca_ev.path);
    let data = CaMismatch {
        cert_path: ev.path.clone(),
        ca_path: ca_ev.path.clone(),
        cert_issuer: leaf.issuer.clone(),
        ca_subjects: subjects.iter().map(|s| s.to_string()).collect(),
        ca_not_after: cas.first().map(|ca| ca.not_after),
        folder: folder(),
    };
    let title = format!("{name} is not signed by the {ca_name} beside it");
    let mut f = Finding::new(data.clone(), context_of_path(&ev.path), title)
        .detail(format!("{} ({}): {why}", ev.path, leaf.subject));
    data.folder.place(&mut f);
    f.certificate = CertRef::from(&**leaf);
    f.depth = Some(0);
    f.add_evidence(ev.clone());
    f.add_evidence(ca_ev.clone());
    Some(f)
}

const FIXES: &[Fix] = &[
    Fix {
        id: "sftunnel-recopy-matching-files",
        context: None,
        title: "Copy the three sftunnel files again, together",
        steps: &[
            "{cert_path} is not signed by {ca_path} beside it: the folder holds files of two different generations, \
typically after a manual copy that stopped half-way.",
            "Back up the folder, copy cacert.pem, sftunnel-cert.pem and sftunnel-key.pem from the same FMC run \
(the paths in FAILED_PUSH), then `chmod 644` and `chown root:root` them and run `pmtool restartbyid sftunnel` on the \
box that holds the folder (a device, never the FMC while its CA is expired).",
            "Check with `openssl verify -CAfile cacert.pem sftunnel-cert.pem` in that folder.",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::diagnose::Kind;

    const DIR: &str = "ftd.tgz!/var/sf/peers/cdb123c8-4347-11ef-aca1-f3aa241412a1";

    #[test]
    fn a_leaf_of_the_old_ca_beside_the_new_ca() {
        let (old, new) = ("/title=InternalCA/CN=old", "/title=InternalCA/CN=new");
        let facts = [
            cert_file(&format!("{DIR}/sftunnel-cert.pem"), vec![cert("/CN=ftd-branch-07", old, "2016-01-01T00:00:00Z", "2036-01-01T00:00:00Z")]),
            cert_file(&format!("{DIR}/cacert.pem"), vec![cert(new, new, "2026-01-01T00:00:00Z", "2036-01-01T00:00:00Z")]),
        ];
        let f = the(classified(&facts), Kind::CaMismatch);
        let crate::diagnose::KindData::CaMismatch(data) = &f.data else { panic!("the kind's data") };
        assert_eq!(data.cert_issuer, old);
        insta::assert_snapshot!(render(&f));
    }

    #[test]
    fn a_leaf_of_the_ca_beside_it_is_consistent() {
        let ca = "/title=InternalCA/CN=new";
        let facts = [
            cert_file(&format!("{DIR}/sftunnel-cert.pem"), vec![cert("/CN=ftd-branch-07", ca, "2026-01-01T00:00:00Z", "2036-01-01T00:00:00Z")]),
            cert_file(&format!("{DIR}/cacert.pem"), vec![cert(ca, ca, "2026-01-01T00:00:00Z", "2036-01-01T00:00:00Z")]),
        ];
        assert_eq!(kinds(&classified(&facts)), []);
    }
}
