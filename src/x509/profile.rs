//! What path building and the peer's checks need from a certificate beyond its summary: key
//! identifiers, basic constraints, key usage, extended key usage, names, and the strength of
//! its key and signature in OpenSSL's security bits. Read from the DER on demand.

use std::net::IpAddr;

use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::public_key::PublicKey;

use super::summary::parse_one;
use crate::model::CertSummary;

/// The extended key usages a TLS peer looks at.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExtKeyUsage {
    pub server_auth: bool,
    pub client_auth: bool,
    pub any: bool,
}

/// A certificate's extensions and strengths, as the checks of [`super::checks`] use them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    pub subject_key_id: Option<Vec<u8>>,
    pub authority_key_id: Option<Vec<u8>>,
    /// basicConstraints: `Some((ca, pathLenConstraint))` when present.
    pub basic_constraints: Option<(bool, Option<u32>)>,
    /// keyUsage present: whether it allows signing certificates.
    pub key_cert_sign: Option<bool>,
    /// extendedKeyUsage, when present.
    pub ext_key_usage: Option<ExtKeyUsage>,
    pub dns_names: Vec<String>,
    pub ip_addresses: Vec<IpAddr>,
    pub common_names: Vec<String>,
    /// An extension marked critical that OpenSSL does not handle.
    pub unhandled_critical: bool,
    /// Security bits of the public key, as OpenSSL counts them (0: unknown or unusable).
    pub key_bits: u32,
    /// Security bits of the signature's digest, as OpenSSL 3.0 counts them.
    pub signature_bits: u32,
}

impl Profile {
    /// Whether the certificate may issue others: CA:TRUE, and keyCertSign when keyUsage is there.
    pub fn is_ca(&self) -> bool {
        matches!(self.basic_constraints, Some((true, _))) && self.key_cert_sign != Some(false)
    }
}

/// The extensions OpenSSL 3.0 handles when they are critical (`X509_supported_extension`):
/// Netscape certificate type, key usage, subject alternative name, basic constraints,
/// certificate policies, policy mappings, policy constraints, extended key usage, inhibit any
/// policy, name constraints, proxy certificate info, the RFC 3779 address and AS blocks, and the
/// TLS feature.
const HANDLED: &[&str] = &[
    "2.16.840.1.113730.1.1",
    "2.5.29.15",
    "2.5.29.17",
    "2.5.29.19",
    "2.5.29.32",
    "2.5.29.33",
    "2.5.29.36",
    "2.5.29.37",
    "2.5.29.54",
    "2.5.29.30",
    "1.3.6.1.5.5.7.1.14",
    "1.3.6.1.5.5.7.1.7",
    "1.3.6.1.5.5.7.1.8",
    "1.3.6.1.5.5.7.1.24",
];

/// The profile of `cert`; `None` when its DER does not parse.
pub fn profile(cert: &CertSummary) -> Option<Profile> {
    let x = parse_one(&cert.der).ok()?;
    let mut p = Profile::default();
    for ext in x.extensions() {
        if ext.critical && !HANDLED.contains(&ext.oid.to_id_string().as_str()) {
            p.unhandled_critical = true;
        }
        match ext.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(id) => p.subject_key_id = Some(id.0.to_vec()),
            ParsedExtension::AuthorityKeyIdentifier(aki) => {
                p.authority_key_id = aki.key_identifier.as_ref().map(|id| id.0.to_vec());
            }
            ParsedExtension::BasicConstraints(bc) => p.basic_constraints = Some((bc.ca, bc.path_len_constraint)),
            ParsedExtension::KeyUsage(ku) => p.key_cert_sign = Some(ku.key_cert_sign()),
            ParsedExtension::ExtendedKeyUsage(eku) => {
                p.ext_key_usage =
                    Some(ExtKeyUsage { server_auth: eku.server_auth, client_auth: eku.client_auth, any: eku.any });
            }
            ParsedExtension::SubjectAlternativeName(san) => {
                for name in &san.general_names {
                    match name {
                        GeneralName::DNSName(d) => p.dns_names.push(d.to_ascii_lowercase()),
                        GeneralName::IPAddress(b) => p.ip_addresses.extend(ip(b)),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    p.common_names = x.subject().iter_common_name().filter_map(|cn| cn.as_str().ok()).map(str::to_string).collect();
    p.key_bits = key_security_bits(&x);
    p.signature_bits = signature_security_bits(&x.signature_algorithm.algorithm.to_id_string());
    Some(p)
}

fn ip(b: &[u8]) -> Option<IpAddr> {
    match b.len() {
        4 => <[u8; 4]>::try_from(b).ok().map(IpAddr::from),
        16 => <[u8; 16]>::try_from(b).ok().map(IpAddr::from),
        _ => None,
    }
}

/// OpenSSL's security bits for an RSA or DSA modulus (or prime) of `bits` bits
/// (`BN_security_bits`: the NIST SP 800-57 steps).
pub fn finite_field_security_bits(bits: u32) -> u32 {
    match bits {
        15360.. => 256,
        7680.. => 192,
        3072.. => 128,
        2048.. => 112,
        1024.. => 80,
        _ => 0,
    }
}

/// Number of significant bits of a big-endian unsigned integer.
fn significant_bits(n: &[u8]) -> u32 {
    u32::try_from(super::summary::bits(n)).unwrap_or(u32::MAX)
}

/// Order size in bits of the named curves OpenSSL knows by these OIDs.
fn curve_bits(oid: &str) -> u32 {
    match oid {
        "1.2.840.10045.3.1.1" => 192,
        "1.3.132.0.33" => 224,
        "1.2.840.10045.3.1.7" | "1.3.132.0.10" | "1.3.36.3.3.2.8.1.1.7" => 256,
        "1.3.132.0.34" | "1.3.36.3.3.2.8.1.1.11" => 384,
        "1.3.36.3.3.2.8.1.1.13" => 512,
        "1.3.132.0.35" => 521,
        _ => 0,
    }
}

/// Security bits of the certificate's key: RSA and DSA by the size of their modulus or prime,
/// elliptic curves by half their order's size, Ed25519 128 and Ed448 224 (OpenSSL's values).
fn key_security_bits(x: &x509_parser::certificate::X509Certificate<'_>) -> u32 {
    let spki = x.public_key();
    match spki.algorithm.algorithm.to_id_string().as_str() {
        "1.3.101.112" => return 128,
        "1.3.101.113" => return 224,
        "1.2.840.10045.2.1" => {
            let curve = spki.algorithm.parameters.as_ref().and_then(|p| p.as_oid().ok());
            return curve.map_or(0, |oid| curve_bits(&oid.to_id_string()) / 2);
        }
        _ => {}
    }
    match spki.parsed() {
        Ok(PublicKey::RSA(rsa)) => finite_field_security_bits(significant_bits(rsa.modulus)),
        Ok(PublicKey::DSA(y)) => finite_field_security_bits(significant_bits(y)),
        _ => 0,
    }
}

/// Security bits of a signature algorithm's digest (OpenSSL 3.0, `crypto/x509/x509_set.c`):
/// half the digest's size, except that SHA-1 counts 64 bits and MD5 39 (both below the 80 of
/// security level 1, on purpose: chosen-prefix collisions make them forgeable); MD2/MD4 count 0.
pub fn signature_security_bits(oid: &str) -> u32 {
    match oid {
        // md2, md4
        "1.2.840.113549.1.1.2" | "1.2.840.113549.1.1.3" => 0,
        // md5WithRSAEncryption
        "1.2.840.113549.1.1.4" => 39,
        // sha1WithRSAEncryption, sha1WithRSA, ecdsa-with-SHA1, dsaWithSHA1
        "1.2.840.113549.1.1.5" | "1.3.14.3.2.29" | "1.2.840.10045.4.1" | "1.2.840.10040.4.3" => 64,
        // sha224 with RSA, ECDSA, DSA
        "1.2.840.113549.1.1.14" | "1.2.840.10045.4.3.1" | "2.16.840.1.101.3.4.3.1" => 112,
        // sha384, sha512 with RSA and ECDSA
        "1.2.840.113549.1.1.12" | "1.2.840.10045.4.3.3" => 192,
        "1.2.840.113549.1.1.13" | "1.2.840.10045.4.3.4" => 256,
        "1.3.101.113" => 224,
        // sha256 with RSA, ECDSA, DSA; Ed25519; RSA-PSS (its digest is in its parameters) and
        // anything else: counted as strong, tlstriage reports only weakness it can show.
        _ => 128,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn security_bits_follow_openssl() {
        assert_eq!([1023, 1024, 2047, 2048, 3072, 4096].map(finite_field_security_bits), [0, 80, 80, 112, 128, 128]);
        assert_eq!(signature_security_bits("1.2.840.113549.1.1.5"), 64);
        assert_eq!(signature_security_bits("1.2.840.113549.1.1.4"), 39);
        assert_eq!(signature_security_bits("1.2.840.113549.1.1.11"), 128);
        assert_eq!(curve_bits("1.2.840.10045.3.1.7") / 2, 128);
        assert_eq!(significant_bits(&[0, 0x80, 0]), 16);
    }
}
