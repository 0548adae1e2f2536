//! The normalized observations that every source produces.
//!
//! A log line, a captured TLS record and a certificate file found in a bundle all end up as the
//! types of this module. The classifier (`crate::diagnose`) only ever sees these, never the parser
//! that produced them, so evidence about one failure from several sources can be folded together.

use std::sync::Arc;

use jiff::Timestamp;
use serde::Serialize;

use crate::codes::{AlertDescription, AlertLevel, CipherSuite, TlsVersion, VerifyCode};
use crate::x509::CertSummary;

/// Where an observation comes from: a path (inside archives `outer.tar.gz!/dir/file`), a line or
/// a frame number, a time, and the raw text (never key material).
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Evidence {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frame: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl Evidence {
    pub fn line(path: &str, line: u64, time: Option<Timestamp>, text: &str) -> Self {
        Evidence { path: path.to_string(), line: Some(line), frame: None, time, text: Some(text.to_string()) }
    }
    pub fn frame(path: &str, frame: u64, time: Option<Timestamp>) -> Self {
        Evidence { path: path.to_string(), line: None, frame: Some(frame), time, text: None }
    }
    pub fn file(path: &str) -> Self {
        Evidence { path: path.to_string(), ..Default::default() }
    }
    /// `path:line`, `path#frame` or `path`.
    pub fn location(&self) -> String {
        match (self.line, self.frame) {
            (Some(l), _) => format!("{}:{}", self.path, l),
            (None, Some(f)) => format!("{}#{}", self.path, f),
            _ => self.path.clone(),
        }
    }
}

/// The two ends of a TLS connection.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Client,
    Server,
}

impl Role {
    pub fn other(self) -> Role {
        match self {
            Role::Client => Role::Server,
            Role::Server => Role::Client,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Client => "client",
            Role::Server => "server",
        }
    }
}

/// Which product / channel an attempt belongs to; selects the remediation text.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Context {
    /// sftunnel between an FMC and a managed FTD (TCP 8305).
    Sftunnel,
    /// sftunnel between the primary and the secondary FMC of an HA pair.
    FmcHa,
    /// The ASA CX / NGFW TLS proxy (decryption) talking to a server.
    TlsProxy,
    /// Anything else: a capture on a port we do not know, a certificate file.
    #[default]
    Generic,
}

/// How a connection attempt ended, as far as the source can tell.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Established,
    Failed,
    /// SYN answered by RST, or the log says the connection was refused.
    Refused,
    /// The capture (or log) ends before the handshake finished.
    Incomplete,
    #[default]
    Unknown,
}

impl Outcome {
    /// The name used in the JSON and the views.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Established => "established",
            Outcome::Failed => "failed",
            Outcome::Refused => "refused",
            Outcome::Incomplete => "incomplete",
            Outcome::Unknown => "unknown",
        }
    }
}

/// One link of a certificate chain as it was sent on the wire.
#[derive(Clone, Debug, Serialize)]
pub struct ChainLink {
    pub depth: u32,
    pub cert: Arc<CertSummary>,
    /// Whether this certificate's signature verifies with the public key of the next link (or of
    /// a trust anchor for the last one); `None` when there is nothing to check against.
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
    /// A step of the tunnel after the handshake failed (the sftunnel of 7.6 and later
    /// authenticates the client after a TLS 1.3 handshake, then reloads credentials and adds its
    /// services); `peer` is the device the log names, when it names one.
    TunnelError {
        what: TunnelStep,
        #[serde(skip_serializing_if = "Option::is_none")]
        peer: Option<String>,
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

/// An event with its evidence.
#[derive(Clone, Debug, Serialize)]
pub struct Observed {
    pub event: Event,
    pub evidence: Evidence,
}

/// Most events one attempt keeps.
pub const MAX_EVENTS: usize = 256;

/// A connection attempt: the unit the classifier judges. Logs group their lines into attempts
/// (by process/thread or session id and time); captures produce one per TCP connection.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Attempt {
    pub context: Context,
    /// The side whose point of view the source gives (a device's log is written by one side; a
    /// capture sees both, `None`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observer: Option<Role>,
    /// The device that wrote the log (syslog host name), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// `ip:port` or `ip` of the client and the server, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// TLS-proxy session id (`x2fd1f6`) or another id the source gives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// Time of the first event (the handshake time, used to judge certificate validity).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<Timestamp>,
    pub events: Vec<Observed>,
    /// What the source could only infer (an excerpt without thread ids or times): said beside
    /// every finding of the attempt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inferred: Option<String>,
}

impl Attempt {
    /// The other end as seen by the observer: the server for a client-side log or a capture.
    pub fn peer(&self) -> Option<&str> {
        match self.observer {
            Some(Role::Server) => self.client.as_deref(),
            _ => self.server.as_deref(),
        }
    }
    /// Add an event. An attempt keeps at most [`MAX_EVENTS`]; a source that repeats itself
    /// endlessly inside one attempt cannot grow it further (the last `End` still counts).
    pub fn push(&mut self, event: Event, evidence: Evidence) {
        if self.start.is_none() {
            self.start = evidence.time;
        }
        if self.events.len() >= MAX_EVENTS {
            if let (Event::End { .. }, Some(last)) = (&event, self.events.last_mut()) {
                *last = Observed { event, evidence };
            }
            return;
        }
        self.events.push(Observed { event, evidence });
    }
}

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
    pub sha256: String,
    /// Valid at the time of the handshake.
    pub valid_at_handshake: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature_ok: Option<bool>,
}

/// One TLS handshake reconstructed from a capture (the `handshakes` array of the JSON).
#[derive(Clone, Debug, Serialize)]
pub struct Handshake {
    /// `ip:port` (IPv6 as `[addr]:port`).
    pub client: String,
    pub server: String,
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
    /// File and frame numbers of the packets that carried the handshake.
    pub evidence: Vec<Evidence>,
    /// Remarks: TLS 1.3 certificates encrypted, stream gaps, capture cut off, ...
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}
