//! Turning one DER certificate into a [`CertSummary`], and checking signatures between two.

use std::sync::Arc;

use sha2::{Digest, Sha256};
use x509_parser::certificate::X509Certificate;
use x509_parser::error::X509Error;
use x509_parser::public_key::PublicKey;
use x509_parser::x509::SubjectPublicKeyInfo;

use super::names;
use crate::model::CertError;
use crate::model::CertSummary;

/// Most subjectAltName entries listed; the rest are counted.
const MAX_SAN: usize = 256;

pub(crate) fn sha256(bytes: &[u8]) -> crate::model::Sha256 {
    crate::model::Sha256(Sha256::digest(bytes).into())
}

/// Parse exactly one DER certificate (nothing may follow it). nom errors stop here.
pub(crate) fn parse_one(der: &[u8]) -> Result<X509Certificate<'_>, CertError> {
    match x509_parser::parse_x509_certificate(der) {
        Ok(([], cert)) => Ok(cert),
        Ok((rest, _)) => Err(CertError::Parse(format!("{} bytes follow the certificate", rest.len()))),
        Err(x509_parser::nom::Err::Incomplete(_)) => Err(CertError::Parse("truncated DER".into())),
        Err(x509_parser::nom::Err::Error(e) | x509_parser::nom::Err::Failure(e)) => Err(CertError::Parse(describe(&e))),
    }
}

fn describe(e: &X509Error) -> String {
    match e {
        X509Error::Der(d) => format!("invalid DER: {d}"),
        other => other.to_string(),
    }
}

pub fn summarize(der: &[u8]) -> Result<CertSummary, CertError> {
    let cert = parse_one(der)?;
    let subject = names::one_line(cert.subject());
    let issuer = names::one_line(cert.issuer());
    let validity = cert.validity();
    let not_before = timestamp(validity.not_before.timestamp(), "notBefore")?;
    let not_after = timestamp(validity.not_after.timestamp(), "notAfter")?;
    let self_signed = subject == issuer && cert.verify_signature(None).is_ok();
    let mut san = Vec::new();
    if let Ok(Some(ext)) = cert.subject_alternative_name() {
        let names = &ext.value.general_names;
        san.extend(names.iter().take(MAX_SAN).map(names::general_name));
        if names.len() > MAX_SAN {
            san.push(format!("(+{} more)", names.len() - MAX_SAN));
        }
    }
    let spki = cert.public_key();
    Ok(CertSummary {
        subject,
        issuer,
        serial: cert.raw_serial_as_string(),
        not_before,
        not_after,
        is_ca: cert.is_ca(),
        self_signed,
        key: key_name(spki),
        signature_algorithm: signature_name(&cert.signature_algorithm.algorithm.to_id_string()),
        san,
        sha256: Some(sha256(der)),
        public_key_sha256: Some(sha256(&spki.subject_public_key.data)),
        der: Arc::from(der),
    })
}

fn timestamp(secs: i64, what: &str) -> Result<jiff::Timestamp, CertError> {
    jiff::Timestamp::from_second(secs).map_err(|_| CertError::Parse(format!("{what} out of range")))
}

/// `None` when a certificate does not parse or the algorithm is not one ring verifies.
pub fn verify_signature(child_der: &[u8], issuer_der: &[u8]) -> Option<bool> {
    let child = parse_one(child_der).ok()?;
    let issuer = parse_one(issuer_der).ok()?;
    match child.verify_signature(Some(issuer.public_key())) {
        Ok(()) => Some(true),
        Err(X509Error::SignatureVerificationError) => Some(false),
        Err(_) => None,
    }
}

/// Number of significant bits of a big-endian unsigned integer.
pub(super) fn bits(n: &[u8]) -> usize {
    let n = match n.iter().position(|&b| b != 0) {
        Some(i) => &n[i..],
        None => return 0,
    };
    n.first().map_or(0, |&top| n.len() * 8 - top.leading_zeros() as usize)
}

fn curve_name(oid: &str) -> String {
    match oid {
        "1.2.840.10045.3.1.7" => "P-256".into(),
        "1.3.132.0.34" => "P-384".into(),
        "1.3.132.0.35" => "P-521".into(),
        "1.3.132.0.10" => "secp256k1".into(),
        "1.2.840.10045.3.1.1" => "P-192".into(),
        "1.3.132.0.33" => "P-224".into(),
        "1.3.36.3.3.2.8.1.1.7" => "brainpoolP256r1".into(),
        "1.3.36.3.3.2.8.1.1.11" => "brainpoolP384r1".into(),
        "1.3.36.3.3.2.8.1.1.13" => "brainpoolP512r1".into(),
        other => other.to_string(),
    }
}

/// `RSA 2048`, `EC P-256`, `Ed25519`, ...; the dotted OID for algorithms we do not name.
fn key_name(spki: &SubjectPublicKeyInfo<'_>) -> String {
    let alg = spki.algorithm.algorithm.to_id_string();
    match alg.as_str() {
        "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => {
            let label = if alg.ends_with(".10") { "RSA-PSS" } else { "RSA" };
            match spki.parsed() {
                Ok(PublicKey::RSA(rsa)) => format!("{label} {}", bits(rsa.modulus)),
                _ => format!("{label} (unreadable key)"),
            }
        }
        "1.2.840.10045.2.1" => {
            let curve = spki.algorithm.parameters.as_ref().and_then(|p| p.as_oid().ok());
            match curve {
                Some(oid) => format!("EC {}", curve_name(&oid.to_id_string())),
                None => "EC (explicit curve)".into(),
            }
        }
        "1.2.840.10040.4.1" => match spki.parsed() {
            Ok(PublicKey::DSA(y)) => format!("DSA {}", bits(y)),
            _ => "DSA".into(),
        },
        "1.3.101.112" => "Ed25519".into(),
        "1.3.101.113" => "Ed448".into(),
        "1.3.101.110" => "X25519".into(),
        "1.3.101.111" => "X448".into(),
        _ => alg,
    }
}

/// OpenSSL's name of a signature algorithm; the dotted OID for others.
pub(crate) fn signature_name(oid: &str) -> String {
    let name = match oid {
        "1.2.840.113549.1.1.2" => "md2WithRSAEncryption",
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "rsassaPss",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.113549.1.1.14" => "sha224WithRSAEncryption",
        "1.3.14.3.2.29" => "sha1WithRSA",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.1" => "ecdsa-with-SHA224",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.2.840.10040.4.3" => "dsaWithSHA1",
        "2.16.840.1.101.3.4.3.2" => "dsa_with_SHA256",
        "1.3.101.112" => "ED25519",
        "1.3.101.113" => "ED448",
        _ => return oid.to_string(),
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn significant_bits() {
        assert_eq!(bits(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(bits(&[0x01, 0x00]), 9);
        assert_eq!(bits(&[0, 0]), 0);
        assert_eq!(bits(&[]), 0);
    }

    #[test]
    fn algorithm_names() {
        assert_eq!(signature_name("1.2.840.113549.1.1.11"), "sha256WithRSAEncryption");
        assert_eq!(signature_name("1.2.840.10045.4.3.3"), "ecdsa-with-SHA384");
        assert_eq!(signature_name("1.9.9"), "1.9.9");
        assert_eq!(curve_name("1.3.132.0.34"), "P-384");
    }

    #[test]
    fn hex_is_lowercase() {}
}
