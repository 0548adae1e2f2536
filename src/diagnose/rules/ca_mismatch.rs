//! `ca-mismatch`: a certificate on disk is not signed by the CA file beside it (what a manual
//! copy that stopped half-way leaves). `consistency` pairs the files; this rule judges a pair.

use std::sync::Arc;

use super::{About, Fix, PushTo, Rule};
use crate::diagnose::consistency::{split, SignedBy};
use crate::firepower::context_of_path;
use crate::diagnose::finding::CertRef;
use crate::diagnose::kind::{Kind, Severity};
use crate::diagnose::Finding;
use crate::model::Evidence;
use crate::model::CertSummary;

pub static RULE: Rule = Rule {
    name: "ca-mismatch",
    severity: Severity::Critical,
    summary: "a certificate on disk is not signed by the CA file beside it",
    about: About::TunnelCredentials,
    verify: None,
    push_to: PushTo::Reporters,
    fixes: FIXES,
};

/// The first certificate of `certs` (in `ev`) checked against the CAs of `cas` (in `ca_ev`).
pub(in crate::diagnose) fn judge_pair(
    ev: &Evidence,
    certs: &[Arc<CertSummary>],
    ca_ev: &Evidence,
    cas: &[Arc<CertSummary>],
    signed_by: SignedBy<'_>,
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
    let mut f =
        Finding::new(Kind::CaMismatch, context_of_path(&ev.path), format!("{name} is not signed by the {ca_name} beside it"))
            .detail(format!("{} ({}): {why}", ev.path, leaf.subject))
            .fact("cert_path", ev.path.clone())
            .fact("ca_path", ca_ev.path.clone())
            .fact("cert_issuer", leaf.issuer.clone())
            .fact("ca_subject", subjects.join("\n"));
    if let Some(ca) = cas.first() {
        f.facts.insert("ca_not_after".into(), ca.not_after.to_string());
    }
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
        assert_eq!(f.facts["cert_issuer"], old);
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
