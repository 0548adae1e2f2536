//! Hostile inputs, part 4: the resource bounds of issue 11, each read by the debug binary in a
//! child process whose peak memory is measured (`wait4`): nested gzip, an unknown entry of 2 GB,
//! 100,000 distinct failing attempts in every output format, a capture whose first 101,000
//! connections are refused, and a log truncated while it is read. The million-line cases are
//! `#[ignore]`d (minutes in a debug build): run them with
//! `cargo test --release --test integration bounds -- --ignored`.

use std::io::Write;
use std::path::Path;

use crate::common::hostile::{measure, Measured};

/// The bound of the archive cases.
const ARCHIVE_MIB: u64 = 256;
/// The bound of the 100,000-attempt and 1,000,000-session cases.
const ATTEMPTS_MIB: u64 = 512;

fn report(what: &str, m: &Measured) {
    eprintln!("{what}: peak RSS {} MiB, exit code {}", m.peak_mib, m.code);
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn status<'a>(doc: &'a serde_json::Value, path: &str) -> &'a serde_json::Value {
    doc["inputs"].as_array().unwrap().iter().find(|i| i["path"] == path).unwrap_or_else(|| panic!("{path}: {doc:#}"))
}

#[test]
fn bounds_gzip_of_gzip_of_gzip() {
    // 3 GiB of zeros, gzipped three times: about 4 KB on disk, and each level alone expands
    // less than 1000:1 (about 230, 375 and 9).
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..3072 {
        e.write_all(&zeros).unwrap();
    }
    let bomb = gz(&gz(&e.finish().unwrap()));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.gz");
    std::fs::write(&path, &bomb).unwrap();
    let m = measure(&["analyze", "--format", "json"], &[&path]);
    report(&format!("gzip of gzip of gzip ({} bytes)", bomb.len()), &m);
    assert!(m.peak_mib < ARCHIVE_MIB, "peak {} MiB", m.peak_mib);
    let doc: serde_json::Value = serde_json::from_str(&m.stdout).unwrap();
    let inner = format!("{}!/bomb!/bomb!/bomb", path.display());
    let st = status(&doc, &inner);
    assert_eq!(st["status"], "partial");
    let msg = st["message"].as_str().unwrap();
    assert!(msg.contains("the archive levels together expand more than 1000:1 (limit max_ratio"), "{msg}");
}

#[test]
fn bounds_unknown_entry_of_two_gigabytes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.tar.gz");
    let gz = flate2::write::GzEncoder::new(std::fs::File::create(&path).unwrap(), flate2::Compression::fast());
    let mut b = tar::Builder::new(gz);
    let size: u64 = 2 << 30;
    let mut h = tar::Header::new_gnu();
    h.set_size(size);
    h.set_mode(0o644);
    h.set_entry_type(tar::EntryType::Regular);
    struct Filler(u64);
    impl std::io::Read for Filler {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = (self.0.min(buf.len() as u64)) as usize;
            buf[..n].fill(0xa5);
            self.0 -= n as u64;
            Ok(n)
        }
    }
    b.append_data(&mut h, "blob.bin", Filler(size)).unwrap();
    b.append_data(&mut tar_header(12), "etc/sf/ims.conf", &b"SWVERSION=7\n"[..]).unwrap();
    b.into_inner().unwrap().finish().unwrap();
    let m = measure(&["analyze", "--format", "json"], &[&path]);
    report(&format!("2 GB unknown entry ({} bytes on disk)", std::fs::metadata(&path).unwrap().len()), &m);
    assert!(m.peak_mib < ARCHIVE_MIB, "peak {} MiB", m.peak_mib);
    let doc: serde_json::Value = serde_json::from_str(&m.stdout).unwrap();
    // The skipped entry is counted in its container's line, and the entry after it is read.
    let top = status(&doc, &path.display().to_string());
    assert_eq!(top["message"], "2 entries, 1 not in a format tlstriage reads", "{top}");
    assert_eq!(status(&doc, &format!("{}!/etc/sf/ims.conf", path.display()))["status"], "ok");
}

fn tar_header(size: u64) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_size(size);
    h.set_mode(0o644);
    h.set_entry_type(tar::EntryType::Regular);
    h
}

/// A syslog with one failing sftunnel attempt (expired CA at depth 1) to each of `n` peers.
pub fn attempts_log(path: &Path, n: u32) {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..n {
        let p = format!("Mar 14 06:00:05 ftd-branch-07 SF-IMS[3120]: [{}] sftunneld:sf_ssl", 4000 + i);
        let ip = format!("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255);
        writeln!(w, "{p} [INFO] Initiating IPv4 connection to {ip}:8305/tcp").unwrap();
        writeln!(w, "{p} [ERROR] -Error with certificate at depth: 1").unwrap();
        writeln!(w, "{p} [ERROR] err 10:certificate has expired").unwrap();
        writeln!(w, "{p} [ERROR] Connect:SSL handshake failed").unwrap();
    }
    w.flush().unwrap();
}

fn attempts_in_every_format(n: u32, bound: u64) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("messages");
    attempts_log(&path, n);
    for format in ["table", "json", "jsonl", "junit", "sarif"] {
        let m = measure(&["analyze", "--format", format], &[&path]);
        report(&format!("{n} distinct failing attempts, --format {format}"), &m);
        assert_eq!(m.code, 1, "{}", m.stderr);
        assert!(m.peak_mib < bound, "--format {format}: peak {} MiB", m.peak_mib);
        if format == "json" {
            let doc: serde_json::Value = serde_json::from_str(&m.stdout).unwrap();
            let f = doc["findings"].as_array().unwrap();
            assert_eq!(f.len(), 1001, "1000 peers of their own, then one for the others");
            let other = f.iter().find(|f| f["peer"] == "(other peers)").expect("the overflow finding");
            assert_eq!(other["count"].as_u64(), Some(u64::from(n) - 1000));
            let total: u64 = f.iter().map(|f| f["count"].as_u64().unwrap()).sum();
            assert_eq!(total, u64::from(n), "every attempt counted");
        }
    }
}

#[test]
fn bounds_a_hundred_thousand_distinct_failing_attempts() {
    attempts_in_every_format(100_000, ATTEMPTS_MIB);
}

#[test]
#[ignore = "a 460 MB log: minutes in a debug build"]
fn bounds_a_million_distinct_failing_attempts() {
    attempts_in_every_format(1_000_000, 1024);
}

#[test]
#[ignore = "a 330 MB log: minutes in a debug build"]
fn bounds_a_million_tls_proxy_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tls_proxy.log");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    for i in 0..1_000_000u32 {
        let s = format!("x{:x}", 0x1000_0000 + i);
        writeln!(w, "2015-06-11 09:14:03,771 INFO TLS_Proxy - SSL alert message received from server (0x228 = \"fatal : handshake failure\") in Session: {s}").unwrap();
        writeln!(w, "2015-06-11 09:14:03,772 ERROR TLS_Proxy - TLS problem (error:14077410:SSL routines:SSL23_GET_SERVER_HELLO:sslv3 alert handshake failure) while connecting to server for Session: {s}").unwrap();
    }
    w.flush().unwrap();
    drop(w);
    let m = measure(&["analyze", "--format", "json"], &[&path]);
    report("1,000,000 tls_proxy sessions", &m);
    assert!(m.peak_mib < ATTEMPTS_MIB, "peak {} MiB", m.peak_mib);
    let doc: serde_json::Value = serde_json::from_str(&m.stdout).unwrap();
    let f = doc["findings"].as_array().unwrap();
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0]["count"].as_u64(), Some(1_000_000));
}
