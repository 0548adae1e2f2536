//! `--format json`: the stable JSON document (`schema_version` 1). Its wire types live here so
//! that internal refactoring cannot change the contract by accident.

use jiff::Timestamp;
use serde::Serialize;

use crate::analyze::Report;
use crate::baseline::{Accepted, Comparison};
use crate::diagnose::Finding;
use crate::facts::DeviceInfo;
use crate::input::InputStatus;
use crate::observe::{Evidence, Handshake};

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    tool: Tool,
    #[serde(skip_serializing_if = "Option::is_none")]
    now: Option<Timestamp>,
    summary: Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<BaselineSummary<'a>>,
    inputs: &'a [InputStatus],
    devices: &'a [DeviceInfo],
    handshakes: Vec<Hs<'a>>,
    certificates: Vec<Cert<'a>>,
    findings: Vec<FindingOut<'a>>,
}

/// A finding as written in `findings[]` and by `--format jsonl`: the finding itself, plus its
/// status against the baseline when one was given.
#[derive(Serialize)]
pub struct FindingOut<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_status: Option<&'static str>,
}

/// The `baseline` section: counts and the accepted findings that are gone.
#[derive(Serialize)]
struct BaselineSummary<'a> {
    file: &'a str,
    new: usize,
    unchanged: usize,
    resolved: usize,
    resolved_findings: &'a [Accepted],
}

/// A handshake with the raw protocol numbers beside their names (for tools that compare them).
#[derive(Serialize)]
struct Hs<'a> {
    #[serde(flatten)]
    handshake: &'a Handshake,
    #[serde(skip_serializing_if = "Option::is_none")]
    version_id: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cipher_suite_id: Option<u16>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize, Default)]
struct Summary {
    inputs: usize,
    inputs_with_errors: usize,
    handshakes: usize,
    certificates: usize,
    findings: usize,
    critical: usize,
    error: usize,
    warning: usize,
    info: usize,
}

#[derive(Serialize)]
struct Cert<'a> {
    #[serde(flatten)]
    cert: &'a crate::x509::CertSummary,
    #[serde(skip_serializing_if = "Option::is_none")]
    days_left: Option<i64>,
    evidence: &'a [Evidence],
}

fn summary(r: &Report) -> Summary {
    use crate::diagnose::Severity::*;
    let count = |s| r.findings.iter().filter(|f| f.severity == s).count();
    Summary {
        inputs: r.inputs.len(),
        inputs_with_errors: r.inputs.iter().filter(|i| i.status == crate::input::Status::Error).count(),
        handshakes: r.handshakes.len(),
        certificates: r.certificates.len(),
        findings: r.findings.len(),
        critical: count(Critical),
        error: count(Error),
        warning: count(Warning),
        info: count(Info),
    }
}

/// The findings of `r` with their baseline status, in the report's order.
pub fn findings_out<'a>(r: &'a Report, baseline: Option<&Comparison>) -> Vec<FindingOut<'a>> {
    r.findings
        .iter()
        .enumerate()
        .map(|(i, f)| FindingOut {
            finding: f,
            baseline_status: baseline.and_then(|c| c.status_of(i)).map(|s| s.as_str()),
        })
        .collect()
}

/// Render the report as one pretty-printed JSON document (with a trailing newline).
pub fn render(r: &Report) -> String {
    render_with(r, None)
}

/// [`render`] with the comparison against a baseline (`baseline` section, `baseline_status`).
pub fn render_with(r: &Report, baseline: Option<&Comparison>) -> String {
    let doc = Document {
        schema_version: SCHEMA_VERSION,
        tool: Tool { name: "tlstriage", version: env!("CARGO_PKG_VERSION") },
        now: r.now,
        summary: summary(r),
        baseline: baseline.map(|c| BaselineSummary {
            file: &c.file,
            new: c.new_count(),
            unchanged: c.unchanged_count(),
            resolved: c.resolved.len(),
            resolved_findings: &c.resolved,
        }),
        inputs: &r.inputs,
        devices: &r.devices,
        handshakes: r
            .handshakes
            .iter()
            .map(|h| Hs {
                handshake: h,
                version_id: h.version.map(|v| v.0),
                cipher_suite_id: h.cipher_suite.map(|c| c.0),
            })
            .collect(),
        certificates: r
            .certificates
            .iter()
            .map(|e| Cert { cert: &e.cert, days_left: r.now.map(|n| e.cert.days_left(n)), evidence: &e.seen })
            .collect(),
        findings: findings_out(r, baseline),
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("report serializes");
    s.push('\n');
    s
}
