//! Baseline identity does not depend on the input set: a superset's baseline checked against a
//! subset and the other way round, a severity that moved, and a client seen from another port.

use std::path::Path;

use crate::common::run;

fn baseline(paths: &[&str], file: &Path, now: &str) {
    let mut args = vec!["baseline", "-o", file.to_str().unwrap(), "--year", "2026", "--now", now];
    args.extend_from_slice(paths);
    let r = run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// `status kind peer` per finding, and `kind peer` per resolved entry.
fn check(paths: &[&str], file: &Path, now: &str) -> (Vec<String>, Vec<String>, serde_json::Value) {
    let mut args =
        vec!["analyze", "--format", "json", "--baseline", file.to_str().unwrap(), "--year", "2026", "--now", now];
    args.extend_from_slice(paths);
    let r = run(&args);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stderr));
    let s = |x: &serde_json::Value| x.as_str().unwrap_or("-").to_string();
    let found = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {} {}", s(&f["baseline_status"]), s(&f["kind"]), s(&f["peer"])))
        .collect();
    let gone = v["baseline"]["resolved_findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", s(&f["kind"]), s(&f["peer"])))
        .collect();
    (found, gone, v)
}

const LOG_FINDINGS: [&str; 13] = [
    "expired-ca 192.168.45.10",
    "expired-cert 10.20.30.14",
    "not-yet-valid 10.20.30.13",
    "self-signed -",
    "self-signed 10.20.30.11",
    "unknown-ca 10.20.30.12",
    "cipher-mismatch 10.20.30.15",
    "protocol-mismatch 10.20.30.16",
    "peer-rejected-certificate 192.168.45.21",
    "peer-rejected-certificate 192.168.45.22",
    "connection-refused 10.20.30.17",
    "handshake-failed -",
    "invalid-purpose 10.20.40.10",
];

/// Some of the findings of `samples/` that `samples/logs` does not show (`kind peer`); the
/// samples grow, so the whole set is checked by comparing both directions.
const OUTSIDE_LOGS: [&str; 6] = [
    "ca-mismatch -",
    "cert-push-failed ftd-branch-07",
    "cert-push-failed ftd-dc-02",
    "expired-ca 10.48.79.232:8305",
    "expired-cert 10.48.79.23",
    "unknown-ca 10.48.79.232:443",
];

/// A baseline of `samples/` checked against `samples/logs`: the resolved entries, sorted, after
/// checking that every finding of the subset is unchanged.
fn superset_against_logs() -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("all.json");
    baseline(&["samples/"], &file, "2026-11-23");
    let (found, mut gone, _) = check(&["samples/logs"], &file, "2026-11-23");
    let want: Vec<String> = LOG_FINDINGS.iter().map(|l| format!("unchanged {l}")).collect();
    assert_eq!(found, want);
    gone.sort();
    gone
}

#[test]
fn superset_baseline_against_a_subset_shows_only_unchanged_and_resolved() {
    let gone = superset_against_logs();
    for f in OUTSIDE_LOGS {
        assert!(gone.contains(&f.to_string()), "{f} not resolved: {gone:?}");
    }
    // Nothing the logs show is resolved.
    for f in LOG_FINDINGS {
        assert!(!gone.contains(&f.to_string()), "{f} resolved");
    }
}

#[test]
fn subset_baseline_against_the_superset_shows_only_new_and_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("logs.json");
    baseline(&["samples/logs"], &file, "2026-11-23");
    let (found, gone, v) = check(&["samples/"], &file, "2026-11-23");
    assert!(gone.is_empty(), "{gone:?}");
    // What is new is exactly what the other direction resolves.
    let mut new: Vec<String> = found.iter().filter_map(|f| f.strip_prefix("new ")).map(str::to_string).collect();
    new.sort();
    assert_eq!(new, superset_against_logs());

    // The expired InternalCA, folded here with its files and the FMC's rejection from .21, is
    // the logs' finding still.
    assert!(found.contains(&"unchanged expired-ca 192.168.45.10".to_string()));
    assert_eq!(v["baseline"]["unchanged"], found.len() - new.len());
    assert_eq!(found.len() - new.len(), 12);
    assert_eq!(v["baseline"]["changed"], 0);
}

#[test]
fn a_severity_that_moved_is_changed() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("b.json");
    let paths = ["samples/bundles"];
    // The FMC's certificates end 2036-03-11: warning 60 days before, error 20 days before.
    baseline(&paths, &file, "2036-01-10");
    let (found, _, v) = check(&paths, &file, "2036-02-20");
    let changed: Vec<&String> = found.iter().filter(|f| f.starts_with("changed ")).collect();
    assert!(!changed.is_empty(), "{found:?}");
    let f = v["findings"].as_array().unwrap().iter().find(|f| f["baseline_status"] == "changed").unwrap();
    assert_eq!(f["kind"], "expiring-soon");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["accepted_severity"], "warning");
    // A rise to error fails the default --fail-on error.
    let r = run(&["analyze", "--baseline", file.to_str().unwrap(), "--year", "2026", "--now", "2036-02-20", paths[0]]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.starts_with(&format!("Baseline {}: 0 new, 3 changed, 0 resolved", file.display())),
        "{}",
        r.stdout
    );
    let args =
        ["analyze", "--baseline", file.to_str().unwrap(), "--year", "2026", "--now", "2036-02-20", paths[0], "-v"];
    let r = run(&args);
    assert!(r.stdout.contains("changed (was warning)"), "{}", r.stdout);
}

/// A copy of a classic pcap whose TCP port `from` is `to` in every IPv4 frame.
fn with_port(pcap: &[u8], from: u16, to: u16) -> Vec<u8> {
    let mut out = pcap.to_vec();
    let mut at = 24;
    while at + 16 <= out.len() {
        let len = u32::from_le_bytes(out[at + 8..at + 12].try_into().unwrap()) as usize;
        let frame = at + 16;
        if out.get(frame + 12..frame + 14) == Some(&[0x08, 0x00]) {
            let ip = frame + 14;
            let tcp = ip + usize::from(out[ip] & 0x0f) * 4;
            for p in [tcp, tcp + 2] {
                if u16::from_be_bytes([out[p], out[p + 1]]) == from {
                    out[p..p + 2].copy_from_slice(&to.to_be_bytes());
                }
            }
        }
        at = frame + len;
    }
    out
}

#[test]
fn the_same_client_from_another_port_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let pcap = crate::common::sample("samples/captures/expired-client-cert.pcap");
    let moved = with_port(&pcap, 41852, 50123);
    assert_ne!(moved, pcap);
    let first = dir.path().join("first.pcap");
    let second = dir.path().join("second.pcap");
    std::fs::write(&first, &pcap).unwrap();
    std::fs::write(&second, &moved).unwrap();
    let file = dir.path().join("b.json");
    baseline(&[first.to_str().unwrap()], &file, "2026-11-23");
    let (found, gone, v) = check(&[second.to_str().unwrap()], &file, "2026-11-23");
    assert_eq!(found, ["unchanged expired-cert 10.48.79.23"]);
    assert!(gone.is_empty());
    // The port did change: the handshake says so.
    assert_eq!(v["handshakes"][0]["client"], "10.48.79.23:50123");
}
