//! Private keys: what kind they are and which public key they imply, so a key file can be matched
//! with its certificate. Nothing of the private key ever leaves this module: errors are fixed
//! texts and the result only holds a hash of the public half.

use x509_parser::asn1_rs::{Any, Class, FromDer, Tag};

use super::der::encode;
use super::summary::sha256;
use crate::model::KeySummary;

/// Why a key block could not be read (a fixed text, never key content).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyError(pub &'static str);

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

const OID_RSA: &str = "1.2.840.113549.1.1.1";
const OID_RSA_PSS: &str = "1.2.840.113549.1.1.10";
const OID_EC: &str = "1.2.840.10045.2.1";
const OID_ED25519: &str = "1.3.101.112";
const OID_ED448: &str = "1.3.101.113";

/// Whether a PEM label names a private key.
pub fn is_key_label(label: &str) -> bool {
    label.ends_with("PRIVATE KEY")
}

/// What is safe to say about the private key in a PEM block labelled `label` whose body decodes
/// to `der`.
pub fn summarize_key(label: &str, der: &[u8]) -> Result<KeySummary, KeyError> {
    let summary = |algorithm: &str, public: Option<Vec<u8>>| KeySummary {
        algorithm: algorithm.to_string(),
        public_key_sha256: public.map(|p| sha256(&p)),
    };
    match label {
        "ENCRYPTED PRIVATE KEY" => Ok(encrypted()),
        "RSA PRIVATE KEY" => Ok(summary("RSA", Some(rsa_public(der)?))),
        "EC PRIVATE KEY" => Ok(summary("EC", sec1_public(der)?)),
        "PRIVATE KEY" => pkcs8(der),
        "DSA PRIVATE KEY" => Ok(summary("DSA", None)),
        "OPENSSH PRIVATE KEY" => Ok(summary("OpenSSH", None)),
        _ => Ok(summary("unknown", None)),
    }
}

/// A key that needs a passphrase before anything can be said about it.
pub fn encrypted() -> KeySummary {
    KeySummary { algorithm: "encrypted".into(), public_key_sha256: None }
}

/// The elements of the SEQUENCE `der` (at most `max`), which must be the whole input.
fn sequence(der: &[u8], max: usize) -> Result<Vec<Any<'_>>, KeyError> {
    let bad = KeyError("not a DER SEQUENCE");
    let (rest, seq) = Any::from_der(der).map_err(|_| bad)?;
    if !rest.is_empty() || seq.tag() != Tag::Sequence {
        return Err(bad);
    }
    let mut items = Vec::new();
    let mut input = seq.data;
    while !input.is_empty() && items.len() < max {
        let (rest, item) = Any::from_der(input).map_err(|_| KeyError("malformed DER element"))?;
        items.push(item);
        input = rest;
    }
    Ok(items)
}

fn expect<'a, 'b>(items: &'b [Any<'a>], i: usize, tag: Tag, what: &'static str) -> Result<&'b Any<'a>, KeyError> {
    items.get(i).filter(|a| a.class() == Class::Universal && a.tag() == tag).ok_or(KeyError(what))
}

/// RSAPrivateKey (PKCS#1) → the RSAPublicKey SEQUENCE { modulus, publicExponent } in DER, the
/// very bytes a certificate carries in its subjectPublicKey.
fn rsa_public(der: &[u8]) -> Result<Vec<u8>, KeyError> {
    let items = sequence(der, 3)?;
    expect(&items, 0, Tag::Integer, "RSA key without version")?;
    let n = expect(&items, 1, Tag::Integer, "RSA key without modulus")?;
    let e = expect(&items, 2, Tag::Integer, "RSA key without public exponent")?;
    let mut body = encode(0x02, n.data);
    body.extend_from_slice(&encode(0x02, e.data));
    Ok(encode(0x30, &body))
}

/// The bits of a BIT STRING's contents (after the unused-bits byte).
fn bit_string_bits(content: &[u8]) -> Option<Vec<u8>> {
    match content.split_first() {
        Some((0, bits)) => Some(bits.to_vec()),
        _ => None,
    }
}

/// ECPrivateKey (SEC1) → the public point from its optional `[1] publicKey`; `None` if absent.
fn sec1_public(der: &[u8]) -> Result<Option<Vec<u8>>, KeyError> {
    let items = sequence(der, 4)?;
    expect(&items, 0, Tag::Integer, "EC key without version")?;
    expect(&items, 1, Tag::OctetString, "EC key without private value")?;
    let Some(tagged) = items.iter().find(|a| a.class() == Class::ContextSpecific && a.tag() == Tag(1)) else {
        return Ok(None);
    };
    let (_, bits) = Any::from_der(tagged.data).map_err(|_| KeyError("EC public key field malformed"))?;
    if bits.tag() != Tag::BitString {
        return Err(KeyError("EC public key field malformed"));
    }
    Ok(bit_string_bits(bits.data))
}

/// PrivateKeyInfo / OneAsymmetricKey (PKCS#8, RFC 5958).
fn pkcs8(der: &[u8]) -> Result<KeySummary, KeyError> {
    let items = sequence(der, 5)?;
    expect(&items, 0, Tag::Integer, "PKCS#8 key without version")?;
    let alg = expect(&items, 1, Tag::Sequence, "PKCS#8 key without algorithm")?;
    let (_, oid) = Any::from_der(alg.data).map_err(|_| KeyError("PKCS#8 algorithm malformed"))?;
    let oid = oid.as_oid().map_err(|_| KeyError("PKCS#8 algorithm malformed"))?.to_id_string();
    let inner = expect(&items, 2, Tag::OctetString, "PKCS#8 key without private key")?.data;
    // Version 2 may carry the public key itself as `[1] IMPLICIT BIT STRING`.
    let v2_public = items
        .iter()
        .skip(3)
        .find(|a| a.class() == Class::ContextSpecific && a.tag() == Tag(1))
        .and_then(|a| bit_string_bits(a.data));
    let (algorithm, public) = match oid.as_str() {
        OID_RSA | OID_RSA_PSS => ("RSA", Some(rsa_public(inner)?)),
        OID_EC => ("EC", sec1_public(inner)?.or(v2_public)),
        OID_ED25519 => ("Ed25519", v2_public),
        OID_ED448 => ("Ed448", v2_public),
        _ => ("unknown", None),
    };
    Ok(KeySummary { algorithm: algorithm.into(), public_key_sha256: public.map(|p| sha256(&p)) })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A toy PKCS#1 key with small numbers: n = 0x00c5 (leading zero kept), e = 65537.
    fn toy_rsa() -> Vec<u8> {
        let mut body = encode(0x02, &[0]);
        for int in [&[0x00, 0xc5][..], &[0x01, 0x00, 0x01], &[0x11], &[0x0b], &[0x13], &[0x01], &[0x01], &[0x02]] {
            body.extend_from_slice(&encode(0x02, int));
        }
        encode(0x30, &body)
    }

    #[test]
    fn rsa_public_key_is_modulus_and_exponent() {
        let expected = [0x30, 0x09, 0x02, 0x02, 0x00, 0xc5, 0x02, 0x03, 0x01, 0x00, 0x01];
        assert_eq!(rsa_public(&toy_rsa()), Ok(expected.to_vec()));
        let k = summarize_key("RSA PRIVATE KEY", &toy_rsa()).map(|k| (k.algorithm, k.public_key_sha256));
        assert_eq!(k, Ok(("RSA".to_string(), Some(sha256(&expected)))));
    }

    #[test]
    fn rsa_inside_pkcs8() {
        let alg = encode(
            0x30,
            &[&encode(0x06, &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01])[..], &[0x05, 0x00]].concat(),
        );
        let body = [encode(0x02, &[0]), alg, encode(0x04, &toy_rsa())].concat();
        let k = summarize_key("PRIVATE KEY", &encode(0x30, &body)).map(|k| k.public_key_sha256);
        let expected = [0x30, 0x09, 0x02, 0x02, 0x00, 0xc5, 0x02, 0x03, 0x01, 0x00, 0x01];
        assert_eq!(k, Ok(Some(sha256(&expected))));
    }

    #[test]
    fn sec1_without_public_key_gives_none() {
        let body = [encode(0x02, &[1]), encode(0x04, &[7; 32])].concat();
        let k = summarize_key("EC PRIVATE KEY", &encode(0x30, &body)).map(|k| (k.algorithm, k.public_key_sha256));
        assert_eq!(k, Ok(("EC".to_string(), None)));
    }

    #[test]
    fn garbage_is_an_error_with_fixed_text() {
        assert_eq!(summarize_key("RSA PRIVATE KEY", b"\x30\x03\x02\x01").err(), Some(KeyError("not a DER SEQUENCE")));
        assert_eq!(summarize_key("PRIVATE KEY", &[]).err(), Some(KeyError("not a DER SEQUENCE")));
        assert_eq!(summarize_key("ENCRYPTED PRIVATE KEY", b"anything").map(|k| k.algorithm), Ok("encrypted".into()));
    }
}
