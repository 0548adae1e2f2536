//! Systems: the evidence of a run grouped by management domain — one FMC and its InternalCA
//! with the devices it manages — and, per system, its state and the ordered next steps.
//!
//! A fact applies only inside its system: the FMC version of one bundle picks the hotfix of
//! that FMC's devices and of nobody else's. The types here are plain data (serialized as the
//! `systems` array of `--format json`) that every view renders the same way.
//!
//! [`trees`] says which appliance tree (a bundle, extracted or not, or an appliance's root) each
//! piece of evidence lies in, [`provenance`] which facts count and what is a conflict, [`group`]
//! links the evidence into components, [`assemble`] turns a component into systems (one per FMC),
//! [`naming`] gives each the one name every view uses, [`state`] judges it, [`steps`] writes what
//! to do, [`summary`] the one-line case summary. [`device_list`] says whether every device of the
//! FMC is known to be down, [`versions`] holds a release a finding shows against the FMC's
//! version, [`no_regeneration`] is what a finding says instead of running generate_certs.pl once
//! the system renewed its CA.

mod assemble;
mod chains;
mod device_list;
mod devices;
pub mod examples;
mod finding_systems;
mod fmcs;
mod group;
mod keys;
mod links;
mod naming;
mod no_regeneration;
pub mod provenance;
mod state;
#[cfg(test)]
mod status_tests;
mod step;
pub mod steps;
pub mod summary;
#[cfg(test)]
mod tests;
pub mod trees;
mod versions;

use jiff::Timestamp;
use serde::Serialize;

use std::net::IpAddr;

use crate::model::CertSummary;
use crate::model::DisplayPath;
use crate::model::{Endpoint, Evidence, Handshake, Sha256, Uuid};

pub use device_list::DeviceList;
pub use finding_systems::FindingSystems;
pub use no_regeneration::instead_of_regenerating;
pub use provenance::{Conflict, ConflictOn, Loose};
pub use step::{Step, StepId};
pub use trees::Trees;

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

impl Tunnels {
    /// As `systems[].tunnels` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Tunnels::AllUp => "all-up",
            Tunnels::SomeDown => "some-down",
            Tunnels::AllDown => "all-down",
            Tunnels::Unknown => "unknown",
        }
    }
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

impl Tunnel {
    /// As `systems[].devices[].tunnel` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Tunnel::Up => "up",
            Tunnel::Down => "down",
            Tunnel::Unknown => "unknown",
        }
    }
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
    /// The file the version was read from (the `ims.conf` the hotfix step relies on).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ha_role: Option<HaRole>,
    /// Its sftunnel address when a peer file, a log or a capture gives it.
    pub ip: Option<IpAddr>,
}

/// An InternalCA certificate. Dates are `None` when only a log names the CA.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct CaInfo {
    /// Empty when the devices report a CA expired without naming it.
    pub subject: String,
    pub serial: Option<String>,
    pub not_before: Option<Timestamp>,
    pub not_after: Option<Timestamp>,
    pub days_left: Option<i64>,
    pub sha256: Option<Sha256>,
    /// Known only from the devices' reports (an expired CA at depth 1 in their logs): no CA file
    /// or captured certificate of it was in the inputs.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub reported: bool,
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
            reported: false,
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
    /// The system's name, the one every view gives it (unique within a run): what the evidence
    /// calls it ([`naming`]): the FMC's host name, else the host a log or an appliance tree of
    /// the system names, else the FMC's address, else the FMC's UUID.
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
    /// Where the FMC's own side lists its devices; `None` when the devices known are only those
    /// the inputs happen to name (a device's bundle names its FMC, not the FMC's other devices).
    #[serde(skip)]
    pub device_list: Option<DeviceList>,
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
    /// Files that name this system but do not count ([`provenance`]), with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub loose: Vec<Loose>,
    /// Counted sources that disagree ([`provenance`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<Conflict>,
    /// The input files (top-level paths) that hold this system's evidence.
    #[serde(skip)]
    pub inputs: Vec<String>,
    /// The system's own inputs for `tlstriage plan`: the FMC's own tree, then the FAILED_PUSH
    /// it uses when that lies outside it.
    #[serde(skip)]
    pub plan_inputs: Vec<String>,
    /// The FAILED_PUSH lists it uses, by index in the report's facts (the newest run's).
    #[serde(skip)]
    pub push_facts: Vec<usize>,
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

    /// The name of a finding's peer in this system: the device at its address (known by another
    /// name than the peer's text), or the FMC's host name when the peer is its address; with whether
    /// that device still lacks the current InternalCA's files.
    pub fn name_of_peer(&self, peer: &Endpoint) -> Option<(String, bool)> {
        if let Some(d) = self.device_at(peer) {
            return Some((d.name.clone()?, d.needs_push));
        }
        // Only a host name: an FMC known by its address is already named by the peer's text.
        peer.ip().filter(|ip| self.fmc.ip == Some(*ip))?;
        self.fmc.name.clone().filter(|n| *n != peer.to_string()).map(|n| (n, false))
    }

    /// Its name with the FMC's version when known: `fmc-hq-01 (7.4.1)`.
    pub fn label(&self) -> String {
        match &self.fmc.version {
            Some(v) => format!("{} ({v})", self.id),
            None => self.id.clone(),
        }
    }

    /// The conflict on the address of the device with this name or UUID, when there is one
    /// (the plan leaves that device's row out).
    pub fn address_in_conflict(&self, name: &str, uuid: Option<Uuid>) -> Option<&Conflict> {
        self.conflicts.iter().find(|c| match &c.on {
            ConflictOn::DeviceAddress { name: n, uuid: u, .. } => {
                (uuid.is_some() && *u == uuid) || n.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(name))
            }
            _ => false,
        })
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

/// What the systems are built from, with the run's appliance trees and which facts count.
pub(crate) struct Ctx<'a> {
    pub facts: &'a [crate::model::Fact],
    pub findings: &'a [crate::diagnose::Finding],
    pub handshakes: &'a [Handshake],
    pub now: Timestamp,
    pub trees: Trees<'a>,
    /// Per fact: why it does not count, or `None`.
    pub loose: Vec<Option<String>>,
    /// The handshakes' distinct chains, each read once.
    pub chains: chains::Chains,
}

impl<'a> Ctx<'a> {
    fn new(inputs: &Inputs<'a>) -> Self {
        let trees = Trees::new(inputs.facts);
        let loose = inputs.facts.iter().map(|f| provenance::loose_reason(f, &trees)).collect();
        Ctx {
            facts: inputs.facts,
            findings: inputs.findings,
            handshakes: inputs.handshakes,
            now: inputs.now,
            trees,
            loose,
            chains: chains::Chains::new(inputs.handshakes),
        }
    }

    /// Whether fact `i` counts ([`provenance`]).
    pub fn counts(&self, i: usize) -> bool {
        self.loose.get(i).is_none_or(Option::is_none)
    }
}

/// Group the evidence into systems, judge each and write its steps; and say which system each
/// finding belongs to. Primary FMCs come before their secondaries; otherwise the order is that
/// of the first evidence.
pub fn build(inputs: &Inputs<'_>) -> (Vec<System>, FindingSystems) {
    let cx = Ctx::new(inputs);
    let components = group::components(&cx);
    let certs = assemble::CertIndex::new(inputs.certificates);
    let mut systems: Vec<System> = components.iter().flat_map(|c| assemble::systems(c, &cx, &certs)).collect();
    naming::name_all(&mut systems);
    provenance::attach_loose(&mut systems, &cx);
    for s in &mut systems {
        state::judge(s, inputs.now);
    }
    let snapshot = systems.clone();
    for s in &mut systems {
        s.next_steps = steps::for_system(s, &snapshot);
    }
    let of = FindingSystems::of(&systems, &cx);
    (systems, of)
}

/// The text before `!/` of an archive member's path (the file given on the command line).
pub(crate) fn outer_path(path: &str) -> &str {
    DisplayPath::new(path).top()
}
