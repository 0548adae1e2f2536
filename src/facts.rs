//! Facts found on disk: certificate and key files, FAILED_PUSH lists, device configuration.

use std::sync::Arc;

use jiff::Timestamp;
use serde::Serialize;

use crate::observe::Evidence;
use crate::x509::CertSummary;

/// A private key found in the inputs. Only what is safe to say about it is kept: never the key.
#[derive(Clone, Debug, Serialize)]
pub struct KeySummary {
    /// `RSA`, `EC`, `Ed25519`, or `encrypted` when it cannot be read without a passphrase.
    pub algorithm: String,
    /// SHA-256 of the public key bits the private key implies (compare with
    /// `CertSummary::public_key_sha256`); `None` when it cannot be derived.
    #[serde(skip)]
    pub public_key_sha256: Option<String>,
}

/// One line of a `FAILED_PUSH` file:
/// `FTD_UUID FTD_NAME FTD_IP SOURCE_PATH_ON_FMC DESTINATION_PATH_ON_FTD`.
#[derive(Clone, Debug, Serialize)]
pub struct PushRow {
    pub device_uuid: String,
    pub device_name: String,
    pub device_ip: String,
    pub source: String,
    pub destination: String,
    /// The line the row starts on (not part of the row's identity).
    #[serde(skip)]
    pub line: Option<u64>,
}

impl PartialEq for PushRow {
    fn eq(&self, o: &Self) -> bool {
        (&self.device_uuid, &self.device_name, &self.device_ip, &self.source, &self.destination)
            == (&o.device_uuid, &o.device_name, &o.device_ip, &o.source, &o.destination)
    }
}
impl Eq for PushRow {}

/// Which product a device is.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum DeviceRole {
    Fmc,
    Ftd,
    Unknown,
}

/// What a bundle tells about the device it came from.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct DeviceInfo {
    pub role: DeviceRole,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
}

/// The `proxyssl { ... }` block of `sftunnel.conf`.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct TunnelConf {
    pub cert: Option<String>,
    pub key: Option<String>,
    pub cacert: Option<String>,
    pub crl: Option<String>,
    pub tls_version: Option<String>,
}

/// A peer as described by `sftunnel.json` in `/var/sf/peers/<UUID>/`.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct PeerInfo {
    pub uuid: Option<String>,
    pub name: Option<String>,
    pub ip: Option<String>,
    pub role: Option<String>,
}

/// Whether a tunnel to a peer is up, as a status output shows it.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum TunnelState {
    Up,
    Down,
    #[default]
    Unknown,
}

impl TunnelState {
    pub fn as_str(self) -> &'static str {
        match self {
            TunnelState::Up => "up",
            TunnelState::Down => "down",
            TunnelState::Unknown => "unknown",
        }
    }
}

/// What one status command (`sftunnel_status.pl`, `sftunnel-status`, `sftunnel-status-brief`,
/// `show managers`) says about the tunnel to one peer. Every field is as the output gives it.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct TunnelStatus {
    /// The command whose output this is.
    pub command: String,
    /// The peer's address (or host name) as the output names it.
    pub peer: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_a: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_b: Option<bool>,
    /// `Completed`, `Pending`, ... as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_disconnect_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_disconnect_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rpc_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cipher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peer_version: Option<String>,
    /// The tunnel is being (re)connected: the output shows an attempt and no channel up.
    pub attempting: bool,
}

impl TunnelStatus {
    /// Up when both channels are connected, down when a channel is not, registration is not
    /// complete or only a connection attempt is shown; unknown otherwise.
    pub fn state(&self) -> TunnelState {
        let registration_incomplete =
            self.registration.as_deref().is_some_and(|r| !r.to_ascii_lowercase().starts_with("completed"));
        if self.channel_a == Some(false) || self.channel_b == Some(false) || registration_incomplete {
            return TunnelState::Down;
        }
        if self.channel_a == Some(true) && self.channel_b == Some(true) {
            return TunnelState::Up;
        }
        if self.attempting && self.channel_a.is_none() && self.channel_b.is_none() {
            return TunnelState::Down;
        }
        TunnelState::Unknown
    }
}

/// A fact with its evidence.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Fact {
    /// A file holding one or more certificates (PEM bundle or DER).
    CertFile {
        evidence: Evidence,
        certs: Vec<Arc<CertSummary>>,
    },
    /// A file holding a private key.
    KeyFile {
        evidence: Evidence,
        key: KeySummary,
    },
    /// A `FAILED_PUSH` list written by `generate_certs.pl` at `generated` (the folder's unix time).
    FailedPush {
        evidence: Evidence,
        generated: Option<Timestamp>,
        rows: Vec<PushRow>,
    },
    Device {
        evidence: Evidence,
        device: DeviceInfo,
    },
    TunnelConf {
        evidence: Evidence,
        conf: TunnelConf,
    },
    Peer {
        evidence: Evidence,
        peer: PeerInfo,
    },
    /// The tunnel to one peer as a status output shows it.
    Tunnel {
        evidence: Evidence,
        tunnel: TunnelStatus,
    },
}

impl Fact {
    pub fn evidence(&self) -> &Evidence {
        match self {
            Fact::CertFile { evidence, .. }
            | Fact::KeyFile { evidence, .. }
            | Fact::FailedPush { evidence, .. }
            | Fact::Device { evidence, .. }
            | Fact::TunnelConf { evidence, .. }
            | Fact::Peer { evidence, .. }
            | Fact::Tunnel { evidence, .. } => evidence,
        }
    }
}
