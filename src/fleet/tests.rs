//! Rows from hand-built systems, merging by system id, urgency order and CSV safety.

use serde_json::json;

use super::render::{csv_cell, render, FleetFormat};
use super::row::{merge, Fleet, InputRow, SystemRow};
use super::systems::{error_row, row_from_system};

fn system(id: &str, state: &str, not_after: &str, days: i64, pending: &[&str]) -> serde_json::Value {
    json!({
        "id": id,
        "fmc": {"name": "fmc-hq-01", "uuid": "3b9c1e52", "version": "7.4.1"},
        "internal_ca": {"subject": "/title=InternalCA/CN=3b9c1e52", "not_after": not_after, "days_left": days},
        "state": state,
        "devices": pending.iter().map(|n| json!({"name": n, "ip": "192.0.2.1", "needs_push": true}))
            .chain([json!({"name": "ftd-ok", "needs_push": false})]).collect::<Vec<_>>(),
        "next_steps": [{"id": "push-with-copy-script", "on": "fmc", "text": "push them", "command": "x"},
                       {"id": "verify-tunnels", "text": "check"}],
    })
}

fn part(bundle: &str, systems: Vec<SystemRow>) -> Fleet {
    let n = systems.len();
    Fleet {
        systems,
        inputs: vec![InputRow { path: bundle.into(), status: "ok".into(), systems: n, findings: 1, message: None }],
    }
}

#[test]
fn a_system_becomes_a_row_with_its_pending_devices_and_first_step() {
    let r = row_from_system(
        &system("fmc:3b9c", "renewed-push-pending", "2036-03-12T00:00:00Z", 3397, &["ftd-dc-02"]),
        "a.tgz",
    );
    assert_eq!(r.id, "fmc:3b9c");
    assert_eq!(r.fmc.as_deref(), Some("fmc-hq-01"));
    assert_eq!(r.version.as_deref(), Some("7.4.1"));
    assert_eq!(r.days_left, Some(3397));
    assert_eq!(r.devices_pending, vec!["ftd-dc-02"]);
    assert_eq!(r.next_step.as_ref().map(|s| s.id.as_str()), Some("push-with-copy-script"));
    assert_eq!(r.bundles, vec!["a.tgz"]);
}

#[test]
fn the_same_system_in_two_bundles_is_one_row_led_by_the_newest_ca() {
    let old = row_from_system(&system("fmc:3b9c", "expired", "2026-03-10T00:00:00Z", -258, &[]), "ftd.tgz");
    let new = row_from_system(
        &system("fmc:3b9c", "renewed-push-pending", "2036-03-12T00:00:00Z", 3397, &["b", "a"]),
        "fmc.tgz",
    );
    let one = merge([part("ftd.tgz", vec![old.clone()]), part("fmc.tgz", vec![new.clone()])]);
    let other = merge([part("fmc.tgz", vec![new]), part("ftd.tgz", vec![old])]);
    assert_eq!(one, other, "merging does not depend on the order");
    assert_eq!(one.systems.len(), 1);
    let row = &one.systems[0];
    assert_eq!(row.state, "renewed-push-pending");
    assert_eq!(row.days_left, Some(3397));
    assert_eq!(row.devices_pending, vec!["a", "b"]);
    assert_eq!(row.bundles, vec!["fmc.tgz", "ftd.tgz"]);
    assert_eq!(one.inputs.iter().map(|i| i.path.as_str()).collect::<Vec<_>>(), vec!["fmc.tgz", "ftd.tgz"]);
}

#[test]
fn rows_are_sorted_by_urgency_then_days_left() {
    let rows = [
        ("fmc:h", "healthy", 2000),
        ("fmc:e2", "expiring", 60),
        ("fmc:x", "expired", -3),
        ("fmc:e1", "expiring", 10),
        ("fmc:p", "renewed-push-pending", 3000),
    ];
    let parts = rows
        .iter()
        .map(|(id, st, d)| part(id, vec![row_from_system(&system(id, st, "2030-01-01T00:00:00Z", *d, &[]), id)]));
    let mut parts: Vec<Fleet> = parts.collect();
    parts.push(part("bad.tgz", vec![error_row("bad.tgz", "gzip: invalid header")]));
    let fleet = merge(parts);
    let ids: Vec<&str> = fleet.systems.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, vec!["fmc:x", "fmc:p", "fmc:e1", "fmc:e2", "input:bad.tgz", "fmc:h"]);
}

#[test]
fn csv_cells_are_quoted_and_formulas_neutralised() {
    assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    assert_eq!(csv_cell("  +1"), "\"'  +1\"");
    assert_eq!(csv_cell("@SUM(A1)"), "\"'@SUM(A1)\"");
    assert_eq!(csv_cell("\tcmd"), "\"' cmd\"");
    assert_eq!(csv_cell("a\nb,c"), "\"a b,c\"");
    assert_eq!(csv_cell("fmc-hq-01"), "\"fmc-hq-01\"");
}

#[test]
fn a_hostile_name_reaches_csv_and_table_defused() {
    let mut r = row_from_system(&system("fmc:1", "expired", "2026-03-10T00:00:00Z", -1, &["-cmd|calc"]), "x.tgz");
    r.fmc = Some("=1+1\u{1b}[31m".into());
    let fleet = merge([part("x.tgz", vec![r])]);
    let csv = render(&fleet, FleetFormat::Csv, None);
    let line = csv.lines().nth(1).unwrap();
    assert!(line.contains("\"'=1+1 [31m\""), "{line}");
    assert!(line.contains("\"'-cmd|calc\""), "{line}");
    assert!(line.contains(",-1,"), "days stay a number: {line}");
    let table = render(&fleet, FleetFormat::Table, Some(200));
    assert!(!table.contains('\u{1b}'), "no escape sequence reaches the terminal");
}

#[test]
fn jsonl_is_one_system_per_line_and_json_has_systems_and_inputs() {
    let fleet = merge([part("x.tgz", vec![error_row("x.tgz", "truncated")])]);
    let jsonl = render(&fleet, FleetFormat::Jsonl, None);
    assert_eq!(jsonl.lines().count(), 1);
    let back: SystemRow = serde_json::from_str(jsonl.trim()).unwrap();
    assert_eq!(back, fleet.systems[0]);
    let doc: serde_json::Value = serde_json::from_str(&render(&fleet, FleetFormat::Json, None)).unwrap();
    assert_eq!(doc["systems"][0]["state"], "error");
    assert_eq!(doc["systems"][0]["error"], "truncated");
    assert_eq!(doc["inputs"][0]["path"], "x.tgz");
}
