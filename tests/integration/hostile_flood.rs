//! Hostile inputs, part 6: floods. Half-open connections must cost at most 1 KiB each at the
//! default two threads (peak RSS beside a control capture of the same size without TCP). Hash
//! flooding: Keys crafted to collide in the unkeyed hasher that tlstriage used for its
//! input-keyed tables before issue 24 (`common::flood` models it): 400
//! certificates in a capture, the same in PEM files, and SYNs whose connections collide in the
//! connection table. Each crafted input runs as a child process beside a control input of the same
//! size whose keys do not collide, and must take at most twice as long.
//!
//! The inputs are written under `CARGO_TARGET_TMPDIR/flood/` and kept, so that a release binary can
//! be timed on them by hand (docs/performance.md has the figures before and after).

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::flood::{old_hash, solve, word_between, words_of};
use crate::common::hostile::{measure_within, Measured};
use crate::common::wire::{client_hello, server_flight, tcp_frame, End, Pcap};

/// The hash every crafted key has under the old hasher.
const TARGET: u64 = 0x5eed_f10d_c011_1de5;

/// Where the inputs of this module are written (kept between runs).
pub fn flood_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("flood");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn analyze(path: &Path, limit: Option<Duration>) -> Measured {
    measure_within(&["analyze", "--format", "json", "-q"], &[path], limit)
}

/// Time `crafted` beside `control` (same size, keys that do not collide): the crafted input may
/// take at most twice the control's time, plus a second for the noise of a shared machine. A
/// crafted run far over that is stopped. One retry of both takes a busy moment out.
pub fn within_twice_the_control(what: &str, control: &Path, crafted: &Path) {
    let sizes = (bytes_in(control), bytes_in(crafted));
    let mut last = String::new();
    for _ in 0..2 {
        let c = analyze(control, None);
        assert!(c.code == 0 || c.code == 1, "{what}, control: {}", c.stderr);
        let bound = c.wall * 2 + Duration::from_secs(1);
        let x = analyze(crafted, Some(bound * 5 + Duration::from_secs(10)));
        last = format!(
            "{what}: control {:.2} s, crafted {:.2} s{} (sizes {} and {} bytes)",
            c.wall.as_secs_f64(),
            x.wall.as_secs_f64(),
            if x.stopped { " (stopped)" } else { "" },
            sizes.0,
            sizes.1
        );
        eprintln!("{last}");
        if !x.stopped && x.wall <= bound {
            assert_eq!(x.code, c.code, "{what}, crafted: {}", x.stderr);
            return;
        }
    }
    panic!("{last}: more than twice the control");
}

/// The bytes of a file, or of the files of a folder.
fn bytes_in(path: &Path) -> u64 {
    match std::fs::read_dir(path) {
        Ok(entries) => entries.map(|e| e.unwrap().metadata().unwrap().len()).sum(),
        Err(_) => std::fs::metadata(path).unwrap().len(),
    }
}

/// A certificate with a private extension of `ext` bytes of `A`.
fn base_cert(ext: usize) -> Vec<u8> {
    crate::common::certs::with_extension("flood", ext)
}

/// `n` certificates that differ from `base` in 16 bytes of the extension: a counter, then a word
/// that (when `crafted`) gives each the old hash [`TARGET`], else a value of no consequence.
pub fn certificates(base: &[u8], n: u64, crafted: bool) -> Vec<Vec<u8>> {
    let run = base.windows(32).position(|w| w.iter().all(|&b| b == 0x41)).unwrap();
    let at = run.div_ceil(8) * 8;
    let mut other = base.to_vec();
    other[at] ^= 1;
    let counter = word_between(base, &other[..]);
    (0..n)
        .map(|i| {
            let mut der = base.to_vec();
            der[at..at + 8].copy_from_slice(&(i + 1).to_le_bytes());
            let word = if crafted {
                solve(&words_of(&der[..]), counter + 1, TARGET)
            } else {
                (i + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15)
            };
            der[at + 8..at + 16].copy_from_slice(&word.to_le_bytes());
            assert_eq!(old_hash(&words_of(&der[..])) == TARGET, crafted);
            der
        })
        .collect()
}

/// 400 certificates of about 5 KB, 20 per handshake, in 20 connections: 2 MB.
fn certificate_capture(path: &Path, crafted: bool) {
    let certs = certificates(&base_cert(4_800), 400, crafted);
    let mut pcap = Pcap::new(1_780_000_000);
    for (i, chain) in certs.chunks(20).enumerate() {
        let c: End = ([10, 1, 0, i as u8].into(), 40_000);
        pcap.connection(c, ([10, 2, 0, 1].into(), 443), &client_hello(), &server_flight(chain), 1448);
    }
    std::fs::write(path, pcap.bytes).unwrap();
}

#[test]
fn certificates_crafted_to_collide_in_a_capture() {
    let dir = flood_dir();
    let (control, crafted) = (dir.join("certs-control.pcap"), dir.join("certs-crafted.pcap"));
    certificate_capture(&control, false);
    certificate_capture(&crafted, true);
    within_twice_the_control("400 certificates in a capture", &control, &crafted);
}

/// The same kind of certificates, 400 of about 18 KB, one PEM file each: 9.9 MB.
fn pem_folder(dir: &Path, crafted: bool) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    for (i, der) in certificates(&base_cert(18_300), 400, crafted).iter().enumerate() {
        let pem = crate::common::certs::pem_of(der);
        std::fs::write(dir.join(format!("cert-{i:03}.pem")), pem).unwrap();
    }
}

#[test]
fn certificates_crafted_to_collide_in_pem_files() {
    let dir = flood_dir();
    let (control, crafted) = (dir.join("pem-control"), dir.join("pem-crafted"));
    pem_folder(&control, false);
    pem_folder(&crafted, true);
    within_twice_the_control("400 certificates in PEM files", &control, &crafted);
}

/// The client of the `i`th SYN: 2001:db8 and a counter, then (when `crafted`) the eight bytes that
/// give the connection's key the old hash [`TARGET`].
fn syn_client(i: u32, crafted: bool, server: std::net::SocketAddr) -> std::net::SocketAddr {
    let mut ip = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    ip[4..8].copy_from_slice(&i.to_be_bytes());
    let client = |ip: [u8; 16]| std::net::SocketAddr::new(ip.into(), 40_000);
    if crafted {
        let mut other = ip;
        other[15] ^= 1;
        let word = word_between(&(client(ip), server), &(client(other), server));
        let solved = solve(&words_of(&(client(ip), server)), word, TARGET);
        ip[8..16].copy_from_slice(&solved.to_le_bytes());
        assert_eq!(old_hash(&words_of(&(client(ip), server))), TARGET);
    }
    client(ip)
}

/// `n` SYNs from distinct IPv6 clients to one server, never answered: 90 bytes a record.
pub fn syn_capture(path: &Path, n: u32, crafted: bool) {
    let server: std::net::SocketAddr = "[fd00::1]:443".parse().unwrap();
    let mut pcap = Pcap::new(1_780_000_000);
    for i in 0..n {
        let c = syn_client(i, crafted, server);
        pcap.push(&tcp_frame((c.ip(), c.port()), (server.ip(), server.port()), 7, None, true, &[]));
    }
    std::fs::write(path, pcap.bytes).unwrap();
}

#[test]
fn syns_crafted_to_collide_in_the_connection_table() {
    let dir = flood_dir();
    let (control, crafted) = (dir.join("syns-control.pcap"), dir.join("syns-crafted.pcap"));
    syn_capture(&control, 110_000, false);
    syn_capture(&crafted, 110_000, true);
    within_twice_the_control("110,000 SYNs", &control, &crafted);
}

/// `n` UDP datagrams of the size of [`syn_capture`]'s SYNs: the same file size, no connection.
fn udp_capture(path: &Path, n: u32) {
    let mut pcap = Pcap::new(1_780_000_000);
    for i in 0..n {
        let mut ip = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
        ip[4..8].copy_from_slice(&i.to_be_bytes());
        let b = etherparse::PacketBuilder::ethernet2([2; 6], [4; 6]).ipv6(
            ip,
            [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
            64,
        );
        let mut frame = Vec::new();
        b.udp(40_000, 443).write(&mut frame, &[0; 12]).unwrap();
        pcap.push(&frame);
    }
    std::fs::write(path, pcap.bytes).unwrap();
}

#[test]
fn a_half_open_connection_costs_at_most_1_kib() {
    const N: u32 = 100_000;
    let dir = flood_dir();
    let (control, syns) = (dir.join("udp-control.pcap"), dir.join("half-open.pcap"));
    udp_capture(&control, N);
    syn_capture(&syns, N, false);
    assert_eq!(bytes_in(&control), bytes_in(&syns));
    // Read at the default two threads. The parallel walk's batches of segments (1.6 MB each for
    // a block of SYNs) used to be allocated afresh for every block on the walking thread and freed
    // on whichever worker took them: 20-30 MB a run of frees across threads, whose room mimalloc
    // gave back only when the allocating thread next looked, more of it as the machine was busier
    // (947 bytes a connection alone, 1,031-1,074 in CI runs). The two sets of batches now take
    // turns: 862 bytes each alone and beside two CPU hogs. One thread (no batches, one table) is
    // read too: 628-631 bytes, a connection's own state. The median of three runs each.
    let median_peak = |path: &Path, threads: &str| {
        let mut peaks: Vec<u64> = (0..3)
            .map(|_| {
                let m = measure_within(&["analyze", "--format", "json", "-q", "--threads", threads], &[path], None);
                assert_eq!(m.code, 0, "{}", m.stderr);
                m.peak_kib
            })
            .collect();
        peaks.sort_unstable();
        peaks[1]
    };
    let per_conn = |threads: &str| {
        let (c, s) = (median_peak(&control, threads), median_peak(&syns, threads));
        let each = (s.saturating_sub(c) * 1024) / u64::from(N);
        eprintln!("100,000 half-open connections at {threads} thread(s): median peak {s} KiB, control {c} KiB: {each} bytes each");
        each
    };
    let (one, two) = (per_conn("1"), per_conn("2"));
    assert!(one <= 1024, "{one} bytes per half-open connection at one thread");
    assert!(two <= 1024, "{two} bytes per half-open connection at two threads");
}
