//! `tlstriage watch` as a child process on a log the test writes as syslog and logrotate do:
//! appended to, rotated (renamed and a new file made) and truncated. Each failure and each
//! recovery is said once, in order, within a second of its line being written (the bound issue
//! 27 names, measured here per event); Ctrl-C ends it with the peers still failing. A second
//! child follows a million appended lines with its peak memory (VmHWM) under 64 MB.

use std::fs::{self, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

/// The lines of one failed attempt of `host` (thread `tid`) to `peer`: the FMC's certificate
/// chain ends in an expired InternalCA, as an FTD logs it.
fn failure(time: &str, host: &str, tid: u32, peer: &str) -> String {
    let p = format!("{time} {host} SF-IMS[3120]: [{tid}] sftunneld:sf_ssl");
    let ca =
        "/title=InternalCA/OU=Intrusion Management System/CN=3b9c1e52-8a41-11e4-9c2f-5254001a7c33/O=Sourcefire, Inc.";
    format!(
        "{p} [INFO] Initiating IPv4 connection to {peer}:8305/tcp\n\
         {p} [INFO] Connected to {peer} from resolved_ip_list (port 8305) (IPv4)\n\
         {p} [ERROR] -Error with certificate at depth: 1\n\
         {p} [ERROR] issuer = {ca}\n\
         {p} [ERROR] subject = {ca}\n\
         {p} [ERROR] err 10:certificate has expired\n\
         {p} [ERROR] Connect:SSL handshake failed\n\
         {p} [WARN] SSL Verification status: certificate has expired\n"
    )
}

/// The lines of a connection that succeeds.
fn success(time: &str, host: &str, tid: u32, peer: &str) -> String {
    let p = format!("{time} {host} SF-IMS[3120]: [{tid}] sftunneld:sf_ssl");
    format!(
        "{p} [INFO] Initiating IPv4 connection to {peer}:8305/tcp\n\
         {p} [INFO] Connected to {peer} from resolved_ip_list (port 8305) (IPv4)\n\
         {p} [INFO] establishConnectionUtil: SSL Verification status: ok\n"
    )
}

fn append(path: &Path, text: &str) {
    let mut f = OpenOptions::new().create(true).append(true).open(path).unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

fn watch(args: &[&str]) -> (Child, Receiver<(Instant, String)>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tlstriage"))
        .arg("watch")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            if tx.send((Instant::now(), line)).is_err() {
                return;
            }
        }
    });
    (child, rx)
}

fn interrupt(child: &Child) {
    // SAFETY: a signal to the test's own child.
    assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) }, 0);
}

/// The JSON line the child prints next (within `wait`), with when it was read.
fn next(rx: &Receiver<(Instant, String)>, wait: Duration) -> (Instant, serde_json::Value) {
    let (at, line) = rx.recv_timeout(wait).expect("the watch said something in time");
    (at, serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}")))
}

/// What a line says, in short: `event kind peer`.
fn short(v: &serde_json::Value) -> String {
    let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
    match s("event").as_str() {
        "finding" => format!("finding {} {} {}", s("kind"), s("peer"), s("time")),
        "back" => format!("back {} {} after {}", s("peer"), s("time"), v["failed_attempts"]),
        "reopened" => format!("reopened {}", s("why")),
        e => e.to_string(),
    }
}

/// What the test does to the log, and what the watch says after it.
type Step<'a> = (Box<dyn Fn() + 'a>, Vec<String>);

#[test]
fn failures_and_recoveries_are_said_once_in_order_within_a_second_across_rotation_and_truncation() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("messages");
    fs::write(&log, "").unwrap();
    let (mut child, rx) = watch(&["--format", "jsonl", "--from-start", "--year", "2026", log.to_str().unwrap()]);
    let fmc = "192.168.45.10";
    // (what to do, what the watch says after it)
    let steps: Vec<Step> = vec![
        (
            Box::new(|| append(&log, &failure("Mar 14 06:00:05", "ftd-branch-07", 4310, fmc))),
            vec![format!("finding expired-ca {fmc} 2026-03-14T06:00:05Z")],
        ),
        (
            Box::new(|| append(&log, &failure("Mar 14 06:05:05", "ftd-branch-07", 4311, fmc))),
            vec![format!("finding expired-ca {fmc} 2026-03-14T06:05:05Z")],
        ),
        (
            Box::new(|| {
                fs::rename(&log, dir.path().join("messages.1")).unwrap();
                append(&log, &success("Mar 14 06:20:05", "ftd-branch-07", 4320, fmc));
            }),
            vec!["reopened rotated".into(), format!("back {fmc} 2026-03-14T06:20:05Z after 2")],
        ),
        (
            Box::new(|| {
                fs::write(&log, "").unwrap();
                append(&log, &failure("Mar 14 06:25:05", "ftd-branch-07", 4325, fmc));
            }),
            vec!["reopened truncated".into(), format!("finding expired-ca {fmc} 2026-03-14T06:25:05Z")],
        ),
        (
            Box::new(|| append(&log, &success("Mar 14 06:30:05", "ftd-branch-07", 4330, fmc))),
            vec![format!("back {fmc} 2026-03-14T06:30:05Z after 1")],
        ),
        (
            Box::new(|| append(&log, &failure("Mar 14 06:31:00", "ftd-branch-07", 4331, "192.168.45.11"))),
            vec!["finding expired-ca 192.168.45.11 2026-03-14T06:31:00Z".into()],
        ),
    ];
    let mut delays = Vec::new();
    for (act, expected) in &steps {
        let written = Instant::now();
        act();
        for e in expected {
            let (at, v) = next(&rx, Duration::from_secs(5));
            assert_eq!(&short(&v), e);
            delays.push(at - written);
        }
        // Nothing else is said: each failure and recovery once.
        assert!(rx.recv_timeout(Duration::from_millis(700)).is_err(), "said once");
    }
    interrupt(&child);
    let (_, summary) = next(&rx, Duration::from_secs(5));
    assert_eq!(summary["event"], "summary");
    let failing: Vec<&str> =
        summary["still_failing"].as_array().unwrap().iter().map(|p| p["peer"].as_str().unwrap()).collect();
    assert_eq!(failing, ["192.168.45.11"]);
    assert_eq!(child.wait().unwrap().code(), Some(1), "a peer is still failing");
    let worst = delays.iter().max().unwrap();
    eprintln!("watch delays from write to line: {delays:?}");
    assert!(*worst < Duration::from_secs(1), "said within a second of the line: {delays:?}");
}

/// Peak resident memory of a process, in KiB.
fn vm_hwm(pid: u32) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn a_million_appended_lines_are_followed_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("messages");
    fs::write(&log, "").unwrap();
    let (mut child, rx) = watch(&["--format", "jsonl", "--from-start", "--year", "2026", log.to_str().unwrap()]);
    // 1,000,000 lines in pieces: other programs' lines, and a failed attempt of one of 5,000
    // devices every 100 lines (more peers than the watch holds).
    let noise = "Mar 14 06:00:00 fmc-hq-01 crond[9921]: (root) CMD (/usr/local/sf/bin/hm_cron.pl)\n";
    let mut lines = 0u64;
    let mut piece = String::new();
    let mut attempt = 0u32;
    while lines < 1_000_000 {
        for _ in 0..92 {
            piece.push_str(noise);
        }
        let peer = format!("10.{}.{}.{}", attempt % 5000 / 65536, attempt % 5000 / 256 % 256, attempt % 256);
        piece.push_str(&failure("Mar 14 06:00:01", "fmc-hq-01", 10_000 + attempt, &peer));
        attempt += 1;
        lines += 100;
        if piece.len() > 1 << 20 {
            append(&log, &piece);
            piece.clear();
        }
    }
    append(&log, &piece);
    append(&log, &failure("Mar 14 07:00:00", "fmc-hq-01", 1, "192.0.2.1"));
    // Read until the last failure is said.
    let mut said = 0u64;
    loop {
        let (_, v) = next(&rx, Duration::from_secs(120));
        said += 1;
        if v["peer"] == "192.0.2.1" {
            break;
        }
    }
    let peak_kib = vm_hwm(child.id());
    interrupt(&child);
    let (_, summary) = next(&rx, Duration::from_secs(10));
    assert_eq!(summary["event"], "summary");
    assert_eq!(summary["still_failing"].as_array().unwrap().len(), 4096, "the failing peers are bounded");
    assert_eq!(child.wait().unwrap().code(), Some(1));
    assert_eq!(said, u64::from(attempt) + 1, "one finding per failed attempt");
    eprintln!("watch over {} lines: peak RSS {} KiB", lines + 8, peak_kib);
    assert!(peak_kib < 64 * 1024, "peak RSS {peak_kib} KiB");
}

#[test]
fn once_over_files_that_are_not_there_says_nothing_was_read_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("messages");
    let r = crate::common::run(&["watch", "--once", "--format", "jsonl", missing.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let lines: Vec<serde_json::Value> = r.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2, "{}", r.stdout);
    assert_eq!(lines[0]["event"], "problem");
    assert_eq!(lines[0]["text"], "not there (yet)");
    assert_eq!(lines[1]["nothing_read"], true);
    assert_eq!(lines[1]["still_failing"], serde_json::json!([]));
}

#[test]
fn a_live_watch_of_a_file_that_never_appeared_exits_2_when_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("messages");
    let (mut child, rx) = watch(&["--format", "jsonl", missing.to_str().unwrap()]);
    let (_, problem) = next(&rx, Duration::from_secs(10));
    assert_eq!(problem["event"], "problem");
    assert_eq!(problem["text"], "not there (yet)");
    interrupt(&child);
    let (_, summary) = next(&rx, Duration::from_secs(10));
    assert_eq!(summary["event"], "summary");
    assert_eq!(summary["nothing_read"], true);
    assert_eq!(child.wait().unwrap().code(), Some(2), "nothing could be read");
}
