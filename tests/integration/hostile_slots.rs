//! Hostile inputs, part 5: connection slots of a capture (refused connections must not crowd
//! out a later handshake; connections that find no slot make the input partial and are counted
//! once each) and a log truncated while it is read (read in chunks, it just ends early: the
//! input says so, the others' findings stay; no signal handler is involved).

use std::path::Path;

use etherparse::PacketBuilder;

use crate::common::hostile::measure;

/// One pcap record (microsecond stamps) of an Ethernet frame.
fn record(out: &mut Vec<u8>, sec: u32, usec: u32, frame: &[u8]) {
    for v in [sec, usec, frame.len() as u32, frame.len() as u32] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(frame);
}

/// `n` connections from distinct client ports and addresses to 10.9.0.1:443, each a SYN, then
/// (when `refused`) the server's RST, else the SYN once more (a retransmission, never answered).
fn connections(out: &mut Vec<u8>, n: u32, refused: bool) {
    for i in 0..n {
        let client = [10, 8, (i >> 8 & 255) as u8, (i & 255) as u8];
        let port = 20_000 + (i >> 16) as u16;
        let (sec, usec) = (1_000 + i / 100_000, i % 100_000 * 10);
        let mut f = Vec::new();
        let syn =
            PacketBuilder::ethernet2([2; 6], [4; 6]).ipv4(client, [10, 9, 0, 1], 64).tcp(port, 443, 7, 1024).syn();
        syn.write(&mut f, &[]).unwrap();
        record(out, sec, usec, &f);
        f.clear();
        if refused {
            let rst = PacketBuilder::ethernet2([4; 6], [2; 6])
                .ipv4([10, 9, 0, 1], client, 64)
                .tcp(443, port, 0, 0)
                .rst()
                .ack(8);
            rst.write(&mut f, &[]).unwrap();
        } else {
            let again =
                PacketBuilder::ethernet2([2; 6], [4; 6]).ipv4(client, [10, 9, 0, 1], 64).tcp(port, 443, 7, 1024).syn();
            again.write(&mut f, &[]).unwrap();
        }
        record(out, sec, usec + 1, &f);
    }
}

/// A capture of `n` connections, then the frames of `samples/captures/self-signed.pcap`.
fn capture_before_self_signed(path: &Path, n: u32, refused: bool) {
    let sample = std::fs::read(crate::common::hostile::root().join("samples/captures/self-signed.pcap")).unwrap();
    let mut out = sample[..24].to_vec();
    connections(&mut out, n, refused);
    out.extend_from_slice(&sample[24..]);
    std::fs::write(path, out).unwrap();
}

fn doc_of(m: &crate::common::hostile::Measured) -> serde_json::Value {
    serde_json::from_str(&m.stdout).unwrap_or_else(|e| panic!("{e}: {}", m.stderr))
}

#[test]
fn refused_connections_free_their_slots() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("refused-then-self-signed.pcap");
    capture_before_self_signed(&path, 101_000, true);
    let m = measure(&["analyze", "--format", "json"], &[&path]);
    eprintln!("101,000 refused connections before a handshake: peak RSS {} MiB", m.peak_mib);
    let doc = doc_of(&m);
    let kinds: Vec<&str> = doc["findings"].as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"self-signed"), "{kinds:?}");
    let st = &doc["inputs"][0];
    assert_eq!(st["status"], "ok", "{st}");
}

#[test]
fn connections_without_a_slot_are_counted_once_and_make_the_input_partial() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("open-then-self-signed.pcap");
    // Never closed: 100,000 of them fill the table; the 5 after them and the handshake find none.
    capture_before_self_signed(&path, 100_005, false);
    let m = measure(&["analyze", "--format", "json"], &[&path]);
    let doc = doc_of(&m);
    let st = &doc["inputs"][0];
    assert_eq!(st["status"], "partial", "{st}");
    let msg = st["message"].as_str().unwrap();
    assert!(msg.contains("6 connections beyond the tracking limit ignored"), "{msg}");
}

#[test]
fn a_log_truncated_while_read_is_reported_not_fatal() {
    // With the binary's `--mmap` too: a file that may shrink is never mapped.
    for mmap in [false, true] {
        truncated_while_read(mmap);
    }
}

fn truncated_while_read(mmap: bool) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("messages");
    // Real lines first, then a hole of 512 MiB (zero bytes that take no disk): the read is still
    // going on when the file is cut, however fast the machine.
    crate::hostile_bounds::attempts_log(&log, 20_000);
    let file = std::fs::OpenOptions::new().write(true).open(&log).unwrap();
    file.set_len(file.metadata().unwrap().len() + (512 << 20)).unwrap();
    drop(file);
    let len = std::fs::metadata(&log).unwrap().len();
    let other = crate::common::hostile::root().join("samples/logs/ftd-expired-ca/messages");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_tlstriage"))
        .args(["analyze", "--format", "json", "--threads", "1", "--year", "2026", "--now", "2026-11-23"])
        .args(mmap.then_some("--mmap"))
        .arg(&other)
        .arg(&log)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Truncate as soon as the child has the log open (one of its descriptors names the file).
    let fds = format!("/proc/{}/fd", child.id());
    let name = log.display().to_string();
    let open = || {
        std::fs::read_dir(&fds)
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| std::fs::read_link(e.path()).is_ok_and(|t| t == log))
    };
    let mut seen = false;
    for _ in 0..20_000 {
        if open() {
            seen = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    assert!(seen, "the log was never opened");
    std::fs::OpenOptions::new().write(true).open(&log).unwrap().set_len(4096).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.code().is_some(), "killed by a signal: {:?}", out.status);
    let err = String::from_utf8_lossy(&out.stderr);
    let doc: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}; exit {:?}; stderr: {err}", out.status));
    let st = doc["inputs"].as_array().unwrap().iter().find(|i| i["path"] == name.as_str()).unwrap();
    assert_eq!(st["status"], "partial", "{st}");
    let msg = st["message"].as_str().unwrap();
    assert!(msg.starts_with(&format!("the file became shorter while it was read (was {len} bytes)")), "{msg}");
    let other = other.display().to_string();
    let from_other = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["evidence"].as_array().unwrap().iter().any(|e| e["path"] == other.as_str()));
    assert!(from_other.count() > 0, "the other input's findings are printed");
}

/// The SIGBUS action of this process as raw fields (handler address and flags).
fn sigbus_action() -> (usize, i32) {
    // SAFETY: reading the current action into a zeroed struct; nothing is changed.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        assert_eq!(libc::sigaction(libc::SIGBUS, std::ptr::null(), &mut old), 0);
        (old.sa_sigaction, old.sa_flags)
    }
}

/// Reading installs no signal handler: the library runs inside other programs (the Python
/// extension in a Dask worker), whose signals are theirs. Big logs, captures and archives are
/// read (in chunks) and the SIGBUS action is the one before.
#[test]
fn reading_installs_no_signal_handler() {
    let before = sigbus_action();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("messages");
    crate::hostile_bounds::attempts_log(&log, 20_000);
    assert!(std::fs::metadata(&log).unwrap().len() > 1 << 20);
    let mut opts = tlstriage::analyze::Options::new(vec![log, crate::common::repo("samples")]);
    opts.now = "2026-11-23T00:00:00Z".parse().unwrap();
    let report = tlstriage::analyze::analyze(&opts);
    assert!(report.read_count() > 10);
    // With the binary's opt-in too: a file that may shrink is still read in chunks.
    opts.mmap = tlstriage::input::file::MmapChoice::WhereSafe;
    let again = tlstriage::analyze::analyze(&opts);
    assert_eq!(again.findings.len(), report.findings.len());
    assert_eq!(sigbus_action(), before);
}
