//! Memory bounded per input whatever it expands to: a 2.4 MB gzip of a log that expands about
//! 890:1 to 2 GiB, alone and inside a tar.gz, is read in a bounded peak (the binary run as a child
//! process, its peak resident size read from `/proc`), beside a control run on a small input.
//!
//! The inputs are made here without ever holding their text: one 4 MiB block of log lines is
//! compressed once and its gzip member repeated (a multi-member gzip, as rotated logs joined with
//! `cat` are; the decoder reads it as one stream), between a member holding a real log's lines (so
//! the input sniffs as a syslog) and, for the tar, members holding its header and end blocks.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::common;

/// The uncompressed size of each big input.
const TOTAL: u64 = 2 << 30;
/// What one such input may cost, and two read at once at `--threads 2`.
const ONE_MAX: u64 = 256 << 20;
const TWO_MAX: u64 = 512 << 20;
/// What a log whose every line is an attempt may take: one round's lines, records and attempts
/// at once (rounds of 4 MB at 2 threads), with room to spare. With rounds of 16 MB it took
/// 222 MB in this test.
const EVERY_LINE_MAX: u64 = 160 << 20;

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::best());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// The log: a real log's lines, then blank-padded lines (16 KiB each) up to [`TOTAL`] bytes,
/// written as gzip members to `out`; its uncompressed length is returned.
fn write_log_members(out: &mut impl Write) -> u64 {
    let head = common::sample("samples/logs/ftd-expired-ca/messages");
    let mut line = vec![b' '; 16 << 10];
    *line.last_mut().unwrap() = b'\n';
    let block = line.repeat(256);
    let member = gz(&block);
    out.write_all(&gz(&head)).unwrap();
    let blocks = (TOTAL - head.len() as u64) / block.len() as u64;
    for _ in 0..blocks {
        out.write_all(&member).unwrap();
    }
    head.len() as u64 + blocks * block.len() as u64
}

/// `messages.1.gz`: the log gzipped.
fn log_gz(dir: &Path) -> PathBuf {
    let path = dir.join("messages.1.gz");
    let mut f = File::create(&path).unwrap();
    write_log_members(&mut f);
    path
}

/// `bundle.tar.gz`: a tar holding the log as `var/log/messages`, gzipped.
fn log_tgz(dir: &Path) -> PathBuf {
    let path = dir.join("bundle.tar.gz");
    // The log's length first (its members are cheap to make twice), for the tar header.
    let len = write_log_members(&mut std::io::sink());
    let mut header = tar::Header::new_gnu();
    header.set_path("var/log/messages").unwrap();
    header.set_size(len);
    header.set_mode(0o644);
    header.set_cksum();
    let mut f = File::create(&path).unwrap();
    f.write_all(&gz(header.as_bytes())).unwrap();
    write_log_members(&mut f);
    let pad = (512 - len % 512) % 512;
    f.write_all(&gz(&vec![0u8; pad as usize + 1024])).unwrap();
    path
}

/// Run `tlstriage analyze --format json ARGS` and return its JSON and peak resident size.
///
/// The peak is the child's `VmHWM` (`/proc/<pid>/status`), read every 10 ms while it runs: the
/// `ru_maxrss` that `wait4` gives would also count the test process, whose memory the child
/// shares until it executes the binary (Linux keeps that high-water mark across `exec`).
fn peak_of(args: &[&Path], extra: &[&str]) -> (serde_json::Value, u64) {
    peak_piping(args, extra, None)
}

/// [`peak_of`] with what `piped` reads written into the child's standard input through a pipe.
fn peak_piping(
    args: &[&Path],
    extra: &[&str],
    piped: Option<Box<dyn std::io::Read + Send>>,
) -> (serde_json::Value, u64) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_tlstriage"))
        .args(["analyze", "--format", "json", "--year", "2026", "--now", "2026-11-23"])
        .args(extra)
        .args(args)
        .stdin(if piped.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(File::create(&out).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let writer = piped.map(|mut from| {
        let mut to = child.stdin.take().unwrap();
        std::thread::spawn(move || std::io::copy(&mut from, &mut to).map(|_| ()))
    });
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0u64;
    let exit = loop {
        if let Some(kb) = std::fs::read_to_string(&status).ok().as_deref().and_then(vm_hwm_kb) {
            peak = peak.max(kb * 1024);
        }
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    assert!(exit.code().is_some(), "the child did not exit: {exit}");
    if let Some(w) = writer {
        w.join().unwrap().expect("the child read all that was piped");
    }
    let doc = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    (doc, peak)
}

/// The `VmHWM` line of a `/proc/<pid>/status`, in KiB.
fn vm_hwm_kb(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The status line of the log inside `top` (`(status, bytes)`).
fn log_line(doc: &serde_json::Value, path: &str) -> (String, u64) {
    let i = common::input(doc, path);
    (i["status"].as_str().unwrap().to_string(), i["bytes"].as_u64().unwrap())
}

#[test]
fn a_2_gib_log_gzipped_or_in_a_tar_gz_is_read_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let (gz, tgz) = (log_gz(dir.path()), log_tgz(dir.path()));
    let len = write_log_members(&mut std::io::sink());
    let ratio = len / std::fs::metadata(&gz).unwrap().len();
    assert!((800..1000).contains(&ratio), "expands {ratio}:1, under the 1000:1 limit");
    // The control: the same log's first lines, gzipped.
    let small = dir.path().join("small.gz");
    std::fs::write(&small, gz_of_sample()).unwrap();
    let (_, control) = peak_of(&[&small], &[]);

    let (doc, one) = peak_of(&[&gz], &[]);
    let inner = format!("{}!/messages.1", gz.display());
    assert_eq!(log_line(&doc, &inner), ("ok".to_string(), len), "read whole");
    assert!(common::kinds(&doc).contains(&"expired-ca"), "the log's lines are read");
    let (doc, tar_one) = peak_of(&[&tgz], &[]);
    assert_eq!(log_line(&doc, &format!("{}!/var/log/messages", tgz.display())), ("ok".to_string(), len));
    let (doc, two) = peak_of(&[&gz, &tgz], &["--threads", "2"]);
    assert_eq!(log_line(&doc, &inner).0, "ok");
    eprintln!("peak RSS: control {control}, gzip {one}, tar.gz {tar_one}, both at --threads 2 {two}");
    for (what, peak, max) in [("the gzip", one, ONE_MAX), ("the tar.gz", tar_one, ONE_MAX), ("both", two, TWO_MAX)] {
        assert!(peak < max, "{what}: peak {peak} bytes, over {max} (control {control})");
        // What the 2 GiB add to the control is a fraction of what a whole entry would take.
        assert!(peak - control.min(peak) < max - (64 << 20), "{what}: {peak} against control {control}");
    }
}

#[test]
fn a_2_gib_log_piped_into_standard_input_is_read_in_bounded_memory() {
    // `zcat messages.1.gz | tlstriage analyze -`: the log's 2 GiB go through the pipe.
    let dir = tempfile::tempdir().unwrap();
    let gz = log_gz(dir.path());
    let len = write_log_members(&mut std::io::sink());
    let zcat = flate2::read::MultiGzDecoder::new(File::open(&gz).unwrap());
    let (doc, peak) = peak_piping(&[Path::new("-")], &[], Some(Box::new(zcat)));
    assert_eq!(log_line(&doc, "stdin"), ("ok".to_string(), len), "read whole");
    assert!(common::kinds(&doc).contains(&"expired-ca"), "the log's lines are read");
    eprintln!("peak RSS: the log piped into standard input {peak}");
    assert!(peak < ONE_MAX, "peak {peak} bytes, over {ONE_MAX}");
}

/// Write the lines `line(0)`, `line(1)`, … to `path` until they make 100 MB; how many bytes.
fn write_100_mb(path: &Path, mut line: impl FnMut(u32) -> String) -> u64 {
    let mut f = std::io::BufWriter::new(File::create(path).unwrap());
    let mut written = 0u64;
    for n in 0u32.. {
        let l = line(n);
        f.write_all(l.as_bytes()).unwrap();
        written += l.len() as u64;
        if written >= 100 << 20 {
            break;
        }
    }
    f.flush().unwrap();
    written
}

#[test]
fn a_log_where_every_line_starts_an_attempt_is_read_in_bounded_memory() {
    // 100 MB of `Initiating` lines a second apart: every line is an attempt of its own, the
    // most a round of the log can hold (each line's record, text and attempt at once).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("messages");
    let written = write_100_mb(&path, |s| {
        let t = format!("Sep {:2} {:02}:{:02}:{:02}", 1 + s / 86400, s / 3600 % 24, s / 60 % 60, s % 60);
        format!("{t} ftd SF-IMS[7]: [9] sftunneld:sf_ssl [INFO] Initiating IPv4 connection to 10.0.0.9:8305/tcp\n")
    });
    let (doc, peak) = peak_of(&[&path], &[]);
    assert_eq!(log_line(&doc, &path.display().to_string()), ("ok".to_string(), written));
    eprintln!("peak RSS: 100 MB of one-line attempts {peak}");
    assert!(peak < EVERY_LINE_MAX, "peak {peak} bytes, over {EVERY_LINE_MAX}");
}

/// What a log of 100 MB may take when one attempt stays open from its start to its end: the
/// attempt's lines are held in blocks of their chunks' texts, and an attempt held for long has
/// its texts copied out of them. Without that it kept every block it had a line in: 179 MB in
/// this test; 78–81 MB with it.
const HELD_OPEN_MAX: u64 = 128 << 20;

#[test]
fn an_attempt_open_across_the_whole_log_does_not_keep_the_log_in_memory() {
    // Lines that matter (a certificate's depth, all of one thread that never makes an attempt),
    // and every 8,000 lines one error of another thread: its attempt stays open to the end,
    // a line in nearly every chunk.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("messages");
    let written = write_100_mb(&path, |n| {
        let second = n / 8000;
        let t = format!("Sep 20 00:{:02}:{:02}", second / 60 % 60, second % 60);
        if n % 8000 == 7999 {
            format!("{t} ftd SF-IMS[7]: [9] sftunneld:sf_ssl [ERROR] err 10:certificate has expired\n")
        } else {
            format!("{t} ftd SF-IMS[7]: [8] sftunneld:sf_ssl [ERROR] -Error with certificate at depth: {}\n", n % 5)
        }
    });
    let (doc, peak) = peak_of(&[&path], &[]);
    assert_eq!(log_line(&doc, &path.display().to_string()), ("ok".to_string(), written));
    let counts: Vec<(&str, u64)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["kind"].as_str().unwrap(), f["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(counts, [("expired-cert", 1)], "one attempt, open from the first error to the end");
    eprintln!("peak RSS: 100 MB with one attempt open throughout {peak}");
    assert!(peak < HELD_OPEN_MAX, "peak {peak} bytes, over {HELD_OPEN_MAX}");
}

fn gz_of_sample() -> Vec<u8> {
    gz(&common::sample("samples/logs/ftd-expired-ca/messages"))
}
