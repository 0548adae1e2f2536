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
        assert_eq!(
            err,
            "tlstriage: no input could be read as a format tlstriage knows\n\
             tlstriage: /nonexistent: No such file or directory (os error 2) (error)\n",
            "{cmd}"
        );
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
    assert!(err.contains("No such file or directory"), "{err}");
    let empty = tempfile::tempdir().unwrap();
    let (code, _, err) = tlstriage(&["analyze", empty.path().to_str().unwrap()]);
    assert_eq!((code, err.as_str()), (2, "tlstriage: no input could be read: the paths hold no files\n"));
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
    assert!(err.starts_with("tlstriage: --ca /nonexistent/ca.pem: --ca file holds no certificate"), "{err}");
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
    for bad in ["2026/11/23", "2026-11-23 10:00", "23.11.2026", "2026-11-23T08:00:00", "tomorrow", "2026-13-01"] {
        let (code, out, err) = tlstriage(&["analyze", LOG, "--now", bad]);
        assert_eq!(code, 2, "{bad}");
        assert_eq!(out, "");
        assert!(err.contains("give a date YYYY-MM-DD or an RFC 3339 time"), "{bad}: {err}");
    }
}
