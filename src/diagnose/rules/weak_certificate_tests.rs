//! `weak-certificate` from a logged verify code, and from a certificate file judged against
//! OpenSSL's security levels (the thresholds as OpenSSL 3.0 applies them: `openssl verify
//! -auth_level N` on the certificates of `tests/data/weak-certs/`).

use std::sync::Arc;

use super::super::fixtures::*;
use super::levels::{key_bits, refused_from, weak_digest};
use super::{BelowLevel, WeakCertificate, Weakness};
use crate::codes::VerifyCode;
use crate::diagnose::{Kind, Severity};
use crate::model::{CertSummary, Outcome};

const CA: &str = "/O=Example Legacy/CN=Legacy Root CA";

/// A certificate file's certificate, valid at NOW, with this key and signature algorithm.
fn signed(subject: &str, issuer: &str, key: &str, signature: &str) -> Arc<CertSummary> {
    let mut c = (*cert(subject, issuer, "2020-01-01T00:00:00Z", "2035-01-01T00:00:00Z")).clone();
    (c.key, c.signature_algorithm) = (key.into(), signature.into());
    Arc::new(c)
}

#[test]
fn ca_digest_too_weak() {
    let a = sftunnel_log()
        .with(verify_error(VerifyCode::CA_MD_TOO_WEAK, 0, "/CN=ftd-branch-07", "/title=InternalCA/CN=fmc"))
        .with(end(Outcome::Failed));
    let f = the(judged(&a), Kind::WeakCertificate);
    assert_eq!(f.data, WeakCertificate { weakness: Some(Weakness::CaDigest), below: None }.into());
    insta::assert_snapshot!(render(&f));
}

#[test]
fn only_the_key_and_digest_codes_are_weak() {
    let weak = |n| Kind::for_verify_code(VerifyCode(n), Some(0)) == Kind::WeakCertificate;
    assert_eq!((65..=69).map(weak).collect::<Vec<_>>(), [false, true, true, true, false]);
}

#[test]
fn the_levels_of_keys_and_digests() {
    let level = |key: &str| key_bits(key).and_then(refused_from);
    let keys = ["RSA 512", "RSA 1023", "RSA 1024", "RSA-PSS 1536", "DSA 1024", "RSA 2048", "RSA 4096"];
    assert_eq!(keys.map(level), [Some(1), Some(1), Some(2), Some(2), Some(2), None, None]);
    let curves = ["EC secp112r1", "EC secp160r1", "EC P-192", "EC P-224", "EC P-256", "EC brainpoolP512r1"];
    assert_eq!(curves.map(level), [Some(1), Some(2), Some(2), None, None, None]);
    // Not sized by bits, or a curve known only by its OID: no judgement.
    assert_eq!(["Ed25519", "Ed448", "EC 1.3.132.0.8", "EC (explicit curve)", "RSA (unreadable key)"].map(level), [None; 5]);
    let weak = ["sha1WithRSAEncryption", "ecdsa-with-SHA1", "dsaWithSHA1", "md5WithRSAEncryption", "md2WithRSAEncryption"];
    assert!(weak.iter().all(|s| weak_digest(s)));
    let strong = ["sha256WithRSAEncryption", "ecdsa-with-SHA384", "sha512WithRSAEncryption", "ED25519", "rsassaPss"];
    assert!(!strong.iter().any(|s| weak_digest(s)));
}

#[test]
fn a_sha1_signed_file_with_a_1024_bit_key_is_refused() {
    // OpenSSL: `error 68 ... CA signature digest algorithm too weak` at level 1, the key (66) at 2.
    let leaf = signed("/O=Example Legacy/CN=legacy-sha1.example", CA, "RSA 1024", "sha1WithRSAEncryption");
    let f = the(classified(&[cert_file("certs/legacy-sha1.pem", vec![leaf])]), Kind::WeakCertificate);
    assert_eq!(f.severity, Severity::Error);
    let below = BelowLevel { key: Some(("RSA 1024".into(), 2)), digest: Some("sha1WithRSAEncryption".into()) };
    assert_eq!(f.data, WeakCertificate { weakness: None, below: Some(below) }.into());
    let values = f.values();
    assert_eq!(
        ["security_level", "weak_key", "key_level", "weak_digest"].map(|k| values.get(k)),
        [Some("1"), Some("RSA 1024"), Some("2"), Some("sha1WithRSAEncryption")]
    );
    insta::assert_snapshot!(render(&f));
}

#[test]
fn a_1024_bit_key_alone_is_a_warning_and_a_512_bit_key_an_error() {
    let at = |key: &str| {
        let leaf = signed("/CN=legacy.example", CA, key, "sha256WithRSAEncryption");
        let f = the(classified(&[cert_file("legacy.pem", vec![leaf])]), Kind::WeakCertificate);
        (f.severity, f.title)
    };
    assert_eq!(
        at("RSA 1024"),
        (Severity::Warning, "Certificate on disk is too weak for OpenSSL security level 2 (RSA 1024 key)".into())
    );
    assert_eq!(
        at("RSA 512"),
        (Severity::Error, "Certificate on disk is too weak for OpenSSL's default security level (RSA 512 key)".into())
    );
}

#[test]
fn a_self_signed_root_is_not_judged_by_its_own_signature() {
    // A root signed with SHA-1 (by the DER's check, or printed: by its name), a 2048-bit key.
    let root = signed(CA, CA, "RSA 2048", "sha1WithRSAEncryption");
    assert!(root.self_signed);
    assert_eq!(kinds(&classified(&[cert_file("ca.pem", vec![root.clone()])])), []);
    let mut printed = (*root).clone();
    printed.self_signed = false;
    assert_eq!(kinds(&classified(&[cert_file("ca.txt", vec![Arc::new(printed)])])), []);
    // A certificate of another issuer whose signature did not verify is judged by its digest.
    let mut other = (*signed("/CN=x", CA, "RSA 2048", "sha1WithRSAEncryption")).clone();
    other.self_signed = false;
    assert_eq!(kinds(&classified(&[cert_file("x.pem", vec![Arc::new(other)])])), [Kind::WeakCertificate]);
}

#[test]
fn what_stops_the_certificate_soonest_is_said() {
    let mut expired = (*signed("/CN=old.example", CA, "RSA 1024", "sha1WithRSAEncryption")).clone();
    expired.not_after = ts("2026-01-01T00:00:00Z");
    let expiring = |key: &str| {
        let mut c = (*signed("/CN=soon.example", CA, key, "sha256WithRSAEncryption")).clone();
        c.not_after = ts("2026-12-20T00:00:00Z");
        Arc::new(c)
    };
    let file = |c: Arc<CertSummary>| kinds(&classified(&[cert_file("c.pem", vec![c])]));
    assert_eq!(file(Arc::new(expired)), [Kind::ExpiredCert]);
    // Refused today outranks expiring in 27 days; under level 2 only does not.
    assert_eq!(file(expiring("RSA 768")), [Kind::WeakCertificate]);
    assert_eq!(file(expiring("RSA 1024")), [Kind::ExpiringSoon]);
}
