//! The baseline file: writing the small sorted document of `tlstriage baseline`, and reading
//! either that document or a full `--format json` report back.

use std::io::Read;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::{Accepted, Identity};
use crate::diagnose::Finding;

/// Version of the baseline document; bumped on an incompatible change.
pub const BASELINE_VERSION: u32 = 1;

/// The `schema_version` of the `--format json` report this build writes; a report of this
/// version (or of 1) is read back as a baseline. Defined here, below the renderers, so that
/// reading a baseline does not depend on them.
pub const REPORT_SCHEMA_VERSION: u32 = 2;

/// A baseline file larger than this is refused (a real one holds a few hundred findings).
pub const MAX_BASELINE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Serialize)]
struct Document<'a> {
    baseline_version: u32,
    tool: &'static str,
    findings: &'a [Accepted],
}

/// The baseline document for `findings`: sorted by identity, pretty-printed, one key per line so
/// that a change reads well in a diff.
pub fn render<F: AsRef<Finding>>(findings: &[F]) -> String {
    let mut accepted: Vec<Accepted> = findings.iter().map(|f| Accepted::of(f.as_ref())).collect();
    accepted.sort_by(|a, b| a.identity.cmp(&b.identity).then_with(|| a.title.cmp(&b.title)));
    let doc = Document { baseline_version: BASELINE_VERSION, tool: "tlstriage", findings: &accepted };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// Read the accepted findings from `path`: a baseline document or a `--format json` report.
/// The error names the file and says what is wrong with it.
pub fn load(path: &Path) -> Result<Vec<Accepted>, String> {
    let name = path.display();
    let file = std::fs::File::open(path).map_err(|e| format!("baseline {name}: cannot open: {e}"))?;
    let mut data = Vec::new();
    file.take(MAX_BASELINE_BYTES + 1)
        .read_to_end(&mut data)
        .map_err(|e| format!("baseline {name}: cannot read: {e}"))?;
    if data.len() as u64 > MAX_BASELINE_BYTES {
        return Err(format!("baseline {name}: larger than {} MiB", MAX_BASELINE_BYTES >> 20));
    }
    let doc: Value = serde_json::from_slice(&data).map_err(|e| format!("baseline {name}: not valid JSON: {e}"))?;
    parse(&doc).map_err(|e| format!("baseline {name}: {e}"))
}

/// The accepted findings of a parsed baseline document or report.
fn parse(doc: &Value) -> Result<Vec<Accepted>, String> {
    let Some(obj) = doc.as_object() else {
        return Err("expected a JSON object".into());
    };
    let findings = obj.get("findings").and_then(Value::as_array);
    if let Some(v) = obj.get("baseline_version") {
        if v.as_u64() != Some(u64::from(BASELINE_VERSION)) {
            return Err(format!("baseline_version {v} is not supported (this tlstriage reads {BASELINE_VERSION})"));
        }
        let findings = findings.ok_or("no \"findings\" array")?;
        return findings.iter().enumerate().map(|(i, f)| entry(f, i, false)).collect();
    }
    if let Some(v) = obj.get("schema_version") {
        // Version 1 differs only in what 2 added: it reads the same.
        if !matches!(v.as_u64(), Some(1)) && v.as_u64() != Some(u64::from(REPORT_SCHEMA_VERSION)) {
            return Err(format!("report schema_version {v} is not supported"));
        }
        let findings = findings.ok_or("no \"findings\" array")?;
        return findings.iter().enumerate().map(|(i, f)| entry(f, i, true)).collect();
    }
    Err("neither a tlstriage baseline (baseline_version) nor a --format json report (schema_version)".into())
}

/// One finding of the document; in a report the certificate sits in its own object.
fn entry(f: &Value, index: usize, report: bool) -> Result<Accepted, String> {
    let at = |what: &str| format!("findings[{index}]: {what}");
    let obj = f.as_object().ok_or_else(|| at("not an object"))?;
    let text = |o: &serde_json::Map<String, Value>, key: &str| -> Result<Option<String>, String> {
        match o.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(at(&format!("\"{key}\" is not a string"))),
        }
    };
    let kind = text(obj, "kind")?.ok_or_else(|| at("no \"kind\""))?;
    let depth = match obj.get("depth") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_u64().and_then(|d| u32::try_from(d).ok()).ok_or_else(|| at("\"depth\" is not a number"))?),
    };
    let cert = if report {
        match obj.get("certificate") {
            None | Some(Value::Null) => serde_json::Map::new(),
            Some(Value::Object(c)) => c.clone(),
            Some(_) => return Err(at("\"certificate\" is not an object")),
        }
    } else {
        obj.clone()
    };
    Ok(Accepted {
        identity: Identity {
            kind,
            context: text(obj, "context")?.unwrap_or_else(|| "generic".into()),
            device: text(obj, "device")?,
            peer: text(obj, "peer")?,
            depth,
            subject: text(&cert, "subject")?,
            sha256: text(&cert, "sha256")?,
        },
        severity: text(obj, "severity")?,
        title: text(obj, "title")?,
        parts: parts(obj.get("parts"), &at)?,
    })
}

/// The `parts` of an entry: identities as written by `tlstriage baseline` (a report carries
/// them the same way in each finding).
fn parts(v: Option<&Value>, at: &dyn Fn(&str) -> String) -> Result<Vec<Identity>, String> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(v @ Value::Array(_)) => serde_json::from_value(v.clone()).map_err(|e| at(&format!("\"parts\": {e}"))),
        Some(_) => Err(at("\"parts\" is not an array")),
    }
}
