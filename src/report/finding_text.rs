//! The text of one finding that the table and JUnit both print: its heading, the detail, the
//! evidence lines and the fix with its numbered steps. The text is built here once; each view
//! only lays it out (the table wraps, escapes and colours each piece; JUnit indents the lines
//! and XML-escapes the whole block).

use crate::diagnose::{Kind, Severity};
use crate::remedy::Advised;

/// What a view prints about one finding, pieces still raw (from the inputs: unescaped).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingText<'a> {
    pub severity: Severity,
    pub kind: Kind,
    /// ` (new)`, ` (changed (was error))`… against a baseline; empty without one.
    pub status: String,
    pub title: &'a str,
    /// The detail; `None` when the finding has none.
    pub detail: Option<&'a str>,
    /// `at PLACE` for each piece of evidence shown.
    pub evidence: Vec<String>,
    /// `... and N more` when evidence was left out.
    pub more: Option<String>,
    pub fix: Option<FixText<'a>>,
}

/// The remediation part of [`FindingText`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixText<'a> {
    /// The catalog id of the remediation.
    pub id: &'a str,
    pub title: &'a str,
    /// Each step with its number (`1. `) in its plain form (commands between backticks); a
    /// step may hold several lines.
    pub steps: Vec<(String, String)>,
}

impl<'a> FindingText<'a> {
    /// The text of `f`, with its baseline `status` word and at most `evidence_shown` pieces of
    /// evidence.
    pub fn of(f: &'a Advised, status: Option<&str>, evidence_shown: usize) -> Self {
        let left_out = f.evidence.len().saturating_sub(evidence_shown);
        FindingText {
            severity: f.severity,
            kind: f.kind,
            status: status.map(|s| format!(" ({s})")).unwrap_or_default(),
            title: &f.title,
            detail: Some(f.detail.as_str()).filter(|d| !d.is_empty()),
            evidence: f.evidence.iter().take(evidence_shown).map(|e| format!("at {}", e.location())).collect(),
            more: (left_out > 0).then(|| format!("... and {left_out} more")),
            fix: f.remediation.as_ref().map(|rem| FixText {
                id: &rem.id,
                title: &rem.title,
                steps: rem.steps.iter().enumerate().map(|(n, s)| (format!("{}. ", n + 1), s.to_string())).collect(),
            }),
        }
    }

    /// `critical expired-ca (new)`: severity, kind and baseline status.
    pub fn label(&self) -> String {
        format!("{} {}{}", self.severity, self.kind, self.status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::StepText;
    use crate::model::{Context, Evidence};
    use crate::remedy::Remediation;

    fn finding(evidence: usize) -> Advised {
        let mut f =
            crate::diagnose::Finding::new(Kind::ExpiredCa, Context::Sftunnel, "InternalCA expired").detail("since May");
        for n in 0..evidence {
            f.add_evidence(Evidence { line: Some(n as u64 + 1), ..Evidence::file("var/log/messages") });
        }
        let mut f = Advised::alone(f);
        f.remediation = Some(Remediation {
            id: "sftunnel-expired".into(),
            title: "Renew the CA".into(),
            steps: vec![StepText::ours("Run `generate_certs.pl`."), StepText::prose("Push.\nThen check.")],
        });
        f
    }

    #[test]
    fn pieces_of_a_finding_with_more_evidence_than_shown() {
        let f = finding(4);
        let t = FindingText::of(&f, Some("changed (was error)"), 3);
        assert_eq!(t.label(), "critical expired-ca (changed (was error))");
        assert_eq!(t.title, "InternalCA expired");
        assert_eq!(t.detail, Some("since May"));
        assert_eq!(t.evidence, ["at var/log/messages:1", "at var/log/messages:2", "at var/log/messages:3"]);
        assert_eq!(t.more.as_deref(), Some("... and 1 more"));
        let fix = t.fix.expect("fix");
        assert_eq!((fix.id, fix.title), ("sftunnel-expired", "Renew the CA"));
        assert_eq!(
            fix.steps,
            [("1. ".into(), "Run `generate_certs.pl`.".into()), ("2. ".into(), "Push.\nThen check.".into())]
        );
    }

    #[test]
    fn nothing_left_out_and_no_baseline() {
        let mut f = finding(2);
        f.finding.detail.clear();
        f.remediation = None;
        let t = FindingText::of(&f, None, 5);
        assert_eq!(t.label(), "critical expired-ca");
        assert_eq!((t.detail, t.more, t.fix), (None, None, None));
        assert_eq!(t.evidence.len(), 2);
    }
}
