//! `summarize`, `verify_signature` and `signed_by` on generated certificates.

use rcgen::{DnType, IsCa, SanType};

use super::gen::{self, ED25519, P256, P384};
use crate::x509::{self, summarize, verify_signature, CertCache};

fn ts(s: &str) -> jiff::Timestamp {
    s.parse().expect("timestamp")
}

#[test]
fn one_line_subject_keeps_certificate_order() {
    let mut p = gen::params("unused");
    p.distinguished_name = rcgen::DistinguishedName::new();
    p.distinguished_name.push(DnType::CustomDnType(vec![2, 5, 4, 12]), "InternalCA");
    p.distinguished_name.push(DnType::OrganizationalUnitName, "Intrusion Management System");
    p.distinguished_name.push(DnType::CommonName, "06f5f3ca-c77b-11e2-81bf-884d9d11f3ef");
    p.distinguished_name.push(DnType::OrganizationName, "Sourcefire, Inc.");
    let c = summarize(&gen::self_signed(p, &P256).der).expect("parses");
    let want =
        "/title=InternalCA/OU=Intrusion Management System/CN=06f5f3ca-c77b-11e2-81bf-884d9d11f3ef/O=Sourcefire, Inc.";
    assert_eq!(c.subject, want);
    assert_eq!(c.issuer, want);
    assert_eq!(c.common_name(), Some("06f5f3ca-c77b-11e2-81bf-884d9d11f3ef"));
}

#[test]
fn attribute_short_names_and_unknown_oids() {
    let mut p = gen::params("unused");
    p.distinguished_name = rcgen::DistinguishedName::new();
    p.distinguished_name.push(DnType::CustomDnType(vec![1, 2, 840, 113549, 1, 9, 2]), "ciscoasa");
    p.distinguished_name.push(DnType::CountryName, "US");
    p.distinguished_name.push(DnType::CustomDnType(vec![0, 9, 2342, 19200300, 100, 1, 25]), "example");
    p.distinguished_name.push(DnType::CustomDnType(vec![1, 3, 6, 1, 4, 1, 99999, 7]), "x\u{e9}");
    let c = summarize(&gen::self_signed(p, &P256).der).expect("parses");
    assert_eq!(c.subject, "/unstructuredName=ciscoasa/C=US/DC=example/1.3.6.1.4.1.99999.7=x\\xC3\\xA9");
}

#[test]
fn fields_of_a_leaf() {
    let ca = gen::ca("Test CA", &P384);
    let mut p = gen::params("fmc.example.net");
    p.serial_number = Some(vec![0x01, 0xab, 0xcd].into());
    p.not_before = rcgen::date_time_ymd(2024, 3, 5);
    p.not_after = rcgen::date_time_ymd(2025, 3, 5);
    p.subject_alt_names = vec![
        SanType::DnsName("fmc.example.net".try_into().expect("ia5")),
        SanType::IpAddress("192.0.2.10".parse().expect("ip")),
        SanType::IpAddress("2001:db8::5".parse().expect("ip")),
        SanType::Rfc822Name("admin@example.net".try_into().expect("ia5")),
        SanType::URI("https://fmc.example.net/".try_into().expect("ia5")),
    ];
    let leaf = gen::signed(p, &P256, &ca);
    let c = summarize(&leaf.der).expect("parses");
    assert_eq!(c.subject, "/CN=fmc.example.net");
    assert_eq!(c.issuer, "/CN=Test CA");
    assert_eq!(c.serial, "01:ab:cd");
    assert_eq!(c.not_before, ts("2024-03-05T00:00:00Z"));
    assert_eq!(c.not_after, ts("2025-03-05T00:00:00Z"));
    assert!(!c.is_ca);
    assert!(!c.self_signed);
    assert_eq!(c.key, "EC P-256");
    assert_eq!(c.signature_algorithm, "ecdsa-with-SHA384");
    assert_eq!(
        c.san,
        vec![
            "DNS:fmc.example.net",
            "IP:192.0.2.10",
            "IP:2001:db8::5",
            "email:admin@example.net",
            "URI:https://fmc.example.net/"
        ]
    );
    assert_eq!(c.sha256, Some(x509::summary::sha256(&leaf.der)));
    assert_eq!(&*c.der, &leaf.der[..]);
    // The raw public key bits: an uncompressed P-256 point, as rcgen reports it.
    assert_eq!(c.public_key_sha256, Some(x509::summary::sha256(leaf.key.public_key_raw())));
    assert_eq!(c.days_left(ts("2025-03-01T12:00:00Z")), 3);
    assert!(c.valid_at(ts("2024-06-01T00:00:00Z")));
    assert!(!c.valid_at(ts("2025-03-06T00:00:00Z")));
}

#[test]
fn key_and_signature_names() {
    let ca = summarize(&gen::ca("P384 CA", &P384).der).expect("parses");
    assert_eq!((ca.key.as_str(), ca.signature_algorithm.as_str(), ca.is_ca), ("EC P-384", "ecdsa-with-SHA384", true));
    let ed = summarize(&gen::ca("Ed CA", &ED25519).der).expect("parses");
    assert_eq!((ed.key.as_str(), ed.signature_algorithm.as_str()), ("Ed25519", "ED25519"));
}

#[test]
fn self_signed_needs_matching_names_and_own_signature() {
    let ca = gen::ca("Root", &P256);
    assert!(summarize(&ca.der).expect("parses").self_signed);
    // Same subject and issuer names, but signed by a different key.
    let other = gen::ca("Root", &P256);
    let mut p = gen::params("Root");
    p.is_ca = IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let imposter = gen::signed(p, &P256, &other);
    let c = summarize(&imposter.der).expect("parses");
    assert_eq!(c.subject, c.issuer);
    assert!(!c.self_signed);
}

#[test]
fn chain_signatures() {
    let ca = gen::ca("Issuing CA", &P256);
    let other_ca = gen::ca("Issuing CA", &P384);
    let ed_ca = gen::ca("Ed CA", &ED25519);
    let leaf = gen::signed(gen::params("device"), &P256, &ca);
    let ed_leaf = gen::signed(gen::params("device"), &ED25519, &ed_ca);
    assert_eq!(verify_signature(&leaf.der, &ca.der), Some(true));
    assert_eq!(verify_signature(&leaf.der, &other_ca.der), Some(false));
    assert_eq!(verify_signature(&ed_leaf.der, &ed_ca.der), Some(true));
    assert_eq!(verify_signature(&ed_leaf.der, &gen::ca("Ed CA", &ED25519).der), Some(false));
    assert_eq!(verify_signature(b"junk", &ca.der), None);

    let cache = CertCache::default();
    let get = |der: &[u8]| cache.get_or_parse(der).expect("parses");
    assert!(x509::signed_by(&get(&leaf.der), &get(&ca.der)));
    assert!(!x509::signed_by(&get(&leaf.der), &get(&other_ca.der)));
    let same_name_p256 = gen::ca("Issuing CA", &P256);
    assert!(!x509::signed_by(&get(&leaf.der), &get(&same_name_p256.der)));
    assert!(!x509::signed_by(&get(&leaf.der), &get(&ed_ca.der)));
}

#[test]
fn cache_shares_identical_certificates() {
    let ca = gen::ca("Shared", &P256);
    let cache = CertCache::default();
    let a = cache.get_or_parse(&ca.der).expect("parses");
    let b = cache.get_or_parse(&ca.der).expect("parses");
    assert!(std::sync::Arc::ptr_eq(&a, &b));
}

#[test]
fn huge_extension_parses() {
    let mut p = gen::params("big");
    p.custom_extensions
        .push(rcgen::CustomExtension::from_oid_content(&[1, 3, 6, 1, 4, 1, 99999, 1], vec![0x41; 1 << 20]));
    let made = gen::self_signed(p, &P256);
    let c = summarize(&made.der).expect("parses");
    assert_eq!(c.subject, "/CN=big");
    assert!(c.self_signed);
}

#[test]
fn bad_bytes_fail_cleanly() {
    let ca = gen::ca("Cut", &P256);
    for cut in [0, 1, 2, 10, ca.der.len() / 2, ca.der.len() - 1] {
        let r = summarize(ca.der.get(..cut).unwrap_or(&[]));
        assert!(r.is_err(), "cut at {cut}");
    }
    let mut trailing = ca.der.clone();
    trailing.push(0);
    assert_eq!(
        summarize(&trailing).map(|_| ()).map_err(|e| e.to_string()),
        Err("not a certificate: 1 bytes follow the certificate".into())
    );
    let mut flipped = ca.der.clone();
    if let Some(b) = flipped.get_mut(20) {
        *b ^= 0xff;
    }
    let _ = summarize(&flipped); // no panic whatever the outcome
}

proptest::proptest! {
    #[test]
    fn never_panics_on_random_bytes(data in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
        let _ = summarize(&data);
        let mut framed = vec![0x30, 0x82];
        framed.extend_from_slice(&(data.len() as u16).to_be_bytes());
        framed.extend_from_slice(&data);
        let _ = summarize(&framed);
        let _ = crate::x509::files::looks_like_der(&framed);
    }
}
