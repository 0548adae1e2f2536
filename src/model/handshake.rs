//! One TLS handshake reconstructed from a capture, with its alerts and certificates.

use std::net::SocketAddr;

use jiff::Timestamp;
use serde::Serialize;

use super::{Evidence, Outcome, Role, Sha256};
use crate::codes::{AlertDescription, AlertLevel, CipherSuite, TlsVersion};

/// An alert as recorded in a reconstructed handshake.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct AlertRecord {
    pub from: Role,
    pub level: AlertLevel,
    pub description: AlertDescription,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frame: Option<u64>,
}

/// A certificate as it appeared in a reconstructed handshake.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct HandshakeCert {
    pub from: Role,
    pub depth: u32,
    pub subject: String,
    pub sha256: Sha256,
    /// Valid at the time of the handshake.
    pub valid_at_handshake: bool,
    /// Whether its signature verifies with the key of its issuer among the certificates sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature_ok: Option<bool>,
}

/// Bytes that are not TLS where a TLS record was due (a plain-HTTP answer to a ClientHello).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct NotTlsAnswer {
    pub from: Role,
    /// Their start as printable text (other bytes as `.`), at most 64 characters.
    pub first_line: String,
}

/// One TLS handshake reconstructed from a capture (the `handshakes` array of the JSON).
#[derive(Clone, Debug, Serialize)]
pub struct Handshake {
    /// The two ends (written `ip:port`, IPv6 as `[addr]:port`).
    pub client: SocketAddr,
    pub server: SocketAddr,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<TlsVersion>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cipher_suite: Option<CipherSuite>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sni: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alpn: Vec<String>,
    pub outcome: Outcome,
    /// Versions the client offered (supported_versions, else the legacy version).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub offered_versions: Vec<TlsVersion>,
    /// Cipher suites the client offered.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub offered_suites: Vec<CipherSuite>,
    /// The server asked for a client certificate (mutual TLS).
    pub client_auth_requested: bool,
    pub alerts: Vec<AlertRecord>,
    pub certificates: Vec<HandshakeCert>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<Timestamp>,
    /// The side that sent a Certificate message without any certificate in it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub empty_certificate: Option<Role>,
    /// A side that answered with something that is not TLS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_tls: Option<NotTlsAnswer>,
    /// File and frame numbers of the packets that carried the handshake.
    pub evidence: Vec<Evidence>,
    /// Remarks: TLS 1.3 certificates encrypted, stream gaps, capture cut off, ...
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}
