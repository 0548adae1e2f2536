//! `--format junit`: JUnit XML for CI servers. One test suite; one test case per input (a file,
//! or a member of an archive). A case fails when a finding whose evidence lies in that input is at
//! or above `--fail-on` (with a baseline: only new findings); its failure text carries the title,
//! the detail, the evidence and the steps of the fix. Inputs that could not be read are errors,
//! inputs of no known format are skipped.

use std::collections::HashMap;
use std::fmt::Write;

use super::finding_text::FindingText;
use super::View;
use crate::analyze::Report;
use crate::baseline::{Comparison, Status as BaselineStatus};
use crate::diagnose::Severity;
use crate::model::DisplayPath;
use crate::model::{InputStatus, Status};
use crate::remedy::Advised;

/// Name of the extra case for findings whose evidence names no input (none, or a `--ca` file).
pub const OTHER_CASE: &str = "(findings without an input file)";

/// Escape text for XML content and attribute values. Characters XML 1.0 cannot carry (most
/// control characters) become U+FFFD; line breaks survive in attributes as character references.
pub fn escape(s: &str) -> String {
    escape_with(s, true)
}

/// Escape element content: like [`escape`] but keeping line breaks and tabs as they are.
fn escape_text(s: &str) -> String {
    escape_with(s, false)
}

fn escape_with(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' if !attribute => out.push(c),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// The input an evidence path belongs to: the input of that very path, else the archive (or
/// member of an archive) that holds it (`outer.tar.gz!/inner`).
fn input_of(by_path: &HashMap<&str, usize>, path: &str) -> Option<usize> {
    if let Some(i) = by_path.get(path) {
        return Some(*i);
    }
    DisplayPath::new(path).archives().find_map(|archive| by_path.get(archive).copied())
}

/// Findings per case: index `inputs.len()` is [`OTHER_CASE`].
fn findings_per_case(r: &Report) -> Vec<Vec<usize>> {
    let by_path: HashMap<&str, usize> = r.inputs.iter().enumerate().map(|(i, s)| (s.path.as_str(), i)).collect();
    let mut cases: Vec<Vec<usize>> = vec![Vec::new(); r.inputs.len() + 1];
    for (fi, f) in r.findings.iter().enumerate() {
        let paths = f.evidence.iter().map(|e| e.path.as_str()).chain(f.sources.iter().map(|s| s.path.as_str()));
        let mut hit: Vec<usize> = paths.filter_map(|p| input_of(&by_path, p)).collect();
        hit.sort_unstable();
        hit.dedup();
        if hit.is_empty() {
            hit.push(r.inputs.len());
        }
        for c in hit {
            if let Some(case) = cases.get_mut(c) {
                case.push(fi);
            }
        }
    }
    cases
}

/// How many pieces of evidence each finding lists in a case.
const EVIDENCE_SHOWN: usize = 5;

/// The text of one finding inside a failure or the case's output.
fn finding_text(out: &mut String, f: &Advised, status: Option<BaselineStatus>) {
    let text = FindingText::of(f, status.map(BaselineStatus::as_str), EVIDENCE_SHOWN);
    let _ = writeln!(out, "[{}] {}{}: {}", text.severity, text.kind, text.status, text.title);
    if let Some(detail) = text.detail {
        let _ = writeln!(out, "  {detail}");
    }
    for e in &text.evidence {
        let _ = writeln!(out, "  {e}");
    }
    if let Some(more) = &text.more {
        let _ = writeln!(out, "  {more}");
    }
    if let Some(fix) = &text.fix {
        let _ = writeln!(out, "  Fix [{}]: {}", fix.id, fix.title);
        for (number, step) in &fix.steps {
            let _ = writeln!(out, "    {number}{}", step.replace('\n', "\n       "));
        }
    }
}

struct Case {
    classname: String,
    name: String,
    body: String,
    failed: bool,
    error: bool,
    skipped: bool,
}

fn case_for(
    r: &Report,
    input: Option<&InputStatus>,
    findings: &[usize],
    threshold: Option<Severity>,
    cmp: Option<&Comparison>,
) -> Case {
    let status_of = |i: usize| cmp.and_then(|c| c.status_of(i));
    let failing: Vec<usize> = findings
        .iter()
        .copied()
        .filter(|&i| {
            let f = &r.findings[i];
            threshold.is_some_and(|t| f.severity >= t) && cmp.is_none_or(|c| c.counts(i, f))
        })
        .collect();
    let (classname, name) = match input {
        Some(s) => (format!("tlstriage.{}", s.format.as_str()), s.path.clone()),
        None => ("tlstriage".to_string(), OTHER_CASE.to_string()),
    };
    let mut body = String::new();
    let mut case = Case { classname, name, body: String::new(), failed: false, error: false, skipped: false };
    if let Some(&first) = failing.first() {
        let f = &r.findings[first];
        let message = if failing.len() == 1 {
            format!("[{}] {}: {}", f.severity, f.kind, f.title)
        } else {
            let kinds: Vec<&str> = failing.iter().map(|&i| r.findings[i].kind.as_str()).collect();
            format!("{} findings: {}", failing.len(), kinds.join(", "))
        };
        let mut text = String::new();
        for &i in &failing {
            finding_text(&mut text, &r.findings[i], status_of(i));
        }
        let _ = writeln!(
            body,
            "      <failure type=\"{}\" message=\"{}\">{}</failure>",
            escape(f.kind.as_str()),
            escape(&message),
            escape_text(&text)
        );
        case.failed = true;
    } else if let Some(s) = input.filter(|s| s.status == Status::Error) {
        let msg = s.message.clone().unwrap_or_else(|| "cannot be read".into());
        let _ = writeln!(body, "      <error type=\"input\" message=\"{}\"/>", escape(&msg));
        case.error = true;
    } else if let Some(s) = input.filter(|s| s.status == Status::Skipped) {
        let msg = s.message.clone().unwrap_or_else(|| "not a format tlstriage reads".into());
        let _ = writeln!(body, "      <skipped message=\"{}\"/>", escape(&msg));
        case.skipped = true;
    }
    let mut other = String::new();
    if let Some(s) = input.filter(|s| s.status == Status::Partial) {
        let _ = writeln!(other, "read in part: {}", s.message.as_deref().unwrap_or("input ends early"));
    }
    for &i in findings.iter().filter(|i| !failing.contains(i)) {
        finding_text(&mut other, &r.findings[i], status_of(i));
    }
    if !other.is_empty() {
        let _ = writeln!(body, "      <system-out>{}</system-out>", escape_text(&other));
    }
    case.body = body;
    case
}

/// Write the JUnit XML document: a finding at the view's `--fail-on` fails its case.
pub fn write(view: &View, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(document(view.report, view.fail_on, view.baseline).as_bytes())
}

/// The JUnit XML document.
fn document(r: &Report, threshold: Option<Severity>, cmp: Option<&Comparison>) -> String {
    let per_case = findings_per_case(r);
    let mut cases: Vec<Case> = Vec::new();
    for (i, input) in r.inputs.iter().enumerate() {
        let findings = per_case.get(i).map(Vec::as_slice).unwrap_or(&[]);
        cases.push(case_for(r, Some(input), findings, threshold, cmp));
    }
    if let Some(other) = per_case.last().filter(|v| !v.is_empty()) {
        cases.push(case_for(r, None, other, threshold, cmp));
    }
    let count = |p: fn(&Case) -> bool| cases.iter().filter(|c| p(c)).count();
    let (tests, failures, errors, skipped) =
        (cases.len(), count(|c| c.failed), count(|c| c.error), count(|c| c.skipped));
    let totals = format!("tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\"");
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<testsuites name=\"tlstriage\" {totals}>");
    let _ = writeln!(out, "  <testsuite name=\"tlstriage\" {totals}>");
    let _ = writeln!(out, "    <properties>");
    if let Some(now) = r.now {
        let _ = writeln!(out, "      <property name=\"now\" value=\"{now}\"/>");
    }
    let fail_on = threshold.map_or("never", Severity::as_str);
    let _ = writeln!(out, "      <property name=\"fail_on\" value=\"{fail_on}\"/>");
    if let Some(c) = cmp {
        let _ = writeln!(out, "      <property name=\"baseline\" value=\"{}\"/>", escape(&c.file));
        let counts = format!(
            "{} new, {} unchanged, {} changed, {} resolved",
            c.new_count(),
            c.unchanged_count(),
            c.changed_count(),
            c.resolved.len()
        );
        let _ = writeln!(out, "      <property name=\"baseline_counts\" value=\"{counts}\"/>");
    }
    let _ = writeln!(out, "    </properties>");
    for c in &cases {
        let open = format!("    <testcase classname=\"{}\" name=\"{}\"", escape(&c.classname), escape(&c.name));
        if c.body.is_empty() {
            let _ = writeln!(out, "{open}/>");
        } else {
            let _ = write!(out, "{open}>\n{}    </testcase>\n", c.body);
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_quotes_and_control_characters() {
        assert_eq!(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(escape("x\ny\tz\r"), "x&#10;y&#9;z&#13;");
        assert_eq!(escape_text("x\ny\tz"), "x\ny\tz");
        assert_eq!(escape("bell\u{7} nul\u{0} \u{ffff}"), "bell\u{fffd} nul\u{fffd} \u{fffd}");
        assert_eq!(escape("日本語 ok"), "日本語 ok");
    }

    #[test]
    fn evidence_inside_an_archive_belongs_to_the_nearest_listed_input() {
        let inputs = ["a.tar.gz", "a.tar.gz!/x/messages.gz!/messages", "b.log"];
        let by_path: HashMap<&str, usize> = inputs.iter().enumerate().map(|(i, p)| (*p, i)).collect();
        assert_eq!(input_of(&by_path, "b.log"), Some(2));
        assert_eq!(input_of(&by_path, "a.tar.gz!/x/messages.gz!/messages"), Some(1));
        assert_eq!(input_of(&by_path, "a.tar.gz!/x/other.pem"), Some(0));
        assert_eq!(input_of(&by_path, "a.tar.gz!/x/messages.gz!/messages!/z"), Some(1));
        assert_eq!(input_of(&by_path, "c.log"), None);
    }
}
