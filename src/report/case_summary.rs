//! The case summary printed first by the human views and the HTML page: one line for the whole
//! case, one per system (its state and next step, worded by [`crate::systems::summary`]), then
//! one per device for the findings that belong to no system (captures, the TLS proxy).

use std::collections::BTreeMap;

use crate::analyze::Report;
use crate::diagnose::Severity;
use crate::diagnose::StepText;
use crate::remedy::Advised;
use crate::systems::{State, System};

/// One line of the summary: a heading (`Case`, a system, a device) and what to say about it,
/// both raw (from the inputs: each view escapes them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryLine {
    pub heading: String,
    /// What to say: prose, and the command of a system's first step.
    pub text: StepText,
    /// The worst severity the line speaks of (colours it), `None` when nothing is wrong.
    pub severity: Option<Severity>,
    /// The system the line is about, if any.
    pub system: Option<usize>,
    /// Lines under it: the system's sources that disagree, and the files that do not count.
    pub details: Vec<String>,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// How alarming a system's state is.
pub fn state_severity(s: State) -> Option<Severity> {
    match s {
        State::Expired => Some(Severity::Critical),
        State::RenewedPushPending => Some(Severity::Error),
        State::Expiring => Some(Severity::Warning),
        State::Unknown => Some(Severity::Info),
        State::Healthy | State::Renewed => None,
    }
}

/// The summary lines of `r`.
pub fn lines(r: &Report) -> Vec<SummaryLine> {
    let inputs = plural(r.input_counts().read, "input", "inputs");
    let mut out = Vec::new();
    if r.findings.is_empty() {
        let text = if r.nothing_readable() {
            StepText::ours("nothing could be read, so nothing can be said about TLS")
        } else {
            StepText::prose(format!("no TLS problem in {inputs} read"))
        };
        out.push(SummaryLine { heading: "Case".into(), text, severity: None, system: None, details: Vec::new() });
    } else {
        let mut per_severity: BTreeMap<Severity, usize> = BTreeMap::new();
        for f in &r.findings {
            *per_severity.entry(f.severity).or_default() += 1;
        }
        let counts: Vec<String> = per_severity.iter().rev().map(|(s, n)| format!("{n} {s}")).collect();
        let findings = plural(r.findings.len(), "finding", "findings");
        out.push(SummaryLine {
            heading: "Case".into(),
            text: StepText::prose(format!("{findings} ({}) in {inputs} read", counts.join(", "))),
            severity: per_severity.keys().next_back().copied(),
            system: None,
            details: Vec::new(),
        });
    }
    for (i, s) in r.systems.iter().enumerate() {
        out.push(system_line(i, s));
    }
    out.extend(outside_systems(r));
    out
}

fn system_line(i: usize, s: &System) -> SummaryLine {
    let text = crate::systems::summary::words(s);
    // Raw like the heading: each view escapes them.
    let conflicts = s.conflicts.iter().map(|c| format!("conflict: {}", c.text()));
    let quiet = crate::systems::provenance::quiet;
    let loose = s.loose.iter().map(|l| format!("not counted: {}: {}", quiet(&l.path), quiet(&l.reason)));
    SummaryLine {
        heading: s.label(),
        text,
        severity: state_severity(s.state),
        system: Some(i),
        details: conflicts.chain(loose).collect(),
    }
}

/// One line per device (or peer named by FAILED_PUSH) for the findings of no system.
fn outside_systems(r: &Report) -> Vec<SummaryLine> {
    let mut per_device: BTreeMap<String, Vec<&Advised>> = BTreeMap::new();
    for f in r.findings.iter().filter(|f| f.system.is_none()) {
        // A peer given by name (FAILED_PUSH) is a device too; an address is not.
        let named_peer = f.peer.as_ref().filter(|p| p.ip().is_none() && p.port().is_none()).map(|p| p.to_string());
        let who = f.device_name().map(str::to_string).or(named_peer).unwrap_or_else(|| "no device named".into());
        per_device.entry(who).or_default().push(f);
    }
    let mut out = Vec::new();
    for (who, fs) in per_device {
        let Some(worst) = fs.iter().max_by_key(|f| f.severity) else { continue };
        let more = if fs.len() > 1 { format!(" (+{} more)", fs.len() - 1) } else { String::new() };
        let step = worst.remediation.as_ref().map(|r| format!("; next: {}", r.title)).unwrap_or_default();
        out.push(SummaryLine {
            heading: who,
            text: StepText::prose(format!("{} {}: {}{more}{step}", worst.severity, worst.kind, worst.title)),
            severity: Some(worst.severity),
            system: None,
            details: Vec::new(),
        });
    }
    out
}
