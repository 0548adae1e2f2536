//! Metrics for node_exporter's textfile collector (the Prometheus text exposition format,
//! version 0.0.4): per system the InternalCA's days left and end, its state, per peer whether
//! its tunnel is up and whether it still lacks the current files, the findings per kind and
//! severity, and when the check ran. `docs/monitoring.md` names every metric.
//!
//! Label values come from the inputs (device names, UUIDs, addresses): they are escaped as the
//! format says (`\` `"` and the line break), after control characters have been written out as
//! `\xNN` text, so no device name can end a label, a line or the file early.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use super::CheckView;
use crate::analyze::Report;
use crate::report::Exporter;
use crate::systems::{State, Tunnel};

/// The states a system can be in (`systems[].state`), each its own series.
const STATES: &[State] =
    &[State::Healthy, State::Expiring, State::Expired, State::RenewedPushPending, State::Renewed, State::Unknown];

/// What a check measured besides the systems.
#[derive(Clone, Debug)]
struct Run {
    /// When the certificates were judged (`--now`, else the time of the run).
    pub at: jiff::Timestamp,
    /// Files read (0: nothing could be read).
    pub files_read: usize,
    /// The tree checked (`/` on the appliance itself): the `root` label of every sample, so the
    /// files of several trees can sit in one collector folder without two equal series.
    pub root: String,
}

/// A label value as the exposition format writes it, between double quotes.
pub fn label_value(s: &str) -> String {
    let shown = crate::util::printable(s);
    let mut out = String::with_capacity(shown.len());
    for c in shown.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// One metric family: its help, type and samples (label pairs and value).
struct Family<'a> {
    name: &'static str,
    help: &'static str,
    root: &'a str,
    samples: Vec<(Vec<(&'static str, String)>, String)>,
}

impl<'a> Family<'a> {
    fn new(name: &'static str, help: &'static str, run: &'a Run) -> Self {
        Family { name, help, root: &run.root, samples: Vec::new() }
    }

    fn add(&mut self, mut labels: Vec<(&'static str, String)>, value: impl ToString) {
        labels.insert(0, ("root", self.root.to_string()));
        // Two devices with the same name, address and UUID would make one series twice, which
        // the format forbids: the first one stands.
        if self.samples.iter().any(|(l, _)| *l == labels) {
            return;
        }
        self.samples.push((labels, value.to_string()));
    }

    fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "# HELP {} {}", self.name, self.help)?;
        writeln!(out, "# TYPE {} gauge", self.name)?;
        for (labels, value) in &self.samples {
            let pairs: Vec<String> = labels.iter().map(|(k, v)| format!("{k}=\"{}\"", label_value(v))).collect();
            writeln!(out, "{}{{{}}} {value}", self.name, pairs.join(","))?;
        }
        Ok(())
    }
}

/// `check --format prometheus`: the metrics of the check, judged at its time.
pub struct Prometheus<'a>(pub &'a CheckView<'a>);

impl Exporter for Prometheus<'_> {
    fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        let c = self.0.check;
        let run = Run { at: c.options.now, files_read: c.files_read(), root: c.discovery.root.display().to_string() };
        write(&c.report, &run, out)
    }
}

/// Write the metrics of the systems and findings of `report`.
fn write(report: &Report, run: &Run, out: &mut dyn Write) -> io::Result<()> {
    let mut at =
        Family::new("tlstriage_check_timestamp_seconds", "When the check judged the certificates, in Unix time.", run);
    at.add(Vec::new(), run.at.as_second());
    let mut read =
        Family::new("tlstriage_check_files_read", "Files the check read; 0 means nothing could be read.", run);
    read.add(Vec::new(), run.files_read);
    let mut days = Family::new(
        "tlstriage_internal_ca_days_left",
        "Whole days until the system's InternalCA ends, negative once it has ended.",
        run,
    );
    let mut end = Family::new(
        "tlstriage_internal_ca_not_after_timestamp_seconds",
        "When the system's InternalCA ends, in Unix time.",
        run,
    );
    let mut state =
        Family::new("tlstriage_system_state", "1 for the state the system is in, 0 for the other states.", run);
    let mut up = Family::new("tlstriage_tunnel_up", "1 when the newest evidence shows the tunnel to the peer up, 0 when down; peers whose tunnel no evidence shows are left out.", run);
    let mut push = Family::new(
        "tlstriage_peer_needs_push",
        "1 when the peer still lacks the current InternalCA's files (FAILED_PUSH, an old CA in its folder).",
        run,
    );
    for s in &report.systems {
        let system = || vec![("system", s.id.clone())];
        if let Some(ca) = &s.internal_ca {
            if let Some(d) = ca.days_left {
                days.add(system(), d);
            }
            if let Some(t) = ca.not_after {
                end.add(system(), t.as_second());
            }
        }
        for st in STATES {
            let mut l = system();
            l.push(("state", st.as_str().to_string()));
            state.add(l, u8::from(s.state == *st));
        }
        for d in &s.devices {
            let mut l = system();
            let ip = d.ip.map(|ip| ip.to_string());
            let uuid = d.uuid.map(|u| u.to_string());
            l.push(("peer", d.name.clone().or_else(|| uuid.clone()).or_else(|| ip.clone()).unwrap_or_default()));
            l.push(("peer_ip", ip.unwrap_or_default()));
            l.push(("peer_uuid", uuid.unwrap_or_default()));
            match d.tunnel {
                Tunnel::Up => up.add(l.clone(), 1),
                Tunnel::Down => up.add(l.clone(), 0),
                Tunnel::Unknown => {}
            }
            push.add(l, u8::from(d.needs_push));
        }
    }
    let mut findings = Family::new("tlstriage_findings", "Findings of the check, per kind and severity.", run);
    let mut counted: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for f in &report.findings {
        *counted.entry((f.kind.as_str(), f.severity.as_str())).or_default() += 1;
    }
    let kinds: BTreeSet<&(&str, &str)> = counted.keys().collect();
    for k in kinds {
        findings.add(vec![("kind", k.0.to_string()), ("severity", k.1.to_string())], counted[k]);
    }
    for family in [at, read, days, end, state, up, push, findings] {
        family.write(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_cannot_break_out_of_their_quotes_or_line() {
        assert_eq!(label_value(r#"ftd"} 1"#), r#"ftd\"} 1"#);
        assert_eq!(label_value("a\\b"), "a\\\\b");
        // A line break is written out by `printable` as `\x0a`, whose backslash is escaped.
        assert_eq!(label_value("a\nb"), "a\\\\x0ab");
        assert_eq!(label_value("a\x1b[31mb"), "a\\\\x1b[31mb");
    }
}
