//! `key-mismatch`: a private key on disk does not belong to the certificate beside it (their
//! public keys differ). `consistency` pairs the files; this rule judges a pair. The key itself
//! is never shown: only the hashes of the public parts are compared.

use std::sync::Arc;

use super::data::{gaps, Data, Identifiers};
use super::finding::{CertRef, Finding};
use super::folder::{split, Folder};
use super::{About, Fix, FromSystem, PushTo, Rule, SystemFix, Verifier};
use crate::diagnose::text::{fill, Values};
use crate::diagnose::Severity;
use crate::firepower::context_of_path;
use crate::model::CertSummary;
use crate::model::Evidence;
use crate::model::KeySummary;

pub static RULE: Rule = Rule {
    name: "key-mismatch",
    severity: Severity::Critical,
    summary: "a private key on disk does not belong to the certificate beside it",
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

/// What a `key-mismatch` finding carries (never the key: only its algorithm).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyMismatch {
    /// `key_path`, `cert_path`: the key file and the certificate file beside it.
    pub key_path: String,
    pub cert_path: String,
    /// `key_algorithm`, `cert_key`: the key's algorithm and the certificate's key.
    pub key_algorithm: String,
    pub cert_key: String,
    pub folder: Folder,
}

impl Data for KeyMismatch {
    fn values(&self, out: &mut Values) {
        out.set("key_path", &self.key_path);
        out.set("cert_path", &self.cert_path);
        out.set("key_algorithm", &self.key_algorithm);
        out.set("cert_key", &self.cert_key);
        self.folder.values(out);
    }
    // The files are the finding's own; only what it lacks is taken.
    gaps!(folder);
    fn forget_peer(&mut self) {
        self.folder.forget_peer();
    }
    fn peer_name(&self) -> Option<&str> {
        self.folder.peer_name.as_deref()
    }
    fn identifiers<'a>(&'a self, out: &mut Identifiers<'a>) {
        self.folder.identifiers(out);
    }
}

/// The line before the steps of its InternalCA system.
const IN_SYSTEM: &str =
    "{key_path} does not belong to {cert_path}: copy the key and the certificate again from the same run.";

/// The key of `key_ev` checked against the first certificate of `certs` (in `ev`); `folder`
/// says where the pair sits.
pub(in crate::diagnose) fn judge_pair(
    key_ev: &Evidence,
    key: &KeySummary,
    ev: &Evidence,
    certs: &[Arc<CertSummary>],
    folder: impl FnOnce() -> Folder,
) -> Option<Finding> {
    let leaf = certs.first()?;
    // Either hash unknown (an encrypted key, a certificate known only from its text): no judgement.
    if key.public_key_sha256? == leaf.public_key_sha256? {
        return None;
    }
    let (_, key_name) = split(&key_ev.path);
    let (_, name) = split(&ev.path);
    let data = KeyMismatch {
        key_path: key_ev.path.clone(),
        cert_path: ev.path.clone(),
        key_algorithm: key.algorithm.clone(),
        cert_key: leaf.key.clone(),
        folder: folder(),
    };
    let title = format!("{key_name} does not belong to {name}");
    let mut f = Finding::new(data.clone(), context_of_path(&ev.path), title).detail(format!(
        "the {} private key in {} and the certificate {} in {} have different public keys",
        key.algorithm, key_ev.path, leaf.subject, ev.path
    ));
    data.folder.place(&mut f);
    f.certificate = CertRef::from(&**leaf);
    f.depth = Some(0);
    f.add_evidence(key_ev.clone());
    f.add_evidence(ev.clone());
    Some(f)
}

const FIXES: &[Fix] = &[
    Fix {
        id: "sftunnel-recopy-key",
        context: None,
        title: "Put back the private key that belongs to the certificate",
        steps: &[
            "{key_path} does not belong to {cert_path}: the tunnel cannot authenticate with this pair.",
            "Copy the key and the certificate again from the same generate_certs.pl run, then run `pmtool restartbyid \
sftunnel` on the box that holds them. To compare a pair without showing the key, hash the public parts in that folder: \
`openssl x509 -noout -pubkey -in sftunnel-cert.pem | sha256sum` and `openssl pkey -pubout -in sftunnel-key.pem | \
sha256sum`.",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::diagnose::Kind;
    use crate::model::{Fact, KeySummary};
    use crate::model::Evidence;

    #[test]
    fn a_key_of_another_certificate() {
        let dir = "ftd.tgz!/etc/sf";
        let facts = [
            cert_file(&format!("{dir}/sftunnel-cert.pem"), vec![cert("/CN=ftd-branch-07", "/CN=ca", "2026-01-01T00:00:00Z", "2036-01-01T00:00:00Z")]),
            Fact::KeyFile {
                evidence: Evidence::file(&format!("{dir}/sftunnel-key.pem")),
                key: KeySummary { algorithm: "RSA".into(), public_key_sha256: Some(crate::model::Sha256::of(b"pk-of-another")) },
            },
        ];
        let f = the(classified(&facts), Kind::KeyMismatch);
        assert_eq!(f.title, "sftunnel-key.pem does not belong to sftunnel-cert.pem");
        insta::assert_snapshot!(render(&f));
    }

    #[test]
    fn the_key_of_the_certificate_beside_it_matches() {
        let dir = "ftd.tgz!/etc/sf";
        let leaf = cert("/CN=ftd-branch-07", "/CN=ca", "2026-01-01T00:00:00Z", "2036-01-01T00:00:00Z");
        let key = KeySummary { algorithm: "RSA".into(), public_key_sha256: leaf.public_key_sha256 };
        let facts = [
            cert_file(&format!("{dir}/sftunnel-cert.pem"), vec![leaf]),
            Fact::KeyFile { evidence: Evidence::file(&format!("{dir}/sftunnel-key.pem")), key },
        ];
        assert_eq!(kinds(&classified(&facts)), []);
    }
}
