//! Tests of the HTML page: escaping of hostile values, and its sections on a built report.

use super::*;
use crate::diagnose::{Finding, Kind, StepText};
use crate::model::{Context, Evidence};
use crate::remedy::Remediation;

const HOSTILE: &str = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>";

fn hostile_report() -> Report {
    let mut f = Finding::new(Kind::ExpiredCa, Context::Sftunnel, format!("title {HOSTILE}"))
        .detail(format!("detail {HOSTILE}"));
    f.device = Some(format!("fmc{HOSTILE}"));
    f.peer = Some(crate::model::Endpoint::named(&format!("10.0.0.1\"{HOSTILE}")));
    f.add_evidence(Evidence {
        time: Some("2026-03-07T22:40:11Z".parse().expect("time")),
        line: Some(3),
        text: Some(crate::model::EvidenceText::new(&format!("raw {HOSTILE}"))),
        ..Evidence::file(&format!("dir/{HOSTILE}/messages"))
    });
    let mut f = crate::remedy::Advised::alone(f);
    f.remediation = Some(Remediation {
        id: "x".into(),
        title: format!("fix {HOSTILE}"),
        steps: vec![StepText::compose(
            "Read {value}, then run `cat /tmp/x` on the FMC.",
            &[("value", StepText::prose(format!("`{HOSTILE}`")))],
        )],
    });
    let log = crate::model::InputStatus {
        path: format!("dir/{HOSTILE}/messages"),
        format: crate::model::Format::Syslog,
        status: Status::Ok,
        message: None,
        bytes: 1,
    };
    Report {
        now: Some("2026-11-23T00:00:00Z".parse().expect("time")),
        inputs: vec![log],
        findings: vec![f],
        ..Default::default()
    }
}

#[test]
fn values_from_inputs_are_escaped_everywhere() {
    let page = page(&hostile_report(), None);
    assert!(!page.contains("<script>alert"), "raw script tag in the page");
    assert!(!page.contains("<img"), "raw img tag in the page");
    assert!(!page.contains("onerror=alert(1)>"), "an attribute or tag was opened by an input");
    assert_eq!(page.matches("<script>").count(), 1, "only the page's own script");
    assert!(page.contains("&lt;script&gt;alert('x')&lt;/script&gt;&quot;&gt;&lt;img"));
    // Nothing is fetched: no external reference of any kind.
    for needle in ["http://", "https://", "src=\"", "href=\"", "@import", "url("] {
        let hits: Vec<_> =
            page.match_indices(needle).map(|(i, _)| &page[i.saturating_sub(20)..(i + 40).min(page.len())]).collect();
        let allowed = |s: &&str| s.contains("www.w3.org/2000/svg");
        assert!(hits.iter().all(allowed), "{needle}: {hits:?}");
    }
}

#[test]
fn the_page_has_its_sections_and_the_command_with_a_copy_button() {
    let page = page(&hostile_report(), None);
    for id in ["summary", "timeline", "chains", "findings", "inputs"] {
        assert!(page.contains(&format!("<section id=\"{id}\">")), "{id}");
    }
    assert_eq!(page.matches("<g class=\"lane\"").count(), 1);
    assert!(page.contains("class=\"mark src-log failed\""), "a log of unknown role");
    // The step's own command has the one copy button; the value's backticks are characters.
    assert!(page.contains("<code>cat /tmp/x</code>"));
    assert!(page.contains("Read `&lt;script&gt;alert"));
    assert_eq!(page.matches("<button class=\"copy\"").count(), 1);
    assert!(page.contains("@media print"));
}

#[test]
fn an_empty_run_says_nothing_was_read() {
    let page = page(&Report::default(), None);
    assert!(page.contains("No input could be read"));
    assert!(!page.contains("No TLS problems found"));
}
