//! Systems: the evidence of a run grouped by management domain — one FMC and its InternalCA
//! with the devices it manages — and, per system, its state and the ordered next steps.
//!
//! A fact applies only inside its system: the FMC version of one bundle picks the hotfix of
//! that FMC's devices and of nobody else's. The types here are plain data (serialized as the
//! `systems` array of `--format json`) that every view renders the same way.
//!
//! [`group`] links the evidence into components, [`assemble`] turns a component into systems
//! (one per FMC), [`state`] judges it, [`steps`] writes what to do, [`summary`] the one-line
//! case summary.

mod assemble;
mod devices;
pub mod examples;
mod fmcs;
mod group;
mod keys;
mod links;
mod state;
mod step;
pub mod steps;
pub mod summary;
#[cfg(test)]
mod tests;

use jiff::Timestamp;
use serde::Serialize;

use std::net::IpAddr;

use crate::model::CertSummary;
use crate::model::DisplayPath;
use crate::model::{Endpoint, Evidence, Handshake, Sha256, Uuid};

pub use step::{Step, StepId};

/// The state of a system, following the source's decision tree.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// The InternalCA is valid for 90 whole days or more (the window of `expiring-soon`).
    Healthy,
    /// The InternalCA ends in fewer than 90 whole days.
    Expiring,
    /// The InternalCA has expired and no newer one is visible.
    Expired,
    /// A newer InternalCA is in place (or `generate_certs.pl` ran after the expiry), and some
    /// devices still hold the old files.
    RenewedPushPending,
    /// A newer InternalCA is in place and no device is known to lack it.
    Renewed,
    /// Not enough evidence to judge: see `collect`.
    Unknown,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Healthy => "healthy",
            State::Expiring => "expiring",
            State::Expired => "expired",
            State::RenewedPushPending => "renewed-push-pending",
            State::Renewed => "renewed",
            State::Unknown => "unknown",
        }
    }
}

/// How far the devices' tunnels are up, as the evidence tells.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Tunnels {
    AllUp,
    SomeDown,
    AllDown,
    /// No device's tunnel is known.
    Unknown,
}

/// One device's sftunnel to its FMC.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Tunnel {
    Up,
    Down,
    #[default]
    Unknown,
}

/// HA role of an FMC.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum HaRole {
    Primary,
    Secondary,
}

/// The FMC of a system, as far as the inputs name it.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Fmc {
    pub name: Option<String>,
    pub uuid: Option<Uuid>,
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ha_role: Option<HaRole>,
    /// Its sftunnel address when a peer file, a log or a capture gives it.
    pub ip: Option<IpAddr>,
}

/// An InternalCA certificate. Dates are `None` when only a log names the CA.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct CaInfo {
    pub subject: String,
    pub serial: Option<String>,
    pub not_before: Option<Timestamp>,
    pub not_after: Option<Timestamp>,
    pub days_left: Option<i64>,
    pub sha256: Option<Sha256>,
}

impl CaInfo {
    pub fn from_cert(c: &CertSummary, now: Timestamp) -> Self {
        CaInfo {
            subject: c.subject.clone(),
            serial: Some(c.serial.clone()),
            not_before: Some(c.not_before),
            not_after: Some(c.not_after),
            days_left: Some(c.days_left(now)),
            sha256: c.sha256,
        }
    }
}

/// A device managed by the system's FMC (the secondary FMC of an HA pair is one too).
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Device {
    pub name: Option<String>,
    pub ip: Option<IpAddr>,
    pub uuid: Option<Uuid>,
    /// `true` for the secondary FMC of an HA pair.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub fmc: bool,
    pub tunnel: Tunnel,
    /// It still lacks the current InternalCA's files (FAILED_PUSH, or it still holds or
    /// rejects with the old CA).
    pub needs_push: bool,
    /// Why the tunnel and push values were chosen (a few pieces, newest last).
    pub evidence: Vec<Evidence>,
}

impl Device {
    /// Name, else address, else UUID.
    pub fn label(&self) -> String {
        match (&self.name, &self.ip, &self.uuid) {
            (Some(n), Some(ip), _) => format!("{n} ({ip})"),
            (Some(n), None, _) => n.clone(),
            (None, Some(ip), _) => ip.to_string(),
            (None, None, Some(u)) => format!("device {u}"),
            _ => "a device".to_string(),
        }
    }
}

/// One management domain and what to do about it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct System {
    /// Stable within a run: the FMC's name, else `fmc-<uuid>`, `ca-<CN>`, `fmc-<ip>`.
    pub id: String,
    pub fmc: Fmc,
    /// The current InternalCA (the one in `/etc/sf/ca_root/`, else the newest seen).
    pub internal_ca: Option<CaInfo>,
    /// The InternalCA it replaced, when a renewal is visible.
    pub previous_ca: Option<CaInfo>,
    pub state: State,
    pub tunnels: Tunnels,
    /// When `generate_certs.pl` last ran, as FAILED_PUSH (or the new CA's start) tells.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renewed_at: Option<Timestamp>,
    pub devices: Vec<Device>,
    /// In the order to do them.
    pub next_steps: Vec<Step>,
    /// What to collect when the evidence is not enough (state `unknown`, or a value a step lacks).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub collect: Vec<String>,
    /// What was inferred rather than read (e.g. which end of a capture is the FMC).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Indexes into the report's findings that belong to this system (the other way round:
    /// [`FindingSystems`]).
    pub findings: Vec<usize>,
    /// The input files (outer paths) that hold this system's evidence, for the commands.
    #[serde(skip)]
    pub inputs: Vec<String>,
    /// Inputs holding the newest FAILED_PUSH (what `tlstriage plan` needs).
    #[serde(skip)]
    pub push_inputs: Vec<String>,
}

impl System {
    /// The device a finding's peer is, when the peer is given by the address of a device of
    /// this system known by a name other than the peer's text (a rejecting device, say).
    pub fn device_at(&self, peer: &Endpoint) -> Option<&Device> {
        let ip = peer.ip()?;
        // The last device with that address and a name, as a table of addresses would keep.
        let d = self.devices.iter().rev().find(|d| d.ip == Some(ip) && d.name.is_some())?;
        (d.name.as_deref() != Some(peer.to_string().as_str())).then_some(d)
    }

    /// `fmc-hq-01 (7.4.1)`; without a name the id, with the FMC's address when known.
    pub fn label(&self) -> String {
        match (&self.fmc.name, &self.fmc.version, &self.fmc.ip) {
            (Some(n), Some(v), _) => format!("{n} ({v})"),
            (Some(n), None, _) => n.clone(),
            (None, Some(v), Some(ip)) => format!("{} (FMC {ip}, {v})", self.id),
            (None, Some(v), None) => format!("{} ({v})", self.id),
            (None, None, Some(ip)) => format!("{} (FMC {ip})", self.id),
            (None, None, None) => self.id.clone(),
        }
    }
}

/// What the systems are built from.
pub struct Inputs<'a> {
    pub facts: &'a [crate::model::Fact],
    pub findings: &'a [crate::diagnose::Finding],
    pub handshakes: &'a [Handshake],
    pub certificates: &'a [crate::model::CertEntry],
    pub now: Timestamp,
}

/// Which system each finding of a run belongs to: the systems' answer about the findings,
/// which the findings themselves never carry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FindingSystems {
    /// By finding index: the index of its system.
    by_finding: Vec<Option<usize>>,
}

impl FindingSystems {
    /// The systems' membership turned around: finding → system.
    fn of(systems: &[System], findings: usize) -> Self {
        let mut by_finding = vec![None; findings];
        for (at, s) in systems.iter().enumerate() {
            for &i in &s.findings {
                if let Some(slot) = by_finding.get_mut(i) {
                    *slot = Some(at);
                }
            }
        }
        FindingSystems { by_finding }
    }

    /// The index of the system finding `i` belongs to.
    pub fn of_finding(&self, i: usize) -> Option<usize> {
        self.by_finding.get(i).copied().flatten()
    }
}

/// Group the evidence into systems, judge each and write its steps; and say which system each
/// finding belongs to. Primary FMCs come before their secondaries; otherwise the order is that
/// of the first evidence.
pub fn build(inputs: &Inputs<'_>) -> (Vec<System>, FindingSystems) {
    let components = group::components(inputs);
    let certs = assemble::CertIndex::new(inputs.certificates);
    let mut systems: Vec<System> = components.iter().flat_map(|c| assemble::systems(c, inputs, &certs)).collect();
    unique_ids(&mut systems);
    for s in &mut systems {
        state::judge(s, inputs);
    }
    let snapshot = systems.clone();
    for s in &mut systems {
        s.next_steps = steps::for_system(s, &snapshot);
    }
    let of = FindingSystems::of(&systems, inputs.findings.len());
    (systems, of)
}

/// Two systems never share an id: later ones get `-2`, `-3`, ...
fn unique_ids(systems: &mut [System]) {
    let mut seen = std::collections::HashMap::<String, usize>::new();
    for s in systems.iter_mut() {
        let n = seen.entry(s.id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            s.id = format!("{}-{}", s.id, n);
        }
    }
}

/// The text before `!/` of an archive member's path (the file given on the command line).
pub(crate) fn outer_path(path: &str) -> &str {
    DisplayPath::new(path).top()
}
