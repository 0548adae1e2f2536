//! `--format sarif`: SARIF 2.1.0 for code hosts that show findings inline. One run; the rules are
//! the finding kinds (help text from the remediation catalog); each finding is a result whose
//! locations are its evidence paths, with the log line as `region.startLine`.

use serde_json::{json, Map, Value};

use super::View;
use crate::baseline::Identity;
use crate::diagnose::{Finding, Kind, Severity};
use crate::remedy::Advised;

/// The `$schema` written into the document (the OASIS location of the 2.1.0 schema).
pub const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// SARIF level of a severity: critical and error are errors, info is a note.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a URI reference: absolute paths become `file://` URIs, relative ones stay relative.
/// Every byte outside the unreserved and path characters is percent-encoded, so `a b#c` or
/// `x:y` inside an archive path still make a valid URI. `!` stays as it is (`outer.tar.gz!/inner`).
pub fn path_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 8);
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/' | b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*')
            || matches!(b, b'+' | b',' | b';' | b'=' | b'@');
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `expired-ca` -> `ExpiredCa`: the rule's readable name.
fn rule_name(kind: Kind) -> String {
    kind.as_str()
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect()
}

fn rule(kind: Kind) -> Value {
    json!({
        "id": kind.as_str(),
        "name": rule_name(kind),
        "shortDescription": { "text": kind.summary() },
        "fullDescription": { "text": format!("{} (default severity: {}).", kind.summary(), kind.default_severity()) },
        "help": { "text": crate::remedy::explain(kind) },
        "defaultConfiguration": { "level": level(kind.default_severity()) },
        "properties": { "tags": ["tls", "certificates"] }
    })
}

/// The locations of a finding: one per distinct evidence place, the line as the region and a
/// frame number as the location's message.
fn locations(f: &Finding) -> Vec<Value> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for e in &f.evidence {
        let key = (e.path.as_str(), e.line, e.frame);
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let mut physical = Map::new();
        physical.insert("artifactLocation".into(), json!({ "uri": path_uri(&e.path) }));
        if let Some(line) = e.line.filter(|l| *l >= 1) {
            physical.insert("region".into(), json!({ "startLine": line }));
        }
        let mut loc = Map::new();
        loc.insert("physicalLocation".into(), Value::Object(physical));
        if let Some(frame) = e.frame {
            loc.insert("message".into(), json!({ "text": format!("frame {frame}") }));
        }
        out.push(Value::Object(loc));
    }
    out
}

fn result(f: &Advised, cmp_status: Option<&'static str>) -> Value {
    let identity = Identity::of(f);
    let text = if f.detail.is_empty() { f.title.clone() } else { format!("{}: {}", f.title, f.detail) };
    // Code-scanning pages show the message and the properties: nothing in them may reorder or
    // hide text.
    let text = crate::util::printable(&text).into_owned();
    let mut props = Map::new();
    props.insert("severity".into(), json!(f.severity.as_str()));
    props.insert("context".into(), serde_json::to_value(f.context).unwrap_or(Value::Null));
    let shown = |s: &str| crate::util::printable_document(s).into_owned();
    if let Some(d) = &f.device {
        props.insert("device".into(), json!(shown(d)));
    }
    if let Some(p) = &f.peer {
        props.insert("peer".into(), json!(shown(&p.to_string())));
    }
    if let Some(fp) = &f.certificate.sha256 {
        props.insert("certificate_sha256".into(), json!(fp));
    }
    if let Some(rem) = &f.remediation {
        let steps: Vec<String> = rem.steps.iter().map(|s| shown(&s.to_string())).collect();
        props.insert("fix".into(), json!({ "id": rem.id, "title": shown(&rem.title), "steps": steps }));
    }
    let mut r = Map::new();
    r.insert("ruleId".into(), json!(f.kind.as_str()));
    r.insert("ruleIndex".into(), json!(Kind::ALL.iter().position(|k| *k == f.kind).unwrap_or(0)));
    r.insert("level".into(), json!(level(f.severity)));
    r.insert("message".into(), json!({ "text": text }));
    r.insert("locations".into(), Value::Array(locations(f)));
    r.insert("partialFingerprints".into(), json!({ "tlstriageIdentity/v1": identity.fingerprint() }));
    r.insert("occurrenceCount".into(), json!(f.count.max(1)));
    if let Some(s) = cmp_status {
        r.insert("baselineState".into(), json!(s));
    }
    r.insert("properties".into(), Value::Object(props));
    Value::Object(r)
}

/// SARIF's `baselineState` of a status (SARIF calls a changed result `updated`).
fn baseline_state(s: crate::baseline::Status) -> &'static str {
    match s {
        crate::baseline::Status::Changed => "updated",
        other => other.as_str(),
    }
}

/// `analyze --format sarif`: the SARIF 2.1.0 log.
pub struct Sarif<'a>(pub &'a View<'a>);

impl super::Exporter for Sarif<'_> {
    fn write(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        write(self.0, out)
    }
}

/// Write the SARIF log (pretty-printed, trailing newline).
fn write(view: &View, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let (r, cmp) = (view.report, view.baseline);
    let rules: Vec<Value> = Kind::ALL.iter().map(|k| rule(*k)).collect();
    let results: Vec<Value> = r
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| result(f, cmp.and_then(|c| c.status_of(i)).map(baseline_state)))
        .collect();
    let doc = json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "tlstriage",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules
            }},
            "results": results
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(std::io::Error::other)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(path_uri("samples/a.tar.gz!/var/log/messages"), "samples/a.tar.gz!/var/log/messages");
        assert_eq!(path_uri("/tmp/lab logs #1/x.pcap"), "file:///tmp/lab%20logs%20%231/x.pcap");
        assert_eq!(path_uri("c:d/100%?.log"), "c%3Ad/100%25%3F.log");
        assert_eq!(path_uri("ログ/é"), "%E3%83%AD%E3%82%B0/%C3%A9");
    }

    #[test]
    fn levels_and_rule_names() {
        assert_eq!(level(Severity::Critical), "error");
        assert_eq!(level(Severity::Info), "note");
        assert_eq!(rule_name(Kind::PeerRejectedCertificate), "PeerRejectedCertificate");
    }
}
