//! Reading PEM and DER files: certificates, keys, broken blocks, and keeping keys out of output.

use x509_parser::asn1_rs::FromDer;

use super::gen::{self, P256, P384};
use crate::model::Fact;
use crate::model::{Format, IngestContext, Parsed, Source, Status};
use crate::x509::files::{looks_like_der, parse_der, parse_pem};

fn ctx() -> IngestContext {
    IngestContext::new(
        "2025-01-01T00:00:00Z".parse().expect("timestamp"),
        std::sync::Arc::new(crate::x509::CertCache::default()),
    )
}

fn read(path: &str, data: &[u8], format: Format) -> Parsed {
    read_in(path, data, format, &ctx())
}

fn read_in(path: &str, data: &[u8], format: Format, ctx: &IngestContext) -> Parsed {
    let mut src = Source::new(path, data);
    let parse = if format == Format::Der { parse_der } else { parse_pem };
    Parsed::read_with(&mut src, format, |src, sink| parse(src, ctx, sink))
}

/// (label-free) summary of the facts: `cert <subjects>` or `key <algorithm> <line> <matches>`.
fn key_facts(p: &Parsed) -> Vec<(String, Option<u64>, Option<crate::model::Sha256>)> {
    p.facts
        .iter()
        .filter_map(|f| match f {
            Fact::KeyFile { evidence, key } => Some((key.algorithm.clone(), evidence.line, key.public_key_sha256)),
            _ => None,
        })
        .collect()
}

fn cert_file_subjects(p: &Parsed) -> Vec<Vec<String>> {
    p.facts
        .iter()
        .filter_map(|f| match f {
            Fact::CertFile { certs, .. } => Some(certs.iter().map(|c| c.subject.clone()).collect()),
            _ => None,
        })
        .collect()
}

/// The base64 body lines of a PEM text.
fn body_lines(pem: &str) -> Vec<&str> {
    pem.lines().filter(|l| !l.starts_with("-----") && !l.trim().is_empty()).collect()
}

#[test]
fn pem_bundle_with_key_and_broken_block() {
    let ca = gen::ca("Bundle CA", &P384);
    let leaf = gen::signed(gen::params("leaf.example"), &P256, &ca);
    let key_pem = leaf.key.serialize_pem();
    let broken = "-----BEGIN CERTIFICATE-----\nMIIB%%%not*base64\n-----END CERTIFICATE-----\n";
    let crl = "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n";
    let text = format!("leaf and chain\n{}{}{}{}{}", leaf.pem, ca.pem, key_pem, broken, crl);
    let lines = |s: &str| s.lines().count() as u64;
    let ca_line = 2 + lines(&leaf.pem);
    let key_line = ca_line + lines(&ca.pem);
    let broken_line = key_line + lines(&key_pem);
    let crl_line = broken_line + 3;

    let p = read("certs/bundle.pem", text.as_bytes(), Format::Pem);
    assert_eq!(cert_file_subjects(&p), vec![vec!["/CN=leaf.example".to_string(), "/CN=Bundle CA".to_string()]]);
    let seen: Vec<_> = p.certificates.iter().map(|c| (c.cert.subject.as_str(), c.evidence.location())).collect();
    assert_eq!(
        seen,
        vec![
            ("/CN=leaf.example", "certs/bundle.pem:2".to_string()),
            ("/CN=Bundle CA", format!("certs/bundle.pem:{ca_line}"))
        ]
    );
    let leaf_pk = p.certificates.first().and_then(|c| c.cert.public_key_sha256);
    assert_eq!(key_facts(&p), vec![("EC".to_string(), Some(key_line), leaf_pk)]);
    let input = p.inputs.first().expect("one input");
    assert_eq!(input.status, Status::Partial);
    assert_eq!(
        input.message.as_deref(),
        Some(
            format!("line {broken_line}: CERTIFICATE block: invalid base64 body; skipped X509 CRL at line {crl_line}")
                .as_str()
        )
    );
}

#[test]
fn key_matches_only_its_own_certificate() {
    let cert = gen::ca("Device", &P256);
    let other = gen::ca("Device", &P256);
    let p = read("k.pem", cert.key.serialize_pem().as_bytes(), Format::Pem);
    let c = read("c.pem", cert.pem.as_bytes(), Format::Pem);
    let o = read("o.pem", other.pem.as_bytes(), Format::Pem);
    let key_pk = key_facts(&p).into_iter().next().and_then(|k| k.2).expect("public key derived");
    assert_eq!(c.certificates.first().and_then(|c| c.cert.public_key_sha256), Some(key_pk));
    assert_ne!(o.certificates.first().and_then(|c| c.cert.public_key_sha256), Some(key_pk));
    assert_eq!(p.inputs.first().map(|i| (i.status, i.message.clone())), Some((Status::Ok, None)));
}

#[test]
fn encrypted_and_sec1_keys() {
    let enc = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
    let legacy = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0011\n\nAAAA\n-----END RSA PRIVATE KEY-----\n";
    let p = read("keys.pem", format!("{enc}{legacy}").as_bytes(), Format::Pem);
    assert_eq!(key_facts(&p), vec![("encrypted".to_string(), Some(1), None), ("encrypted".to_string(), Some(4), None)]);
}

#[test]
fn der_file_and_its_detection() {
    let ca = gen::ca("DER CA", &P256);
    assert!(looks_like_der(&ca.der));
    let p = read("ca.der", &ca.der, Format::Der);
    assert_eq!(cert_file_subjects(&p), vec![vec!["/CN=DER CA".to_string()]]);
    assert_eq!(p.certificates.first().map(|c| c.evidence.location()), Some("ca.der".into()));
    assert_eq!(p.inputs.first().map(|i| i.status), Some(Status::Ok));
    let mut longer = ca.der.clone();
    longer.push(b'\n');
    assert!(!looks_like_der(&longer));
    assert!(!looks_like_der(&ca.der[..ca.der.len() - 1]));
    assert!(!looks_like_der(&[0x30, 0x03, 0x02, 0x01, 0x00]));
    assert!(!looks_like_der(b""));
}

#[test]
fn garbage_inputs() {
    let p = read("junk.der", b"\x30\x03\x02\x01\x00", Format::Der);
    let i = p.inputs.first().expect("one input");
    assert_eq!(i.status, Status::Error);
    assert!(p.facts.is_empty() && p.certificates.is_empty());
    let p = read("junk.pem", b"see -----BEGIN nothing here\nplain text\n", Format::Pem);
    let i = p.inputs.first().expect("one input");
    assert_eq!((i.status, i.message.as_deref()), (Status::Skipped, Some("no certificate or private key block")));
    let p = read(
        "bad.pem",
        b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nAAAA\n",
        Format::Pem,
    );
    let i = p.inputs.first().expect("one input");
    assert_eq!(i.status, Status::Error);
    assert_eq!(
        i.message.as_deref(),
        Some("line 1: CERTIFICATE block: not a certificate: invalid DER: Unexpected Tag (expected: Some(Tag(16)), actual: Tag(0)); line 4: CERTIFICATE block: no END line")
    );
}

#[test]
fn key_material_never_appears_in_output() {
    let leaf = gen::ca("Secret holder", &P256);
    let key_pem = leaf.key.serialize_pem();
    let broken_key =
        "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n";
    let text = format!("{key_pem}{broken_key}");
    let p = read("secret.pem", text.as_bytes(), Format::Pem);
    assert_eq!(key_facts(&p).len(), 1);
    let mut outputs = vec![format!("{p:?}")];
    for f in &p.facts {
        outputs.push(format!("{f:?}"));
        outputs.push(serde_json::to_string(f).expect("json"));
        outputs.push(f.evidence().location());
    }
    for i in &p.inputs {
        outputs.push(serde_json::to_string(i).expect("json"));
        outputs.push(format!("{i:?}"));
    }
    let mut lines = body_lines(&key_pem);
    lines.extend(body_lines(broken_key));
    assert!(lines.len() >= 3);
    for out in &outputs {
        for line in &lines {
            assert!(!out.contains(line), "key line leaked");
            // Not even a fragment of a line.
            assert!(!out.contains(line.get(..16).unwrap_or(line)), "key fragment leaked");
        }
    }
}

#[test]
fn ed25519_and_sec1_keys_match_their_certificates() {
    let ed = gen::ca("Ed device", &super::gen::ED25519);
    let p = read("ed.pem", format!("{}{}", ed.pem, ed.key.serialize_pem()).as_bytes(), Format::Pem);
    let cert_pk = p.certificates.first().and_then(|c| c.cert.public_key_sha256);
    assert_eq!(key_facts(&p), vec![("Ed25519".to_string(), Some(ed.pem.lines().count() as u64 + 1), cert_pk)]);

    // The ECPrivateKey (SEC1) that rcgen's PKCS#8 wraps, read as an `EC PRIVATE KEY` block.
    let ec = gen::ca("EC device", &P384);
    let pkcs8 = ec.key.serialize_der();
    let (_, outer) = x509_parser::asn1_rs::Any::from_der(&pkcs8).expect("pkcs8");
    let mut rest = outer.data;
    let mut inner = None;
    while let Ok((r, item)) = x509_parser::asn1_rs::Any::from_der(rest) {
        if item.tag() == x509_parser::asn1_rs::Tag::OctetString {
            inner = Some(item.data);
        }
        rest = r;
    }
    let sec1 = crate::x509::keys::summarize_key("EC PRIVATE KEY", inner.expect("private key field")).expect("reads");
    let cert = crate::x509::summarize(&ec.der).expect("parses");
    assert_eq!((sec1.algorithm.as_str(), sec1.public_key_sha256), ("EC", cert.public_key_sha256));
}

#[test]
fn pem_and_der_of_one_certificate_share_its_summary() {
    let ca = gen::ca("Routed", &P256);
    let ctx = ctx();
    let der = read_in("x/ca.crt", &ca.der, Format::Der, &ctx);
    let pem = read_in("x/ca.pem", ca.pem.as_bytes(), Format::Pem, &ctx);
    let formats: Vec<_> = der.inputs.iter().chain(&pem.inputs).map(|i| (i.format, i.status)).collect();
    assert_eq!(formats, vec![(Format::Der, Status::Ok), (Format::Pem, Status::Ok)]);
    let same =
        der.certificates.first().zip(pem.certificates.first()).map(|(a, b)| std::sync::Arc::ptr_eq(&a.cert, &b.cert));
    assert_eq!(same, Some(true));
}

#[test]
fn der_detection_reads_the_framing_only() {
    use crate::x509::der::encode;
    let seq = |parts: &[Vec<u8>]| encode(0x30, &parts.concat());
    let alg = seq(&[encode(0x06, &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02])]);
    let name = seq(&[]);
    let sig = encode(0x03, &[0, 1, 2]);
    // A version 1 certificate: serial, algorithm, issuer, validity, ...
    let validity = seq(&[encode(0x17, b"260101000000Z"), encode(0x17, b"270101000000Z")]);
    let tbs_v1 = seq(&[encode(0x02, &[1]), alg.clone(), name.clone(), validity, name.clone()]);
    assert!(looks_like_der(&seq(&[tbs_v1, alg.clone(), sig.clone()])));
    // A CRL has the same outer shape, but a time where a certificate has its validity.
    let tbs_crl = seq(&[encode(0x02, &[1]), alg.clone(), name.clone(), encode(0x17, b"260101000000Z")]);
    assert!(!looks_like_der(&seq(&[tbs_crl, alg.clone(), sig.clone()])));
    // A PKCS#8 key: INTEGER, SEQUENCE, OCTET STRING.
    assert!(!looks_like_der(&seq(&[encode(0x02, &[0]), alg.clone(), encode(0x04, &[1, 2])])));
    // Something after the signature.
    let v3 = seq(&[encode(0xa0, &encode(0x02, &[2]))]);
    assert!(looks_like_der(&seq(&[v3.clone(), alg.clone(), sig.clone()])));
    assert!(!looks_like_der(&seq(&[v3, alg, sig, encode(0x05, &[])])));
}
