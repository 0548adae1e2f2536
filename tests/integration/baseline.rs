//! `tlstriage baseline` and `analyze --baseline` through the binary: round trip, new and
//! resolved findings, exit codes, and broken baseline files.

use crate::common;

use common::run;

const TIME: [&str; 4] = ["--year", "2026", "--now", "2026-11-23"];

/// `tlstriage baseline PATHS -o FILE` with the fixed time; returns the file's text.
fn write_baseline(paths: &[&str], file: &std::path::Path) -> String {
    let mut args = vec!["baseline", "-o", file.to_str().unwrap()];
    args.extend(TIME);
    args.extend_from_slice(paths);
    let r = run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    std::fs::read_to_string(file).unwrap()
}

/// `analyze --format json --baseline FILE` with extra arguments; exit code and document.
fn analyze_with(paths: &[&str], baseline: &std::path::Path, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec!["analyze", "--format", "json", "--baseline", baseline.to_str().unwrap()];
    args.extend(TIME);
    args.extend_from_slice(extra);
    args.extend_from_slice(paths);
    let r = run(&args);
    let v = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", r.stdout, r.stderr));
    (r.code, v)
}

fn statuses(v: &serde_json::Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", f["baseline_status"].as_str().unwrap(), f["kind"].as_str().unwrap()))
        .collect()
}

#[test]
fn baseline_of_the_samples_round_trips_with_everything_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("accepted.json");
    let text = write_baseline(&["samples/"], &file);
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["baseline_version"], 1);
    let entries = doc["findings"].as_array().unwrap();
    assert_eq!(entries.len(), 39);
    // Sorted by identity: the kinds come in name order, and writing twice gives the same bytes.
    let kinds: Vec<&str> = entries.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    let mut sorted = kinds.clone();
    sorted.sort();
    assert_eq!(kinds, sorted);
    assert_eq!(write_baseline(&["samples/"], &dir.path().join("again.json")), text);
    // No line numbers, times, counts or evidence paths in the file.
    for banned in ["\"line\"", "\"time\"", "\"count\"", "\"evidence\"", "first_seen", "samples/"] {
        assert!(!text.contains(banned), "{banned} in the baseline");
    }

    let (code, v) = analyze_with(&["samples/"], &file, &["--fail-on", "info"]);
    assert_eq!(code, 0);
    assert_eq!(v["baseline"]["new"], 0);
    assert_eq!(v["baseline"]["unchanged"], 39);
    assert_eq!(v["baseline"]["resolved"], 0);
    assert!(statuses(&v).iter().all(|s| s.starts_with("unchanged ")), "{:?}", statuses(&v));
}

#[test]
fn an_extra_input_brings_a_new_finding_and_exit_code_1() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("accepted.json");
    write_baseline(&["samples/logs"], &file);
    let (code, v) = analyze_with(&["samples/logs", "samples/captures/self-signed.pcap"], &file, &[]);
    assert_eq!(code, 1);
    assert_eq!(v["baseline"]["new"], 1);
    assert_eq!(v["baseline"]["unchanged"], 13);
    assert_eq!(v["baseline"]["resolved"], 0);
    let new: Vec<&serde_json::Value> =
        v["findings"].as_array().unwrap().iter().filter(|f| f["baseline_status"] == "new").collect();
    assert_eq!(new.len(), 1);
    assert_eq!(new[0]["kind"], "self-signed");
    assert_eq!(new[0]["peer"], "10.48.79.232:443");
    // --fail-on only looks at new findings: the new one is an error, not critical.
    let (code, _) =
        analyze_with(&["samples/logs", "samples/captures/self-signed.pcap"], &file, &["--fail-on", "critical"]);
    assert_eq!(code, 0);
    // Without the baseline the accepted critical findings fail the run.
    let (code, _) = common::analyze_json(&["samples/logs"], &["--fail-on", "critical"]);
    assert_eq!(code, 1);
}

#[test]
fn a_removed_input_resolves_its_findings() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("accepted.json");
    write_baseline(&["samples/logs"], &file);
    let (code, v) = analyze_with(&["samples/logs/tls-proxy"], &file, &["--fail-on", "info"]);
    assert_eq!(code, 0, "only unchanged and resolved findings");
    assert_eq!(statuses(&v), ["unchanged self-signed", "unchanged handshake-failed"]);
    assert_eq!(v["baseline"]["new"], 0);
    assert_eq!(v["baseline"]["resolved"], 11);
    let resolved: Vec<String> = v["baseline"]["resolved_findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| format!("{} {}", a["kind"].as_str().unwrap(), a["peer"].as_str().unwrap_or("-")))
        .collect();
    assert_eq!(
        resolved,
        [
            "cipher-mismatch 10.20.30.15",
            "connection-refused 10.20.30.17",
            "expired-ca 192.168.45.10",
            "expired-cert 10.20.30.14",
            "invalid-purpose 10.20.40.10",
            "not-yet-valid 10.20.30.13",
            "peer-rejected-certificate 192.168.45.21",
            "peer-rejected-certificate 192.168.45.22",
            "protocol-mismatch 10.20.30.16",
            "self-signed 10.20.30.11",
            "unknown-ca 10.20.30.12",
        ]
    );
    // The text opens with the verdict and lists the resolved ones; -v has the old counts line
    // and each finding's status.
    let args = ["analyze", "--baseline", file.to_str().unwrap(), "--now", "2026-11-23", "samples/logs/tls-proxy"];
    let r = run(&args);
    let first = r.stdout.lines().next().unwrap_or_default().to_string();
    assert_eq!(first, format!("Baseline {}: 0 new, 0 changed, 11 resolved (2 unchanged)", file.display()));
    assert!(
        r.stdout.contains("  resolved error connection-refused: Connection refused before TLS began"),
        "{}",
        r.stdout
    );
    let v = run(&[&args[..], &["-v"]].concat());
    assert!(
        v.stdout.contains(&format!("Baseline {}: 0 new, 2 unchanged, 0 changed, 11 resolved", file.display())),
        "{}",
        v.stdout
    );
    assert!(v.stdout.contains("[1] error self-signed (unchanged): "), "{}", v.stdout);
}

#[test]
fn a_full_json_report_serves_as_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.json");
    let (_, report) = common::analyze_json(&["samples/captures"], &[]);
    std::fs::write(&file, report.to_string()).unwrap();
    let (code, v) = analyze_with(&["samples/captures"], &file, &["--fail-on", "info"]);
    assert_eq!(code, 0);
    assert_eq!(v["baseline"]["unchanged"], report["findings"].as_array().unwrap().len());
    assert_eq!(v["baseline"]["new"], 0);
}

#[test]
fn a_broken_baseline_file_is_exit_code_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &str, &str); 5] = [
        ("corrupt.json", "{\"baseline_version\": 1, \"findings\": [", "not valid JSON"),
        ("other.json", "{\"hello\": 1}", "neither a tlstriage baseline"),
        ("future.json", "{\"baseline_version\": 7, \"findings\": []}", "baseline_version 7 is not supported"),
        (
            "nokind.json",
            "{\"baseline_version\": 1, \"findings\": [{\"context\": \"generic\"}]}",
            "findings[0]: no \"kind\"",
        ),
        (
            "badpeer.json",
            "{\"schema_version\": 1, \"findings\": [{\"kind\": \"x\", \"peer\": 5}]}",
            "\"peer\" is not a string",
        ),
    ];
    for (name, text, why) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        let r = run(&["analyze", "--baseline", file.to_str().unwrap(), "samples/logs/tls-proxy"]);
        assert_eq!(r.code, 2, "{name}");
        assert!(r.stderr.contains(&format!("baseline {}: ", file.display())), "{name}: {}", r.stderr);
        assert!(r.stderr.contains(why), "{name}: {}", r.stderr);
        assert_eq!(r.stdout, "", "{name}: nothing is analysed");
    }
    let missing = dir.path().join("missing.json");
    let r = run(&["analyze", "--baseline", missing.to_str().unwrap(), "samples/logs/tls-proxy"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(&format!("baseline {}: cannot open", missing.display())), "{}", r.stderr);
}

#[test]
fn the_committed_ci_baseline_matches_the_samples() {
    // `.ci/run` gates on this file; when a change of tlstriage changes the findings on samples/
    // on purpose, regenerate it with the command below and review its diff.
    let r = run(&["baseline", "--year", "2026", "--now", "2026-11-23", "samples/"]);
    assert_eq!(r.code, 0);
    let committed = std::fs::read_to_string(crate::common::repo(".ci/samples-baseline.json")).unwrap();
    assert!(
        r.stdout == committed,
        "regenerate: tlstriage baseline samples/ --year 2026 --now 2026-11-23 -o .ci/samples-baseline.json"
    );
}
