//! Excerpts as cases really hold them: OpenSSL verify errors quoted anywhere in a line,
//! `sftunnel_status.pl` fragments of RPC status blocks alone, a status command run several times
//! in one file (a history: the latest by its own times sets the state), a log pasted twice.

use serde_json::Value;

use crate::common::{analyze_json, repo};

/// `analyze --format json` of `text` saved as `name`.
fn analyze_text(name: &str, text: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    analyze_json(&[path.to_str().unwrap()], &[]).1
}

/// `kind severity peer depth count` of every finding.
fn rows(v: &Value) -> Vec<String> {
    let s = |x: &Value| match x {
        Value::Null => "-".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!("{} {} {} {} {}", s(&f["kind"]), s(&f["severity"]), s(&f["peer"]), s(&f["depth"]), s(&f["count"]))
        })
        .collect()
}

fn format_of(v: &Value) -> &str {
    v["inputs"][0]["format"].as_str().unwrap()
}

#[test]
fn a_bare_verify_error_alone_or_in_prose_is_read() {
    let alone = analyze_text("note.txt", "err 68:CA signature digest algorithm too weak\n");
    assert_eq!(format_of(&alone), "excerpt");
    assert_eq!(rows(&alone), ["weak-certificate error - - 1"]);
    let bug = analyze_text(
        "bug.txt",
        "Symptom\nAfter the upgrade the device logs \"err 68:CA signature digest algorithm too weak\" and the FMC \
shows it disabled.\nConditions: certificates signed with SHA-1.\n",
    );
    assert_eq!(rows(&bug), ["weak-certificate error - - 1"]);
    assert_eq!(bug["findings"][0]["facts"]["verify_code"].as_str(), Some("68"));
    let mail = analyze_text(
        "mail.txt",
        "Hi,\n\ntesting from the FTD I get verify error:num=10:certificate has expired every time,\nand openssl \
verify says error 20 at 0 depth lookup: unable to get local issuer certificate.\n> verify error:num=10:certificate \
has expired\n\nThanks\n",
    );
    assert_eq!(format_of(&mail), "excerpt");
    assert_eq!(rows(&mail), ["expired-cert error - - 1", "unknown-ca error - 0 1"]);
}

#[test]
fn numbers_without_openssls_text_and_documentation_are_not_verify_errors() {
    let v = analyze_text(
        "notes.txt",
        "err 5: see the note above\nthe line `err 68:CA signature digest algorithm too weak` means a SHA-1 CA\n",
    );
    assert_eq!(rows(&v), Vec::<String>::new());
    assert_eq!(v["inputs"][0]["status"].as_str(), Some("skipped"));
}

#[test]
fn the_openssl_reader_keeps_its_own_lines() {
    let v =
        analyze_text("sclient.txt", "depth=0 CN = fmc\nverify error:num=10:certificate has expired\nverify return:1\n");
    assert_eq!(format_of(&v), "openssl");
}

const RPC_ONLY: &str = "root@ftd-branch-07:/home/admin# sftunnel_status.pl
peer 3b9c1e52-8a41-11e4-9c2f-5254001a7c33 did not reply at /ngfw/usr/local/sf/bin/sftunnel_status.pl line 309.
Retry rpc status poll at /ngfw/usr/local/sf/bin/sftunnel_status.pl line 315.
**RPC STATUS****192.168.45.10*************
        RPC status :Failed
***********************
**RPC STATUS****192.168.45.10*************
        RPC status :Failed
***********************
";

#[test]
fn rpc_status_blocks_alone_say_the_poll_failed_and_the_tunnel_state_is_unknown() {
    let v = analyze_text("rpc.txt", RPC_ONLY);
    assert_eq!(format_of(&v), "tunnel-status");
    assert_eq!(rows(&v), ["rpc-failed error 192.168.45.10 - 1"]);
    let f = &v["findings"][0];
    assert_eq!(f["facts"]["tunnel_state"].as_str(), Some("unknown"));
    assert_eq!(f["facts"]["rpc_status"].as_str(), Some("Failed"));
    let steps = f["remediation"]["steps"].to_string();
    for what in ["pmtool status", "8305", "certificates"] {
        assert!(steps.contains(what), "{what}: {steps}");
    }
    // Beside a full status that shows the channels down, it is the tunnel-down's.
    let full = std::fs::read_to_string(repo("samples/field/sftunnel-status-down.txt")).unwrap();
    let v = analyze_text("status.txt", &full);
    assert_eq!(rows(&v), ["tunnel-down error 192.168.45.10 - 1"]);
}

const BRIEF_DOWN: &str = "> sftunnel-status-brief
PEER:192.168.45.10
        Peer channel Channel-A is not valid
        Peer channel Channel-B is not valid
        Registration: Completed.
        IPv4 Connection to peer '192.168.45.10' Attempted at Sat Mar 14 06:47:31 2026 UTC
        Last disconnect time : Sat Mar 14 06:45:02 2026 UTC
        Last disconnect reason : Both control and event channel connections with peer went down
";

fn brief_up() -> String {
    std::fs::read_to_string(repo("samples/field/sftunnel-status-brief-ok.txt")).unwrap()
}

#[test]
fn a_status_pasted_twice_is_a_history_whose_latest_run_by_its_own_times_sets_the_state() {
    // Down first in the file, then up: the up run's own times are a few minutes earlier.
    let v = analyze_text("brief.txt", &format!("{BRIEF_DOWN}\n{}", brief_up()));
    assert_eq!(rows(&v), ["tunnel-down error 192.168.45.10 - 1"]);
    let f = &v["findings"][0];
    let lines: Vec<u64> = f["evidence"].as_array().unwrap().iter().map(|e| e["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [2, 11]);
    let detail = f["detail"].as_str().unwrap();
    assert!(detail.ends_with("an earlier run at line 11 (Sat Mar 14 06:40:13 2026) showed it up"), "{detail}");
    // The same two runs the other way round by their times: the latest is up, nothing is down.
    let later = BRIEF_DOWN.replace("Sat Mar 14 06:4", "Sat Mar 14 06:2");
    let v = analyze_text("brief.txt", &format!("{later}\n{}", brief_up()));
    assert_eq!(rows(&v), Vec::<String>::new());
}

#[test]
fn a_log_pasted_twice_gives_each_finding_once() {
    let log = std::fs::read_to_string(repo("samples/logs/ftd-expired-ca/messages")).unwrap();
    let once = analyze_json(&[repo("samples/logs/ftd-expired-ca/messages").to_str().unwrap()], &[]).1;
    assert_eq!(rows(&once), ["expired-ca critical 192.168.45.10 1 4"]);
    let twice = analyze_text("messages", &format!("{log}{log}"));
    assert_eq!(rows(&twice), rows(&once));
}
