//! The fleet's exporters: CSV safety, hostile names, the JSON forms, and write errors returned.

use super::*;
use crate::fleet::{merge, InputRow, NextStep};
use crate::report::{render, Export, FleetFormat};

fn row(fmc: &str, pending: &[&str]) -> SystemRow {
    SystemRow {
        id: "fmc:3b9c1e52-8a41-11e4-9c2f-5254001a7c33".into(),
        name: fmc.into(),
        fmc: Some(fmc.into()),
        fmc_uuid: Some("3b9c1e52-8a41-11e4-9c2f-5254001a7c33".into()),
        version: Some("7.4.1".into()),
        ca_not_after: Some("2026-03-10T00:00:00Z".into()),
        days_left: Some(-1),
        ca_sha256: Vec::new(),
        state: crate::fleet::RowState::Expired,
        devices_pending: pending.iter().map(|p| p.to_string()).collect(),
        next_step: Some(NextStep {
            id: "push-with-copy-script".into(),
            on: Some("fmc-hq-01".into()),
            text: "push them".into(),
            command: Some("copy_sftunnel_certs.py devices.csv".into()),
        }),
        collect: Vec::new(),
        bundles: vec!["x.tgz".into()],
        error: None,
        conflicts: Vec::new(),
    }
}

fn fleet_of(rows: Vec<SystemRow>) -> Fleet {
    let n = rows.len();
    let input = InputRow { path: "x.tgz".into(), status: "ok".into(), systems: n, findings: 1, message: None };
    merge([Fleet { systems: rows, inputs: vec![input] }])
}

fn shown(fleet: &Fleet, format: FleetFormat, width: usize) -> String {
    render(Export::Fleet(format, &FleetView { fleet, layout: Layout::plain(width) }))
}

/// The CSV cell of the FMC name `fmc`, as written.
fn csv_cell(fmc: &str) -> String {
    let csv = shown(&fleet_of(vec![row(fmc, &[])]), FleetFormat::Csv, 120);
    let line = csv.lines().nth(1).expect("a row");
    let rest = line.strip_prefix("\"fmc:3b9c1e52-8a41-11e4-9c2f-5254001a7c33\",").expect("the id first");
    rest.split(",\"3b9c1e52").next().expect("the UUID after").to_string()
}

#[test]
fn csv_cells_are_quoted_and_formulas_neutralised() {
    assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    assert_eq!(csv_cell("  +1"), "\"'  +1\"");
    assert_eq!(csv_cell("@SUM(A1)"), "\"'@SUM(A1)\"");
    assert_eq!(csv_cell("\t=cmd"), "\"\\x09=cmd\"");
    assert_eq!(csv_cell(" -2"), "\"' -2\"");
    assert_eq!(csv_cell("a\nb,c"), "\"a\\x0ab,c\"");
    assert_eq!(csv_cell("fmc-hq-01"), "\"fmc-hq-01\"");
    assert_eq!(csv_cell(""), "\"\"");
    let header = shown(&fleet_of(vec![row("x", &[])]), FleetFormat::Csv, 120);
    assert!(header.starts_with("system,fmc,fmc_uuid,version,ca_not_after,days_left,state,"), "{header}");
}

#[test]
fn conflicting_sources_reach_the_csv_in_their_own_column() {
    let mut disputed = row("fmc-hq-01", &[]);
    disputed.conflicts = vec!["a.tgz says 7.4.1".into(), "=b.tgz says 7.2.0".into()];
    let mut other = row("fmc-west-02", &[]);
    other.id = "fmc:9d4e7a10-3c2b-11e7-8f1a-5254002b8c44".into();
    let csv = shown(&fleet_of(vec![disputed, other]), FleetFormat::Csv, 120);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].ends_with(",error,conflicts"), "{}", lines[0]);
    assert!(lines[1].ends_with(",\"\",\"a.tgz says 7.4.1; =b.tgz says 7.2.0\""), "{}", lines[1]);
    assert!(lines[2].ends_with(",\"\",\"\""), "{}", lines[2]);
}

#[test]
fn a_hostile_name_reaches_csv_and_table_defused() {
    let fleet = fleet_of(vec![row("=1+1\u{1b}[31m", &["-cmd|calc", "ftd-ok"])]);
    let csv = shown(&fleet, FleetFormat::Csv, 120);
    let line = csv.lines().nth(1).unwrap();
    assert!(line.contains("\"'=1+1\\x1b[31m\""), "{line}");
    assert!(line.contains("\"'-cmd|calc; ftd-ok\""), "{line}");
    assert!(line.contains(",-1,"), "days stay a number: {line}");
    let table = shown(&fleet, FleetFormat::Table, 200);
    assert!(!table.contains('\u{1b}'), "no escape sequence reaches the terminal");
}

#[test]
fn jsonl_is_one_system_per_line_and_json_has_systems_and_inputs() {
    let fleet = fleet_of(vec![crate::fleet::systems::error_row("x.tgz", "truncated")]);
    let jsonl = shown(&fleet, FleetFormat::Jsonl, 120);
    assert_eq!(jsonl.lines().count(), 1);
    let back: SystemRow = serde_json::from_str(jsonl.trim()).unwrap();
    assert_eq!(back, fleet.systems[0]);
    let doc: serde_json::Value = serde_json::from_str(&shown(&fleet, FleetFormat::Json, 120)).unwrap();
    assert_eq!(doc["systems"][0]["state"], "error");
    assert_eq!(doc["systems"][0]["error"], "truncated");
    assert_eq!(doc["inputs"][0]["path"], "x.tgz");
}

/// A writer that takes `room` bytes, then fails as a full disk does.
struct Full {
    room: usize,
}

impl io::Write for Full {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.room == 0 {
            return Err(io::Error::other("No space left on device"));
        }
        let n = buf.len().min(self.room);
        self.room -= n;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn every_format_returns_the_error_of_its_writer() {
    let fleet = fleet_of(vec![row("fmc-hq-01", &["ftd-1"])]);
    for format in [FleetFormat::Table, FleetFormat::Json, FleetFormat::Jsonl, FleetFormat::Csv] {
        let view = FleetView { fleet: &fleet, layout: Layout::plain(120) };
        let e = crate::report::write(Export::Fleet(format, &view), &mut Full { room: 10 }).expect_err("disk full");
        assert_eq!(e.to_string(), "No space left on device", "{format:?}");
    }
}
