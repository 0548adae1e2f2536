//! `--format junit`: JUnit XML for CI servers. One test suite; one test case per input (a file,
//! or a member of an archive). A case fails when a finding whose evidence lies in that input is at
//! or above `--fail-on` (with a baseline: only new findings); its failure text carries the title,
//! the detail, the evidence and the steps of the fix. Inputs that could not be read are errors,
//! inputs of no known format are skipped.

use std::collections::HashMap;
use std::fmt::Write;

use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

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

/// `s` with the characters that control, reorder or hide text escaped as every view shows them
/// (`\x1b`, `\u{202e}`), and those XML 1.0 cannot carry that are left (a carriage return, U+FFFE,
/// U+FFFF) shown as U+FFFD: quick-junit would drop them silently; a mark shows that something
/// was there.
pub fn xml_safe(s: &str) -> String {
    crate::util::printable_document(s)
        .chars()
        .map(
            |c| {
                if matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}') {
                    '\u{fffd}'
                } else {
                    c
                }
            },
        )
        .collect()
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

fn case_for(
    r: &Report,
    input: Option<&InputStatus>,
    copy_of: Option<&str>,
    findings: &[usize],
    threshold: Option<Severity>,
    cmp: Option<&Comparison>,
) -> TestCase {
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
    let status = if let Some(&first) = failing.first() {
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
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        status.set_type(f.kind.as_str()).set_message(xml_safe(&message)).set_description(xml_safe(&text));
        status
    } else if let Some(s) = input.filter(|s| s.status == Status::Error) {
        let msg = s.message.clone().unwrap_or_else(|| "cannot be read".into());
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        status.set_type("input").set_message(xml_safe(&msg));
        status
    } else if copy_of.is_some() {
        // Its bytes were read at the earlier place: not skipped (the summary counts it "counted
        // once"), and its findings are that place's.
        TestCaseStatus::success()
    } else if let Some(s) = input.filter(|s| s.status == Status::Skipped) {
        let msg = s.message.clone().unwrap_or_else(|| "not a format tlstriage reads".into());
        let mut status = TestCaseStatus::skipped();
        status.set_message(xml_safe(&msg));
        status
    } else {
        TestCaseStatus::success()
    };
    let mut case = TestCase::new(xml_safe(&name), status);
    case.set_classname(xml_safe(&classname));
    let mut other = String::new();
    if let Some(of) = copy_of {
        let _ = writeln!(other, "same content as {of}: counted once");
    }
    if let Some(s) = input.filter(|s| s.status == Status::Partial) {
        let _ = writeln!(other, "read in part: {}", s.message.as_deref().unwrap_or("input ends early"));
    }
    for &i in findings.iter().filter(|i| !failing.contains(i)) {
        finding_text(&mut other, &r.findings[i], status_of(i));
    }
    if !other.is_empty() {
        case.set_system_out(xml_safe(&other));
    }
    case
}

/// `analyze --format junit`: the JUnit XML document.
pub struct Junit<'a>(pub &'a View<'a>);

impl super::Exporter for Junit<'_> {
    fn write(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        write(self.0, out)
    }
}

/// Write the JUnit XML document: a finding at the view's `--fail-on` fails its case.
fn write(view: &View, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    // Into memory first, so that a failed write keeps its kind (a closed pipe stays quiet).
    let mut xml = Vec::new();
    document(view.report, view.fail_on, view.baseline).serialize(&mut xml).map_err(std::io::Error::other)?;
    out.write_all(&xml)
}

/// The JUnit report: one suite, its properties, a case per input.
fn document(r: &Report, threshold: Option<Severity>, cmp: Option<&Comparison>) -> quick_junit::Report {
    let per_case = findings_per_case(r);
    let mut suite = TestSuite::new("tlstriage");
    if let Some(now) = r.now {
        suite.add_property(("now", now.to_string().as_str()));
    }
    suite.add_property(("fail_on", threshold.map_or("never", Severity::as_str)));
    if let Some(c) = cmp {
        let counts = format!(
            "{} new, {} unchanged, {} changed, {} resolved",
            c.new_count(),
            c.unchanged_count(),
            c.changed_count(),
            c.resolved.len()
        );
        suite.add_property(("baseline", xml_safe(&c.file).as_str()));
        suite.add_property(("baseline_counts", counts.as_str()));
    }
    let copies = r.copies();
    for (i, input) in r.inputs.iter().enumerate() {
        let findings = per_case.get(i).map(Vec::as_slice).unwrap_or(&[]);
        suite.add_test_case(case_for(r, Some(input), copies.of(input), findings, threshold, cmp));
    }
    if let Some(other) = per_case.last().filter(|v| !v.is_empty()) {
        suite.add_test_case(case_for(r, None, None, other, threshold, cmp));
    }
    // quick-junit counts skipped cases as `disabled`; CI servers read `skipped`.
    suite.extra.insert("skipped".into(), suite.disabled.to_string().into());
    let mut report = quick_junit::Report::new("tlstriage");
    report.add_test_suite(suite);
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_shown_and_what_xml_cannot_carry_is_marked() {
        assert_eq!(xml_safe("x\ny\tz\r"), "x\ny\tz\u{fffd}");
        assert_eq!(
            xml_safe("bell\u{7} nul\u{0} \u{ffff} esc\u{1b}[2J c1\u{9b} rlo\u{202e} zw\u{200b} bom\u{feff}"),
            "bell\\x07 nul\\x00 \u{fffd} esc\\x1b[2J c1\\x9b rlo\\u{202e} zw\\u{200b} bom\\u{feff}"
        );
        assert_eq!(xml_safe("a<b>&\"c' 日本語"), "a<b>&\"c' 日本語");
    }

    #[test]
    fn hostile_names_and_titles_reach_the_document_escaped_and_marked() {
        use crate::diagnose::Kind;
        use crate::model::{Context, Evidence, Format};
        let path = "evil\u{1b}]0;x\u{7}<a href=\"x\">.log";
        let input =
            InputStatus { path: path.into(), format: Format::Syslog, status: Status::Ok, message: None, bytes: 1 };
        let mut f = crate::diagnose::Finding::new(Kind::ExpiredCa, Context::Sftunnel, "CA </failure><x> expired\u{0}");
        f.add_evidence(Evidence::file(path));
        let r = Report { inputs: vec![input], findings: vec![crate::remedy::Advised::alone(f)], ..Report::default() };
        let xml =
            crate::report::render(crate::report::Export::Analysis(crate::report::AnalyzeFormat::Junit, &View::new(&r)));
        assert!(!xml.contains(['\u{1b}', '\u{7}', '\u{0}']), "{xml}");
        assert!(xml.contains("name=\"evil\\x1b]0;x\\x07&lt;a href=&quot;x&quot;&gt;.log\""), "{xml}");
        assert!(xml.contains("[critical] expired-ca: CA &lt;/failure&gt;&lt;x&gt; expired\\x00\n"), "{xml}");
        assert_eq!(xml.matches("<failure ").count(), 1);
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
