//! The two ends of a connection, the product/channel it belongs to, and how it ended.

use serde::Serialize;

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
    /// The capture starts after the handshake: nothing of it can be judged (never a failure).
    NotCaptured,
    /// TLS 1.3: right after the other side's flight, one side sent one encrypted record of an
    /// alert's size and the connection closed. A rejection whose alert the capture cannot show.
    RejectedEncrypted,
    /// Frames cut by the capture's snapshot length hid the handshake's messages: how it went
    /// cannot be read (never a failure, never a success).
    Unreadable,
    /// TLS 1.3: the server answered the client's Finished (sent alone: no certificate, no data)
    /// with one encrypted record of an alert's size and the connection closed. An orderly close
    /// (close_notify) and a rejection look the same in the capture.
    ClosedOrRejected,
    #[default]
    Unknown,
}

impl Outcome {
    /// Whether the connection is shown to have failed: refused, failed, or rejected with an
    /// encrypted alert (a handshake the capture missed, or cut off, is not).
    pub fn is_failure(self) -> bool {
        matches!(self, Outcome::Failed | Outcome::Refused | Outcome::RejectedEncrypted)
    }
    /// Whether the source could not tell how the handshake went: it began before the capture,
    /// cut frames hid it, or its end reads as a close as well as a rejection.
    pub fn is_unjudged(self) -> bool {
        matches!(self, Outcome::NotCaptured | Outcome::Unreadable | Outcome::ClosedOrRejected)
    }
    /// The name used in the JSON and the views.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Established => "established",
            Outcome::Failed => "failed",
            Outcome::Refused => "refused",
            Outcome::Incomplete => "incomplete",
            Outcome::NotCaptured => "not-captured",
            Outcome::RejectedEncrypted => "rejected-encrypted",
            Outcome::Unreadable => "unreadable",
            Outcome::ClosedOrRejected => "closed-or-rejected",
            Outcome::Unknown => "unknown",
        }
    }
}
