//! tlstriage's own outputs, recognised by their content: a report of an earlier run left in the
//! case folder (`analyze -o report.json`, the HTML page, SARIF, JUnit, JSON Lines, Markdown, the
//! text view), the plan's `plan.txt` and `devices.csv`, a baseline, the fleet's outputs and the
//! `certs` and `handshakes` listings. What they quote comes from the evidence of that earlier
//! run, so reading them again would count it twice (and read our own words as a device's): they
//! are listed among the inputs and not read.
//!
//! A shape is known by how the output starts (never by the file's name) and by every line of
//! the head being one the output writes: a device's log or a case note that merely mentions
//! tlstriage, or that quotes a report's first line and then has log lines of its own, is read as
//! usual.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Head, IngestContext, LineKind, ReadStatus, Sink, Source, Status};

/// What the input's status line says.
pub const MESSAGE: &str = "a tlstriage report (not read as evidence)";

static ANALYZE_JSON: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^\{"schema_version":\d+,"tool":\{"name":"tlstriage""#).expect("json regex"));
static BASELINE_JSON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\{"baseline_version":\d+,"tool":"tlstriage","findings":\["#).expect("baseline regex")
});
static FLEET_JSON: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^\{"systems":\[(\]|\{"id":"(fmc|ca|system):)"#).expect("fleet json regex"));
static CERTS_JSON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\[\{"subject":"[^"]*","issuer":"[^"]*","serial":"[^"]*","not_before":"#).expect("certs json regex")
});
static HANDSHAKES_JSON: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^\[\{"duration_us":(\d+|null),"client":"#).expect("handshakes json regex"));
static SARIF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^\{"\$schema":"[^"]*sarif[^"]*","runs":\["#).expect("sarif regex"));
/// One line of `analyze --format jsonl` (a finding) or `fleet --format jsonl` (a system).
static JSONL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\{("kind":"[a-z0-9-]+","severity":"(critical|error|warning|info)","context":"|"id":"(fmc|ca|system):[^"]*",("name":"([^"\\]|\\.)*",)?"fmc":)"#)
        .expect("jsonl regex")
});
static CASE_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Case: (no TLS problem|\d+ findings?) .*\bin \d+ inputs? read").expect("case regex"));
static MARKDOWN_CASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^- \*\*Case:\*\* (no TLS problem|\d+ findings?) .*\bin \d+ inputs? read").expect("markdown regex")
});
static PLAN_HEAD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^# \S.*: .* → ").expect("plan regex"));
static STACKED_HANDSHAKE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}|-)  [a-z-]+  \S").expect("handshake line regex")
});
/// The header rows of the box tables: fleet, certs, handshakes.
const BOX_HEADERS: &[&[&str]] = &[
    &["#", "FMC", "version", "InternalCA notAfter", "days", "state"],
    &["Subject", "Serial", "Not before", "Not after", "Expiry"],
    &["Start", "Duration", "Client", "Server", "SNI", "Version"],
];
const FLEET_CSV: &str = "system,fmc,fmc_uuid,version,ca_not_after,days_left,state,";
const DEVICES_CSV: &str = "#device_name,ipaddr,login,password";

/// Whether the head is one of tlstriage's own outputs.
pub fn sniff(head: &Head<'_>) -> bool {
    let text = head.text();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).trim_start();
    let lines: Vec<&str> = text.lines().take(Head::COUNTED).collect();
    let Some(&first) = lines.first() else { return false };
    if first.starts_with('{') || first.starts_with('[') {
        return json(text, &lines);
    }
    if first.starts_with('<') {
        return markup(text);
    }
    if no_log_line_at_the_margin(&lines, head) {
        return plain(&lines);
    }
    false
}

/// Read nothing: the status line says what it is.
pub fn parse(_: &mut Source<'_>, _: &IngestContext, _: &mut dyn Sink) -> ReadStatus {
    ReadStatus::new(Status::Skipped, MESSAGE.to_string())
}

/// A JSON document or JSON Lines: recognised by the keys it starts with; every line of a
/// pretty-printed one is indented or punctuation, every line of JSON Lines one object.
fn json(text: &str, lines: &[&str]) -> bool {
    if JSONL.is_match(lines[0]) {
        // The last line of the head may be cut.
        let whole = &lines[..lines.len().saturating_sub(1).max(1)];
        return whole.iter().all(|l| JSONL.is_match(l) && l.trim_end().ends_with('}'));
    }
    let compact: String = text.chars().take(4096).filter(|c| !c.is_whitespace()).collect();
    let known = [&*ANALYZE_JSON, &*BASELINE_JSON, &*FLEET_JSON, &*CERTS_JSON, &*HANDSHAKES_JSON, &*SARIF]
        .iter()
        .any(|r| r.is_match(&compact));
    // Pretty-printed: every line but the first and the last (perhaps cut) is indented or
    // punctuation; printed compact, it is one line.
    let inner = &lines[1..lines.len().saturating_sub(1).max(1)];
    known && inner.iter().all(|l| l.starts_with(char::is_whitespace) || is_punctuation(l))
}

/// A line of pretty-printed JSON at the margin: only its brackets.
fn is_punctuation(l: &str) -> bool {
    l.trim_end().chars().all(|c| "{}[],".contains(c))
}

/// The HTML page and the JUnit XML.
fn markup(text: &str) -> bool {
    let start: String = text.chars().take(2048).collect();
    let html = start.get(..15).is_some_and(|s| s.eq_ignore_ascii_case("<!DOCTYPE html>"))
        && start.contains("<title>tlstriage report</title>");
    let junit = start.starts_with("<?xml") && start.contains("<testsuites name=\"tlstriage\"");
    html || junit
}

/// The text view, Markdown, the plan and its `devices.csv`, the fleet's CSV and the box tables
/// and stacked listings of `fleet`, `certs` and `handshakes`.
fn plain(lines: &[&str]) -> bool {
    let first = lines[0];
    if CASE_LINE.is_match(first) {
        return true;
    }
    if first.trim_end() == "### Case summary" {
        return lines.iter().skip(1).find(|l| !l.trim().is_empty()).is_some_and(|l| MARKDOWN_CASE.is_match(l));
    }
    if first.starts_with(FLEET_CSV) {
        return true;
    }
    if first.trim_end() == DEVICES_CSV {
        return lines.iter().all(|l| l.trim().is_empty() || l.split(',').count() == 4);
    }
    if PLAN_HEAD.is_match(first) {
        return lines.iter().all(|l| {
            l.trim().is_empty()
                || l.starts_with('#')
                || l.starts_with(char::is_whitespace)
                || l.starts_with("Nothing to push")
        });
    }
    if first.starts_with('┌') {
        let Some(header) = lines.get(1) else { return false };
        let cells: Vec<&str> = header.trim_matches(|c| c == '│' || c == ' ').split('┆').map(str::trim).collect();
        return BOX_HEADERS.iter().any(|h| cells.len() >= h.len() && cells[..h.len()] == h[..]);
    }
    // The stacked listings of `handshakes` and `certs`: a first line at the margin, then its
    // fields indented by four (a field too long for the width goes on, indented by six).
    let fields: Vec<&str> = lines[1..]
        .iter()
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("    ") && !l[4..].starts_with(' '))
        .map(|l| &l[4..])
        .collect();
    if STACKED_HANDSHAKE.is_match(first) {
        return fields.first().is_some_and(|f| f.contains(" → ")) && fields.iter().any(|f| f.starts_with("alerts: "));
    }
    // A subject long enough to wrap goes on at four: the fields start at `serial`.
    let at = fields.iter().position(|f| f.starts_with("serial ")).unwrap_or(fields.len());
    at <= 4 && fields[at..].len() >= 4 && {
        let rest = &fields[at..];
        ["serial ", "valid ", "issuer "].iter().zip(rest).all(|(w, f)| f.starts_with(w))
            && rest.iter().any(|f| f.starts_with("at "))
    }
}

/// No line of the head is a log line written at the left margin: everything a report quotes
/// from the evidence is indented or inside its markup.
fn no_log_line_at_the_margin(lines: &[&str], head: &Head<'_>) -> bool {
    !lines.iter().any(|l| {
        l.starts_with(|c: char| c.is_ascii_alphanumeric())
            && matches!(head.line_kind(l), Some(LineKind::Syslog | LineKind::TlsProxy | LineKind::FailedPush))
    })
}
