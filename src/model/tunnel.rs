//! The state of a tunnel to one peer as a status command prints it.

use serde::Serialize;

use super::Evidence;

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
    /// Earlier runs of the same command about the same peer in the same input (a status pasted
    /// several times): this one is the latest by the times the runs print, they are evidence.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub earlier: Vec<EarlierRun>,
    /// The latest time the run prints (read as UTC), when it prints one: when the status was
    /// taken, at the earliest.
    #[serde(skip)]
    pub at: Option<jiff::Timestamp>,
}

/// An earlier run of a status command: where it is and what it showed.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct EarlierRun {
    pub evidence: Evidence,
    pub state: TunnelState,
    /// The latest time the run prints, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
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
