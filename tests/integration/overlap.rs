//! The same log lines read at two places count once: a second bundle of a device taken a day
//! later (its log holds the first day's lines again, then more), and a case note quoting lines
//! of a log. The copy's status says where its attempts were counted.

use serde_json::Value;

use crate::common::case::Case;
use crate::common::{members, repo, tgz};

const BUNDLE: &str = "samples/bundles/ftd-branch-07.tar.gz";
const LOG: &str = "samples/logs/ftd-expired-ca/messages";

/// The bundle's members, its log with one more attempt the next day.
fn a_day_later() -> Vec<u8> {
    let mut entries = members(BUNDLE);
    for (path, data) in entries.iter_mut() {
        if path.ends_with("var-log/messages") {
            let log = String::from_utf8(data.clone()).unwrap();
            let first: Vec<&str> = log.lines().filter(|l| l.contains("[4310]")).collect();
            assert_eq!(first.len(), 10, "the first attempt's lines");
            for line in first {
                let next = line.replace("Mar 14 06:00:05", "Mar 15 07:00:05").replace("[4310]", "[4390]");
                data.extend_from_slice(format!("{next}\n").as_bytes());
            }
        }
    }
    let entries: Vec<(&str, &Vec<u8>)> = entries.iter().map(|(p, d)| (p.as_str(), d)).collect();
    tgz(&entries)
}

/// The attempts the logs gave each finding kind, summed over the log sources.
fn logged(v: &Value) -> Vec<String> {
    let all = v["findings"].as_array().unwrap();
    let per = |f: &Value| -> u64 {
        let sources = f["sources"].as_array().unwrap();
        let logs = sources.iter().filter(|s| s["path"].as_str().unwrap().ends_with("messages"));
        logs.map(|s| s["count"].as_u64().unwrap()).sum()
    };
    all.iter().map(|f| format!("{} {}", f["kind"].as_str().unwrap(), per(f))).collect()
}

/// The status message of the input whose path ends with `end`.
fn message<'a>(v: &'a Value, end: &str) -> &'a Value {
    let all = v["inputs"].as_array().unwrap();
    &all.iter().find(|i| i["path"].as_str().unwrap().ends_with(end)).unwrap_or_else(|| panic!("{end}"))["message"]
}

#[test]
fn a_second_bundle_of_a_device_a_day_later_counts_its_repeated_attempts_once() {
    let later = a_day_later();
    let alone = Case::new();
    alone.write("ftd-branch-07-day2.tar.gz", &later);
    let (_, expected) = alone.analyze();
    let (_, first_day) = Case::holding(BUNDLE, "ftd-branch-07.tar.gz").analyze();
    assert_eq!(logged(&first_day), ["expired-ca 4"]);
    let case = Case::holding(BUNDLE, "ftd-branch-07.tar.gz");
    case.write("ftd-branch-07-day2.tar.gz", &later);
    let (code, v) = case.analyze();
    assert_eq!(code, 1);
    assert_eq!(logged(&v), logged(&expected), "the first day's attempts counted once");
    assert_eq!(logged(&v), ["expired-ca 5"]);
    let root = case.dir.path().display();
    let day2 = format!("{root}/ftd-branch-07-day2.tar.gz!/results-ftd-branch-07/dir-archives/var-log/messages");
    assert_eq!(
        message(&v, "ftd-branch-07.tar.gz!/results-ftd-branch-07/dir-archives/var-log/messages"),
        &Value::from(format!("4 attempts also read in {day2}: counted there"))
    );
    assert_eq!(message(&v, "day2.tar.gz!/results-ftd-branch-07/dir-archives/var-log/messages"), &Value::Null);
    // The device is listed once.
    let devices: Vec<&str> = v["devices"].as_array().unwrap().iter().map(|d| d["hostname"].as_str().unwrap()).collect();
    assert_eq!(devices, ["ftd-branch-07"]);
}

#[test]
fn a_note_quoting_lines_of_a_log_adds_nothing_before_or_after_it() {
    let log = std::fs::read_to_string(repo(LOG)).unwrap();
    let quoted: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("[4310]") && ["at depth", "issuer =", "err 10:"].iter().any(|w| l.contains(w)))
        .collect();
    assert_eq!(quoted.len(), 3);
    let note = format!(
        "Customer says the tunnel dropped overnight. From the FTD:\n{}\nCall back Monday.\n",
        quoted.join("\n")
    );
    let alone = Case::holding(LOG, "messages");
    let (_, expected) = alone.analyze();
    for name in ["notes.txt", "a-notes.txt"] {
        let case = Case::holding(LOG, "messages");
        case.write(name, note.as_bytes());
        let (_, v) = case.analyze();
        assert_eq!(case.lines(&v), alone.lines(&expected), "{name}: the same findings and counts");
        let root = case.dir.path().display();
        assert_eq!(message(&v, name), &Value::from(format!("1 attempt also read in {root}/messages: counted there")));
    }
}

#[test]
fn a_crafted_log_that_adds_a_line_to_an_attempt_does_not_make_the_real_one_vanish() {
    // `crafted.log` (read first) holds the device's first attempt with one more error line: a
    // fuller attempt. The device's own log still counts each of its four attempts.
    let log = std::fs::read_to_string(repo(LOG)).unwrap();
    let mut crafted: Vec<String> = log.lines().filter(|l| l.contains("[4310]")).map(str::to_string).collect();
    let extra = crafted[0].replace(
        "[INFO] Initiating IPv4 connection to 192.168.45.10:8305/tcp",
        "[ERROR] err 18:self signed certificate",
    );
    crafted.insert(5, extra);
    let alone = Case::holding(LOG, "messages");
    let (_, expected) = alone.analyze();
    let case = Case::holding(LOG, "messages");
    case.write("crafted.log", format!("{}\n", crafted.join("\n")).as_bytes());
    let (_, v) = case.analyze();
    assert_eq!(expected["findings"][0]["count"], 4);
    let expired = v["findings"].as_array().unwrap().iter().find(|f| f["kind"] == "expired-ca").unwrap();
    let paths: Vec<&str> =
        expired["evidence"].as_array().unwrap().iter().map(|e| e["path"].as_str().unwrap()).collect();
    assert!(paths.iter().all(|p| p.ends_with("/messages")), "{paths:?}");
    assert_eq!(expired["count"], 4, "the device's own attempts all count");
    assert_eq!(message(&v, "/messages"), &Value::Null);
}

#[test]
fn a_copy_piped_into_standard_input_counts_once_and_nothing_is_lost() {
    // The process's standard input is streamed once: its attempts are taken as read first, and
    // the file given before it is the copy (read again without them).
    use std::io::Write;
    let log = repo(LOG);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tlstriage"))
        .args(["analyze", "--format", "json", "--year", "2026", "--now", "2026-11-23"])
        .arg(&log)
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&std::fs::read(&log).unwrap()).unwrap();
    let out = child.wait_with_output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let counts: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", f["kind"].as_str().unwrap(), f["count"]))
        .collect();
    assert_eq!(counts, ["expired-ca 4"]);
    assert_eq!(message(&v, "ftd-expired-ca/messages"), &Value::from("4 attempts also read in stdin: counted there"));
    assert_eq!(message(&v, "stdin"), &Value::Null);
}
