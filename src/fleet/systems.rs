//! From one input's report to its fleet rows: the report's `systems` (as the JSON document
//! carries them) become [`SystemRow`]s; an input nothing could be read from becomes an error row.

use serde_json::Value;

use super::row::{Fleet, InputRow, NextStep, SystemRow};
use crate::analyze::Report;
use crate::input::Status;

/// The `systems` of a report, as in its `--format json` document; reports of builds without a
/// systems model get the interim derivation of [`super::derive`].
pub fn systems_of(report: &Report) -> Vec<Value> {
    let doc: Value = serde_json::from_str(&crate::report::json::render(report)).unwrap_or(Value::Null);
    match doc.get("systems").and_then(Value::as_array) {
        Some(systems) => systems.clone(),
        None => super::derive::systems(report),
    }
}

/// The fleet part of one top-level input `name` analysed into `report`.
pub fn fleet_of(name: &str, report: &Report) -> Fleet {
    let top = report.inputs.iter().find(|i| i.path == name);
    if report.nothing_readable() || top.is_some_and(|t| t.status == Status::Error) {
        let why = top
            .and_then(|t| t.message.clone())
            .or_else(|| report.inputs.iter().find_map(|i| i.message.clone()))
            .unwrap_or_else(|| "nothing could be read".into());
        return Fleet { systems: vec![error_row(name, &why)], inputs: vec![input_row(name, "error", 0, 0, Some(why))] };
    }
    let systems: Vec<SystemRow> = systems_of(report).iter().map(|s| row_from_system(s, name)).collect();
    // Read up to a problem (a cut-off archive, a corrupt member): its rows count, and the input
    // says what was lost.
    let troubled: Vec<_> =
        report.inputs.iter().filter(|i| matches!(i.status, Status::Error | Status::Partial)).collect();
    let (status, message) = match troubled.first() {
        None => ("ok", None),
        Some(first) => {
            let why = first.message.as_deref().unwrap_or("not read whole");
            let more = match troubled.len() {
                1 => String::new(),
                n => format!(" (and {} more part(s))", n - 1),
            };
            ("partial", Some(format!("{}: {why}{more}", first.path)))
        }
    };
    let input = input_row(name, status, systems.len(), report.findings.len(), message);
    Fleet { systems, inputs: vec![input] }
}

/// The row of an input that could not be read.
pub fn error_row(name: &str, why: &str) -> SystemRow {
    SystemRow {
        id: format!("input:{name}"),
        fmc: None,
        fmc_uuid: None,
        version: None,
        ca_not_after: None,
        days_left: None,
        state: "error".into(),
        devices_pending: Vec::new(),
        next_step: None,
        bundles: vec![name.to_string()],
        error: Some(why.to_string()),
    }
}

fn input_row(path: &str, status: &str, systems: usize, findings: usize, message: Option<String>) -> InputRow {
    InputRow { path: path.to_string(), status: status.into(), systems, findings, message }
}

fn text(v: &Value, path: &[&str]) -> Option<String> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str().map(str::to_string)
}

/// One system of the JSON document as a row seen in `bundle`.
pub fn row_from_system(s: &Value, bundle: &str) -> SystemRow {
    let empty = Vec::new();
    let devices = s.get("devices").and_then(Value::as_array).unwrap_or(&empty);
    let devices_pending = devices
        .iter()
        .filter(|d| d.get("needs_push").and_then(Value::as_bool) == Some(true))
        .filter_map(|d| text(d, &["name"]).or_else(|| text(d, &["ip"])).or_else(|| text(d, &["uuid"])))
        .collect();
    let next_step = s.get("next_steps").and_then(Value::as_array).and_then(|a| a.first()).map(|st| NextStep {
        id: text(st, &["id"]).unwrap_or_default(),
        text: text(st, &["text"]).unwrap_or_default(),
    });
    SystemRow {
        id: text(s, &["id"]).unwrap_or_else(|| format!("unnamed:{bundle}")),
        fmc: text(s, &["fmc", "name"]),
        fmc_uuid: text(s, &["fmc", "uuid"]),
        version: text(s, &["fmc", "version"]),
        ca_not_after: text(s, &["internal_ca", "not_after"]),
        days_left: s.get("internal_ca").and_then(|c| c.get("days_left")).and_then(Value::as_i64),
        state: text(s, &["state"]).unwrap_or_else(|| "unknown".into()),
        devices_pending,
        next_step,
        bundles: vec![bundle.to_string()],
        error: None,
    }
}
