//! A case folder holds the outputs of earlier runs: each output tlstriage writes is recognised by
//! its content, listed as "a tlstriage report (not read as evidence)" and adds no finding, in a
//! folder and inside an archive; a real log that mentions tlstriage is still read.

use std::path::Path;

use serde_json::Value;

use crate::common::{finding_lines, outcome, repo, tgz};

const MESSAGE: &str = "a tlstriage report (not read as evidence)";

/// The samples of the case: files and the folder each goes to.
const SAMPLES: &[&str] = &[
    "samples/field/case-note-weak-digest.txt",
    "samples/field/sftunnel-status-down.txt",
    "samples/field/mail-tls-proxy.txt",
    "samples/logs/ftd-expired-ca/messages",
    "samples/openssl/ftd-lab-09-checks.txt",
    "samples/bundles/fmc-hq-01.tar.gz",
    "samples/captures/sftunnel-expired-ca.pcap",
];

const NOW: [&str; 4] = ["--year", "2026", "--now", "2026-11-23"];

/// A case folder of the samples (same layout), plus `extra` files by name.
fn case_folder(extra: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for s in SAMPLES {
        let to = dir.path().join(s);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(repo(s), &to).unwrap();
    }
    for (name, data) in extra {
        std::fs::write(dir.path().join(name), data).unwrap();
    }
    dir
}

/// `analyze --format json` of `paths`.
fn analyze(paths: &[&Path]) -> Value {
    let mut args: Vec<String> = ["analyze", "--format", "json"].iter().map(|s| s.to_string()).collect();
    args.extend(NOW.iter().map(|s| s.to_string()));
    args.extend(paths.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (_, stdout, stderr) = outcome(&args);
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stderr}"))
}

/// Every output tlstriage writes about the samples: `(what, bytes)`.
fn outputs() -> Vec<(String, Vec<u8>)> {
    let base = case_folder(&[]);
    let samples = base.path().join("samples");
    let samples = samples.to_str().unwrap();
    let mut out = Vec::new();
    let mut run = |what: &str, args: &[&str]| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(NOW);
        all.push(samples);
        let (_, stdout, stderr) = outcome(&all);
        assert!(!stdout.is_empty(), "{what}: no output ({stderr})");
        out.push((what.to_string(), stdout.into_bytes()));
    };
    for f in ["table", "json", "jsonl", "html", "sarif", "junit", "markdown"] {
        run(&format!("analyze {f}"), &["analyze", "--format", f, "--color", "never", "--width", "100"]);
    }
    run("analyze narrow table", &["analyze", "--color", "never", "--width", "80"]);
    run("analyze wide table", &["analyze", "--color", "never", "--width", "200"]);
    run("baseline", &["baseline"]);
    for f in ["table", "json", "jsonl", "csv"] {
        run(&format!("fleet {f}"), &["fleet", "--format", f, "--color", "never"]);
    }
    for cmd in ["certs", "handshakes"] {
        run(&format!("{cmd} stacked"), &[cmd, "--width", "80"]);
        run(&format!("{cmd} table"), &[cmd, "--width", "200"]);
        run(&format!("{cmd} json"), &[cmd, "--format", "json"]);
    }
    let plan = tempfile::tempdir().unwrap();
    let to = plan.path().join("out");
    let (code, _, stderr) =
        outcome(&["plan", "--now", "2026-11-23", "--year", "2026", "-o", to.to_str().unwrap(), samples]);
    assert_eq!(code, 0, "{stderr}");
    for f in ["devices.csv", "plan.txt"] {
        out.push((format!("plan {f}"), std::fs::read(to.join(f)).unwrap()));
    }
    out
}

/// The run found what the samples alone give, and listed the report as one.
fn assert_listed_not_read(v: &Value, expected: &[String], what: &str) {
    assert_eq!(finding_lines(v), expected, "{what}");
    let i = v["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"].as_str().unwrap().ends_with("previous-run.out"))
        .expect("input listed");
    assert_eq!(
        (i["format"].as_str(), i["status"].as_str(), i["message"].as_str()),
        (Some("tlstriage-report"), Some("skipped"), Some(MESSAGE)),
        "{what}"
    );
}

#[test]
fn every_output_of_an_earlier_run_is_listed_and_not_read_in_a_folder() {
    let alone = case_folder(&[]);
    let expected = finding_lines(&analyze(&[alone.path()]));
    assert!(expected.len() > 5, "{expected:?}");
    for (what, bytes) in outputs() {
        // A name that says nothing: the content decides.
        let case = case_folder(&[("previous-run.out", &bytes)]);
        let v = analyze(&[case.path()]);
        assert_listed_not_read(&v, &expected, &what);
    }
}

#[test]
fn every_output_of_an_earlier_run_is_listed_and_not_read_in_an_archive() {
    let files: Vec<(String, Vec<u8>)> =
        SAMPLES.iter().map(|s| (format!("case/{s}"), std::fs::read(repo(s)).unwrap())).collect();
    let dir = tempfile::tempdir().unwrap();
    let alone = dir.path().join("alone.tar.gz");
    std::fs::write(&alone, tgz(&files.iter().map(|(n, d)| (n.as_str(), d)).collect::<Vec<_>>())).unwrap();
    let expected = finding_lines(&analyze(&[&alone]));
    assert!(expected.len() > 5, "{expected:?}");
    for (what, bytes) in outputs() {
        let mut entries: Vec<(&str, &Vec<u8>)> = files.iter().map(|(n, d)| (n.as_str(), d)).collect();
        entries.push(("case/notes/previous-run.out", &bytes));
        let with = dir.path().join("with.tar.gz");
        std::fs::write(&with, tgz(&entries)).unwrap();
        let v = analyze(&[&with]);
        assert_listed_not_read(&v, &expected, &what);
    }
}

#[test]
fn a_log_that_mentions_tlstriage_or_quotes_a_report_is_still_read() {
    let log = std::fs::read_to_string(repo("samples/logs/ftd-expired-ca/messages")).unwrap();
    let alone = finding_lines(&analyze(&[&repo("samples/logs/ftd-expired-ca/messages")]));
    assert_eq!(alone.len(), 1, "{alone:?}");
    let mentions =
        format!("Mar 14 05:59:01 ftd-branch-07 admin: ran tlstriage analyze . --format json, see report.json\n{log}");
    // A note that starts with the first line of a report, then pastes the log itself.
    let quotes = format!("Case: 1 finding (1 critical) in 1 input read\n{log}");
    let markdown = format!("### Case summary\n\n- **Case:** 1 finding (1 critical) in 1 input read\n\n{log}");
    let plan = format!("# fmc-hq-01 (7.4.1): InternalCA expired → renew it\n{log}");
    for (name, text) in [("mentions", mentions), ("quotes", quotes), ("markdown", markdown), ("plan", plan)] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("messages");
        std::fs::write(&path, text).unwrap();
        let v = analyze(&[&path]);
        assert_eq!(finding_lines(&v), alone, "{name}");
        assert_ne!(v["inputs"][0]["format"].as_str(), Some("tlstriage-report"), "{name}");
    }
}
