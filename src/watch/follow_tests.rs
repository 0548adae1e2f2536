//! The follower against a file the test writes, renames and truncates as a logger and
//! logrotate do.

use std::fs::{self, OpenOptions};
use std::io::Write;

use super::*;

fn append(path: &Path, text: &str) {
    let mut f = OpenOptions::new().create(true).append(true).open(path).expect("open for append");
    f.write_all(text.as_bytes()).expect("append");
}

/// Every step until idle: the lines read, and the reopenings in between.
fn drain(f: &mut Follow) -> Vec<String> {
    let mut seen = Vec::new();
    loop {
        let mut out = Vec::new();
        let step = f.step(&mut out).expect("step");
        if !out.is_empty() {
            seen.push(String::from_utf8(out).expect("utf-8"));
        }
        match step {
            Step::Lines => {}
            Step::Reopened(why) => seen.push(format!("<{}>", why.as_str())),
            Step::Idle => return seen,
        }
    }
}

#[test]
fn only_complete_lines_written_after_the_start_are_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("messages");
    append(&log, "old 1\nold 2\n");
    let mut f = Follow::new(&log, false);
    assert!(drain(&mut f).is_empty());
    append(&log, "new 1\nnew 2 sta");
    assert_eq!(drain(&mut f), ["new 1\n"]);
    append(&log, "rts here\n");
    assert_eq!(drain(&mut f), ["new 2 starts here\n"]);
    let mut from_start = Follow::new(&log, true);
    assert_eq!(drain(&mut from_start), ["old 1\nold 2\nnew 1\nnew 2 starts here\n"]);
}

#[test]
fn rotation_reads_the_old_file_to_its_end_then_the_new_one_from_its_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("messages");
    append(&log, "");
    let mut f = Follow::new(&log, false);
    append(&log, "a\n");
    assert_eq!(drain(&mut f), ["a\n"]);
    // The logger writes once more into the renamed file before it reopens the name; the last
    // line lacks its end.
    fs::rename(&log, dir.path().join("messages.1")).expect("rename");
    assert!(drain(&mut f).is_empty(), "no file at the name yet: keep the old one");
    append(&dir.path().join("messages.1"), "b\nc");
    append(&log, "d\n");
    assert_eq!(drain(&mut f), ["b\n", "c\n", "<rotated>", "d\n"]);
}

#[test]
fn truncation_reads_the_file_again_from_its_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("messages");
    append(&log, "one\ntwo\n");
    let mut f = Follow::new(&log, true);
    assert_eq!(drain(&mut f), ["one\ntwo\n"]);
    fs::write(&log, "").expect("truncate");
    append(&log, "x\n");
    assert_eq!(drain(&mut f), ["<truncated>", "x\n"]);
    // Truncated and written past the length read before the next look: the bytes before the
    // place reading stopped have changed.
    fs::write(&log, "").expect("truncate");
    append(&log, "a longer first line\n");
    assert_eq!(drain(&mut f), ["<truncated>", "a longer first line\n"]);
    append(&log, "then more\n");
    assert_eq!(drain(&mut f), ["then more\n"], "growing is no truncation");
}

#[test]
fn a_file_that_appears_later_is_read_from_its_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("messages");
    let mut f = Follow::new(&log, false);
    assert!(drain(&mut f).is_empty());
    assert_eq!(f.problem, None, "a missing file is waited for, not an error");
    append(&log, "first\n");
    assert_eq!(drain(&mut f), ["<appeared>", "first\n"]);
}

#[test]
fn a_fifo_at_the_name_is_never_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("messages");
    let c = std::ffi::CString::new(fifo.to_str().expect("utf-8")).expect("path");
    // SAFETY: a valid C string naming a path in the test's own folder.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let mut f = Follow::new(&fifo, true);
    assert!(drain(&mut f).is_empty());
    assert_eq!(f.problem.as_deref(), Some("a FIFO (named pipe): not followed"));
}

#[test]
fn a_line_longer_than_the_cap_keeps_its_start_and_the_next_line_is_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("messages");
    append(&log, "");
    let mut f = Follow::new(&log, false);
    let long = "x".repeat(MAX_LINE * 3 + READ);
    append(&log, &format!("{long}\nnext\n"));
    let got = drain(&mut f).concat();
    let lines: Vec<&str> = got.lines().collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].len(), MAX_LINE);
    assert_eq!(lines[1], "next");
}
