//! Past every cap of every reader, nothing read is dropped: what a reader lets go early (log
//! threads closed when too many are open or too many complete attempts wait behind an open
//! one, TLS proxy sessions handed on when too many wait, capture connections finished when the
//! connection table is full) reaches the run's sink and is judged, and past the bound on peers
//! the further peers are counted in one finding. In each case the counts of the findings add up
//! to the failing attempts of the input, exactly.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use tlstriage::analyze::{analyze, Options, Report};
use tlstriage::model::Limits;

fn run(path: &Path, limits: Limits) -> Report {
    let mut opts = Options::new(vec![path.to_path_buf()]);
    opts.now = "2026-11-23T00:00:00Z".parse().unwrap();
    opts.year = Some(2026);
    opts.limits = limits;
    analyze(&opts)
}

/// How many attempts the findings of `kind` count, and in how many findings.
fn counted(r: &Report, kind: &str) -> (u64, usize) {
    let of_kind: Vec<_> = r.findings.iter().filter(|f| f.kind.as_str() == kind).collect();
    (of_kind.iter().map(|f| u64::from(f.count)).sum(), of_kind.len())
}

fn status(r: &Report, path: &Path) -> String {
    let p = path.display().to_string();
    let st = r.inputs.iter().find(|i| i.path == p).unwrap_or_else(|| panic!("{p}: {:#?}", r.inputs));
    format!("{} {}", st.status.as_str(), st.message.as_deref().unwrap_or(""))
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// sftunneld lines of device `ftd-cap-01`: `Initiating` to `peer`, an expired CA at depth 1.
fn sftunneld_attempt(out: &mut String, tid: u32, peer: &str, close: bool) {
    sftunneld_lines(out, "Mar 14 06:00:05", tid, peer, close);
}

/// [`sftunneld_attempt`] with the time stamp `stamp` (a syslog one, or `journalctl -o
/// short-iso`'s, which makes the text an excerpt).
fn sftunneld_lines(out: &mut String, stamp: &str, tid: u32, peer: &str, close: bool) {
    let head = format!("{stamp} ftd-cap-01 SF-IMS[3120]: [{tid}] sftunneld:sf_ssl");
    let _ = writeln!(out, "{head} [INFO] Initiating IPv4 connection to {peer}:8305/tcp");
    let _ = writeln!(out, "{head} [ERROR] -Error with certificate at depth: 1");
    let _ = writeln!(out, "{head} [ERROR] err 10:certificate has expired");
    if close {
        let _ =
            writeln!(out, "{head} [ERROR] establishSSLConnection: Failed connecting with SSL to using to: '{peer}'");
    }
}

/// More threads open at once than the grouping keeps (4096): all are closed and handed on, and
/// each still gives its attempt, in a device's log and in an excerpt of it.
#[test]
fn syslog_and_excerpt_past_the_open_threads_cap() {
    let dir = tempfile::tempdir().unwrap();
    for (name, stamp, says) in [
        ("messages", "Mar 14 06:00:05", "ok "),
        (
            "journal.txt",
            "2026-03-14T06:00:05+0000",
            "ok log excerpt: 15000 sftunneld message(s), attempts grouped by the thread ids of the lines, \
             times from the lines' own stamps (inferred)",
        ),
    ] {
        let mut text = String::new();
        for tid in 0..5000 {
            sftunneld_lines(&mut text, stamp, 10_000 + tid, "192.168.45.10", false);
        }
        let path = write(dir.path(), name, &text);
        let r = run(&path, Limits::default());
        assert_eq!(status(&r, &path), says);
        assert_eq!(counted(&r, "expired-ca"), (5000, 1), "{name}");
    }
}

/// More complete attempts waiting behind one that stays open than the grouping keeps (65,536):
/// every thread is closed and handed on; none is lost.
#[test]
fn syslog_past_the_waiting_cap() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    sftunneld_attempt(&mut text, 1, "192.168.45.10", false);
    for _ in 0..66_000 {
        sftunneld_attempt(&mut text, 2, "192.168.45.10", true);
    }
    let path = write(dir.path(), "messages", &text);
    let r = run(&path, Limits::default());
    assert_eq!(counted(&r, "expired-ca"), (66_001, 1));
}

/// More peers failing the same way than get a finding of their own (1000): the further ones
/// are counted in one `(other peers)` finding.
#[test]
fn syslog_past_the_peers_cap() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for i in 0..1003u32 {
        sftunneld_attempt(&mut text, 7, &format!("10.{}.{}.{}", i / 65_536, i / 256 % 256, i % 256), true);
    }
    let path = write(dir.path(), "messages", &text);
    let r = run(&path, Limits::default());
    assert_eq!(counted(&r, "expired-ca"), (1003, 1001));
    let other = r
        .findings
        .iter()
        .find(|f| f.peer.as_ref().map(|p| p.as_str()) == Some("(other peers)"))
        .expect("overflow finding");
    assert_eq!(other.count, 3);
}

/// The two lines of a TLS proxy session that meets a self-signed server certificate, in the
/// log's own format (`excerpt`: with a collector's ISO stamp instead, as pasted in a mail).
fn proxy_session(out: &mut String, n: u32, excerpt: bool) {
    let stamp = if excerpt { "2015-06-12T10:02:11Z cx-mod-02" } else { "2015-06-12 10:02:11,505 INFO" };
    let _ = writeln!(
        out,
        "{stamp} TLS_Proxy - Certificate verification failure: self signed certificate (code 18, depth 0)"
    );
    let _ = writeln!(
        out,
        "{stamp} TLS_Proxy - SSL alert message received from server (0x230 = \"fatal : unknown CA\") in Session: x{n:x}"
    );
}

/// More sessions waiting for their end than the reader keeps (here 8): the oldest are handed
/// on early, in the log and in a pasted excerpt alike (where they were once dropped while the
/// input said ok).
#[test]
fn tls_proxy_log_and_excerpt_past_the_sessions_cap() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits { max_open_sessions: 8, ..Limits::default() };
    for (name, excerpt) in [("tls_proxy.log", false), ("mail.txt", true)] {
        let mut text = if excerpt { "Here is what the module logged:\n\n".to_string() } else { String::new() };
        for n in 0..20 {
            proxy_session(&mut text, 0x1000 + n, excerpt);
        }
        let path = write(dir.path(), name, &text);
        let r = run(&path, limits.clone());
        assert!(status(&r, &path).starts_with("ok"), "{name}: {}", status(&r, &path));
        // One finding (sessions fold by kind), counting every session.
        assert_eq!(counted(&r, "self-signed"), (20, 1), "{name}");
    }
}

/// The same past the default cap (65,536 open sessions), in a pasted excerpt.
#[test]
fn excerpt_past_the_default_sessions_cap() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for n in 0..65_540 {
        proxy_session(&mut text, n, true);
    }
    let path = write(dir.path(), "mail.txt", &text);
    let r = run(&path, Limits::default());
    assert_eq!(status(&r, &path), "ok 131080 TLS proxy message(s) read as an excerpt");
    assert_eq!(counted(&r, "self-signed"), (65_540, 1));
}

/// `samples/captures/self-signed.pcap` (one connection, closed by FIN both ways) `copies` times,
/// each copy from its own client port (and, with `servers`, to its own server address).
fn self_signed_copies(copies: u16, servers: bool) -> Vec<u8> {
    let sample = std::fs::read(crate::common::repo("samples/captures/self-signed.pcap")).unwrap();
    let mut out = sample[..24].to_vec();
    let frames = &sample[24..];
    for k in 0..copies {
        let mut at = 0;
        while at + 16 <= frames.len() {
            let len = u32::from_le_bytes(frames[at + 8..at + 12].try_into().unwrap()) as usize;
            let mut rec = frames[at..at + 16 + len].to_vec();
            // Ethernet + IPv4 without options: the TCP ports at 34 and 36 of the frame.
            for port_at in [16 + 34, 16 + 36] {
                let port = u16::from_be_bytes([rec[port_at], rec[port_at + 1]]);
                if port == 52114 {
                    rec[port_at..port_at + 2].copy_from_slice(&(20_000 + k).to_be_bytes());
                }
            }
            // The IPv4 source and destination at 26 and 30 of the frame.
            for ip_at in [16 + 26, 16 + 30] {
                if servers && rec[ip_at..ip_at + 4] == [10, 48, 79, 232] {
                    rec[ip_at + 2..ip_at + 4].copy_from_slice(&k.to_be_bytes());
                }
            }
            out.extend_from_slice(&rec);
            at += 16 + len;
        }
    }
    out
}

/// More connections than the table has slots (here 2): each closed connection is finished and
/// handed on to make room; every handshake is judged.
#[test]
fn capture_past_the_connection_slots() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("copies.pcap");
    std::fs::write(&path, self_signed_copies(7, false)).unwrap();
    let limits = Limits { max_connections: 2, ..Limits::default() };
    let r = run(&path, limits);
    assert_eq!(status(&r, &path), "ok ");
    assert_eq!(r.handshakes.len(), 7);
    assert_eq!(counted(&r, "self-signed"), (7, 1));
}

/// A capture of handshakes to more servers than get a finding of their own (1000), each
/// refusing a self-signed certificate: the further servers are counted in one finding.
#[test]
fn capture_past_the_peers_cap() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("servers.pcap");
    std::fs::write(&path, self_signed_copies(1003, true)).unwrap();
    let r = run(&path, Limits::default());
    assert_eq!(r.handshakes.len(), 1003);
    assert_eq!(counted(&r, "self-signed"), (1003, 1001));
}
