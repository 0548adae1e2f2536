//! `tlstriage fleet`: each path analysed on its own, one row per system, the same system in
//! several bundles merged, unreadable inputs as rows of their own, every format.

use serde_json::Value;

use crate::common::run;

const DATES: [&str; 4] = ["--year", "2026", "--now", "2026-11-23"];

fn fleet(paths: &[&str], format: &str) -> (i32, String) {
    let mut args = vec!["fleet", "--format", format];
    args.extend_from_slice(&DATES);
    args.extend_from_slice(paths);
    let r = run(&args);
    (r.code, r.stdout)
}

fn fleet_json(paths: &[&str]) -> (i32, Value) {
    let (code, out) = fleet(paths, "json");
    (code, serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}")))
}

const FMC: &str = "samples/bundles/fmc-hq-01.tar.gz";
const FTD: &str = "samples/bundles/ftd-branch-07.tar.gz";

#[test]
fn an_fmc_bundle_and_its_ftd_bundle_are_one_row() {
    let (code, doc) = fleet_json(&[FTD, FMC]);
    assert_eq!(code, 1, "a system needs action");
    let systems = doc["systems"].as_array().unwrap();
    assert_eq!(systems.len(), 1, "{doc:#}");
    let row = &systems[0];
    assert_eq!(row["id"], "fmc:3b9c1e52-8a41-11e4-9c2f-5254001a7c33");
    assert_eq!(row["fmc"], "fmc-hq-01");
    assert_eq!(row["version"], "7.4.1");
    assert_eq!(row["ca_not_after"], "2036-03-12T00:00:00Z");
    assert_eq!(row["state"], "renewed-push-pending");
    assert_eq!(row["devices_pending"], serde_json::json!(["ftd-branch-07", "ftd-dc-02"]));
    assert_eq!(row["bundles"], serde_json::json!([FMC, FTD]));
    let inputs: Vec<&str> = doc["inputs"].as_array().unwrap().iter().map(|i| i["path"].as_str().unwrap()).collect();
    assert_eq!(inputs, vec![FMC, FTD]);
    assert!(doc["inputs"].as_array().unwrap().iter().all(|i| i["status"] == "ok" && i["systems"] == 1));
}

#[test]
fn the_ftd_bundle_alone_shows_the_expired_ca() {
    let (_, doc) = fleet_json(&[FTD]);
    let row = &doc["systems"][0];
    assert_eq!(row["state"], "expired");
    assert_eq!(row["ca_not_after"], "2026-03-10T00:00:00Z");
    assert_eq!(row["days_left"], -258);
}

#[test]
fn a_corrupt_bundle_is_its_own_row_and_the_others_still_count() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("case-4711.tar.gz");
    std::fs::write(&bad, b"\x1f\x8b\x08\x00 this is no gzip stream").unwrap();
    let missing = dir.path().join("never-uploaded.tar.gz");
    let (bad_s, missing_s) = (bad.to_str().unwrap(), missing.to_str().unwrap());
    let (code, doc) = fleet_json(&[FMC, bad_s, missing_s]);
    assert_eq!(code, 1);
    let systems = doc["systems"].as_array().unwrap();
    assert_eq!(systems.len(), 3);
    assert_eq!(systems[0]["fmc"], "fmc-hq-01", "the renewal pending comes before unreadable inputs");
    for (row, path) in systems[1..].iter().zip([bad_s, missing_s]) {
        assert_eq!(row["id"], format!("input:{path}"));
        assert_eq!(row["state"], "error");
        assert!(row["error"].as_str().is_some_and(|e| !e.is_empty()), "{row}");
    }
    let statuses: Vec<&str> = doc["inputs"].as_array().unwrap().iter().map(|i| i["status"].as_str().unwrap()).collect();
    assert_eq!(statuses.len(), 3);
    assert_eq!(statuses.iter().filter(|s| **s == "error").count(), 2);
}

#[test]
fn nothing_readable_is_exit_code_2() {
    let (code, doc) = fleet_json(&["samples/no-such-bundle.tar.gz"]);
    assert_eq!(code, 2);
    assert_eq!(doc["systems"][0]["state"], "error");
}

#[test]
fn table_jsonl_and_csv_show_the_same_rows() {
    let paths = [FMC, FTD, "samples/captures"];
    let (_, doc) = fleet_json(&paths);
    let n = doc["systems"].as_array().unwrap().len();
    assert_eq!(n, 3, "fmc-hq-01 and the capture lab's two CAs");
    let (_, jsonl) = fleet(&paths, "jsonl");
    let rows: Vec<Value> = jsonl.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(Value::Array(rows), doc["systems"]);
    let (_, csv) = fleet(&paths, "csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), n + 1);
    assert!(lines[0].starts_with("system,fmc,fmc_uuid,version,ca_not_after,days_left,state"));
    assert!(lines[1..].iter().all(|l| l.starts_with("\"fmc:")));
    let (_, table) = fleet(&paths, "table");
    assert!(table.contains("fmc-hq-01") && table.contains("renewed-push-pending"), "{table}");
    assert!(table.contains("3 input(s): 3 read"), "{table}");
    assert!(table.contains("[2] fmc-hq-01 (renewed-push-pending): Push the new sftunnel files"), "{table}");
    assert!(table.contains("    pending: ftd-branch-07, ftd-dc-02\n"), "{table}");
    assert!(table.contains(&format!("    seen in: {FMC}, {FTD}\n")), "{table}");
}

#[test]
fn the_result_does_not_depend_on_threads_or_order() {
    let (_, one) = fleet_json(&["--threads", "1", FMC, FTD, "samples/captures", "samples/logs"]);
    let (_, two) = fleet_json(&["--threads", "2", "samples/logs", "samples/captures", FTD, FMC]);
    assert_eq!(one, two);
}

#[test]
fn an_unusable_trust_anchor_stops_the_run() {
    let r = run(&["fleet", FMC, "--ca", "samples/logs/tls-proxy/tls_proxy.log"]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr.contains("--ca samples/logs/tls-proxy/tls_proxy.log: --ca file holds no certificate"),
        "{}",
        r.stderr
    );
}
