//! `analyze --format markdown`: what a TAC engineer pastes into a case note or a GitHub ticket
//! (GitHub-flavoured Markdown): the case summary, the findings table and each system's steps.
//!
//! Text from the inputs can never become Markdown: every piece of text is escaped (control
//! characters as in the terminal views, then a backslash before each character that could start
//! emphasis, a link, an image, HTML, an entity, math, a table cell or, at its start, a block),
//! a word that GitHub would turn into a link by itself (an address with `@`, `://`, `www.`) is
//! set as code, and commands are code spans whose fence is longer than any run of backticks in
//! them. In a table, pipes are escaped and kept out of code spans (GFM splits cells before it
//! reads code spans).

use std::fmt::Write as _;
use std::io;

use super::{case_summary, findings_grid, when, Exporter, View};
use crate::analyze::Report;
use crate::diagnose::{Piece, StepText};
use crate::systems::{Step, System};
use crate::util::printable;

/// `analyze --format markdown`: the report as GitHub-flavoured Markdown.
pub struct Markdown<'a>(pub &'a View<'a>);

impl Exporter for Markdown<'_> {
    fn write(&self, out: &mut dyn io::Write) -> io::Result<()> {
        out.write_all(document(self.0).as_bytes())
    }
}

/// Where text goes: at the start of a line it could start a block; in a table cell a pipe ends
/// the cell, even inside a code span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Block,
    Cell,
}

/// Characters escaped wherever they are: each can start emphasis, strikethrough, a link or an
/// image, HTML, an entity, math or code, or end a table cell.
const MARKUP: &[char] = &['\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '&', '$', '!'];

/// Whether GitHub would make a link of `word` although nothing marks it as one.
fn links_itself(word: &str) -> bool {
    word.contains('@') || word.contains("://") || word.to_ascii_lowercase().contains("www.")
}

/// Where a backslash goes so that `s` starts no block (heading, quote, list, thematic break)
/// at the start of a line: before its first character, or before the `.` of `1.`.
fn block_start(s: &str) -> Option<usize> {
    if s.starts_with(['#', '>', '-', '+', '=']) {
        return Some(0);
    }
    let digits = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    (digits > 0 && s[digits..].starts_with(['.', ')'])).then_some(digits)
}

/// `s` as Markdown text that renders as itself.
pub fn text(s: &str, place: Place) -> String {
    let s = printable(s);
    let mut out = String::with_capacity(s.len() + 8);
    for (i, word) in s.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if links_itself(word) {
            out.push_str(&code(word, place));
            continue;
        }
        let at = out.len();
        for c in word.chars() {
            if MARKUP.contains(&c) {
                out.push('\\');
            }
            out.push(c);
        }
        if let Some(k) = block_start(&out[at..]).filter(|_| i == 0 && place == Place::Block) {
            out.insert(at + k, '\\');
        }
    }
    out
}

/// `s` as one code span: a fence of one backtick more than the longest run in it, padded when it
/// starts or ends with a backtick or a space (CommonMark takes one space off each side). In a
/// cell, pipes stay outside the spans, escaped: GFM splits cells before it reads code spans,
/// and a backslash before a pipe would be ambiguous inside one.
pub fn code(s: &str, place: Place) -> String {
    let s = printable(s);
    if place == Place::Cell && s.contains('|') {
        return s.split('|').map(|piece| code(piece, Place::Block)).collect::<Vec<_>>().join("\\|");
    }
    if s.is_empty() {
        return String::new();
    }
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with(['`', ' ']) || s.ends_with(['`', ' ']) { " " } else { "" };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// A step's (or a summary line's) text: its commands as code spans, its prose as text (a
/// backtick from an input is escaped like any other markup character).
pub fn prose(s: &StepText, place: Place) -> String {
    let mut out = String::new();
    for piece in s.pieces() {
        match piece {
            Piece::Prose(p) => out.push_str(&text(p, place)),
            Piece::Command(c) => out.push_str(&code(c.as_str(), place)),
        }
    }
    out
}

fn document(view: &View) -> String {
    let r = view.report;
    let mut out = String::from("### Case summary\n\n");
    for line in case_summary::lines(r) {
        let _ = writeln!(out, "- **{}:** {}", text(&line.heading, Place::Block), prose(&line.text, Place::Block));
    }
    if let Some(c) = view.baseline {
        let (new, unchanged, changed) = (c.new_count(), c.unchanged_count(), c.changed_count());
        let counts = format!("{new} new, {unchanged} unchanged, {changed} changed, {} resolved", c.resolved.len());
        let _ = writeln!(out, "- **Baseline** {}: {counts}", code(&c.file, Place::Block));
    }
    out.push('\n');
    if r.nothing_readable() {
        out.push_str("Nothing was read: no input is in a format tlstriage knows.\n");
    } else if r.findings.is_empty() {
        out.push_str("No TLS problems found.\n");
    } else {
        findings(&mut out, view);
    }
    let with_steps: Vec<&System> = r.systems.iter().filter(|s| has_steps(s)).collect();
    if !with_steps.is_empty() {
        out.push_str("\n### Steps per system\n");
        for s in with_steps {
            system(&mut out, s);
        }
    }
    out
}

/// The findings table: one row per finding, as the terminal's overview with its times.
fn findings(out: &mut String, view: &View) {
    let r: &Report = view.report;
    let status = |i: usize| view.baseline.and_then(|c| c.status_of(i)).map(|s| s.as_str());
    let baseline = (0..r.findings.len()).any(|i| status(i).is_some());
    let _ = writeln!(out, "### Findings ({})\n", r.findings.len());
    let mut header = vec![("#", "---:")];
    if baseline {
        header.push(("Baseline", "---"));
    }
    header.extend([("Severity", "---"), ("Kind", "---"), ("Device", "---"), ("Peer", "---"), ("What", "---")]);
    header.extend([("Count", "---:"), ("First seen", "---"), ("Last seen", "---")]);
    let row = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
    out.push_str(&row(header.iter().map(|(h, _)| h.to_string()).collect()));
    out.push_str(&row(header.iter().map(|(_, a)| a.to_string()).collect()));
    for (i, f) in r.findings.iter().enumerate() {
        let mut cells = vec![(i + 1).to_string()];
        if baseline {
            cells.push(status(i).unwrap_or("-").to_string());
        }
        let words =
            [f.severity.as_str(), f.kind.as_str(), &findings_grid::device(f), &findings_grid::peer(f), &f.title];
        cells.extend(words.iter().map(|w| text(w, Place::Cell)));
        cells.extend([f.count.to_string(), when(f.first_seen), when(f.last_seen)]);
        out.push_str(&row(cells));
    }
}

fn has_steps(s: &System) -> bool {
    !s.next_steps.is_empty() || !s.collect.is_empty()
}

/// A system's heading, its numbered steps with their commands, what to collect and what was
/// inferred (both plain text: they hold no commands).
fn system(out: &mut String, s: &System) {
    let _ = writeln!(out, "\n#### {}: {}\n", text(&s.label(), Place::Block), s.state.as_str());
    for (n, st) in s.next_steps.iter().enumerate() {
        let _ = writeln!(out, "{}. {}", n + 1, step(st));
    }
    if !s.collect.is_empty() {
        out.push_str("\nTo collect:\n\n");
        for c in &s.collect {
            let _ = writeln!(out, "- {}", text(c, Place::Block));
        }
    }
    if !s.notes.is_empty() {
        let notes: Vec<String> = s.notes.iter().map(|n| text(n, Place::Block)).collect();
        let _ = writeln!(out, "\n*Inferred:* {}", notes.join("; "));
    }
}

/// `**On HOST:** text Command: `cmd``, optional steps marked.
fn step(st: &Step) -> String {
    let mut line = String::new();
    if st.optional {
        line.push_str("*Optional:* ");
    }
    let _ = write!(line, "**On {}:** {}", text(&st.on, Place::Block), prose(&st.text, Place::Block));
    if let Some(c) = &st.command {
        let _ = write!(line, " Command: {}", code(c.as_str(), Place::Block));
    }
    line
}

#[cfg(test)]
#[path = "markdown_tests.rs"]
mod tests;
