//! Tests of the roles of certificate files: backups by name, purposes by path and issuer, trust
//! stores by their roots.

use std::sync::Arc;

use super::*;
use crate::model::{Evidence, Sha256};

fn cert(subject: &str, issuer: &str, is_ca: bool) -> Arc<CertSummary> {
    let t = "2024-01-01T00:00:00Z".parse().unwrap();
    let sha = Sha256::of(subject.as_bytes());
    Arc::new(CertSummary {
        subject: subject.into(),
        issuer: issuer.into(),
        serial: "01".into(),
        not_before: t,
        not_after: t,
        is_ca,
        self_signed: subject == issuer,
        key: "RSA 2048".into(),
        signature_algorithm: "sha256WithRSAEncryption".into(),
        san: Vec::new(),
        sha256: Some(sha),
        public_key_sha256: Some(sha),
        der: Arc::from(&b""[..]),
    })
}

fn file(path: &str, certs: Vec<Arc<CertSummary>>) -> Fact {
    Fact::CertFile { evidence: Evidence::file(path), certs }
}

#[test]
fn copies_beside_the_live_file_are_backups() {
    for p in [
        "b.tgz!/etc/sf/ca_root/cacert.pem.backup",
        "case/cacert.pem.bak",
        "case/cacert.pem.orig",
        "case/cacert.pem~",
        "case/cacert.pem.old",
        "case/cacert.pem.2024",
        "case/sftunnel-cert.pem.20250330",
    ] {
        assert_eq!(place_of_path(p), Place::Backup, "{p}");
    }
    for p in ["b.tgz!/etc/sf/ca_root/cacert.pem", "case/fmc-cert.pem.txt", "case/cacert.pem", "notes/old-ca.pem"] {
        assert_eq!(place_of_path(p), Place::Live, "{p}");
    }
    let pushed =
        "fmc.tgz!/results/dir-archives/var-sf-peers/c8d5d5c6-87c9-11ef-a993-b9831565bc4e/certs_pushed/cacert.pem";
    assert_eq!(place_of_path(pushed), Place::Pushed);
    assert_eq!(place_of_path("root/var/sf/peers/x/certs_pushed/sftunnel-cert.pem"), Place::Pushed);
}

#[test]
fn purposes_from_the_path_and_the_issuer() {
    let leaf = cert("/CN=SFW76EVAL", "/C=US/O=Cisco Systems Inc./OU=Security/CN=Keymaster CA 2", false);
    assert_eq!(purpose_of("notes/paste.txt", &leaf), Some(Purpose::TalosClient));
    let other = cert("/CN=x", "/CN=y", false);
    assert_eq!(
        purpose_of("b.tgz!/var/sf/beaker3/securefirewall-dev-prod-01_prod.pem", &other),
        Some(Purpose::TalosClient)
    );
    assert_eq!(purpose_of("b.tgz!/results/dir-archives/var-sf-beaker3/x.pem", &other), Some(Purpose::TalosClient));
    assert_eq!(purpose_of("b.tgz!/etc/sf/ca_root/cacert.pem.backup", &other), Some(Purpose::SftunnelCa));
    assert_eq!(purpose_of("b.tgz!/etc/sf/sftunnel-cert.pem", &other), Some(Purpose::SftunnelCert));
    assert_eq!(purpose_of("notes/cacert.pem", &other), None);
    // The Keymaster CA itself is not the client certificate.
    let ca = cert("/CN=Keymaster CA 2", "/CN=Keymaster CA 2", true);
    assert_eq!(purpose_of("notes/keymaster.pem", &ca), None);
}

#[test]
fn several_unrelated_roots_make_a_trust_store() {
    let roots: Vec<_> = ["/CN=Root A", "/CN=Root B", "/CN=Root C"].iter().map(|s| cert(s, s, true)).collect();
    let internal = "/title=InternalCA/CN=5c1f5d1e-0000-4000-8000-000000000000";
    let facts = [
        file("case/ca-bundle.crt", roots.clone()),
        file("case/etc-ssl/a.pem", vec![roots[0].clone()]),
        file("case/etc-ssl/b.pem", vec![roots[1].clone()]),
        file("case/etc-ssl/c.pem", vec![roots[2].clone()]),
        file("case/two/a.pem", vec![roots[0].clone()]),
        file("case/two/b.pem", vec![roots[1].clone()]),
        file("case/fmcs/1.pem", vec![cert(internal, internal, true)]),
    ];
    let r = Roles::of(&facts);
    assert_eq!(r.of_cert("case/ca-bundle.crt", &roots[0]).place, Place::TrustStore);
    assert_eq!(r.of_cert("case/etc-ssl/b.pem", &roots[1]).place, Place::TrustStore);
    assert_eq!(r.of_cert("case/two/b.pem", &roots[1]).place, Place::Live);
    assert_eq!(r.of_cert("case/fmcs/1.pem", &roots[1]).place, Place::Live);
    // A Talos client certificate beside the roots of a bundle file is still judged.
    let talos = cert("/CN=fmc", "/O=Cisco Systems Inc./CN=Keymaster CA 2", false);
    assert_eq!(
        r.of_cert("case/ca-bundle.crt", &talos),
        CertRole { place: Place::Live, purpose: Some(Purpose::TalosClient) }
    );
    // Worked out once per certificate and path, the roles are the same, each path its own.
    let mut memo = r.memo();
    for _ in 0..2 {
        for (path, c) in
            [("case/ca-bundle.crt", &roots[0]), ("case/two/b.pem", &roots[0]), ("case/ca-bundle.crt", &talos)]
        {
            assert_eq!(memo.of_cert(path, c), r.of_cert(path, c), "{path}");
        }
    }
}

#[test]
fn labels() {
    let backup_ca = CertRole { place: Place::Backup, purpose: Some(Purpose::SftunnelCa) };
    assert_eq!(backup_ca.label().as_deref(), Some("backup, sftunnel CA"));
    assert_eq!(CertRole::default().label(), None);
}
