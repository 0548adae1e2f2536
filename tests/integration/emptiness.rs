//! Honest emptiness: a run that read nothing says so on stderr and exits 2, every input that
//! gave nothing is named with why, a mixed run counts what it read, and bad `--ca` / `--now`
//! values stop the run.

use crate::common::outcome as tlstriage;

const LOG: &str = "samples/logs/ftd-expired-ca/messages";

#[test]
fn a_missing_path_is_named_on_stderr_by_every_command() {
    for cmd in ["analyze", "certs", "handshakes", "plan", "baseline"] {
        let (code, out, err) = tlstriage(&[cmd, "/nonexistent"]);
        assert_eq!(code, 2, "{cmd}: {out}{err}");
        assert_eq!(err, "tlstriage: no such file or directory: /nonexistent\n", "{cmd}");
        assert!(!out.contains("No TLS problems found"), "{cmd}: {out}");
    }
}

#[test]
fn only_unknown_text_is_exit_code_2_and_never_no_problems() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "call the customer back on Tuesday\n").unwrap();
    let (code, out, err) = tlstriage(&["analyze", notes.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(!out.contains("No TLS problems found"), "{out}");
    assert!(out.contains("Nothing was read"), "{out}");
    assert!(err.contains(&format!("{}: not a format tlstriage reads (skipped)", notes.display())), "{err}");
    let (code, _, err) = tlstriage(&["analyze", dir.path().join("void").to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("no such file or directory: "), "{err}");
    assert!(!err.contains("os error") && !err.contains("format tlstriage knows"), "{err}");
    let empty = tempfile::tempdir().unwrap();
    let e = empty.path().to_str().unwrap();
    let (code, out, err) = tlstriage(&["analyze", e]);
    assert_eq!((code, err), (2, format!("tlstriage: {e}: the folder is empty (no file in it or below it)\n")));
    assert!(out.contains("Nothing was read: the paths hold no files.") && !out.contains("below"), "{out}");
}

#[test]
fn a_mixed_run_counts_read_and_skipped_before_the_findings() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "call the customer back on Tuesday\n").unwrap();
    let (code, out, err) = tlstriage(&["analyze", LOG, notes.to_str().unwrap(), "--year", "2025"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(err, "");
    // The case summary comes first, then the count of read and skipped inputs, then the findings.
    let counted = out.find("Inputs: 1 read, 1 skipped (listed under Inputs)\n");
    let findings = out.find("expired-ca");
    assert!(counted.is_some() && counted < findings, "{out}");
    assert!(out.contains(&format!("skipped  {} (unknown): not a format tlstriage reads", notes.display())), "{out}");
    assert!(out.contains("expired-ca"), "{out}");
}

#[test]
fn an_unreadable_ca_file_is_fatal() {
    let (code, out, err) = tlstriage(&["analyze", LOG, "--ca", "/nonexistent/ca.pem"]);
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert_eq!(err, "tlstriage: --ca /nonexistent/ca.pem: cannot open: no such file or directory\n");
    let dir = tempfile::tempdir().unwrap();
    let not_a_cert = dir.path().join("ca.pem");
    std::fs::write(&not_a_cert, "no certificate in here\n").unwrap();
    let (code, _, err) = tlstriage(&["certs", LOG, "--ca", not_a_cert.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("--ca file holds no certificate"), "{err}");
}

#[test]
fn now_takes_a_date_or_rfc3339_only() {
    for good in ["2026-11-23", "2026-11-23T08:00:00Z", "2026-11-23T09:00:00+01:00", "2026-11-23T08:00:00.5Z"] {
        let (code, _, err) = tlstriage(&["analyze", LOG, "--year", "2025", "--now", good]);
        assert_eq!(code, 1, "{good}: {err}");
    }
    let (code, _, err) = tlstriage(&["analyze", LOG, "--now", "2026-13-45"]);
    assert_eq!((code, err.as_str()), (2, "tlstriage: --now '2026-13-45': month 13 is invalid (1 to 12)\n"));
    for bad in ["2026/11/23", "2026-11-23 10:00", "23.11.2026", "2026-11-23T08:00:00", "tomorrow"] {
        let (code, out, err) = tlstriage(&["analyze", LOG, "--now", bad]);
        assert_eq!(code, 2, "{bad}");
        assert_eq!(out, "");
        assert!(err.contains("give a date YYYY-MM-DD or an RFC 3339 time"), "{bad}: {err}");
    }
}

#[test]
fn an_input_that_cannot_be_opened_beside_a_readable_one_is_said_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(LOG, dir.path().join("messages")).unwrap();
    let gone = dir.path().join("gone.pcap");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), &gone).unwrap();
    let (code, out, err) = tlstriage(&["analyze", dir.path().to_str().unwrap(), "--year", "2025"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        err,
        format!(
            "tlstriage: a symbolic link whose target cannot be read: no such file or directory: {}\n",
            gone.display()
        )
    );
    assert!(out.contains("expired-ca"), "{out}");
}

/// Run tlstriage with `args`, `input` written into its standard input through a pipe.
fn piping(args: &[&str], input: &[u8]) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tlstriage"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), input).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_dash_reads_standard_input_for_every_command() {
    let log = std::fs::read(LOG).unwrap();
    for cmd in ["analyze", "certs", "handshakes", "baseline", "plan", "fleet"] {
        let out = piping(&[cmd, "-", "--year", "2025", "--now", "2026-11-23"], &log);
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert_ne!(out.status.code(), Some(2), "{cmd}: {stdout}{stderr}");
        assert!(!stderr.contains("no such file"), "{cmd}: {stderr}");
        if cmd == "analyze" || cmd == "baseline" {
            assert!(stdout.contains("expired-ca"), "{cmd}: {stdout}");
        }
    }
}

#[test]
fn a_second_dash_says_standard_input_was_read_already() {
    let log = std::fs::read(LOG).unwrap();
    let out = piping(&["analyze", "-", "-", "--year", "2025", "--now", "2026-11-23", "--format", "json"], &log);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let inputs: Vec<_> = doc["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["path"].as_str().unwrap(), i["status"].as_str().unwrap(), i["bytes"].as_u64().unwrap()))
        .collect();
    // The pipe is read once, streamed; its size is what was read.
    assert_eq!(inputs, [("stdin", "ok", log.len() as u64), ("stdin", "skipped", 0)]);
    assert_eq!(doc["inputs"][1]["message"], "standard input was read already, as an earlier `-`");
}

#[test]
fn an_archive_of_nothing_readable_is_not_read_and_never_no_problems() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.tar.gz");
    std::fs::write(&junk, crate::common::tgz(&[("rnd.bin", &[0x9c, 0x01, 0xff, 0x00, 0x42, 0x17][..])])).unwrap();
    let empty = dir.path().join("empty.tar.gz");
    std::fs::write(&empty, crate::common::tgz::<&[u8]>(&[])).unwrap();
    for archive in [&junk, &empty] {
        let (code, out, _) = tlstriage(&["analyze", archive.to_str().unwrap()]);
        assert_eq!(code, 2, "{out}");
        assert!(out.starts_with("Case: nothing could be read") && !out.contains("No TLS problems"), "{out}");
    }
    let (_, out, _) = tlstriage(&["analyze", junk.to_str().unwrap()]);
    let why = format!(
        "skipped  {} (tar): 1 entry, 1 not in a format tlstriage reads: nothing in it could be read",
        junk.display()
    );
    assert!(out.contains(&why), "{out}");
    // Beside a log, the log's findings are given and the archive is listed as not read.
    let (code, out, _) = tlstriage(&["analyze", LOG, junk.to_str().unwrap(), "--year", "2025"]);
    assert_eq!(code, 1);
    assert!(out.contains("Inputs: 1 read, 1 skipped") && out.contains("expired-ca"), "{out}");
}
