//! Path building and the peer's checks on rcgen-made chains: order, extra certificates,
//! anchors, cross-signing, and each check with its OpenSSL code and depth.

use std::sync::Arc;

use jiff::Timestamp;
use rcgen::{date_time_ymd, BasicConstraints, ExtendedKeyUsagePurpose, IsCa, Issuer};

use super::gen::{ca, params, signed, Made, P256};
use crate::codes::VerifyCode;
use crate::model::{CertSummary, Role};
use crate::x509::checks::{check, Policy};
use crate::x509::path::{build, CertPath, PathEnd};
use crate::x509::CertCache;

fn summary(m: &Made) -> Arc<CertSummary> {
    Arc::new(crate::x509::summarize(&m.der).unwrap())
}

fn intermediate(cn: &str, root: &Made) -> Made {
    let mut p = params(cn);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    signed(p, &P256, root)
}

fn leaf(host: &str, issuer: &Made) -> Made {
    let mut p = params(host);
    p.subject_alt_names = vec![rcgen::SanType::DnsName(host.try_into().unwrap())];
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    signed(p, &P256, issuer)
}

struct Pki {
    root: Made,
    int: Made,
    leaf: Made,
}

fn pki() -> Pki {
    let root = ca("Path Root", &P256);
    let int = intermediate("Path Issuing CA", &root);
    let leaf = leaf("fmc.example.net", &int);
    Pki { root, int, leaf }
}

fn at(day: &str) -> Timestamp {
    format!("{day}T12:00:00Z").parse().unwrap()
}

fn policy(host: Option<&str>) -> Policy<'_> {
    Policy { at: at("2025-06-01"), level: 1, role: Role::Server, host }
}

fn codes(path: &CertPath, policy: &Policy<'_>, cache: &CertCache) -> Vec<(VerifyCode, u32)> {
    check(path, policy, cache).iter().map(|f| (f.code, f.depth)).collect()
}

fn subjects(path: &CertPath) -> Vec<String> {
    path.certs.iter().map(|c| c.cert.common_name().unwrap_or("?").to_string()).collect()
}

#[test]
fn a_chain_sent_out_of_order_is_built_in_issuer_order() {
    let p = pki();
    let cache = CertCache::default();
    let sent = [summary(&p.leaf), summary(&p.root), summary(&p.int)];
    let path = build(&sent, &[], &cache);
    assert_eq!(subjects(&path), ["fmc.example.net", "Path Issuing CA", "Path Root"]);
    assert_eq!(path.certs.iter().map(|c| c.sent).collect::<Vec<_>>(), [Some(0), Some(2), Some(1)]);
    assert_eq!((path.end, path.unused.len()), (PathEnd::SelfSigned, 0));
    assert_eq!(codes(&path, &policy(Some("fmc.example.net")), &cache), []);
    // With the root as anchor the path ends there, and nothing fails either.
    let anchored = build(&sent, &[summary(&p.root)], &cache);
    assert_eq!((anchored.end, anchored.trusted()), (PathEnd::Anchored, true));
    assert_eq!(codes(&anchored, &policy(None), &cache), []);
}

#[test]
fn extra_certificates_are_left_out() {
    let p = pki();
    let stranger = ca("Unrelated CA", &P256);
    let cache = CertCache::default();
    let sent = [summary(&p.leaf), summary(&stranger), summary(&p.int)];
    let path = build(&sent, &[summary(&p.root)], &cache);
    assert_eq!(subjects(&path), ["fmc.example.net", "Path Issuing CA", "Path Root"]);
    assert_eq!(path.unused, [1]);
}

#[test]
fn an_expired_intermediate_is_reported_at_its_depth_in_the_path() {
    let root = ca("Path Root", &P256);
    let mut ip = params("Old Issuing CA");
    ip.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ip.not_before = date_time_ymd(2015, 1, 1);
    ip.not_after = date_time_ymd(2020, 1, 1);
    let int = signed(ip, &P256, &root);
    let leaf = leaf("fmc.example.net", &int);
    let cache = CertCache::default();
    let sent = [summary(&leaf), summary(&root), summary(&int)];
    let path = build(&sent, &[summary(&root)], &cache);
    assert_eq!(codes(&path, &policy(None), &cache), [(VerifyCode::CERT_HAS_EXPIRED, 1)]);
}

#[test]
fn a_trusted_root_stands_in_for_an_expired_cross_certificate_with_its_key() {
    let p = pki();
    let legacy = ca("Legacy Root", &P256);
    // The root's name and key, issued by the legacy root, expired.
    let mut xp = p.root.params.clone();
    xp.not_before = date_time_ymd(2015, 1, 1);
    xp.not_after = date_time_ymd(2021, 1, 1);
    let cross = xp.signed_by(&p.root.key, &Issuer::from_params(&legacy.params, &legacy.key)).unwrap();
    let cross = Arc::new(crate::x509::summarize(cross.der()).unwrap());
    let cache = CertCache::default();
    let sent = [summary(&p.leaf), summary(&p.int), cross];
    let trusted = build(&sent, &[summary(&p.root)], &cache);
    assert_eq!((trusted.end, trusted.certs.len(), trusted.unused.clone()), (PathEnd::Anchored, 3, vec![2]));
    assert_eq!(codes(&trusted, &policy(None), &cache), []);
    // Without the anchor the expired cross-certificate is on the path, and its issuer missing.
    let untrusted = build(&sent, &[], &cache);
    assert_eq!(untrusted.end, PathEnd::MissingIssuer);
    assert_eq!(codes(&untrusted, &policy(None), &cache), [(VerifyCode::CERT_HAS_EXPIRED, 2)]);
}

#[test]
fn trust_failures_name_where_the_path_stops() {
    let p = pki();
    let other = ca("Other Root", &P256);
    let cache = CertCache::default();
    let anchors = [summary(&other)];
    let missing = build(&[summary(&p.leaf), summary(&p.int)], &anchors, &cache);
    assert_eq!(codes(&missing, &policy(None), &cache), [(VerifyCode::UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 1)]);
    let in_chain = build(&[summary(&p.leaf), summary(&p.int), summary(&p.root)], &anchors, &cache);
    assert_eq!(codes(&in_chain, &policy(None), &cache), [(VerifyCode::SELF_SIGNED_CERT_IN_CHAIN, 2)]);
    let alone = build(&[summary(&p.root)], &anchors, &cache);
    assert_eq!(codes(&alone, &policy(None), &cache), [(VerifyCode::DEPTH_ZERO_SELF_SIGNED_CERT, 0)]);
    // The intermediate trusted, its root not: OpenSSL's error 2 at the intermediate.
    let partial = build(&[summary(&p.leaf), summary(&p.int)], &[summary(&p.int)], &cache);
    assert_eq!(codes(&partial, &policy(None), &cache), [(VerifyCode::UNABLE_TO_GET_ISSUER_CERT, 1)]);
}

#[test]
fn purpose_name_dates_and_ca_flag_fail_with_their_codes_in_openssl_order() {
    let p = pki();
    let cache = CertCache::default();
    let anchors = [summary(&p.root)];
    // A client certificate presented by a server.
    let mut cp = params("fmc.example.net");
    cp.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    cp.not_before = date_time_ymd(2019, 1, 1);
    cp.not_after = date_time_ymd(2020, 1, 1);
    let client_cert = signed(cp, &P256, &p.int);
    let path = build(&[summary(&client_cert), summary(&p.int)], &anchors, &cache);
    // Purpose first, then the name, then the dates (from the top down).
    assert_eq!(
        codes(&path, &policy(Some("other.example.net")), &cache),
        [(VerifyCode::INVALID_PURPOSE, 0), (VerifyCode::HOSTNAME_MISMATCH, 0), (VerifyCode::CERT_HAS_EXPIRED, 0)]
    );
    // As a client certificate the purpose is right.
    let as_client = Policy { role: Role::Client, ..policy(None) };
    assert_eq!(codes(&path, &as_client, &cache), [(VerifyCode::CERT_HAS_EXPIRED, 0)]);
    // Not yet valid.
    let early = Policy { at: at("2023-06-01"), ..policy(Some("fmc.example.net")) };
    let good = build(&[summary(&p.leaf), summary(&p.int)], &anchors, &cache);
    assert_eq!(
        codes(&good, &early, &cache),
        [(VerifyCode::CERT_NOT_YET_VALID, 2), (VerifyCode::CERT_NOT_YET_VALID, 1), (VerifyCode::CERT_NOT_YET_VALID, 0)]
    );
    // An issuer that is no CA.
    let not_ca = signed(params("Not A CA"), &P256, &p.root);
    let under = leaf("fmc.example.net", &not_ca);
    let path = build(&[summary(&under), summary(&not_ca)], &anchors, &cache);
    assert_eq!(codes(&path, &policy(None), &cache), [(VerifyCode::INVALID_CA, 1)]);
}

#[test]
fn names_match_as_openssl_matches_them() {
    let p = pki();
    let cache = CertCache::default();
    let mut wp = params("wildcard");
    wp.subject_alt_names = vec![rcgen::SanType::DnsName("*.lab.example".try_into().unwrap())];
    let wild = signed(wp, &P256, &p.int);
    let path = build(&[summary(&wild), summary(&p.int)], &[summary(&p.root)], &cache);
    assert_eq!(codes(&path, &policy(Some("FMC.lab.example")), &cache), []);
    assert_eq!(codes(&path, &policy(Some("a.b.lab.example")), &cache), [(VerifyCode::HOSTNAME_MISMATCH, 0)]);
    assert_eq!(codes(&path, &policy(Some("10.1.1.1")), &cache), [(VerifyCode::IP_ADDRESS_MISMATCH, 0)]);
    // A P-256 key has 128 security bits: fine up to level 3, too small at level 4.
    let strict = Policy { level: 4, ..policy(None) };
    let weak: Vec<VerifyCode> = check(&path, &strict, &cache).iter().map(|f| f.code).collect();
    assert_eq!(
        weak,
        [
            VerifyCode::EE_KEY_TOO_SMALL,
            VerifyCode::CA_MD_TOO_WEAK,
            VerifyCode::CA_KEY_TOO_SMALL,
            VerifyCode::CA_MD_TOO_WEAK,
            VerifyCode::CA_KEY_TOO_SMALL
        ]
    );
}
