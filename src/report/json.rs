//! `--format json`: the stable JSON document (`schema_version` 2). Its wire types live here so
//! that internal refactoring cannot change the contract by accident.

use jiff::Timestamp;
use serde::Serialize;

use super::View;
use crate::analyze::Report;
use crate::baseline::{Accepted, Comparison};
use crate::model::DeviceInfo;
use crate::model::InputStatus;
use crate::model::{Evidence, Handshake};
use crate::remedy::Advised;

/// The `schema_version` of the document (kept with the baseline reader, which reads it back).
pub use crate::baseline::REPORT_SCHEMA_VERSION as SCHEMA_VERSION;

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    tool: Tool,
    #[serde(skip_serializing_if = "Option::is_none")]
    now: Option<Timestamp>,
    summary: Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<BaselineSummary<'a>>,
    inputs: Vec<InputOut<'a>>,
    devices: &'a [DeviceInfo],
    /// What status command outputs say about each tunnel (absent when none was read).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tunnels: Vec<TunnelOut<'a>>,
    /// Left empty here: the handshakes are rendered apart, in parallel, and put in its place.
    handshakes: [(); 0],
    certificates: Vec<Cert<'a>>,
    findings: Vec<FindingOut<'a>>,
    systems: &'a [crate::systems::System],
}

/// One `tunnels[]` entry: a status output's view of the tunnel to one peer.
#[derive(Serialize)]
struct TunnelOut<'a> {
    #[serde(flatten)]
    tunnel: &'a crate::model::TunnelStatus,
    state: &'static str,
    evidence: &'a crate::model::Evidence,
}

fn tunnels(r: &Report) -> Vec<TunnelOut<'_>> {
    r.facts
        .iter()
        .filter_map(|f| match f {
            crate::model::Fact::Tunnel { evidence, tunnel } => {
                Some(TunnelOut { tunnel, state: tunnel.state().as_str(), evidence })
            }
            _ => None,
        })
        .collect()
}

/// An entry of `inputs[]`: the input's status, and for a place not read because an earlier one
/// held the same bytes, that earlier place.
#[derive(Serialize)]
struct InputOut<'a> {
    #[serde(flatten)]
    input: &'a InputStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    duplicate_of: Option<&'a str>,
}

fn inputs_out(r: &Report) -> Vec<InputOut<'_>> {
    let of: std::collections::HashMap<&str, &str> =
        r.duplicates.iter().map(|d| (d.path.as_str(), d.of.as_str())).collect();
    r.inputs
        .iter()
        .map(|i| InputOut {
            input: i,
            duplicate_of: (i.status == crate::model::Status::Skipped)
                .then(|| of.get(i.path.as_str()).copied())
                .flatten(),
        })
        .collect()
}

/// A finding as written in `findings[]` and by `--format jsonl`: the finding with its values,
/// remediation and system (see [`Advised`]), plus its status against the baseline when one was
/// given.
#[derive(Serialize)]
pub struct FindingOut<'a> {
    #[serde(flatten)]
    finding: &'a Advised,
    /// The identities of the parts folded into the finding (see `docs/ci.md`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parts: Vec<crate::baseline::Identity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    accepted_severity: Option<String>,
}

/// The `baseline` section: counts and the accepted findings that are gone.
#[derive(Serialize)]
struct BaselineSummary<'a> {
    file: &'a str,
    new: usize,
    unchanged: usize,
    changed: usize,
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
    /// Lines of `inputs[]`.
    inputs: usize,
    inputs_with_errors: usize,
    /// `inputs_read` (of which `inputs_partial`), `inputs_same_content`, `inputs_skipped`: the
    /// counts every view shows (`InputCounts`).
    inputs_read: usize,
    inputs_partial: usize,
    inputs_same_content: usize,
    inputs_skipped: usize,
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
    cert: &'a crate::model::CertSummary,
    #[serde(skip_serializing_if = "Option::is_none")]
    days_left: Option<i64>,
    evidence: &'a [Evidence],
}

fn summary(r: &Report) -> Summary {
    use crate::diagnose::Severity::*;
    let count = |s| r.findings.iter().filter(|f| f.severity == s).count();
    let inputs = r.input_counts();
    Summary {
        inputs: inputs.listed,
        inputs_with_errors: inputs.errors,
        inputs_read: inputs.read,
        inputs_partial: inputs.partial,
        inputs_same_content: inputs.same_content,
        inputs_skipped: inputs.skipped,
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
            parts: crate::baseline::Identity::parts_of(f),
            baseline_status: baseline.and_then(|c| c.status_of(i)).map(|s| s.as_str()),
            accepted_severity: baseline.and_then(|c| c.accepted_severity_of(i)).map(str::to_string),
        })
        .collect()
}

/// `analyze --format json`: the stable JSON document.
pub struct Json<'a>(pub &'a View<'a>);

impl super::Exporter for Json<'_> {
    fn write(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        write(self.0, out)
    }
}

/// Write the report as one pretty-printed JSON document (with a trailing newline), with the
/// comparison against a baseline when the view has one (`baseline` section,
/// `baseline_status`).
fn write(view: &View, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let (r, baseline) = (view.report, view.baseline);
    let doc = Document {
        schema_version: SCHEMA_VERSION,
        tool: Tool { name: "tlstriage", version: env!("CARGO_PKG_VERSION") },
        now: r.now,
        summary: summary(r),
        baseline: baseline.map(|c| BaselineSummary {
            file: &c.file,
            new: c.new_count(),
            unchanged: c.unchanged_count(),
            changed: c.changed_count(),
            resolved: c.resolved.len(),
            resolved_findings: &c.resolved,
        }),
        inputs: inputs_out(r),
        devices: &r.devices,
        tunnels: tunnels(r),
        handshakes: [],
        certificates: r
            .certificates
            .iter()
            .map(|e| Cert { cert: &e.cert, days_left: r.now.map(|n| e.cert.days_left(n)), evidence: &e.seen })
            .collect(),
        findings: findings_out(r, baseline),
        systems: &r.systems,
    };
    let hs: Vec<Hs<'_>> = r
        .handshakes
        .iter()
        .map(|h| Hs { handshake: h, version_id: h.version.map(|v| v.0), cipher_suite_id: h.cipher_suite.map(|c| c.0) })
        .collect();
    let s = serde_json::to_string_pretty(&doc).map_err(std::io::Error::other)?;
    // A top-level key is the only place where this text can appear with exactly this indent;
    // the handshakes, often the longest list, go straight to `out` in its place.
    let slot = "\n  \"handshakes\": []";
    match s.find(slot) {
        Some(at) => {
            let cut = at + slot.len() - 2;
            out.write_all(&s.as_bytes()[..cut])?;
            super::json_array::write_to(out, &hs, 1)?;
            out.write_all(&s.as_bytes()[cut + 2..])?;
        }
        None => out.write_all(s.as_bytes())?,
    }
    out.write_all(b"\n")
}
