//! `--format json`: the stable JSON document (`schema_version` 2). Its wire types live here so
//! that internal refactoring cannot change the contract by accident.

use jiff::Timestamp;
use rayon::prelude::*;
use serde::Serialize;

use super::View;
use crate::analyze::Report;
use crate::baseline::{Accepted, Comparison};
use crate::diagnose::Finding;
use crate::model::DeviceInfo;
use crate::model::InputStatus;
use crate::model::{Evidence, Handshake};

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

/// A finding as written in `findings[]` and by `--format jsonl`: the finding itself, plus its
/// status against the baseline when one was given.
#[derive(Serialize)]
pub struct FindingOut<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
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
    cert: &'a crate::model::CertSummary,
    #[serde(skip_serializing_if = "Option::is_none")]
    days_left: Option<i64>,
    evidence: &'a [Evidence],
}

fn summary(r: &Report) -> Summary {
    use crate::diagnose::Severity::*;
    let count = |s| r.findings.iter().filter(|f| f.severity == s).count();
    Summary {
        inputs: r.inputs.len(),
        inputs_with_errors: r.inputs.iter().filter(|i| i.status == crate::model::Status::Error).count(),
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

/// Write the report as one pretty-printed JSON document (with a trailing newline), with the
/// comparison against a baseline when the view has one (`baseline` section,
/// `baseline_status`).
pub fn write(view: &View, out: &mut dyn std::io::Write) -> std::io::Result<()> {
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
            write_array_to(out, &hs, 1)?;
            out.write_all(&s.as_bytes()[cut + 2..])?;
        }
        None => out.write_all(s.as_bytes())?,
    }
    out.write_all(b"\n")
}

/// `items` as a JSON array nested `level` deep, written to `out` (see [`write_pretty_array`]).
pub fn write_array_to<T: Serialize + Sync>(
    out: &mut dyn std::io::Write,
    items: &[T],
    level: usize,
) -> std::io::Result<()> {
    let mut text = IoText(out, None);
    let r = write_pretty_array(&mut text, items, level);
    match (r, text.1) {
        (_, Some(e)) => Err(e),
        (Err(_), None) => Err(std::io::Error::other("cannot render the JSON array")),
        (Ok(()), None) => Ok(()),
    }
}

/// Items rendered by one parallel task.
const CHUNK: usize = 256;

/// Render `items` in windows of a few chunks per thread, the chunks of a window in parallel,
/// handing each rendered chunk to `sink` in order: memory holds one window, not the whole text.
fn render_items<T: Serialize + Sync>(items: &[T], level: usize, mut sink: impl FnMut(&str)) {
    let pad = "  ".repeat(level + 1);
    let window = CHUNK * 2 * rayon::current_num_threads().max(1);
    for (w, win) in items.chunks(window).enumerate() {
        let parts: Vec<String> = win
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut out = Vec::new();
                for (i, item) in chunk.iter().enumerate() {
                    if i > 0 {
                        out.extend_from_slice(b",\n");
                    }
                    out.extend_from_slice(pad.as_bytes());
                    let fmt = Nested { level: level + 1, has_value: false };
                    let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
                    item.serialize(&mut ser).expect("item serializes");
                }
                String::from_utf8(out).expect("serde_json writes UTF-8")
            })
            .collect();
        for (i, part) in parts.iter().enumerate() {
            if w > 0 || i > 0 {
                sink(",\n");
            }
            sink(part);
        }
    }
}

/// serde_json's pretty layout (two spaces per level) for a value that sits `level` deep.
struct Nested {
    level: usize,
    has_value: bool,
}

impl Nested {
    fn indent<W: ?Sized + std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        for _ in 0..self.level {
            w.write_all(b"  ")?;
        }
        Ok(())
    }
    fn open<W: ?Sized + std::io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }
    fn close<W: ?Sized + std::io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(bracket)
    }
    fn entry<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.entry(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.entry(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// `items` as a pretty-printed JSON array nested `level` deep, exactly as `serde_json`'s pretty
/// printer writes it, with the items rendered in parallel (long handshake lists dominate the
/// output time otherwise).
pub fn pretty_array<T: Serialize + Sync>(items: &[T], level: usize) -> String {
    let mut s = String::new();
    let _ = write_pretty_array(&mut s, items, level);
    s
}

/// [`pretty_array`] written to `out` piece by piece (no copy of the whole text in memory).
pub fn write_pretty_array<T: Serialize + Sync>(
    out: &mut impl std::fmt::Write,
    items: &[T],
    level: usize,
) -> std::fmt::Result {
    if items.is_empty() {
        return out.write_str("[]");
    }
    let mut result = out.write_str("[\n");
    render_items(items, level, |piece| {
        if result.is_ok() {
            result = out.write_str(piece);
        }
    });
    result?;
    out.write_str("\n")?;
    out.write_str(&"  ".repeat(level))?;
    out.write_str("]")
}

/// Adapts an `io::Write` (stdout) to [`write_pretty_array`].
/// The first write error is kept in `.1`, so that the caller can tell a closed pipe from a full
/// disk.
pub struct IoText<W: std::io::Write>(pub W, pub Option<std::io::Error>);

impl<W: std::io::Write> std::fmt::Write for IoText<W> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write_all(s.as_bytes()).map_err(|e| {
            self.1.get_or_insert(e);
            std::fmt::Error
        })
    }
}

#[cfg(test)]
mod tests {
    use super::pretty_array;

    #[test]
    fn parallel_array_is_byte_identical_to_serde_json() {
        let items: Vec<serde_json::Value> = (0..600)
            .map(|i| serde_json::json!({"n": i, "s": format!("a\"b\n{i}"), "v": [1, {"x": []}], "e": {}}))
            .collect();
        assert_eq!(pretty_array(&items, 0), serde_json::to_string_pretty(&items).unwrap());
        let doc = serde_json::json!({"a": 1, "list": items});
        let nested = format!("{{\n  \"a\": 1,\n  \"list\": {}\n}}", pretty_array(&items, 1));
        assert_eq!(nested, serde_json::to_string_pretty(&doc).unwrap());
        // Several windows of parallel chunks.
        let many: Vec<serde_json::Value> = (0..super::CHUNK * 5 * rayon::current_num_threads() + 7)
            .map(|i| serde_json::json!({"i": i, "list": [i, "x"]}))
            .collect();
        assert_eq!(pretty_array(&many, 0), serde_json::to_string_pretty(&many).unwrap());
        let empty: Vec<u8> = Vec::new();
        assert_eq!(pretty_array(&empty, 0), "[]");
    }
}
