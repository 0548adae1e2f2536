//! OpenSSL certificate verification codes (`X509_V_ERR_*`) and their meanings.
//!
//! Devices log them as `err 10:certificate has expired` (sftunneld) or
//! `Certificate verification failure: self signed certificate (code 18, depth 0)` (TLS proxy).

use std::fmt;

use serde::{Serialize, Serializer};

/// An OpenSSL verify result code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VerifyCode(pub u32);

/// Codes 0..=75 as OpenSSL 1.1/3.x name them (`X509_verify_cert_error_string`).
const MEANINGS: &[&str] = &[
    "ok",
    "unspecified certificate verification error",
    "unable to get issuer certificate",
    "unable to get certificate CRL",
    "unable to decrypt certificate's signature",
    "unable to decrypt CRL's signature",
    "unable to decode issuer public key",
    "certificate signature failure",
    "CRL signature failure",
    "certificate is not yet valid",
    "certificate has expired",
    "CRL is not yet valid",
    "CRL has expired",
    "format error in certificate's notBefore field",
    "format error in certificate's notAfter field",
    "format error in CRL's lastUpdate field",
    "format error in CRL's nextUpdate field",
    "out of memory",
    "self-signed certificate",
    "self-signed certificate in certificate chain",
    "unable to get local issuer certificate",
    "unable to verify the first certificate",
    "certificate chain too long",
    "certificate revoked",
    "invalid CA certificate",
    "path length constraint exceeded",
    "unsupported certificate purpose",
    "certificate not trusted",
    "certificate rejected",
    "subject issuer mismatch",
    "authority and subject key identifier mismatch",
    "authority and issuer serial number mismatch",
    "key usage does not include certificate signing",
    "unable to get CRL issuer certificate",
    "unhandled critical extension",
    "key usage does not include CRL signing",
    "unhandled critical CRL extension",
    "invalid non-CA certificate (has CA markings)",
    "proxy path length constraint exceeded",
    "key usage does not include digital signature",
    "proxy certificates not allowed, please set the appropriate flag",
    "invalid or inconsistent certificate extension",
    "invalid or inconsistent certificate policy extension",
    "no explicit policy",
    "different CRL scope",
    "unsupported extension feature",
    "RFC 3779 resource not subset of parent's resources",
    "permitted subtree violation",
    "excluded subtree violation",
    "name constraints minimum and maximum not supported",
    "application verification failure",
    "unsupported name constraint type",
    "unsupported or invalid name constraint syntax",
    "unsupported or invalid name syntax",
    "CRL path validation error",
    "path loop",
    "Suite B: certificate version invalid",
    "Suite B: invalid public key algorithm",
    "Suite B: invalid ECC curve",
    "Suite B: invalid signature algorithm",
    "Suite B: curve not allowed for this LOS",
    "Suite B: cannot sign P-384 with P-256",
    "hostname mismatch",
    "email address mismatch",
    "IP address mismatch",
    "no matching DANE TLSA records",
    "EE certificate key too weak",
    "CA certificate key too weak",
    "CA signature digest algorithm too weak",
    "invalid certificate verification context",
    "issuer certificate lookup error",
    "certificate transparency required, but no valid SCTs found",
    "proxy subject name violation",
    "OCSP verification needed",
    "OCSP verification failed",
    "OCSP unknown cert",
];

impl VerifyCode {
    pub const OK: VerifyCode = VerifyCode(0);
    pub const UNABLE_TO_GET_ISSUER_CERT: VerifyCode = VerifyCode(2);
    pub const CERT_SIGNATURE_FAILURE: VerifyCode = VerifyCode(7);
    pub const CERT_NOT_YET_VALID: VerifyCode = VerifyCode(9);
    pub const CERT_HAS_EXPIRED: VerifyCode = VerifyCode(10);
    pub const DEPTH_ZERO_SELF_SIGNED_CERT: VerifyCode = VerifyCode(18);
    pub const SELF_SIGNED_CERT_IN_CHAIN: VerifyCode = VerifyCode(19);
    pub const UNABLE_TO_GET_ISSUER_CERT_LOCALLY: VerifyCode = VerifyCode(20);
    pub const UNABLE_TO_VERIFY_LEAF_SIGNATURE: VerifyCode = VerifyCode(21);
    pub const CERT_REVOKED: VerifyCode = VerifyCode(23);
    pub const INVALID_CA: VerifyCode = VerifyCode(24);
    pub const PATH_LENGTH_EXCEEDED: VerifyCode = VerifyCode(25);
    pub const INVALID_PURPOSE: VerifyCode = VerifyCode(26);
    pub const UNHANDLED_CRITICAL_EXTENSION: VerifyCode = VerifyCode(34);
    pub const CERT_UNTRUSTED: VerifyCode = VerifyCode(27);
    pub const HOSTNAME_MISMATCH: VerifyCode = VerifyCode(62);
    pub const IP_ADDRESS_MISMATCH: VerifyCode = VerifyCode(64);
    pub const EE_KEY_TOO_SMALL: VerifyCode = VerifyCode(66);
    pub const CA_KEY_TOO_SMALL: VerifyCode = VerifyCode(67);
    pub const CA_MD_TOO_WEAK: VerifyCode = VerifyCode(68);

    /// OpenSSL's text for the code, when it is one we know.
    pub fn meaning(self) -> Option<&'static str> {
        MEANINGS.get(self.0 as usize).copied()
    }

    /// Find the code from the text alone (older OpenSSL spells `self signed` without a hyphen).
    pub fn from_text(text: &str) -> Option<VerifyCode> {
        let norm = |s: &str| s.trim().to_ascii_lowercase().replace('-', " ");
        let wanted = norm(text);
        MEANINGS.iter().position(|m| norm(m) == wanted).map(|i| VerifyCode(i as u32))
    }
}

impl fmt::Display for VerifyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.meaning() {
            Some(m) => write!(f, "{} ({m})", self.0),
            None => write!(f, "{}", self.0),
        }
    }
}

impl Serialize for VerifyCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meanings_line_up_with_openssl_numbers() {
        assert_eq!(VerifyCode(10).meaning(), Some("certificate has expired"));
        assert_eq!(VerifyCode(18).meaning(), Some("self-signed certificate"));
        assert_eq!(VerifyCode(20).meaning(), Some("unable to get local issuer certificate"));
        assert_eq!(VerifyCode(62).meaning(), Some("hostname mismatch"));
        assert_eq!(VerifyCode(75).meaning(), Some("OCSP unknown cert"));
        assert_eq!(VerifyCode(999).meaning(), None);
    }

    #[test]
    fn codes_from_logged_text() {
        assert_eq!(VerifyCode::from_text("self signed certificate"), Some(VerifyCode(18)));
        assert_eq!(VerifyCode::from_text("certificate has expired"), Some(VerifyCode(10)));
        assert_eq!(VerifyCode::from_text("nonsense"), None);
    }
}
