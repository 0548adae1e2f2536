//! TLS versions, cipher suites, alert levels and alert descriptions: our open newtypes (they
//! keep any number, serialize as their name and order and hash), numbered and named from
//! tls-parser's registries (`TlsVersion`, `TlsCipherSuite`, `TlsAlertSeverity`,
//! `TlsAlertDescription`). The names we show are the IANA ones (`TLS 1.2`, `certificate_unknown`),
//! derived once from tls-parser's names; only what tls-parser lacks is written here (SSL 2.0,
//! the drafts of TLS 1.3 it does not list).

use std::fmt;
use std::sync::OnceLock;

use serde::{Serialize, Serializer};
use tls_parser::{TlsAlertDescription, TlsAlertSeverity};

/// The record content types, as tls-parser names them (`RecordType::Handshake` is 22).
pub use tls_parser::TlsRecordType as RecordType;

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
    /// SSL 2.0, which tls-parser does not name: the version field of an SSL 2.0 hello.
    pub const SSL2: TlsVersion = TlsVersion(0x0002);
    pub const SSL3: TlsVersion = TlsVersion(tls_parser::TlsVersion::Ssl30.0);
    pub const TLS10: TlsVersion = TlsVersion(tls_parser::TlsVersion::Tls10.0);
    pub const TLS11: TlsVersion = TlsVersion(tls_parser::TlsVersion::Tls11.0);
    pub const TLS12: TlsVersion = TlsVersion(tls_parser::TlsVersion::Tls12.0);
    pub const TLS13: TlsVersion = TlsVersion(tls_parser::TlsVersion::Tls13.0);

    /// GREASE values (RFC 8701) are sent to keep servers tolerant; they are never chosen.
    pub fn is_grease(self) -> bool {
        self.0 & 0x0f0f == 0x0a0a && (self.0 >> 8) == (self.0 & 0xff)
    }
    /// `SSL 3.0` … `TLS 1.3`: tls-parser's SSL/TLS releases (`Tls12` is `TLS 1.2`), and SSL 2.0,
    /// which it does not name (the version field of an SSL 2.0 hello, in either byte order).
    pub fn name(self) -> Option<&'static str> {
        static RELEASES: OnceLock<Vec<(u16, String)>> = OnceLock::new();
        let releases = RELEASES.get_or_init(|| {
            // Every release of SSL 3 and TLS has major version 3.
            (0x0300..=0x03ff).filter_map(|n| Some((n, release_name(tls_parser::TlsVersion(n))?))).collect()
        });
        match self.0 {
            0x0002 | 0x0200 => Some("SSL 2.0"),
            n => releases.iter().find(|(v, _)| *v == n).map(|(_, name)| name.as_str()),
        }
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

/// `TLS 1.2` for tls-parser's `Tls12`, `SSL 3.0` for `Ssl30`; `None` for names of another form
/// (DTLS, drafts, unknown numbers).
fn release_name(v: tls_parser::TlsVersion) -> Option<String> {
    let name = format!("{v:?}");
    let (protocol, digits) = match name.split_at_checked(3)? {
        ("Tls", d) => ("TLS", d),
        ("Ssl", d) => ("SSL", d),
        _ => return None,
    };
    match digits.as_bytes() {
        [major, minor] if major.is_ascii_digit() && minor.is_ascii_digit() => {
            Some(format!("{protocol} {}.{}", *major as char, *minor as char))
        }
        _ => None,
    }
}

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
    pub const WARNING: AlertLevel = AlertLevel(TlsAlertSeverity::Warning.0);
    pub const FATAL: AlertLevel = AlertLevel(TlsAlertSeverity::Fatal.0);
    /// `warning`, `fatal`: tls-parser's names in lower case.
    fn names() -> &'static [(u8, String)] {
        static NAMES: OnceLock<Vec<(u8, String)>> = OnceLock::new();
        NAMES.get_or_init(|| {
            registry(|n| TlsAlertSeverity(n).to_string(), "TlsAlertSeverity(", |name| name.to_ascii_lowercase())
        })
    }
    pub fn name(self) -> Option<&'static str> {
        named(Self::names(), self.0)
    }
    pub fn from_text(text: &str) -> Option<AlertLevel> {
        number(Self::names(), &text.trim().to_ascii_lowercase()).map(AlertLevel)
    }
}

impl fmt::Display for AlertLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "level({})", self.0),
        }
    }
}
serialize_as_display!(AlertLevel);

/// Alert description (RFC 5246 / RFC 8446 registry).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AlertDescription(pub u8);

/// The numbers of a tls-parser registry with the names we show: `name` is the registry's
/// `Display` of a number, `unknown` the start of what it prints for a number it does not know.
fn registry(name: impl Fn(u8) -> String, unknown: &str, shown: impl Fn(&str) -> String) -> Vec<(u8, String)> {
    (0..=u8::MAX).map(|n| (n, name(n))).filter(|(_, s)| !s.starts_with(unknown)).map(|(n, s)| (n, shown(&s))).collect()
}

fn named(names: &'static [(u8, String)], n: u8) -> Option<&'static str> {
    names.iter().find(|(v, _)| *v == n).map(|(_, s)| s.as_str())
}

fn number(names: &[(u8, String)], name: &str) -> Option<u8> {
    names.iter().find(|(_, s)| s == name).map(|(n, _)| *n)
}

/// The IANA name of an alert from tls-parser's (`CertificateUnknown` is `certificate_unknown`);
/// where tls-parser shortens or spells a word differently (`BadCertHashValue`, `UserCancelled`),
/// the registry's word (`bad_certificate_hash_value`, `user_canceled`).
fn iana_alert_name(camel: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    for c in camel.chars() {
        match words.last_mut() {
            Some(w) if !c.is_ascii_uppercase() => w.push(c),
            _ => words.push(c.to_ascii_lowercase().to_string()),
        }
    }
    let iana = |w: String| match w.as_str() {
        "cert" => "certificate".to_string(),
        "cancelled" => "canceled".to_string(),
        _ => w,
    };
    words.into_iter().map(iana).collect::<Vec<_>>().join("_")
}

impl AlertDescription {
    pub const CLOSE_NOTIFY: Self = Self(TlsAlertDescription::CloseNotify.0);
    pub const HANDSHAKE_FAILURE: Self = Self(TlsAlertDescription::HandshakeFailure.0);
    pub const NO_CERTIFICATE: Self = Self(TlsAlertDescription::NoCertificate.0);
    pub const BAD_CERTIFICATE: Self = Self(TlsAlertDescription::BadCertificate.0);
    pub const UNSUPPORTED_CERTIFICATE: Self = Self(TlsAlertDescription::UnsupportedCertificate.0);
    pub const CERTIFICATE_REVOKED: Self = Self(TlsAlertDescription::CertificateRevoked.0);
    pub const CERTIFICATE_EXPIRED: Self = Self(TlsAlertDescription::CertificateExpired.0);
    pub const CERTIFICATE_UNKNOWN: Self = Self(TlsAlertDescription::CertificateUnknown.0);
    pub const UNKNOWN_CA: Self = Self(TlsAlertDescription::UnknownCa.0);
    pub const ACCESS_DENIED: Self = Self(TlsAlertDescription::AccessDenied.0);
    pub const DECRYPT_ERROR: Self = Self(TlsAlertDescription::DecryptError.0);
    pub const PROTOCOL_VERSION: Self = Self(TlsAlertDescription::ProtocolVersion.0);
    pub const INSUFFICIENT_SECURITY: Self = Self(TlsAlertDescription::InsufficientSecurity.0);
    pub const INTERNAL_ERROR: Self = Self(TlsAlertDescription::InternalError.0);
    pub const USER_CANCELED: Self = Self(TlsAlertDescription::UserCancelled.0);
    pub const CERTIFICATE_UNOBTAINABLE: Self = Self(TlsAlertDescription::CertUnobtainable.0);
    pub const BAD_CERTIFICATE_STATUS_RESPONSE: Self = Self(TlsAlertDescription::BadCertStatusResponse.0);
    pub const BAD_CERTIFICATE_HASH_VALUE: Self = Self(TlsAlertDescription::BadCertHashValue.0);
    pub const CERTIFICATE_REQUIRED: Self = Self(TlsAlertDescription::CertificateRequired.0);

    /// The IANA names (`certificate_unknown`) of the alerts tls-parser knows.
    fn names() -> &'static [(u8, String)] {
        static NAMES: OnceLock<Vec<(u8, String)>> = OnceLock::new();
        NAMES.get_or_init(|| registry(|n| TlsAlertDescription(n).to_string(), "TlsAlertDescription(", iana_alert_name))
    }
    pub fn name(self) -> Option<&'static str> {
        named(Self::names(), self.0)
    }
    /// Parse the texts OpenSSL and the TLS proxy print: `certificate expired`, `unknown CA`,
    /// `handshake failure`, `certificate_expired`.
    pub fn from_text(text: &str) -> Option<AlertDescription> {
        let norm: String =
            text.trim().chars().map(|c| if c == ' ' || c == '-' { '_' } else { c.to_ascii_lowercase() }).collect();
        number(Self::names(), &norm).map(AlertDescription)
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
    /// Alerts by which the receiver of a certificate refuses it: the certificate alerts, and
    /// access_denied, by which GnuTLS answers a client certificate it does not accept.
    pub fn refuses_certificate_sent(self) -> bool {
        self.is_certificate_rejection() || self == Self::ACCESS_DENIED
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
    fn alert_names_are_the_iana_ones_even_where_tls_parser_shortens_them() {
        for (n, name) in [
            (90, "user_canceled"),
            (111, "certificate_unobtainable"),
            (113, "bad_certificate_status_response"),
            (114, "bad_certificate_hash_value"),
            (48, "unknown_ca"),
            (20, "bad_record_mac"),
            (120, "no_application_protocol"),
        ] {
            assert_eq!(AlertDescription(n).name(), Some(name));
        }
        for (n, name) in AlertDescription::names() {
            assert_eq!(AlertDescription::from_text(name), Some(AlertDescription(*n)), "{name}");
        }
        assert_eq!((AlertLevel::FATAL.to_string(), AlertLevel(0).to_string()), ("fatal".into(), "level(0)".into()));
        assert_eq!(AlertLevel::from_text(" Warning"), Some(AlertLevel::WARNING));
        assert_eq!(RecordType::Handshake.0, 22);
    }

    #[test]
    fn versions_and_suites() {
        assert_eq!(TlsVersion(0x0303).to_string(), "TLS 1.2");
        assert_eq!(TlsVersion(0x7f1c).to_string(), "TLS 1.3 draft 28");
        assert_eq!(TlsVersion(0x1234).to_string(), "0x1234");
        assert_eq!([TlsVersion::SSL3, TlsVersion::TLS13].map(|v| v.to_string()), ["SSL 3.0", "TLS 1.3"]);
        assert_eq!(
            (TlsVersion(0x0200).to_string(), TlsVersion(0xfefd).to_string()),
            ("SSL 2.0".into(), "0xfefd".into())
        );
        assert!(TlsVersion(0x3a3a).is_grease());
        assert_eq!(TlsVersion::from_text("TLSv1.2"), Some(TlsVersion::TLS12));
        assert_eq!(CipherSuite(0xc02f).to_string(), "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assert_eq!(CipherSuite(0xfefe).to_string(), "0xfefe");
    }
}
