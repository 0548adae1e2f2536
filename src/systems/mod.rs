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
mod state;
mod step;
pub mod steps;
pub mod summary;
#[cfg(test)]
mod tests;

use jiff::Timestamp;
use serde::Serialize;

use crate::model::CertSummary;
use crate::model::DisplayPath;
use crate::model::{Evidence, Handshake};

pub use group::is_internal_ca;
pub use step::{Step, StepId};

/// The state of a system, following the source's decision tree.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// The InternalCA is valid for more than 90 days.
    Healthy,
    /// The InternalCA ends within 90 days.
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
    pub uuid: Option<String>,
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ha_role: Option<HaRole>,
    /// Its sftunnel address when a peer file, a log or a capture gives it.
    pub ip: Option<String>,
}

/// An InternalCA certificate. Dates are `None` when only a log names the CA.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct CaInfo {
    pub subject: String,
    pub serial: Option<String>,
    pub not_before: Option<Timestamp>,
    pub not_after: Option<Timestamp>,
    pub days_left: Option<i64>,
    pub sha256: Option<String>,
}

impl CaInfo {
    pub fn from_cert(c: &CertSummary, now: Timestamp) -> Self {
        CaInfo {
            subject: c.subject.clone(),
            serial: Some(c.serial.clone()),
            not_before: Some(c.not_before),
            not_after: Some(c.not_after),
            days_left: Some(c.days_left(now)),
            // A certificate known only from its printed text has no DER, so no fingerprint.
            sha256: (!c.sha256.is_empty()).then(|| c.sha256.clone()),
        }
    }
}

/// A device managed by the system's FMC (the secondary FMC of an HA pair is one too).
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Device {
    pub name: Option<String>,
    pub ip: Option<String>,
    pub uuid: Option<String>,
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
            (None, Some(ip), _) => ip.clone(),
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
    /// Indexes into the report's findings that belong to this system.
    pub findings: Vec<usize>,
    /// The input files (outer paths) that hold this system's evidence, for the commands.
    #[serde(skip)]
    pub inputs: Vec<String>,
    /// Inputs holding the newest FAILED_PUSH (what `tlstriage plan` needs).
    #[serde(skip)]
    pub push_inputs: Vec<String>,
}

impl System {
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

/// Group the evidence into systems, judge each and write its steps. Primary FMCs come before
/// their secondaries; otherwise the order is that of the first evidence.
pub fn build(inputs: &Inputs<'_>) -> Vec<System> {
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
    systems
}

/// Tell each finding its system, and name a peer by the device it is (its name from
/// FAILED_PUSH, `sftunnel.json` or `ims.conf`) in `facts.peer_name`; `facts.peer_push` is
/// `pending` when that device still lacks the current InternalCA's files.
pub fn attach(findings: &mut [crate::diagnose::Finding], systems: &[System]) {
    for s in systems {
        let names: std::collections::HashMap<&str, (&str, bool)> =
            s.devices.iter().filter_map(|d| Some((d.ip.as_deref()?, (d.name.as_deref()?, d.needs_push)))).collect();
        for &i in &s.findings {
            let Some(f) = findings.get_mut(i) else { continue };
            f.system = Some(s.id.clone());
            let ip = f.peer.as_deref().and_then(group::ip_of);
            let Some(&(name, pending)) = ip.as_deref().and_then(|ip| names.get(ip)) else { continue };
            if Some(name) != f.peer.as_deref() {
                f.facts.insert("peer_name".into(), name.to_string());
                if pending {
                    f.facts.insert("peer_push".into(), "pending".into());
                }
            }
        }
    }
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
