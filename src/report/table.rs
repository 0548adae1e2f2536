//! The human-readable output of `analyze`, the default one ([`super::text_brief`]) or with
//! `-v` this whole text: the case summary, the findings overview, then each finding with its
//! evidence and the steps to fix it, then the handshakes, devices and inputs. Laid out for a
//! given width (see [`super::term`]), lines broken between words.

use std::fmt::Write;

use super::finding_text::FindingText;
use super::term::Layout;
use super::text_parts::{findings_or_why_not, inputs, painted_start, resolved, summary_lines_with};
use super::View;
use super::{findings_grid, when, wrap};
use crate::analyze::Report;
use crate::baseline::Comparison;
use crate::diagnose::Finding;
use crate::remedy::Advised;
use crate::util::printable;

/// How many pieces of evidence each finding lists.
const EVIDENCE_SHOWN: usize = 3;

/// `analyze --format table`: the report for people.
pub struct Table<'a>(pub &'a View<'a>);

impl super::Exporter for Table<'_> {
    fn write(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        write(self.0, out)
    }
}

/// Write the report for people: the answer ([`super::text_brief`]), or with `-v` everything.
fn write(view: &View, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let text =
        if view.verbose { text(view.report, &view.layout, view.baseline) } else { super::text_brief::text(view) };
    out.write_all(text.as_bytes())
}

/// The whole text, with the status of each finding against a baseline (new / unchanged) and
/// the accepted findings that are gone.
fn text(r: &Report, layout: &Layout, baseline: Option<&Comparison>) -> String {
    // The grid shows the status word; the details add what a changed finding was accepted as.
    let status = |i: usize| baseline.and_then(|c| c.status_of(i)).map(|s| s.as_str());
    let label = |i: usize| baseline.and_then(|c| c.label(i));
    let w = layout.width;
    let mut out = summary_lines_with(r, layout, false, true);
    out.push('\n');
    if let Some(line) = super::unread::mixed_summary(r) {
        out.push_str(&wrap::fill(&format!("Inputs: {line}"), w, "", "    "));
        out.push('\n');
    }
    out.push_str(&findings_or_why_not(r, || {
        let mut listing = findings_grid::render(&r.findings, layout, &status);
        for (i, f) in r.findings.iter().enumerate() {
            details(&mut listing, i, f, layout, label(i).as_deref());
        }
        listing
    }));
    if let Some(c) = baseline {
        resolved(&mut out, c, w);
    }
    for line in super::handshakes::summary(r).lines() {
        out.push_str(&wrap::fill(line, w, "", "      "));
    }
    devices(&mut out, r, w);
    inputs(&mut out, r, w, true);
    out
}

/// One finding: its heading, where, the detail, when and how often, the evidence and the steps.
fn details(out: &mut String, i: usize, f: &Advised, layout: &Layout, status: Option<&str>) {
    let w = layout.width;
    let text = FindingText::of(f, status, EVIDENCE_SHOWN);
    let number = format!("[{}] ", i + 1);
    let head = format!("{number}{}: {}", text.label(), printable(text.title));
    let painted = format!("{number}{}", layout.paint(f.severity, f.severity.as_str()));
    out.push('\n');
    out.push_str(&painted_start(wrap::fill(&head, w, "", "    "), &format!("{number}{}", f.severity), &painted));
    let ends = [
        f.device_name().map(|d| format!("device {}", printable(d))),
        Some(findings_grid::peer(f)).filter(|p| p != "-").map(|p| format!("peer {p}")),
    ];
    let ends: Vec<String> = ends.into_iter().flatten().collect();
    if !ends.is_empty() {
        out.push_str(&wrap::fill(&ends.join(", "), w, "    ", "    "));
    }
    if let Some(detail) = text.detail {
        out.push_str(&wrap::fill(&printable(detail), w, "    ", "    "));
    }
    out.push_str(&wrap::fill(&seen(f), w, "    ", "    "));
    for e in &text.evidence {
        out.push_str(&wrap::fill(&printable(e), w, "    ", "       "));
    }
    if let Some(more) = &text.more {
        let _ = writeln!(out, "    {more}");
    }
    if let Some(fix) = &text.fix {
        out.push_str(&wrap::fill(&format!("Fix: {}", printable(fix.title)), w, "  ", "       "));
        for (number, step) in &fix.steps {
            let number = format!("    {number}");
            let hang = " ".repeat(number.len());
            for (k, para) in step.lines().enumerate() {
                let first = if k == 0 { number.as_str() } else { hang.as_str() };
                out.push_str(&wrap::fill(&printable(para), w, first, &hang));
            }
        }
    }
}

/// `seen 3 times, FIRST to LAST`: how often and when.
fn seen(f: &Finding) -> String {
    let times = if f.count == 1 { "once".to_string() } else { format!("{} times", f.count) };
    match (f.first_seen, f.last_seen) {
        (Some(a), Some(b)) if when(Some(a)) != when(Some(b)) => {
            format!("seen {times}, {} to {}", when(Some(a)), when(Some(b)))
        }
        (Some(a), _) => format!("seen {times}, {}", when(Some(a))),
        _ => format!("seen {times}"),
    }
}

fn devices(out: &mut String, r: &Report, w: usize) {
    if r.devices.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nDevices:");
    for d in &r.devices {
        let role = match d.role {
            crate::model::DeviceRole::Fmc => "FMC",
            crate::model::DeviceRole::Ftd => "FTD",
            crate::model::DeviceRole::Unknown => "device",
        };
        let field = |v: &Option<String>| v.as_deref().map_or_else(|| "-".into(), |s| printable(s).into_owned());
        let line = format!(
            "{role:<6} {} version {} model {} uuid {}",
            field(&d.hostname),
            field(&d.version),
            field(&d.model),
            field(&d.uuid.map(|u| u.to_string()))
        );
        out.push_str(&wrap::fill(&line, w, "  ", "         "));
    }
}
