//! Looking things up in a `--format json` document: the kinds of its findings, a finding of one
//! kind, the status line of one input.

use serde_json::Value;

/// The kind of every finding, in the document's order.
pub fn kinds(v: &Value) -> Vec<&str> {
    v["findings"].as_array().expect("findings").iter().map(|f| f["kind"].as_str().expect("kind")).collect()
}

/// The first finding of `kind`.
pub fn finding<'a>(v: &'a Value, kind: &str) -> &'a Value {
    let findings = v["findings"].as_array().expect("findings");
    findings.iter().find(|f| f["kind"] == kind).unwrap_or_else(|| panic!("no {kind} finding in {findings:#?}"))
}

/// The `inputs[]` line of the input at `path`.
pub fn input<'a>(v: &'a Value, path: &str) -> &'a Value {
    let inputs = v["inputs"].as_array().expect("inputs");
    inputs.iter().find(|i| i["path"] == path).unwrap_or_else(|| panic!("no input {path} in {inputs:#?}"))
}
