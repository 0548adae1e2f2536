//! OpenSSL certificate verification codes (`X509_V_ERR_*`) and their meanings.
//!
//! Devices log them as `err 10:certificate has expired` (sftunneld) or
//! `Certificate verification failure: self signed certificate (code 18, depth 0)` (TLS proxy).

use std::fmt;

use serde::{Serialize, Serializer};

use super::AlertDescription;

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
    pub const UNABLE_TO_DECRYPT_CERT_SIGNATURE: VerifyCode = VerifyCode(4);
    pub const UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: VerifyCode = VerifyCode(6);
    pub const CERT_SIGNATURE_FAILURE: VerifyCode = VerifyCode(7);
    pub const CERT_NOT_YET_VALID: VerifyCode = VerifyCode(9);
    pub const CERT_HAS_EXPIRED: VerifyCode = VerifyCode(10);
    pub const ERROR_IN_CERT_NOT_BEFORE_FIELD: VerifyCode = VerifyCode(13);
    pub const ERROR_IN_CERT_NOT_AFTER_FIELD: VerifyCode = VerifyCode(14);
    pub const DEPTH_ZERO_SELF_SIGNED_CERT: VerifyCode = VerifyCode(18);
    pub const SELF_SIGNED_CERT_IN_CHAIN: VerifyCode = VerifyCode(19);
    pub const UNABLE_TO_GET_ISSUER_CERT_LOCALLY: VerifyCode = VerifyCode(20);
    pub const UNABLE_TO_VERIFY_LEAF_SIGNATURE: VerifyCode = VerifyCode(21);
    pub const CERT_CHAIN_TOO_LONG: VerifyCode = VerifyCode(22);
    pub const CERT_REVOKED: VerifyCode = VerifyCode(23);
    pub const INVALID_CA: VerifyCode = VerifyCode(24);
    pub const PATH_LENGTH_EXCEEDED: VerifyCode = VerifyCode(25);
    pub const INVALID_PURPOSE: VerifyCode = VerifyCode(26);
    pub const UNHANDLED_CRITICAL_EXTENSION: VerifyCode = VerifyCode(34);
    pub const CERT_UNTRUSTED: VerifyCode = VerifyCode(27);
    pub const CERT_REJECTED: VerifyCode = VerifyCode(28);
    pub const APPLICATION_VERIFICATION: VerifyCode = VerifyCode(50);
    pub const HOSTNAME_MISMATCH: VerifyCode = VerifyCode(62);
    pub const EMAIL_MISMATCH: VerifyCode = VerifyCode(63);
    pub const IP_ADDRESS_MISMATCH: VerifyCode = VerifyCode(64);
    pub const DANE_NO_MATCH: VerifyCode = VerifyCode(65);
    pub const EE_KEY_TOO_SMALL: VerifyCode = VerifyCode(66);
    pub const CA_KEY_TOO_SMALL: VerifyCode = VerifyCode(67);
    pub const CA_MD_TOO_WEAK: VerifyCode = VerifyCode(68);

    /// The alert an OpenSSL peer sends when verification stops at this code (OpenSSL 3.0's
    /// `ssl_x509err2alert`): `certificate_expired` for 10, `unsupported_certificate` for 26,
    /// `unknown_ca` for the codes of an untrusted or incomplete path, `bad_certificate` for most
    /// others, `certificate_unknown` for the codes its table does not list (34, for one).
    pub fn openssl_alert(self) -> AlertDescription {
        TO_ALERT.iter().find(|(code, _)| *code == self).map_or(AlertDescription::CERTIFICATE_UNKNOWN, |(_, a)| *a)
    }

    /// A name the verifier was asked to check (host name, e-mail address, IP address) that the
    /// certificate does not carry.
    pub fn is_name_mismatch(self) -> bool {
        matches!(self, Self::HOSTNAME_MISMATCH | Self::EMAIL_MISMATCH | Self::IP_ADDRESS_MISMATCH)
    }

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

/// OpenSSL 3.0's table from a verify code to the alert it sends (the codes of CRLs and of
/// internal errors left out: tlstriage never judges them).
const TO_ALERT: &[(VerifyCode, AlertDescription)] = &[
    (VerifyCode::APPLICATION_VERIFICATION, AlertDescription::HANDSHAKE_FAILURE),
    (VerifyCode::CA_KEY_TOO_SMALL, AlertDescription::BAD_CERTIFICATE),
    (VerifyCode::CA_MD_TOO_WEAK, AlertDescription::BAD_CERTIFICATE),
    (VerifyCode::CERT_CHAIN_TOO_LONG, AlertDescription::UNKNOWN_CA),
    (VerifyCode::CERT_HAS_EXPIRED, AlertDescription::CERTIFICATE_EXPIRED),
    (VerifyCode::CERT_NOT_YET_VALID, AlertDescription::BAD_CERTIFICATE),
    (VerifyCode::CERT_REJECTED, AlertDescription::BAD_CERTIFICATE),
    (VerifyCode::CERT_REVOKED, AlertDescription::CERTIFICATE_REVOKED),
    (VerifyCode::CERT_SIGNATURE_FAILURE, AlertDescription::DECRYPT_ERROR),
    (VerifyCode::CERT_UNTRUSTED, AlertDescription::BAD_CERTIFICATE),
    (VerifyCode::DANE_NO_MATCH, AlertDescription::BAD_CERTIFICATE),
    (VerifyCode::DEPTH_ZERO_SELF_SIGNED_CERT, AlertDescription::UNKNOWN_CA),
    (VerifyCode::EE_KEY_TOO_SMALL, AlertDescription::BAD_CERTIFICATE),
    (VerifyCode::EMAIL_MISMATCH, AlertDescription::BAD_CERTIFICATE),
    (VerifyCode::ERROR_IN_CERT_NOT_AFTER_FIELD, AlertDescription::BAD_CERTIFICATE),
    (VerifyCode::ERROR_IN_CERT_NOT_BEFORE_FIELD, AlertDescription::BAD_CERTIFICATE),
    (VerifyCode::HOSTNAME_MISMATCH, AlertDescription::BAD_CERTIFICATE),
    (VerifyCode::INVALID_CA, AlertDescription::UNKNOWN_CA),
    (VerifyCode::INVALID_PURPOSE, AlertDescription::UNSUPPORTED_CERTIFICATE),
    (VerifyCode::IP_ADDRESS_MISMATCH, AlertDescription::BAD_CERTIFICATE),
    (VerifyCode::PATH_LENGTH_EXCEEDED, AlertDescription::UNKNOWN_CA),
    (VerifyCode::SELF_SIGNED_CERT_IN_CHAIN, AlertDescription::UNKNOWN_CA),
    (VerifyCode::UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY, AlertDescription::BAD_CERTIFICATE),
    (VerifyCode::UNABLE_TO_DECRYPT_CERT_SIGNATURE, AlertDescription::BAD_CERTIFICATE),
    (VerifyCode::UNABLE_TO_GET_ISSUER_CERT, AlertDescription::UNKNOWN_CA),
    (VerifyCode::UNABLE_TO_GET_ISSUER_CERT_LOCALLY, AlertDescription::UNKNOWN_CA),
    (VerifyCode::UNABLE_TO_VERIFY_LEAF_SIGNATURE, AlertDescription::UNKNOWN_CA),
];

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
    fn the_alert_openssl_sends_for_a_code() {
        let alert = |n: u32| VerifyCode(n).openssl_alert().to_string();
        assert_eq!(
            [10, 9, 26, 34, 62, 66, 68].map(alert),
            [
                "certificate_expired",
                "bad_certificate",
                "unsupported_certificate",
                "certificate_unknown",
                "bad_certificate",
                "bad_certificate",
                "bad_certificate"
            ]
        );
        assert!([2, 18, 19, 20, 21, 24].iter().all(|&n| alert(n) == "unknown_ca"));
    }

    #[test]
    fn codes_from_logged_text() {
        assert_eq!(VerifyCode::from_text("self signed certificate"), Some(VerifyCode(18)));
        assert_eq!(VerifyCode::from_text("certificate has expired"), Some(VerifyCode(10)));
        assert_eq!(VerifyCode::from_text("nonsense"), None);
    }
}
