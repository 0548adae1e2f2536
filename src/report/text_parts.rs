//! The pieces both text views of `analyze` print ([`super::table`] with `-v`, and
//! [`super::text_brief`]): the case summary, the baseline's resolved findings and the inputs
//! that gave trouble.

use super::term::Layout;
use super::{case_summary, wrap};
use crate::analyze::Report;
use crate::baseline::Comparison;
use crate::model::Status;
use crate::util::printable;

/// The case summary, a line (or a few, wrapped) per entry; `calm` leaves the case line
/// uncoloured (a baseline run with nothing new).
pub(super) fn summary_lines(r: &Report, layout: &Layout, calm: bool) -> String {
    summary_lines_with(r, layout, calm, false)
}

/// The case summary; `sources` adds under each system where the FMC version its steps use was
/// read (the `-v` view).
pub(super) fn summary_lines_with(r: &Report, layout: &Layout, calm: bool, sources: bool) -> String {
    let mut out = String::new();
    for line in case_summary::lines(r) {
        let heading = format!("{}:", printable(&line.heading));
        let painted = match line.severity.filter(|_| !(calm && line.heading == "Case" && line.system.is_none())) {
            Some(s) => layout.paint(s, &heading),
            None => layout.bold(&heading),
        };
        out.push_str(&painted_start(
            wrap::fill(&format!("{heading} {}", printable(&line.text.to_string())), layout.width, "", "    "),
            &heading,
            &painted,
        ));
        for d in &line.details {
            out.push_str(&wrap::fill(&printable(d), layout.width, "  ", "      "));
        }
        let system = line.system.and_then(|i| r.systems.get(i)).filter(|_| sources);
        if let Some(said) = system.and_then(crate::systems::provenance::version_source) {
            out.push_str(&wrap::fill(&printable(&said), layout.width, "  ", "      "));
        }
    }
    out
}

/// `text` (wrapped without colour) with its leading `plain` replaced by `painted`: colour
/// escapes take no columns, so they go in after the wrapping.
/// What the text says in place of the findings when there are none to list (nothing could be
/// read, or nothing was found), else `listing` of them: one wording for every text view.
pub(super) fn findings_or_why_not(r: &Report, listing: impl FnOnce() -> String) -> String {
    if r.nothing_readable() {
        super::unread::nothing_read_line(r).to_string()
    } else if r.findings.is_empty() {
        "No TLS problems found.\n".to_string()
    } else {
        listing()
    }
}

pub(super) fn painted_start(text: String, plain: &str, painted: &str) -> String {
    match text.strip_prefix(plain) {
        Some(rest) if plain != painted => format!("{painted}{rest}"),
        _ => text,
    }
}

/// The inputs that gave trouble; `list_same` lists the places counted once (else only their
/// number).
pub(super) fn inputs(out: &mut String, r: &Report, w: usize, list_same: bool) {
    let copies = r.copies();
    let problems: Vec<_> = r.inputs.iter().filter(|i| i.status != Status::Ok && copies.of(i).is_none()).collect();
    out.push('\n');
    let listed = if list_same || r.duplicates.is_empty() { "" } else { " (the places counted once: -v)" };
    out.push_str(&wrap::fill(&format!("Inputs: {}{listed}", r.input_counts().words()), w, "", "    "));
    if list_same {
        same_content(out, r, w);
    }
    // The inputs with the same status, format and message on one line.
    let mut lines: Vec<(String, Vec<String>)> = Vec::new();
    for i in problems {
        let message = i.message.as_deref().map(|m| format!(": {}", printable(m))).unwrap_or_default();
        let tail = format!("({}){message}", i.format.as_str());
        let path = printable(&i.path).into_owned();
        match lines.iter_mut().find(|(t, paths)| *t == tail && !list_same && paths[0].starts_with(i.status.as_str())) {
            Some((_, paths)) => paths.push(path),
            None => lines.push((tail, vec![format!("{:<8} {path}", i.status.as_str())])),
        }
    }
    for (tail, paths) in lines {
        out.push_str(&wrap::fill(&format!("{} {tail}", paths.join(", ")), w, "  ", "           "));
    }
}

/// The baseline block: the counts, then each accepted finding that this run no longer shows.
pub(super) fn resolved(out: &mut String, c: &Comparison, w: usize) {
    let head = format!(
        "Baseline {}: {} new, {} unchanged, {} changed, {} resolved",
        printable(&c.file),
        c.new_count(),
        c.unchanged_count(),
        c.changed_count(),
        c.resolved.len()
    );
    out.push('\n');
    out.push_str(&wrap::fill(&head, w, "", "    "));
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
        out.push_str(&wrap::fill(
            &format!("resolved {} {}{title}{at}", printable(sev), printable(&id.kind)),
            w,
            "  ",
            "      ",
        ));
    }
}

/// The places not read because an earlier place held the same bytes.
fn same_content(out: &mut String, r: &Report, w: usize) {
    if r.duplicates.is_empty() {
        return;
    }
    let n = crate::wording::counted(r.duplicates.len() as u64, "place");
    out.push_str(&wrap::fill(&format!("{n} counted once (same content as an earlier input):"), w, "  ", "    "));
    for d in &r.duplicates {
        let line = format!("same     {}: {}", printable(&d.path), printable(&crate::input::contents::message(d)));
        out.push_str(&wrap::fill(&line, w, "  ", "           "));
    }
}
