//! The samples in `samples/logs/` parsed and classified end to end: the finding kinds each one
//! must produce (see `samples/README.md`); and certificates routed to their reader by content.

use super::ingest;
use crate::diagnose::{classify, Options};
use crate::model::{IngestContext, Parsed, Source, Status};

/// `(kind, device, peer, depth, count)` of every finding of one sample file.
type Row = (String, Option<String>, Option<String>, Option<u32>, u32);

fn findings(rel: &str) -> Vec<Row> {
    let path = format!("{}/samples/logs/{rel}", env!("CARGO_MANIFEST_DIR"));
    let data = std::fs::read(&path).expect("sample file");
    let mut ctx = IngestContext::new(
        "2025-06-01T00:00:00Z".parse().expect("now"),
        std::sync::Arc::new(crate::x509::CertCache::default()),
    );
    ctx.year = Some(2025);
    let src = Source { path: rel.to_string(), data: crate::model::Data::Bytes(&data), mtime: None, depth: 0 };
    let mut parsed = Parsed::default();
    ingest(src, &ctx, &mut parsed);
    assert!(parsed.inputs.iter().all(|i| i.status == Status::Ok), "{:?}", parsed.inputs);
    let found = classify(&parsed.attempts, &parsed.facts, &Options::new(ctx.now));
    found
        .into_iter()
        .map(|f| (f.kind.as_str().to_string(), f.device, f.peer.map(|p| p.to_string()), f.depth, f.count))
        .collect()
}

fn row(kind: &str, device: Option<&str>, peer: Option<&str>, depth: Option<u32>, count: u32) -> Row {
    (kind.to_string(), device.map(str::to_string), peer.map(str::to_string), depth, count)
}

#[test]
fn ftd_log_shows_expired_internal_ca() {
    assert_eq!(
        findings("ftd-expired-ca/messages"),
        vec![row("expired-ca", Some("ftd-branch-07"), Some("192.168.45.10"), Some(1), 4)]
    );
}

#[test]
fn ftd_log_shows_a_certificate_of_the_wrong_purpose() {
    assert_eq!(
        findings("ftd-invalid-purpose/messages"),
        vec![row("invalid-purpose", Some("ftd-lab-05"), Some("10.20.40.10"), Some(0), 2)]
    );
}

#[test]
fn rotated_gzip_log_is_read() {
    assert_eq!(
        findings("rotated/messages.1.gz"),
        vec![row("expired-ca", Some("ftd-branch-07"), Some("192.168.45.10"), Some(1), 2)]
    );
}

#[test]
fn fmc_log_shows_rejection_by_both_devices() {
    assert_eq!(
        findings("fmc-expired-ca/messages"),
        vec![
            row("peer-rejected-certificate", Some("fmc-hq-01"), Some("192.168.45.21"), None, 2),
            row("peer-rejected-certificate", Some("fmc-hq-01"), Some("192.168.45.22"), None, 1),
        ]
    );
}

#[test]
fn misc_log_shows_one_finding_per_attempt() {
    let mut got = findings("sftunnel-misc/messages");
    got.sort();
    let d = Some("ftd-lab-03");
    assert_eq!(
        got,
        vec![
            row("cipher-mismatch", d, Some("10.20.30.15"), None, 1),
            row("connection-refused", d, Some("10.20.30.17"), None, 1),
            row("expired-cert", d, Some("10.20.30.14"), Some(0), 1),
            row("not-yet-valid", d, Some("10.20.30.13"), Some(0), 1),
            row("protocol-mismatch", d, Some("10.20.30.16"), None, 1),
            row("self-signed", d, Some("10.20.30.11"), Some(0), 1),
            row("unknown-ca", d, Some("10.20.30.12"), Some(0), 1),
        ]
    );
}

#[test]
fn tls_proxy_log_shows_self_signed_and_a_refused_client_hello() {
    // The server's handshake_failure before any ServerHello names no parameter: a refused offer.
    let mut got = findings("tls-proxy/tls_proxy.log");
    got.sort();
    assert_eq!(got, vec![row("handshake-failed", None, None, None, 1), row("self-signed", None, None, Some(0), 1)]);
}

/// A certificate reaches the certificate reader whether it is DER (named `.crt`) or PEM, and
/// both readings share one summary through the run's cache.
#[test]
fn pem_and_der_certificates_are_routed_to_the_certificate_reader() {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).expect("key");
    let cert = rcgen::CertificateParams::new(vec!["routed.example".to_string()])
        .expect("params")
        .self_signed(&key)
        .expect("certificate");
    let ctx = IngestContext::new(
        "2025-06-01T00:00:00Z".parse().expect("now"),
        std::sync::Arc::new(crate::x509::CertCache::default()),
    );
    let (mut der, mut pem) = (Parsed::default(), Parsed::default());
    ingest(Source::new("x/ca.crt", cert.der()), &ctx, &mut der);
    ingest(Source::new("x/ca.pem", cert.pem().as_bytes()), &ctx, &mut pem);
    let formats: Vec<_> = der.inputs.iter().chain(&pem.inputs).map(|i| (i.format, i.status)).collect();
    assert_eq!(formats, vec![(crate::model::Format::Der, Status::Ok), (crate::model::Format::Pem, Status::Ok)]);
    let same =
        der.certificates.first().zip(pem.certificates.first()).map(|(a, b)| std::sync::Arc::ptr_eq(&a.cert, &b.cert));
    assert_eq!(same, Some(true));
}
