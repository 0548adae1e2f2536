//! The default text of `analyze` (the answer on one screen): with `--baseline` the verdict
//! first, then the case summary (a line per system with its state and first step), the
//! findings overview (one or two lines per finding: what, on which device and peer), each
//! system's numbered steps once (generate_certs.pl's caveats left to `-v`), what to collect once
//! for all the systems that need it, and the inputs that gave trouble. Evidence, each finding's own
//! steps, the handshakes and the devices are `-v`'s ([`super::table`]), JSON's and HTML's.

use std::fmt::Write;

use super::term::Layout;
use super::text_parts as parts;
use super::{case_summary, findings_brief, wrap, View};
use crate::baseline::Comparison;
use crate::diagnose::Severity;
use crate::systems::{Step, System};
use crate::util::printable;

/// The default text of `view`.
pub fn text(view: &View) -> String {
    let (r, layout, baseline) = (view.report, &view.layout, view.baseline);
    let w = layout.width;
    let status = |i: usize| baseline.and_then(|c| c.status_of(i)).map(|s| s.as_str());
    let mut out = String::new();
    if let Some(c) = baseline {
        out.push_str(&verdict(c, view, layout));
    }
    // Against a baseline with nothing new or changed, the case line is no alarm.
    let calm = baseline.is_some_and(|c| c.new_count() + c.changed_count() == 0);
    out.push_str(&parts::summary_lines(r, layout, calm));
    if let Some(line) = super::unread::mixed_summary(r) {
        out.push_str(&wrap::fill(&format!("Inputs: {line}"), w, "", "    "));
    }
    out.push('\n');
    out.push_str(&parts::findings_or_why_not(r, || findings_brief::render(&r.findings, layout, &status)));
    let with_steps: Vec<&System> = r.systems.iter().filter(|s| has_steps(s)).collect();
    if !with_steps.is_empty() {
        let _ = write!(out, "\n{}\n", layout.bold("Steps per system"));
        for (n, s) in with_steps.iter().filter(|s| !s.next_steps.is_empty()).enumerate() {
            if n > 0 {
                out.push('\n');
            }
            system(&mut out, s, layout);
        }
        collect(&mut out, &with_steps, layout);
    }
    if let Some(c) = baseline.filter(|c| !c.resolved.is_empty()) {
        parts::resolved(&mut out, c, w);
    }
    parts::inputs(&mut out, r, w, false);
    if !r.findings.is_empty() {
        out.push('\n');
        out.push_str(&wrap::fill(
            "The evidence and steps of each finding, the handshakes and the devices: tlstriage analyze -v (or --format json, html).",
            w,
            "",
            "",
        ));
    }
    out
}

/// The first line with a baseline: what is new, changed and resolved, coloured by the worst new
/// or changed finding.
fn verdict(c: &Comparison, view: &View, layout: &Layout) -> String {
    let (new, changed, resolved) = (c.new_count(), c.changed_count(), c.resolved.len());
    let head = format!("Baseline {}:", printable(&c.file));
    let text = if new + changed + resolved == 0 {
        format!("nothing new, changed or resolved ({} unchanged)", c.unchanged_count())
    } else {
        format!("{new} new, {changed} changed, {resolved} resolved ({} unchanged)", c.unchanged_count())
    };
    let worst: Option<Severity> = (0..view.report.findings.len())
        .filter(|&i| c.status_of(i).is_some_and(|s| s != crate::baseline::Status::Unchanged))
        .map(|i| view.report.findings[i].severity)
        .max();
    let painted = match worst {
        Some(s) => layout.paint(s, &head),
        None => layout.bold(&head),
    };
    parts::painted_start(wrap::fill(&format!("{head} {text}"), layout.width, "", "    "), &head, &painted)
}

fn has_steps(s: &System) -> bool {
    !s.next_steps.is_empty() || !s.collect.is_empty()
}

/// `{sep}finding 3` or `{sep}findings 1, 8`: the numbers of a system's findings (empty without).
fn findings_of(s: &System, sep: &str) -> String {
    let numbers: Vec<String> = s.findings.iter().map(|i| (i + 1).to_string()).collect();
    match numbers.len() {
        0 => String::new(),
        1 => format!("{sep}finding {}", numbers[0]),
        _ => format!("{sep}findings {}", numbers.join(", ")),
    }
}

/// A system's heading (state and its findings' numbers) and its numbered steps (what was
/// inferred is in the JSON, HTML and Markdown).
fn system(out: &mut String, s: &System, layout: &Layout) {
    let w = layout.width;
    let of = if s.findings.is_empty() { String::new() } else { format!(" ({})", findings_of(s, "")) };
    let label = printable(&s.label()).into_owned();
    let head = format!("{label}: {}{of}", s.state.as_str());
    let painted = match case_summary::state_severity(s.state) {
        Some(sev) => layout.paint(sev, &label),
        None => layout.bold(&label),
    };
    out.push_str(&parts::painted_start(wrap::fill(&head, w, "", "    "), &label, &painted));
    for (n, st) in s.next_steps.iter().enumerate() {
        let number = format!("  {}. ", n + 1);
        let hang = " ".repeat(number.len());
        let option = if st.optional { "Option: " } else { "" };
        // The text names where it is done, most often; else the step says it first.
        let named = st.on.split([',', '(']).next().is_some_and(|first| st.text.contains(first.trim()));
        let on = if named { String::new() } else { format!("on {}: ", st.on) };
        // A command the text already runs between backticks is not said twice.
        let text = short(st);
        let command = st.command.as_ref().filter(|c| !text.contains(&format!("`{c}`")));
        let command = command.map(|c| format!(" Command: `{c}`")).unwrap_or_default();
        let line = format!("{option}{on}{text}{command}");
        out.push_str(&wrap::fill(&printable(&line), w, &number, &hang));
    }
}

/// A step's text in the default view: generate_certs.pl's step without what it refuses and
/// where it logs (`-v` says it).
fn short(st: &Step) -> String {
    let full = st.text.to_string();
    match full.strip_suffix(crate::systems::steps::GENERATE_CAVEATS) {
        Some(head) => format!("{head}(What it refuses, where it logs: -v.)"),
        None => full,
    }
}

/// What to collect, once for all the systems that need the same thing: the systems with steps
/// by name, the others with their state and findings' numbers.
fn collect(out: &mut String, systems: &[&System], layout: &Layout) {
    let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
    for s in systems {
        let label = match s.next_steps.is_empty() {
            true => format!("{} ({}{})", printable(&s.label()), s.state.as_str(), findings_of(s, "; ")),
            false => printable(&s.label()).into_owned(),
        };
        for c in &s.collect {
            match groups.iter_mut().find(|(text, _)| text == c) {
                Some((_, labels)) => labels.push(label.clone()),
                None => groups.push((c, vec![label.clone()])),
            }
        }
    }
    if !groups.is_empty() && systems.iter().any(|s| !s.next_steps.is_empty()) {
        out.push('\n');
    }
    for (text, labels) in groups {
        let line = format!("{}: collect {}", labels.join(", "), printable(text));
        out.push_str(&wrap::fill(&line, layout.width, "", "    "));
    }
}
