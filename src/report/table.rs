//! The default human-readable output: a table of findings, then the steps to fix each, then the
//! inputs that could not be read.

use std::fmt::Write;

use comfy_table::Cell;

use super::when;

use crate::analyze::Report;
use crate::baseline::Comparison;
use crate::input::Status;

/// The peer column: the address, else the TLS-proxy session, else `-`.
fn peer(f: &crate::diagnose::Finding) -> String {
    match (&f.peer, f.facts.get("session")) {
        (Some(p), _) => p.clone(),
        (None, Some(s)) => format!("session {s}"),
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
    let mut out = String::new();
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
                Cell::new(f.device.as_deref().unwrap_or("-")),
                Cell::new(peer(f)),
                Cell::new(&f.title),
                Cell::new(f.count),
                Cell::new(when(f.first_seen)),
                Cell::new(when(f.last_seen)),
                Cell::new(f.remediation.as_ref().map_or("-", |r| r.title.as_str())),
            ]);
            t.add_row(row);
        }
        let _ = writeln!(out, "{t}");
        for (i, f) in r.findings.iter().enumerate() {
            let tag = status(i).map(|s| format!(" ({s})")).unwrap_or_default();
            let _ = writeln!(out, "\n[{}] {} {}{tag}: {}", i + 1, f.severity, f.kind, f.title);
            if !f.detail.is_empty() {
                let _ = writeln!(out, "    {}", f.detail);
            }
            for e in f.evidence.iter().take(3) {
                let _ = writeln!(out, "    at {}", e.location());
            }
            if f.evidence.len() > 3 {
                let _ = writeln!(out, "    ... and {} more", f.evidence.len() - 3);
            }
            if let Some(rem) = &f.remediation {
                let _ = writeln!(out, "  Fix: {}", rem.title);
                for (n, s) in rem.steps.iter().enumerate() {
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
            let field = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
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
            i.path,
            i.format.as_str(),
            i.message.as_deref().map(|m| format!(": {m}")).unwrap_or_default()
        );
    }
    out
}

/// The baseline block: the counts, then each accepted finding that this run no longer shows.
fn resolved(out: &mut String, c: &Comparison) {
    let _ = writeln!(
        out,
        "\nBaseline {}: {} new, {} unchanged, {} resolved",
        c.file,
        c.new_count(),
        c.unchanged_count(),
        c.resolved.len()
    );
    for a in &c.resolved {
        let id = &a.identity;
        let mut at: Vec<String> = Vec::new();
        if let Some(d) = &id.device {
            at.push(format!("device {d}"));
        }
        if let Some(p) = &id.peer {
            at.push(format!("peer {p}"));
        }
        if let Some(s) = &id.subject {
            at.push(s.clone());
        }
        let sev = a.severity.as_deref().unwrap_or("-");
        let title = a.title.as_deref().map(|t| format!(": {t}")).unwrap_or_default();
        let at = if at.is_empty() { String::new() } else { format!(" ({})", at.join(", ")) };
        let _ = writeln!(out, "  resolved {sev} {}{title}{at}", id.kind);
    }
}
