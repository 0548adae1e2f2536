//! The default human-readable output: the case summary (one line per system), a table of
//! findings, then the steps to fix each, then the inputs that could not be read.

use std::fmt::Write;

use comfy_table::Cell;

use super::when;

use crate::analyze::Report;
use crate::baseline::Comparison;
use crate::input::Status;
use crate::util::{printable, printable_lines};

/// The peer column: the address, else the TLS-proxy session, else `-`.
fn peer(f: &crate::diagnose::Finding) -> String {
    match (&f.peer, f.facts.get("session")) {
        (Some(p), _) => printable(p).into_owned(),
        (None, Some(s)) => format!("session {}", printable(s)),
        _ => "-".into(),
    }
}

/// Render the report for people. `width` fixes the table width (tests); `None` lets it adapt.
pub fn render(r: &Report, width: Option<u16>) -> String {
    render_with(r, width, None)
}

/// [`render`] with the comparison against a baseline: a Baseline column (new / unchanged), the
/// status beside each finding's steps, and the accepted findings that are gone.
pub fn render_with(r: &Report, width: Option<u16>, baseline: Option<&Comparison>) -> String {
    let status = |i: usize| baseline.and_then(|c| c.status_of(i)).map(|s| s.as_str());
    // The case summary first: one line per system, its state and the first step.
    let mut out = crate::systems::summary::block(&r.systems);
    if !out.is_empty() {
        out.push('\n');
    }
    if let Some(line) = super::unread::mixed_summary(r) {
        let _ = writeln!(out, "Inputs: {line}\n");
    }
    if r.nothing_readable() {
        out.push_str("Nothing was read: no input is in a format tlstriage knows (see Inputs below).\n");
    } else if r.findings.is_empty() {
        out.push_str("No TLS problems found.\n");
    } else {
        let mut t = super::new_table(width);
        let mut header = vec!["#"];
        if baseline.is_some() {
            header.push("Baseline");
        }
        header.extend(["Severity", "Kind", "Device", "Peer", "What", "Count", "First seen", "Last seen", "Fix"]);
        t.set_header(header);
        for (i, f) in r.findings.iter().enumerate() {
            let mut row = vec![Cell::new(i + 1)];
            if let Some(s) = status(i) {
                row.push(Cell::new(s));
            }
            row.extend([
                Cell::new(f.severity),
                Cell::new(f.kind),
                Cell::new(printable(f.device.as_deref().unwrap_or("-"))),
                Cell::new(peer(f)),
                Cell::new(printable(&f.title)),
                Cell::new(f.count),
                Cell::new(when(f.first_seen)),
                Cell::new(when(f.last_seen)),
                Cell::new(printable(f.remediation.as_ref().map_or("-", |r| r.title.as_str()))),
            ]);
            t.add_row(row);
        }
        let _ = writeln!(out, "{t}");
        for (i, f) in r.findings.iter().enumerate() {
            let tag = status(i).map(|s| format!(" ({s})")).unwrap_or_default();
            let _ = writeln!(out, "\n[{}] {} {}{tag}: {}", i + 1, f.severity, f.kind, printable(&f.title));
            if !f.detail.is_empty() {
                let _ = writeln!(out, "    {}", printable(&f.detail));
            }
            for e in f.evidence.iter().take(3) {
                let _ = writeln!(out, "    at {}", printable(&e.location()));
            }
            if f.evidence.len() > 3 {
                let _ = writeln!(out, "    ... and {} more", f.evidence.len() - 3);
            }
            if let Some(rem) = &f.remediation {
                let _ = writeln!(out, "  Fix: {}", printable(&rem.title));
                for (n, s) in rem.steps.iter().enumerate() {
                    let s = printable_lines(s);
                    let mut lines = s.lines();
                    if let Some(first) = lines.next() {
                        let _ = writeln!(out, "    {}. {}", n + 1, first);
                    }
                    for l in lines {
                        let _ = writeln!(out, "       {l}");
                    }
                }
            }
        }
    }
    if let Some(c) = baseline {
        resolved(&mut out, c);
    }
    out.push_str(&super::handshakes::summary(r));
    if !r.devices.is_empty() {
        let _ = writeln!(out, "\nDevices:");
        for d in &r.devices {
            let role = match d.role {
                crate::facts::DeviceRole::Fmc => "FMC",
                crate::facts::DeviceRole::Ftd => "FTD",
                crate::facts::DeviceRole::Unknown => "device",
            };
            let field = |v: &Option<String>| v.as_deref().map_or("-".into(), |v| printable(v).into_owned());
            let _ = writeln!(
                out,
                "  {role:<6} {} version {} model {} uuid {}",
                field(&d.hostname),
                field(&d.version),
                field(&d.model),
                field(&d.uuid)
            );
        }
    }
    let problems: Vec<_> = r.inputs.iter().filter(|i| i.status != Status::Ok).collect();
    let ok = r.inputs.len() - problems.len();
    let _ = writeln!(out, "\nInputs: {} read, {} with problems or skipped", ok, problems.len());
    for i in problems {
        let status = i.status.as_str();
        let _ = writeln!(
            out,
            "  {status:<8} {} ({}){}",
            printable(&i.path),
            i.format.as_str(),
            i.message.as_deref().map(|m| format!(": {}", printable(m))).unwrap_or_default()
        );
    }
    out
}

/// The baseline block: the counts, then each accepted finding that this run no longer shows.
fn resolved(out: &mut String, c: &Comparison) {
    let _ = writeln!(
        out,
        "\nBaseline {}: {} new, {} unchanged, {} resolved",
        printable(&c.file),
        c.new_count(),
        c.unchanged_count(),
        c.resolved.len()
    );
    for a in &c.resolved {
        let id = &a.identity;
        let mut at: Vec<String> = Vec::new();
        if let Some(d) = &id.device {
            at.push(format!("device {}", printable(d)));
        }
        if let Some(p) = &id.peer {
            at.push(format!("peer {}", printable(p)));
        }
        if let Some(s) = &id.subject {
            at.push(printable(s).into_owned());
        }
        let sev = a.severity.as_deref().unwrap_or("-");
        let title = a.title.as_deref().map(|t| format!(": {}", printable(t))).unwrap_or_default();
        let at = if at.is_empty() { String::new() } else { format!(" ({})", at.join(", ")) };
        let _ = writeln!(out, "  resolved {} {}{title}{at}", printable(sev), printable(&id.kind));
    }
}
