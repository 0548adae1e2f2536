//! One thing that happened during a connection attempt, as any source reports it.

use std::sync::Arc;

use serde::Serialize;

use super::{CertSummary, Host, Outcome, Role};
use crate::codes::{AlertDescription, AlertLevel, CipherSuite, TlsVersion, VerifyCode};

/// One link of a certificate chain as it was sent on the wire.
#[derive(Clone, Debug, Serialize)]
pub struct ChainLink {
    pub depth: u32,
    pub cert: Arc<CertSummary>,
    /// Whether this certificate's signature verifies with the public key of its issuer among the
    /// certificates sent (the next one, or another: chains come in any order); `None` when its
    /// issuer was not sent (or the algorithm is not supported).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature_ok: Option<bool>,
}

/// One thing that happened during a connection attempt.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Event {
    /// A TCP connection was being opened to the server (log: "Initiating ... connection").
    Connecting,
    /// TCP is up (log: "Connected to ...", capture: SYN/SYN-ACK/ACK seen).
    Connected,
    /// What the client offered in its ClientHello.
    ClientHello {
        versions: Vec<TlsVersion>,
        suites: Vec<CipherSuite>,
        #[serde(skip_serializing_if = "Option::is_none")]
        sni: Option<String>,
    },
    /// What else the ClientHello offered (a capture shows it): the application protocols (ALPN),
    /// the named groups and the signature schemes, as sent.
    HelloOffer { alpn: Vec<String>, groups: Vec<u16>, signature_algorithms: Vec<u16> },
    /// Frames of the connection were cut by the capture's snapshot length: how many, and the
    /// most bytes kept of one (0: not known).
    FramesCut { frames: u32, kept: u32 },
    /// What the server chose.
    ServerHello { version: TlsVersion, suite: CipherSuite },
    /// A certificate chain sent by one side (captures, or a device that logs the chain).
    Chain { from: Role, links: Vec<ChainLink> },
    /// A certificate verification error reported by `by` about the chain of the other side
    /// (OpenSSL `X509_V_ERR_*` code with depth; subject/issuer of the failing certificate).
    VerifyError {
        by: Role,
        code: VerifyCode,
        #[serde(skip_serializing_if = "Option::is_none")]
        depth: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        subject: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        issuer: Option<String>,
    },
    /// A TLS alert sent by `from`.
    Alert { from: Role, level: AlertLevel, description: AlertDescription },
    /// An OpenSSL error string a device logged (`error:14094415:SSL routines:...`).
    SslError {
        by: Role,
        /// The packed error code as logged (hex digits).
        code: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        function: Option<String>,
        reason: String,
    },
    /// The TCP connection was refused or reset before TLS began.
    Refused,
    /// `from` sent a Certificate message without any certificate (a client with none to offer).
    NoCertificate { from: Role },
    /// `from` answered with bytes that are not TLS (e.g. a plain-HTTP server answering a
    /// ClientHello); `first_line` is their start as printable text, cut short.
    NotTls { from: Role, first_line: String },
    /// TLS 1.3: `from` sent one encrypted record of an alert's size right after the other side's
    /// flight, then the connection closed. The alert and its reason are encrypted: the capture
    /// shows that `from` rejected the handshake, not why.
    EncryptedRejection { from: Role },
    /// A step of the tunnel after the handshake failed (the sftunnel of 7.6 and later
    /// authenticates the client after a TLS 1.3 handshake, then reloads credentials and adds its
    /// services); `peer` is the device the log names, when it names one.
    TunnelError {
        what: TunnelStep,
        #[serde(skip_serializing_if = "Option::is_none")]
        peer: Option<Host>,
    },
    /// The attempt ended; how.
    End { outcome: Outcome },
}

/// Which step after the handshake a tunnel log reports as failed.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum TunnelStep {
    /// `Unable to set Post Handshake Auth SSL context: ...` (TLS 1.3 post-handshake client
    /// authentication: the client's certificate was never received).
    PostHandshakeAuth,
    /// `Failed to reload credentials`.
    ReloadCredentials,
    /// `Failed to add services`.
    AddServices,
    /// `Peer <device> needs re-connect`.
    NeedsReconnect,
}
