//! Finding kinds (stable names users script against) and severities.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

/// How bad a finding is. Ordered: `Info < Warning < Error < Critical`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Severity {
    Info,
    Warning,
    Error,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Severity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

macro_rules! kinds {
    ($($variant:ident => $name:literal, $sev:ident, $summary:literal;)*) => {
        /// What went wrong. The string names are part of the JSON contract.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind { $($variant,)* }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$variant,)*];
            pub fn as_str(self) -> &'static str {
                match self { $(Kind::$variant => $name,)* }
            }
            /// Default severity; rules may raise or lower it (e.g. `expiring-soon`).
            pub fn default_severity(self) -> Severity {
                match self { $(Kind::$variant => Severity::$sev,)* }
            }
            /// One line saying what the kind means.
            pub fn summary(self) -> &'static str {
                match self { $(Kind::$variant => $summary,)* }
            }
        }
    };
}

kinds! {
    ExpiredCa => "expired-ca", Critical, "a CA certificate (depth 1 or more) of the chain was expired";
    ExpiredCert => "expired-cert", Error, "an end-entity certificate (depth 0) was expired";
    NotYetValid => "not-yet-valid", Error, "a certificate was used before its notBefore date";
    SelfSigned => "self-signed", Error, "the peer presented a self-signed certificate that is not trusted";
    UnknownCa => "unknown-ca", Error, "the chain leads to an issuer that is not trusted";
    VerifyFailed => "verify-failed", Error, "certificate verification failed for another reason (see the OpenSSL code)";
    CipherMismatch => "cipher-mismatch", Error, "client and server share no cipher suite";
    ProtocolMismatch => "protocol-mismatch", Error, "client and server share no protocol version";
    PeerRejectedCertificate => "peer-rejected-certificate", Error, "the other side refused the certificate it was sent";
    ConnectionRefused => "connection-refused", Error, "the TCP connection was refused or reset before TLS began";
    HandshakeIncomplete => "handshake-incomplete", Info, "the handshake was cut off before it finished (end of capture or of log)";
    CaMismatch => "ca-mismatch", Critical, "a certificate on disk is not signed by the CA file beside it";
    KeyMismatch => "key-mismatch", Critical, "a private key on disk does not belong to the certificate beside it";
    CertPushFailed => "cert-push-failed", Error, "regenerated sftunnel certificates were not pushed to a device";
    ExpiringSoon => "expiring-soon", Warning, "a certificate expires within 90 days (error within 30)";
    HandshakeFailed => "handshake-failed", Error, "the TLS handshake failed for a reason the evidence does not pin down";
    TunnelDown => "tunnel-down", Error, "a status output shows the sftunnel to a peer down (a channel not connected, registration not complete)";
    PostHandshakeAuthFailed => "post-handshake-auth-failed", Error, "TLS 1.3 post-handshake client authentication of the sftunnel failed";
    WeakCertificate => "weak-certificate", Error, "a certificate was refused as too weak (OpenSSL 66/67: key too small; 68: CA signature digest too weak)";
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Kind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL.iter().copied().find(|k| k.as_str() == s).ok_or_else(|| {
            let names: Vec<_> = Kind::ALL.iter().map(|k| k.as_str()).collect();
            format!("unknown finding kind '{s}' (known: {})", names.join(", "))
        })
    }
}
