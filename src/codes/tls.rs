//! TLS versions, cipher suites, alert levels and alert descriptions with their IANA names.

use std::fmt;

use serde::{Serialize, Serializer};

macro_rules! serialize_as_display {
    ($t:ty) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
    };
}

/// A protocol version as it appears on the wire (`0x0303` is TLS 1.2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TlsVersion(pub u16);

impl TlsVersion {
    pub const SSL2: TlsVersion = TlsVersion(0x0002);
    pub const SSL3: TlsVersion = TlsVersion(0x0300);
    pub const TLS10: TlsVersion = TlsVersion(0x0301);
    pub const TLS11: TlsVersion = TlsVersion(0x0302);
    pub const TLS12: TlsVersion = TlsVersion(0x0303);
    pub const TLS13: TlsVersion = TlsVersion(0x0304);

    /// GREASE values (RFC 8701) are sent to keep servers tolerant; they are never chosen.
    pub fn is_grease(self) -> bool {
        self.0 & 0x0f0f == 0x0a0a && (self.0 >> 8) == (self.0 & 0xff)
    }
    pub fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0x0002 | 0x0200 => "SSL 2.0",
            0x0300 => "SSL 3.0",
            0x0301 => "TLS 1.0",
            0x0302 => "TLS 1.1",
            0x0303 => "TLS 1.2",
            0x0304 => "TLS 1.3",
            _ => return None,
        })
    }
    /// Parse the names used by logs and configuration (`TLSv1.2`, `TLS 1.2`, `SSLv3`).
    pub fn from_text(text: &str) -> Option<TlsVersion> {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        Some(match t.as_str() {
            "sslv3" | "ssl3" | "ssl3.0" => TlsVersion::SSL3,
            "tlsv1" | "tlsv1.0" | "tls1" | "tls1.0" => TlsVersion::TLS10,
            "tlsv1.1" | "tls1.1" => TlsVersion::TLS11,
            "tlsv1.2" | "tls1.2" => TlsVersion::TLS12,
            "tlsv1.3" | "tls1.3" => TlsVersion::TLS13,
            _ => return None,
        })
    }
}

impl fmt::Display for TlsVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None if (self.0 >> 8) == 0x7f => write!(f, "TLS 1.3 draft {}", self.0 & 0xff),
            None => write!(f, "0x{:04x}", self.0),
        }
    }
}
serialize_as_display!(TlsVersion);

/// A cipher suite by its IANA number; named through tls-parser's registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CipherSuite(pub u16);

impl CipherSuite {
    pub const TLS_RSA_WITH_RC4_128_MD5: CipherSuite = CipherSuite(0x0004);
    pub const TLS_RSA_WITH_AES_128_CBC_SHA: CipherSuite = CipherSuite(0x002f);
    pub const TLS_RSA_WITH_AES_256_CBC_SHA: CipherSuite = CipherSuite(0x0035);
    pub const TLS_EMPTY_RENEGOTIATION_INFO_SCSV: CipherSuite = CipherSuite(0x00ff);
    pub const TLS_AES_128_GCM_SHA256: CipherSuite = CipherSuite(0x1301);
    pub const TLS_AES_256_GCM_SHA384: CipherSuite = CipherSuite(0x1302);
    pub const TLS_AES_128_CCM_8_SHA256: CipherSuite = CipherSuite(0x1305);
    pub const TLS_FALLBACK_SCSV: CipherSuite = CipherSuite(0x5600);
    pub const TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: CipherSuite = CipherSuite(0xc02b);
    pub const TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: CipherSuite = CipherSuite(0xc02c);
    pub const TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: CipherSuite = CipherSuite(0xc02f);
    pub const TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: CipherSuite = CipherSuite(0xc030);

    pub fn name(self) -> Option<&'static str> {
        tls_parser::TlsCipherSuite::from_id(self.0).map(|s| s.name)
    }
    pub fn is_grease(self) -> bool {
        TlsVersion(self.0).is_grease()
    }
    /// Signalling values that are not real suites (renegotiation info, fallback).
    pub fn is_signalling(self) -> bool {
        matches!(self, Self::TLS_EMPTY_RENEGOTIATION_INFO_SCSV | Self::TLS_FALLBACK_SCSV) || self.is_grease()
    }
}

impl fmt::Display for CipherSuite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "0x{:04x}", self.0),
        }
    }
}
serialize_as_display!(CipherSuite);

/// Alert level: 1 warning, 2 fatal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AlertLevel(pub u8);

impl AlertLevel {
    /// No level given (a log that names only the description, or an alert code without its level byte).
    pub const UNSPECIFIED: AlertLevel = AlertLevel(0);
    pub const WARNING: AlertLevel = AlertLevel(1);
    pub const FATAL: AlertLevel = AlertLevel(2);
    pub fn from_text(text: &str) -> Option<AlertLevel> {
        match text.trim().to_ascii_lowercase().as_str() {
            "warning" => Some(AlertLevel::WARNING),
            "fatal" => Some(AlertLevel::FATAL),
            _ => None,
        }
    }
}

impl fmt::Display for AlertLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            1 => f.write_str("warning"),
            2 => f.write_str("fatal"),
            n => write!(f, "level({n})"),
        }
    }
}
serialize_as_display!(AlertLevel);

/// Alert description (RFC 5246 / RFC 8446 registry).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AlertDescription(pub u8);

const ALERTS: &[(u8, &str)] = &[
    (0, "close_notify"),
    (10, "unexpected_message"),
    (20, "bad_record_mac"),
    (21, "decryption_failed"),
    (22, "record_overflow"),
    (30, "decompression_failure"),
    (40, "handshake_failure"),
    (41, "no_certificate"),
    (42, "bad_certificate"),
    (43, "unsupported_certificate"),
    (44, "certificate_revoked"),
    (45, "certificate_expired"),
    (46, "certificate_unknown"),
    (47, "illegal_parameter"),
    (48, "unknown_ca"),
    (49, "access_denied"),
    (50, "decode_error"),
    (51, "decrypt_error"),
    (60, "export_restriction"),
    (70, "protocol_version"),
    (71, "insufficient_security"),
    (80, "internal_error"),
    (86, "inappropriate_fallback"),
    (90, "user_canceled"),
    (100, "no_renegotiation"),
    (109, "missing_extension"),
    (110, "unsupported_extension"),
    (111, "certificate_unobtainable"),
    (112, "unrecognized_name"),
    (113, "bad_certificate_status_response"),
    (114, "bad_certificate_hash_value"),
    (115, "unknown_psk_identity"),
    (116, "certificate_required"),
    (120, "no_application_protocol"),
];

impl AlertDescription {
    pub const CLOSE_NOTIFY: AlertDescription = AlertDescription(0);
    pub const HANDSHAKE_FAILURE: AlertDescription = AlertDescription(40);
    pub const NO_CERTIFICATE: AlertDescription = AlertDescription(41);
    pub const BAD_CERTIFICATE: AlertDescription = AlertDescription(42);
    pub const UNSUPPORTED_CERTIFICATE: AlertDescription = AlertDescription(43);
    pub const CERTIFICATE_REVOKED: AlertDescription = AlertDescription(44);
    pub const CERTIFICATE_EXPIRED: AlertDescription = AlertDescription(45);
    pub const CERTIFICATE_UNKNOWN: AlertDescription = AlertDescription(46);
    pub const UNKNOWN_CA: AlertDescription = AlertDescription(48);
    pub const DECRYPT_ERROR: AlertDescription = AlertDescription(51);
    pub const PROTOCOL_VERSION: AlertDescription = AlertDescription(70);
    pub const INSUFFICIENT_SECURITY: AlertDescription = AlertDescription(71);
    pub const INTERNAL_ERROR: AlertDescription = AlertDescription(80);
    pub const CERTIFICATE_UNOBTAINABLE: AlertDescription = AlertDescription(111);
    pub const BAD_CERTIFICATE_STATUS_RESPONSE: AlertDescription = AlertDescription(113);
    pub const BAD_CERTIFICATE_HASH_VALUE: AlertDescription = AlertDescription(114);
    pub const CERTIFICATE_REQUIRED: AlertDescription = AlertDescription(116);

    pub fn name(self) -> Option<&'static str> {
        ALERTS.iter().find(|(n, _)| *n == self.0).map(|(_, s)| *s)
    }
    /// Parse the texts OpenSSL and the TLS proxy print: `certificate expired`, `unknown CA`,
    /// `handshake failure`, `certificate_expired`.
    pub fn from_text(text: &str) -> Option<AlertDescription> {
        let norm: String =
            text.trim().chars().map(|c| if c == ' ' || c == '-' { '_' } else { c.to_ascii_lowercase() }).collect();
        ALERTS.iter().find(|(_, s)| *s == norm).map(|(n, _)| AlertDescription(*n))
    }
    /// Alerts by which a peer says it does not accept the certificate it was sent.
    pub fn is_certificate_rejection(self) -> bool {
        matches!(
            self,
            Self::NO_CERTIFICATE
                | Self::BAD_CERTIFICATE
                | Self::UNSUPPORTED_CERTIFICATE
                | Self::CERTIFICATE_REVOKED
                | Self::CERTIFICATE_EXPIRED
                | Self::CERTIFICATE_UNKNOWN
                | Self::UNKNOWN_CA
                | Self::CERTIFICATE_UNOBTAINABLE
                | Self::BAD_CERTIFICATE_STATUS_RESPONSE
                | Self::BAD_CERTIFICATE_HASH_VALUE
                | Self::CERTIFICATE_REQUIRED
        )
    }
}

impl fmt::Display for AlertDescription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "alert({})", self.0),
        }
    }
}
serialize_as_display!(AlertDescription);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_constants_carry_their_registry_names() {
        for (suite, name) in [
            (CipherSuite::TLS_RSA_WITH_RC4_128_MD5, "TLS_RSA_WITH_RC4_128_MD5"),
            (CipherSuite::TLS_RSA_WITH_AES_128_CBC_SHA, "TLS_RSA_WITH_AES_128_CBC_SHA"),
            (CipherSuite::TLS_RSA_WITH_AES_256_CBC_SHA, "TLS_RSA_WITH_AES_256_CBC_SHA"),
            (CipherSuite::TLS_AES_128_GCM_SHA256, "TLS_AES_128_GCM_SHA256"),
            (CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
            (CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
            (CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
            (CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
        ] {
            assert_eq!(suite.name(), Some(name));
        }
        for (alert, name) in [
            (AlertDescription::CLOSE_NOTIFY, "close_notify"),
            (AlertDescription::CERTIFICATE_UNKNOWN, "certificate_unknown"),
            (AlertDescription::DECRYPT_ERROR, "decrypt_error"),
            (AlertDescription::INTERNAL_ERROR, "internal_error"),
            (AlertDescription::CERTIFICATE_REQUIRED, "certificate_required"),
        ] {
            assert_eq!(alert.name(), Some(name));
        }
        assert!(CipherSuite::TLS_EMPTY_RENEGOTIATION_INFO_SCSV.is_signalling());
        assert!(CipherSuite::TLS_FALLBACK_SCSV.is_signalling());
    }

    #[test]
    fn alert_texts_from_logs() {
        assert_eq!(AlertDescription::from_text("certificate expired"), Some(AlertDescription(45)));
        assert_eq!(AlertDescription::from_text("unknown CA"), Some(AlertDescription(48)));
        assert_eq!(AlertDescription::from_text(" handshake failure"), Some(AlertDescription(40)));
        assert_eq!(AlertDescription::from_text("no such alert"), None);
        assert_eq!(AlertDescription(200).to_string(), "alert(200)");
    }

    #[test]
    fn versions_and_suites() {
        assert_eq!(TlsVersion(0x0303).to_string(), "TLS 1.2");
        assert_eq!(TlsVersion(0x7f1c).to_string(), "TLS 1.3 draft 28");
        assert_eq!(TlsVersion(0x1234).to_string(), "0x1234");
        assert!(TlsVersion(0x3a3a).is_grease());
        assert_eq!(TlsVersion::from_text("TLSv1.2"), Some(TlsVersion::TLS12));
        assert_eq!(CipherSuite(0xc02f).to_string(), "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assert_eq!(CipherSuite(0xfefe).to_string(), "0xfefe");
    }
}
