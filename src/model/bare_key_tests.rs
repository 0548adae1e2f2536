//! Bare base64 private keys: found whatever their kind, and certificates, public keys and
//! words left alone.

use super::{may_hold_key_run, without_bare_keys};

const MARK: &str = "[removed]";

/// The base64 of `der`, in lines of `width` joined by `sep`.
fn b64(der: &[u8], width: usize, sep: &str) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for c in der.chunks(3) {
        let n = c.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=c.len() {
            s.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
        s.extend(std::iter::repeat_n('=', 3 - c.len()));
    }
    let lines: Vec<String> = s.as_bytes().chunks(width).map(|l| String::from_utf8(l.to_vec()).unwrap()).collect();
    lines.join(sep)
}

/// A DER value that starts with `head` and is `len` bytes long (the rest is filler).
fn der(head: &[u8], len: usize) -> Vec<u8> {
    let mut d = head.to_vec();
    d.extend((0..len - head.len()).map(|i| (i * 37 + 11) as u8));
    d
}

fn removed(text: &str) -> String {
    assert!(may_hold_key_run(text.as_bytes()), "the quick test lets {text:?} through");
    without_bare_keys(text, MARK).unwrap_or_else(|| panic!("nothing removed from {text:?}"))
}

#[test]
fn generated_pkcs8_keys_are_removed_on_one_line_and_wrapped() {
    for alg in [&rcgen::PKCS_ECDSA_P256_SHA256, &rcgen::PKCS_ECDSA_P384_SHA384, &rcgen::PKCS_ED25519] {
        let key = rcgen::KeyPair::generate_for(alg).unwrap();
        let run = b64(&key.serialize_der(), 1000, "");
        let line = format!("sftunneld:sf_ssl [ERROR] err 10:certificate has expired {run} at depth 1");
        assert_eq!(
            removed(&line),
            format!("sftunneld:sf_ssl [ERROR] err 10:certificate has expired {MARK} at depth 1")
        );
        for sep in ["\n", "#012", " ", "\\n"] {
            let entry = format!(
                "Certificate verification failure:\n{}\nself signed certificate",
                b64(&key.serialize_der(), 64, sep)
            );
            assert_eq!(removed(&entry), format!("Certificate verification failure:\n{MARK}\nself signed certificate"));
        }
    }
}

#[test]
fn every_private_key_structure_is_known() {
    let shapes: [&[u8]; 6] = [
        // PKCS#1 RSA (version 0, the modulus), SEC1 EC (version 1, the key), PKCS#8 v1 and v2.
        &[0x30, 0x82, 0x04, 0xa4, 0x02, 0x01, 0x00, 0x02, 0x82, 0x01, 0x01, 0x00],
        &[0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20],
        &[0x30, 0x82, 0x04, 0xbd, 0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09],
        &[0x30, 0x51, 0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70],
        // Encrypted PKCS#8: PBES2, and PKCS#12's triple-DES.
        &[0x30, 0x82, 0x05, 0x1c, 0x30, 0x4e, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d],
        &[0x30, 0x82, 0x02, 0x9e, 0x30, 0x1c, 0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x03],
    ];
    for head in shapes {
        let text = format!("key: {}", b64(&der(head, 120), 1000, ""));
        assert_eq!(removed(&text), format!("key: {MARK}"), "{head:02x?}");
    }
}

#[test]
fn certificates_public_keys_and_words_stay() {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let cert = rcgen::CertificateParams::new(vec!["fmc".into()]).unwrap().self_signed(&key).unwrap();
    let kept = [
        b64(cert.der(), 1000, ""),
        b64(rcgen::PublicKeyData::subject_public_key_info(&key).as_slice(), 1000, ""),
        "Mar 14 06:00:05 ftd-branch-07 SF-IMS[3120]: [4310] sftunneld:sf_ssl [INFO] MIGHT connect".to_string(),
        // A key's base64 inside a longer run is not where a key starts.
        format!("x{}", b64(&key.serialize_der(), 1000, "")),
    ];
    for text in kept {
        assert_eq!(without_bare_keys(&text, MARK), None, "{text}");
    }
    assert!(!may_hold_key_run(b"Mar 14 06:00:05 host MAIN Module started, MIB loaded"));
}
