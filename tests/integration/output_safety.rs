//! What reaches the terminal and the disk: control characters from inputs escaped in every human
//! view, `plan -o` never following links nor overwriting, output errors reported (full disk) or
//! quiet (closed pipe), and no read that waits on a FIFO.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::run;

const BIN: &str = env!("CARGO_BIN_EXE_tlstriage");
const EVIL: &str = "evil\x1b]0;owned\x07\x1b[2J";
const SHOWN: &str = "evil\\x1b]0;owned\\x07\\x1b[2J";

/// An expired certificate whose CN carries terminal control sequences, in a file whose name does too.
fn hostile_cert(dir: &Path) -> std::path::PathBuf {
    let pem = crate::common::certs::self_signed(EVIL, (2020, 1, 1), (2021, 1, 1));
    let path = dir.join(format!("{EVIL}.pem"));
    std::fs::write(&path, pem).unwrap();
    path
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: plain libc call with a valid C string.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

#[test]
fn control_characters_are_escaped_in_human_views() {
    let dir = tempfile::tempdir().unwrap();
    let cert = hostile_cert(dir.path());
    let pcap = dir.path().join(format!("{EVIL}.pcap"));
    std::fs::copy("samples/captures/self-signed.pcap", &pcap).unwrap();
    let d = dir.path().to_str().unwrap();
    let brief = run(&["analyze", "--now", "2026-11-23", d]);
    assert!(!brief.stdout.contains(['\x1b', '\x07']), "analyze: raw control characters:\n{}", brief.stdout);
    for view in ["analyze", "certs", "handshakes"] {
        let verbose = if view == "analyze" { "-v" } else { "-q" };
        let r = run(&[view, "--now", "2026-11-23", d, verbose]);
        assert!(!r.stdout.contains(['\x1b', '\x07']), "{view}: raw control characters:\n{}", r.stdout);
        assert!(r.stdout.contains(SHOWN), "{view}: the escaped text is missing:\n{}", r.stdout);
    }
    // JSON keeps the values as they are (serde escapes them); the certificate reader spells
    // control characters of names out itself.
    let (_, v) = crate::common::analyze_json(&[cert.to_str().unwrap()], &[]);
    assert_eq!(v["inputs"][0]["path"], cert.to_str().unwrap());
    assert_eq!(v["findings"][0]["facts"]["subject"], "/CN=evil\\x1B]0;owned\\x07\\x1B[2J");
    let r = run(&["explain", EVIL]);
    assert_eq!(r.code, 2);
    assert!(!r.stderr.contains('\x1b') && r.stderr.contains("\\x1b"), "{}", r.stderr);
}

#[test]
fn hidden_and_reordering_characters_are_shown_in_the_page_and_ci_formats() {
    // A log whose host name carries a bell, a C1 control sequence introducer, a right-to-left
    // override and a zero-width space, in a file whose name carries an escape.
    let dir = tempfile::tempdir().unwrap();
    let host = "ftd\u{7}\u{9b}2J\u{202e}lab\u{200b}";
    let log = std::fs::read_to_string("samples/logs/ftd-expired-ca/messages").unwrap().replace("ftd-branch-07", host);
    let path = dir.path().join("mess\x1bages");
    std::fs::write(&path, log).unwrap();
    let p = path.to_str().unwrap();
    for format in ["html", "sarif", "junit"] {
        let r = run(&["analyze", "--format", format, "--year", "2026", "--now", "2026-11-23", p]);
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        let raw = ['\u{7}', '\u{1b}', '\u{9b}', '\u{202e}', '\u{200b}'];
        assert!(!r.stdout.contains(raw), "{format}: a raw control character:\n{}", r.stdout);
        // As the page and JUnit show it; SARIF is JSON, whose strings double the backslash.
        let shown = "ftd\\x07\\x9b2J\\u{202e}lab\\u{200b}";
        let shown = if format == "sarif" { shown.replace('\\', "\\\\") } else { shown.to_string() };
        assert!(r.stdout.contains(&shown), "{format}: the host is not shown:\n{}", r.stdout);
    }
}

#[test]
fn plan_out_refuses_links_fifos_and_overwrites() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().to_str().unwrap();
    let plan = |extra: &[&str]| {
        let mut a = vec!["plan", "--now", "2026-11-23", "samples/bundles", "-o", o];
        a.extend_from_slice(extra);
        run(&a)
    };
    let r = plan(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in ["devices.csv", "plan.txt"] {
        let mode = std::fs::metadata(out.path().join(f)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{f}");
    }
    let r = plan(&[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("devices.csv exists; use --force to replace it"), "{}", r.stderr);
    std::fs::write(out.path().join("plan.txt"), "old").unwrap();
    assert_eq!(plan(&["--force"]).code, 0);
    assert_ne!(std::fs::read_to_string(out.path().join("plan.txt")).unwrap(), "old");
    // A link planted at plan.txt: refused even with --force, its target untouched.
    let target = out.path().join("victim");
    std::fs::write(&target, "keep").unwrap();
    std::fs::remove_file(out.path().join("plan.txt")).unwrap();
    std::os::unix::fs::symlink(&target, out.path().join("plan.txt")).unwrap();
    let r = plan(&["--force"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("plan.txt is a symbolic link (not followed); refusing to write it"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
    // A FIFO at devices.csv: refused at once instead of waiting for a reader.
    std::fs::remove_file(out.path().join("devices.csv")).unwrap();
    mkfifo(&out.path().join("devices.csv"));
    let r = plan(&["--force"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("devices.csv is a FIFO (named pipe); refusing to write it"), "{}", r.stderr);
}

#[test]
fn fifo_inputs_and_ca_get_a_status_line_without_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.pem");
    mkfifo(&fifo);
    let f = fifo.to_str().unwrap();
    // Nobody ever writes to the FIFO: a blocking open would hang this test.
    let (_, v) = crate::common::analyze_json(&["samples/logs/ftd-expired-ca", f], &[]);
    let st: Vec<&serde_json::Value> = v["inputs"].as_array().unwrap().iter().filter(|i| i["path"] == f).collect();
    assert_eq!(st.len(), 1, "{:#}", v["inputs"]);
    assert_eq!(st[0]["status"], "skipped");
    assert_eq!(st[0]["message"], "a FIFO (named pipe): not read");
    assert!(!v["findings"].as_array().unwrap().is_empty(), "the other input still counts");
    // A FIFO as --ca is not read either; an unusable --ca voids the run (exit 2, named on stderr).
    let r = crate::common::run(&["analyze", "samples/logs/ftd-expired-ca", "--ca", f]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr.contains(&format!("--ca {f}: --ca file holds no certificate: a FIFO (named pipe): not read")),
        "{}",
        r.stderr
    );
}

#[test]
fn a_full_disk_is_an_error_with_a_message() {
    for args in [
        &["plan", "samples/bundles"][..],
        &["analyze", "samples/bundles"],
        &["analyze", "--format", "sarif", "samples/bundles"],
        &["handshakes", "--format", "json", "samples/captures"],
        &["analyze", "--format", "json", "samples/bundles"],
        &["analyze", "--format", "html", "samples/bundles"],
        &["certs", "--format", "json", "samples/bundles"],
        &["baseline", "samples/bundles"],
        &["fleet", "samples/bundles"],
        &["explain", "all"],
    ] {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let out = Command::new(BIN).args(args).current_dir(env!("CARGO_MANIFEST_DIR")).stdout(full).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("tlstriage: cannot write the output: No space left on device"), "{args:?}: {err}");
    }
}

#[test]
fn a_closed_pipe_ends_quietly() {
    for args in [
        &["plan", "samples/bundles"][..],
        &["analyze", "--fail-on", "never", "samples/bundles"],
        &["handshakes", "--format", "json", "samples/captures"],
        &["analyze", "--format", "json", "--fail-on", "never", "samples/bundles"],
        &["certs", "samples/bundles"],
        &["baseline", "samples/bundles"],
        &["fleet", "--format", "csv", "samples/field"],
        &["explain", "expired-ca"],
    ] {
        let mut child = Command::new(BIN)
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
    }
}
