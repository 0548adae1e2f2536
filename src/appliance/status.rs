//! What a check reports about the systems of a run, read from the analysis the way a program
//! reads `--format json`: each system's state, InternalCA, devices with their tunnel and next
//! steps, and the kind and severity of each finding (`docs/json.md` is the contract). The
//! monitoring views and the text of `check` are written from this, so a change inside the
//! classifier's types does not reach them; the one summary line per system is the case
//! summary's own wording (`systems::summary`), the same line `analyze` prints.

use serde::Deserialize;

use crate::analyze::Report;

/// An InternalCA as `systems[].internal_ca` gives it.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
pub struct Ca {
    pub subject: String,
    pub serial: Option<String>,
    pub not_after: Option<jiff::Timestamp>,
    pub days_left: Option<i64>,
}

/// The FMC of a system, as far as the inputs name it.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
pub struct Fmc {
    pub name: Option<String>,
    pub uuid: Option<String>,
    pub version: Option<String>,
    pub ip: Option<String>,
}

/// A piece of evidence: where, and what the line said.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
pub struct Evidence {
    pub path: String,
    pub line: Option<u64>,
    pub time: Option<jiff::Timestamp>,
    pub text: Option<String>,
}

/// A managed device and its tunnel to the FMC.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
pub struct Device {
    pub name: Option<String>,
    pub ip: Option<String>,
    pub uuid: Option<String>,
    #[serde(default)]
    pub fmc: bool,
    /// `up`, `down` or `unknown`.
    pub tunnel: String,
    pub needs_push: bool,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// Name and address, else what is known (as every view names a device).
    #[serde(skip)]
    pub label: String,
}

/// A next step.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Step {
    pub id: String,
    pub on: String,
    pub text: String,
    pub command: Option<String>,
    #[serde(default)]
    pub optional: bool,
}

/// One system (one FMC and its InternalCA).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct System {
    pub id: String,
    pub fmc: Fmc,
    pub internal_ca: Option<Ca>,
    pub previous_ca: Option<Ca>,
    /// `healthy`, `expiring`, `expired`, `renewed-push-pending`, `renewed` or `unknown`.
    pub state: String,
    pub tunnels: String,
    pub devices: Vec<Device>,
    pub next_steps: Vec<Step>,
    #[serde(default)]
    pub collect: Vec<String>,
    #[serde(default)]
    pub notes: Vec<String>,
    /// The case summary's line for it (escaped for a terminal), as `analyze` prints it.
    #[serde(skip)]
    pub summary: String,
}

/// A finding, as far as the views count it.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Finding {
    pub kind: String,
    pub severity: String,
    pub title: String,
    pub device: Option<String>,
    pub peer: Option<String>,
    pub system: Option<String>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}

/// The systems and findings of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Status {
    pub systems: Vec<System>,
    pub findings: Vec<Finding>,
}

/// The states that call for action (as `fleet` counts them).
pub const NEEDS_ACTION: &[&str] = &["expired", "expiring", "renewed-push-pending"];

impl Status {
    /// Read the systems and findings of `r` through their JSON form.
    pub fn of(r: &Report) -> Self {
        let systems = serde_json::to_value(&r.systems).and_then(serde_json::from_value::<Vec<System>>);
        let findings = serde_json::to_value(&r.findings).and_then(serde_json::from_value::<Vec<Finding>>);
        // Both sides are this crate's own types: a failure is a broken contract, which the
        // tests of docs/json.md catch, never an input's fault.
        let mut systems = systems.expect("systems[] as docs/json.md describes it");
        for (view, s) in systems.iter_mut().zip(&r.systems) {
            view.summary = crate::systems::summary::line(s);
            for (d, device) in view.devices.iter_mut().zip(&s.devices) {
                d.label = device.label();
            }
        }
        Status { systems, findings: findings.expect("findings[] as docs/json.md describes it") }
    }

    /// Whether a system needs action, or a finding is an error or worse.
    pub fn needs_action(&self) -> bool {
        self.systems.iter().any(|s| NEEDS_ACTION.contains(&s.state.as_str()))
            || self.findings.iter().any(|f| matches!(f.severity.as_str(), "error" | "critical"))
    }
}
