//! The fleet's row types and how rows of the same system, seen in several bundles, become one.
//!
//! Rows meet by the FMC's UUID, and become one only when their InternalCAs agree (a row knows
//! the CA the other holds, as its current or its previous one); rows that claim the same UUID
//! with unrelated CAs stay apart, each with the conflict said, and each keeps its own state: a
//! bundle cannot make another one's expired FMC look healthy.
//!
//! Merging is order-independent: the rows of a system are sorted before they are combined, so a
//! parallel or distributed run (whatever order its tasks finish in) gives the same result.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::systems::State;

/// The first thing to do for a system.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct NextStep {
    /// The step's fixed id (`backup-fmc`, `push-with-copy-script`, ...).
    pub id: String,
    /// The box it is done on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<String>,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

/// One system (an FMC and its InternalCA) of the fleet, or one input that could not be read.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct SystemRow {
    /// `fmc:<FMC UUID>` (the same in every bundle that shows the system); `<id>@<input>` for a
    /// system known by neither UUID nor CA; `input:<path>` for an unreadable input.
    pub id: String,
    /// The system's name, as `analyze` gives it (the FMC's host name, else what the evidence
    /// calls the system).
    #[serde(default)]
    pub name: String,
    pub fmc: Option<String>,
    pub fmc_uuid: Option<String>,
    pub version: Option<String>,
    /// notAfter of the current InternalCA (RFC 3339).
    pub ca_not_after: Option<String>,
    /// Days from `--now` to that notAfter (negative: expired): `model::days_left`.
    pub days_left: Option<i64>,
    /// SHA-256 of the InternalCAs the row knows: the current one, then the one it replaced.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ca_sha256: Vec<String>,
    /// `expired`, `renewed-push-pending`, `expiring`, `unknown`, `renewed`, `healthy`; `error` for
    /// an input that could not be read.
    pub state: RowState,
    /// Devices that still need the current certificates, by name (or address, or UUID).
    pub devices_pending: Vec<String>,
    pub next_step: Option<NextStep>,
    /// What to collect when the evidence is not enough to judge (state `unknown`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub collect: Vec<String>,
    /// The top-level inputs that showed this system, sorted.
    pub bundles: Vec<String>,
    /// Why the input could not be read (state `error` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Sources that disagree: the system's own conflicts, and other inputs that claim the same
    /// FMC UUID with another InternalCA.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<String>,
}

impl SystemRow {
    /// A row that asks for action: its state does, or its sources disagree.
    pub fn needs_action(&self) -> bool {
        self.state.needs_action() || !self.conflicts.is_empty()
    }

    /// The name shown for the row.
    pub fn shown_name(&self) -> &str {
        [&self.name, self.fmc.as_deref().unwrap_or(""), self.fmc_uuid.as_deref().unwrap_or(""), &self.id]
            .into_iter()
            .find(|n| !n.is_empty())
            .unwrap_or("")
    }
}

/// How one top-level input went.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct InputRow {
    pub path: String,
    /// `ok`, `partial` (read up to a problem) or `error`.
    pub status: String,
    /// Systems this input showed.
    pub systems: usize,
    pub findings: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The whole fleet: `{"systems": [...], "inputs": [...]}`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Fleet {
    pub systems: Vec<SystemRow>,
    pub inputs: Vec<InputRow>,
}

/// The state of a fleet row: a system's state, or `error` for an input that could not be read.
/// A row of another state does not read (a fleet part written by another program cannot slip
/// in a state this one would have to guess the urgency of).
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum RowState {
    Expired,
    RenewedPushPending,
    Expiring,
    Error,
    Unknown,
    Renewed,
    Healthy,
}

impl RowState {
    /// Rank of a state, most urgent first.
    pub fn urgency(self) -> u8 {
        match self {
            RowState::Expired => 0,
            RowState::RenewedPushPending => 1,
            RowState::Expiring => 2,
            RowState::Error => 3,
            RowState::Unknown => 4,
            RowState::Renewed => 5,
            RowState::Healthy => 6,
        }
    }

    /// States that ask for action (exit code 1 of `tlstriage fleet`).
    pub fn needs_action(self) -> bool {
        self.urgency() <= 3
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RowState::Error => "error",
            RowState::Expired => State::Expired.as_str(),
            RowState::RenewedPushPending => State::RenewedPushPending.as_str(),
            RowState::Expiring => State::Expiring.as_str(),
            RowState::Unknown => State::Unknown.as_str(),
            RowState::Renewed => State::Renewed.as_str(),
            RowState::Healthy => State::Healthy.as_str(),
        }
    }
}

impl From<State> for RowState {
    fn from(s: State) -> Self {
        match s {
            State::Expired => RowState::Expired,
            State::RenewedPushPending => RowState::RenewedPushPending,
            State::Expiring => RowState::Expiring,
            State::Unknown => RowState::Unknown,
            State::Renewed => RowState::Renewed,
            State::Healthy => RowState::Healthy,
        }
    }
}

impl std::fmt::Display for RowState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Combine the per-input results into one fleet: rows of the same system id become one, inputs
/// are listed in path order, systems by urgency (then days left, then id).
pub fn merge(parts: impl IntoIterator<Item = Fleet>) -> Fleet {
    let mut by_id: BTreeMap<String, Vec<SystemRow>> = BTreeMap::new();
    let mut inputs = Vec::new();
    for part in parts {
        for row in part.systems {
            by_id.entry(row.id.clone()).or_default().push(row);
        }
        inputs.extend(part.inputs);
    }
    let mut systems: Vec<SystemRow> =
        by_id.into_values().flat_map(|rows| agreeing(rows).into_iter().map(merge_rows)).collect();
    systems.sort_by(|a, b| {
        (a.state.urgency(), a.days_left.unwrap_or(i64::MAX), &a.id).cmp(&(
            b.state.urgency(),
            b.days_left.unwrap_or(i64::MAX),
            &b.id,
        ))
    });
    inputs.sort_by(|a: &InputRow, b: &InputRow| a.path.cmp(&b.path));
    inputs.dedup();
    Fleet { systems, inputs }
}

/// The rows of one id in groups whose InternalCAs agree (they share a CA; a row that knows no
/// CA goes with the most urgent group). More than one group is a conflict: each group is kept,
/// under an id of its own, and says which other inputs claim the same FMC with another CA.
fn agreeing(mut rows: Vec<SystemRow>) -> Vec<Vec<SystemRow>> {
    rows.sort_by(|a, b| (&a.bundles, &a.ca_sha256, &a.name).cmp(&(&b.bundles, &b.ca_sha256, &b.name)));
    let (known, unknown): (Vec<SystemRow>, Vec<SystemRow>) = rows.into_iter().partition(|r| !r.ca_sha256.is_empty());
    let mut groups: Vec<Vec<SystemRow>> = Vec::new();
    for r in known {
        let shares = |g: &Vec<SystemRow>| g.iter().any(|x| x.ca_sha256.iter().any(|c| r.ca_sha256.contains(c)));
        let mut joined: Vec<Vec<SystemRow>> = Vec::new();
        let mut rest = Vec::new();
        for g in groups {
            if shares(&g) {
                joined.push(g);
            } else {
                rest.push(g);
            }
        }
        let mut g: Vec<SystemRow> = joined.into_iter().flatten().collect();
        g.push(r);
        rest.push(g);
        groups = rest;
    }
    if groups.is_empty() {
        return vec![unknown];
    }
    groups.sort_by_key(|g| g.iter().map(|r| r.state.urgency()).min());
    groups[0].extend(unknown);
    if groups.len() > 1 {
        let described: Vec<(String, String)> = groups.iter().map(|g| describe(g)).collect();
        for (i, g) in groups.iter_mut().enumerate() {
            let others: Vec<String> = described
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, (bundles, ca))| format!("{bundles} ({ca})"))
                .collect();
            let text = format!(
                "other inputs claim the same FMC UUID with another InternalCA: {}; the rows are kept apart",
                others.join("; ")
            );
            let id_tag = g.iter().find_map(|r| r.ca_sha256.first()).map(|c| c.get(..12).unwrap_or(c).to_string());
            for r in g.iter_mut() {
                r.conflicts.push(text.clone());
                if let Some(tag) = &id_tag {
                    r.id = format!("{}#ca-{tag}", r.id);
                }
            }
        }
    }
    groups
}

/// A group of rows in a conflict: its inputs and its newest CA.
fn describe(g: &[SystemRow]) -> (String, String) {
    let mut bundles: Vec<&str> = g.iter().flat_map(|r| r.bundles.iter().map(String::as_str)).collect();
    bundles.sort_unstable();
    bundles.dedup();
    let lead = g.iter().max_by(|a, b| a.ca_not_after.cmp(&b.ca_not_after));
    let ca = match lead.and_then(|r| Some((r.ca_sha256.first()?, r.ca_not_after.as_deref()))) {
        Some((sha, Some(end))) => {
            format!("CA {}…, valid until {}", sha.get(..16).unwrap_or(sha), end.get(..10).unwrap_or(end))
        }
        Some((sha, None)) => format!("CA {}…", sha.get(..16).unwrap_or(sha)),
        None => "no CA".to_string(),
    };
    (bundles.join(", "), ca)
}

/// One row from the rows of one system id. The row that saw the newest InternalCA leads (an FMC
/// bundle after a renewal knows more than its devices' bundles still holding the old CA); on a
/// tie the more urgent state, then the first bundle. Names, UUID and version are taken from
/// whichever row knows them; pending devices and what to collect from every row that saw the
/// leading CA.
fn merge_rows(mut rows: Vec<SystemRow>) -> SystemRow {
    rows.sort_by(|a, b| {
        b.ca_not_after
            .cmp(&a.ca_not_after)
            .then(a.state.urgency().cmp(&b.state.urgency()))
            .then(a.bundles.cmp(&b.bundles))
            .then(a.devices_pending.cmp(&b.devices_pending))
    });
    let mut lead = rows[0].clone();
    for r in &rows[1..] {
        // The FMC's own name wins over what a device's bundle calls the system.
        if lead.fmc.is_none() && r.fmc.is_some() {
            lead.name = r.name.clone();
        }
        lead.fmc = lead.fmc.or_else(|| r.fmc.clone());
        lead.fmc_uuid = lead.fmc_uuid.or_else(|| r.fmc_uuid.clone());
        lead.version = lead.version.or_else(|| r.version.clone());
        lead.error = lead.error.or_else(|| r.error.clone());
        if r.ca_not_after == lead.ca_not_after {
            lead.devices_pending.extend(r.devices_pending.iter().cloned());
            lead.collect.extend(r.collect.iter().cloned());
        }
        lead.bundles.extend(r.bundles.iter().cloned());
        lead.ca_sha256.extend(r.ca_sha256.iter().filter(|c| !lead.ca_sha256.contains(c)).cloned().collect::<Vec<_>>());
        lead.conflicts.extend(r.conflicts.iter().filter(|c| !lead.conflicts.contains(c)).cloned().collect::<Vec<_>>());
    }
    lead.devices_pending.sort();
    lead.devices_pending.dedup();
    lead.bundles.sort();
    lead.bundles.dedup();
    // In the lead's order, each item once.
    let mut seen = std::collections::BTreeSet::new();
    lead.collect.retain(|c| seen.insert(c.clone()));
    lead
}
