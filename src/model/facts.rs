//! Facts found on disk: certificate and key files, FAILED_PUSH lists, device configuration.

use std::sync::Arc;

use jiff::Timestamp;
use serde::Serialize;

use super::{CertSummary, Evidence, KeySummary, TunnelStatus, Uuid};

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
#[derive(Clone, Debug, Serialize, PartialEq, Eq, Hash)]
pub struct DeviceInfo {
    pub role: DeviceRole,
    /// `APPLIANCE_UUID`, when it has the shape of a UUID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uuid: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Keys the file gives more than once with different values: none of those values is used
    /// (the field above stays empty), every one is kept with its line.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub disputed: Vec<Disputed>,
}

/// A key of a `KEY=VALUE` file given twice or more with different values.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, Hash)]
pub struct Disputed {
    pub key: String,
    /// Each distinct value with the line it first appears on, in the file's order.
    pub values: Vec<(String, u64)>,
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
    /// The peer's UUID (from the file, else from its folder's name), when it has the shape of one.
    pub uuid: Option<Uuid>,
    pub name: Option<String>,
    pub ip: Option<String>,
    pub role: Option<String>,
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
