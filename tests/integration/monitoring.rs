//! `check --format prometheus` read back by a strict parser of the text exposition format
//! (0.0.4), on every sample tree and on a tree whose names try to break out of their labels;
//! `check --nagios` status lines and exit codes for healthy, expiring, expired and unreadable
//! trees. The metric names are the ones `docs/monitoring.md` documents.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::appliance::{check_json, sample_bundles, tree};
use crate::common::exposition::{parse, Sample};
use crate::common::{repo, run};

/// The metric names `docs/monitoring.md` documents (`` `tlstriage_...` `` at a table row's start).
fn documented() -> BTreeSet<String> {
    let text = std::fs::read_to_string(repo("docs/monitoring.md")).unwrap();
    text.lines()
        .filter_map(|l| l.strip_prefix("| `tlstriage_"))
        .map(|l| format!("tlstriage_{}", l.split('`').next().unwrap()))
        .collect()
}

fn prometheus(root: &Path, extra: &[&str]) -> (i32, String) {
    let root = root.display().to_string();
    let args = [&["check", "--root", &root, "--format", "prometheus", "--now", "2026-11-23", "--year", "2026"], extra]
        .concat();
    let r = run(&args);
    (r.code, r.stdout)
}

#[test]
fn the_parser_refuses_what_the_format_forbids() {
    let head = "# HELP m x\n# TYPE m gauge\n";
    assert!(parse(&format!("{head}m{{a=\"x\\\"y\"}} 1\n")).is_ok());
    for bad in [
        format!("{head}m{{a=\"x\"y\"}} 1\n"),
        format!("{head}m{{a=\"x\\q\"}} 1\n"),
        format!("{head}m{{a=\"x\"}} 1\nm{{a=\"x\"}} 2\n"),
        format!("{head}m 1\n# HELP n y\n# TYPE n gauge\nn 1\nm 2\n"),
        format!("{head}n 1\n"),
        format!("{head}m one\n"),
        format!("{head}m 1"),
        "m 1\n".to_string(),
    ] {
        assert!(parse(&bad).is_err(), "accepted: {bad:?}");
    }
}

#[test]
fn metrics_of_every_sample_tree_parse_and_match_the_analysis() {
    let documented = documented();
    assert_eq!(documented.len(), 8, "{documented:?}");
    let dir = tempfile::tempdir().unwrap();
    for bundle in sample_bundles() {
        let t = tree(&bundle, dir.path());
        let outputs: Vec<String> = t.outputs.iter().map(|p| p.display().to_string()).collect();
        let with: Vec<&str> = outputs.iter().flat_map(|o| ["--with", o.as_str()]).collect();
        let (_, text) = prometheus(&t.root, &with);
        let samples = parse(&text).unwrap_or_else(|e| panic!("{}: {e}\n{text}", bundle.display()));
        let names: BTreeSet<String> = samples.iter().map(|s| s.name.clone()).collect();
        assert!(names.is_subset(&documented), "{}: {names:?}", bundle.display());
        let (_, c) = check_json(&t, &[]);
        let a = &c["analysis"];
        let value = |name: &str, labels: &[(&str, &str)]| {
            samples
                .iter()
                .find(|s| {
                    s.name == name && labels.iter().all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
                })
                .map(|s| s.value)
        };
        assert_eq!(value("tlstriage_check_timestamp_seconds", &[]), Some(1_795_392_000.0));
        assert_eq!(value("tlstriage_check_files_read", &[]), c["check"]["files_read"].as_f64());
        for s in a["systems"].as_array().unwrap() {
            let id = s["id"].as_str().unwrap();
            assert_eq!(
                value("tlstriage_internal_ca_days_left", &[("system", id)]),
                s["internal_ca"]["days_left"].as_f64()
            );
            let state = s["state"].as_str().unwrap();
            assert_eq!(value("tlstriage_system_state", &[("system", id), ("state", state)]), Some(1.0));
            let states = samples.iter().filter(|x| x.name == "tlstriage_system_state" && x.labels["system"] == id);
            assert_eq!(states.map(|x| x.value).sum::<f64>(), 1.0);
            for d in s["devices"].as_array().unwrap() {
                let peer = d["name"].as_str().unwrap();
                let up = value("tlstriage_tunnel_up", &[("system", id), ("peer", peer)]);
                let want = match d["tunnel"].as_str().unwrap() {
                    "up" => Some(1.0),
                    "down" => Some(0.0),
                    _ => None,
                };
                assert_eq!(up, want, "{id} {peer}");
                let push = value("tlstriage_peer_needs_push", &[("system", id), ("peer", peer)]);
                assert_eq!(push, Some(if d["needs_push"] == true { 1.0 } else { 0.0 }));
            }
        }
        let counted: f64 = samples.iter().filter(|s| s.name == "tlstriage_findings").map(|s| s.value).sum();
        assert_eq!(counted, a["findings"].as_array().unwrap().len() as f64, "{}", bundle.display());
    }
}

/// The fmc-west-02 tree with names that try to end a label, a line or the file, add a metric,
/// or colour a terminal.
fn hostile_tree(dir: &Path) -> std::path::PathBuf {
    let t = tree(&repo("samples/cases/two-fmcs/fmc-west-02.tar.gz"), dir);
    let peer = t.root.join("var/sf/peers/1f6b2d90-4e1a-11ec-8a3d-0050569a0b11/sftunnel.json");
    let mut json: Value = serde_json::from_slice(&std::fs::read(&peer).unwrap()).unwrap();
    json["name"] = Value::from("ftd\"} 1\nfake_metric{a=\"b\"} 2\\\u{1b}[31m|days_left=999");
    std::fs::write(&peer, serde_json::to_vec(&json).unwrap()).unwrap();
    let ims = t.root.join("etc/sf/ims.conf");
    let text = std::fs::read_to_string(&ims).unwrap().replace("HOSTNAME=fmc-west-02", "HOSTNAME=fmc\"}|x=1\\");
    std::fs::write(&ims, text).unwrap();
    t.root
}

#[test]
fn names_from_the_tree_stay_inside_their_labels() {
    let dir = tempfile::tempdir().unwrap();
    let root = hostile_tree(dir.path());
    let (code, text) = prometheus(&root, &[]);
    assert_eq!(code, 1);
    let samples = parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert!(samples.iter().all(|s| s.name.starts_with("tlstriage_")), "{text}");
    let push: Vec<&Sample> = samples.iter().filter(|s| s.name == "tlstriage_peer_needs_push").collect();
    assert_eq!(push.len(), 1, "{text}");
    // The value read back is the name with its control characters written out (`\x0a`, `\x1b`).
    assert_eq!(push[0].labels["peer"], "ftd\"} 1\\x0afake_metric{a=\"b\"} 2\\\\x1b[31m|days_left=999");
    assert!(!text.contains('\u{1b}'));
}

fn nagios(root: &Path, now: &str) -> (i32, String) {
    let root = root.display().to_string();
    let r = run(&["check", "--root", &root, "--nagios", "--now", now, "--year", "2026"]);
    assert_eq!(r.stderr, "");
    (r.code, r.stdout)
}

#[test]
fn nagios_status_follows_the_internal_ca_days_left() {
    let dir = tempfile::tempdir().unwrap();
    // fmc-west-02's InternalCA ends 2027-01-18.
    let t = tree(&repo("samples/cases/two-fmcs/fmc-west-02.tar.gz"), dir.path());
    let cases = [
        (
            "2026-06-01",
            0,
            "TLSTRIAGE OK - fmc-west-02: InternalCA ends 2027-01-18 (231 days left) | days_left=231;90;30",
        ),
        (
            "2026-10-20",
            1,
            "TLSTRIAGE WARNING - fmc-west-02: InternalCA ends 2027-01-18 (90 days left) | days_left=90;90;30",
        ),
        (
            "2026-11-23",
            1,
            "TLSTRIAGE WARNING - fmc-west-02: InternalCA ends 2027-01-18 (56 days left) | days_left=56;90;30",
        ),
        (
            "2026-12-19",
            2,
            "TLSTRIAGE CRITICAL - fmc-west-02: InternalCA ends 2027-01-18 (30 days left) | days_left=30;90;30",
        ),
        (
            "2027-01-01",
            2,
            "TLSTRIAGE CRITICAL - fmc-west-02: InternalCA ends 2027-01-18 (17 days left) | days_left=17;90;30",
        ),
        (
            "2027-02-01",
            2,
            "TLSTRIAGE CRITICAL - fmc-west-02: InternalCA ended 2027-01-18 (14 days ago) | days_left=-14;90;30",
        ),
    ];
    for (now, code, line) in cases {
        assert_eq!(nagios(&t.root, now), (code, format!("{line}\n")), "--now {now}");
    }
    // A renewed CA whose files still have to reach two devices is a warning.
    let t = tree(&repo("samples/bundles/fmc-hq-01.tar.gz"), dir.path());
    let (code, out) = nagios(&t.root, "2026-11-23");
    assert_eq!(code, 1);
    assert_eq!(out, "TLSTRIAGE WARNING - fmc-hq-01: InternalCA ends 2036-03-12 (3397 days left); 2 devices still lack the new files | days_left=3397;90;30\n");
}

#[test]
fn nagios_is_unknown_when_nothing_or_no_internal_ca_can_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("gone|x=1");
    let (code, out) = nagios(&missing, "2026-11-23");
    assert_eq!(code, 3);
    let first = out.lines().next().unwrap();
    assert_eq!(
        first,
        format!("TLSTRIAGE UNKNOWN - nothing could be read under {}", missing.display().to_string().replace('|', "¦"))
    );
    assert!(out.contains("the InternalCA: not there: /etc/sf/ca_root/cacert.pem\n"), "{out}");
    assert_eq!(out.matches('|').count(), 0, "{out}");
    // An FMC whose InternalCA is not a readable file: the rest is read, and still UNKNOWN.
    let t = tree(&repo("samples/cases/two-fmcs/fmc-west-02.tar.gz"), dir.path());
    let ca = t.root.join("etc/sf/ca_root/cacert.pem");
    std::fs::remove_file(&ca).unwrap();
    std::fs::create_dir(&ca).unwrap();
    let (code, out) = nagios(&t.root, "2026-11-23");
    assert_eq!(code, 3, "{out}");
    assert!(
        out.starts_with(&format!("TLSTRIAGE UNKNOWN - no InternalCA's end is known under {}\n", t.root.display())),
        "{out}"
    );
    assert!(out.contains("the InternalCA: /etc/sf/ca_root/cacert.pem: a folder, not read\n"), "{out}");
}

#[test]
fn a_name_with_a_bar_cannot_add_performance_data() {
    let dir = tempfile::tempdir().unwrap();
    let root = hostile_tree(dir.path());
    let (code, out) = nagios(&root, "2026-11-23");
    assert_eq!(code, 1);
    let first = out.lines().next().unwrap();
    assert_eq!(first.matches('|').count(), 1, "{out}");
    assert!(first.ends_with("| days_left=56;90;30"), "{out}");
}
