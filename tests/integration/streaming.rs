//! Judging attempts while inputs are read (what `analyze` does) gives exactly the findings of
//! judging them all at the end, on the samples and on a log big enough to be read in many
//! chunks with attempts of interleaved threads crossing chunk boundaries.

use std::io::Write;
use std::path::PathBuf;

use jiff::Timestamp;
use std::sync::Arc;
use tlstriage::analyze::{analyze, build_report, ingest_file, Options};

use tlstriage::input::contents::Contents;
use tlstriage::input::{discover, Discovered};
use tlstriage::model::{IngestContext, Parsed};

fn now() -> Timestamp {
    "2026-11-23T00:00:00Z".parse().unwrap()
}

/// Everything read first into a sink that keeps it all, classified at the end (no judging while
/// reading).
fn judged_at_end(paths: &[PathBuf]) -> String {
    let mut ctx = IngestContext::new(now(), std::sync::Arc::new(tlstriage::x509::CertCache::default()));
    ctx.year = Some(2026);
    // The same content counted once, as `analyze` does; read in order, no claim is taken over.
    let found = discover(paths);
    let files = found
        .iter()
        .map(|d| match d {
            Discovered::File(p) => Some((p.clone(), p.display().to_string(), std::fs::metadata(p).unwrap().len())),
            _ => None,
        })
        .collect();
    let contents = Arc::new(Contents::new(files));
    ctx.contents = Some(contents.clone());
    let mut all = Parsed::default();
    for (i, d) in found.iter().enumerate() {
        if let Discovered::File(p) = d {
            let _reading = contents.reading(i);
            ingest_file(p, &ctx, &mut all);
        }
    }
    assert!(contents.freeze().is_empty());
    tlstriage::input::contents::settle(&mut all, &contents);
    assert!(!all.attempts.is_empty(), "the attempts are kept, to be judged at the end");
    serde_json::to_string_pretty(&build_report(all, Vec::new(), now()).findings).unwrap()
}

fn judged_while_reading(paths: &[PathBuf], threads: usize) -> String {
    let mut opts = Options::new(paths.to_vec());
    opts.now = now();
    opts.year = Some(2026);
    opts.threads = Some(threads);
    serde_json::to_string_pretty(&analyze(&opts).findings).unwrap()
}

#[test]
fn samples_give_the_same_findings_either_way() {
    let samples = crate::common::repo("samples");
    let reference = judged_at_end(std::slice::from_ref(&samples));
    assert!(reference.contains("\"expired-ca\""));
    for threads in [1, 2] {
        assert_eq!(judged_while_reading(std::slice::from_ref(&samples), threads), reference);
    }
}

/// About 12 MB of log at `path`: three chunks of the reader. 40 threads interleave; every
/// attempt spans several seconds of other lines, some peers fail on an expired CA, some are
/// refused.
fn write_log_of_many_chunks(path: &std::path::Path) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..120_000u32 {
        let tid = 4000 + i % 40;
        let t = format!("Mar {:2} {:02}:{:02}:{:02}", 1 + i / 86_400 % 28, i / 3600 % 24, i / 60 % 60, i % 60);
        let head = format!("{t} ftd-{} SF-IMS[3120]: [{tid}] sftunneld:sf_ssl", i % 3);
        let peer = format!("10.0.{}.{}", i % 7, 10 + i % 5);
        let line = match (i / 40) % 4 {
            0 => format!("{head} [INFO] Initiating IPv4 connection to {peer}:8305/tcp\n"),
            1 if i % 3 == 0 => format!("{head} [ERROR] err 10:certificate has expired\n"),
            1 => format!("{head} [ERROR] -Error with certificate at depth: 1\n"),
            2 if i % 5 == 0 => format!("{head} [WARN] Connect:SSL handshake failed\n"),
            _ => format!("{t} fw kernel: [{i}.000] eth0: link state changed, rx {i} tx 5678 dropped 0\n"),
        };
        f.write_all(line.as_bytes()).unwrap();
    }
    f.flush().unwrap();
    drop(f);
    assert!(std::fs::metadata(path).unwrap().len() > 8 << 20);
}

#[test]
fn a_log_of_many_chunks_gives_the_same_findings_either_way() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("messages");
    write_log_of_many_chunks(&path);
    let paths = vec![path];
    let reference = judged_at_end(&paths);
    assert!(reference.contains("\"expired-cert\"") && reference.contains("\"handshake-failed\""));
    for threads in [1, 2] {
        assert_eq!(judged_while_reading(&paths, threads), reference);
    }
}

/// The findings as JSON, without the system each is filed under: a top-level archive (a `.gz`
/// too) is one system's tree, so the devices of a log inside it are filed under the first one.
fn without_systems(findings: &str) -> String {
    let mut all: serde_json::Value = serde_json::from_str(findings).unwrap();
    for f in all.as_array_mut().unwrap() {
        f.as_object_mut().unwrap().remove("system");
    }
    serde_json::to_string_pretty(&all).unwrap()
}

/// The gzipped log is inflated on a thread of its own when the pool leaves a core free (at one
/// thread on a machine of two cores or more) and where it is parsed otherwise: the same findings
/// either way, and those of the plain log.
#[test]
fn a_gzipped_log_gives_the_findings_of_the_plain_log_at_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("messages");
    write_log_of_many_chunks(&plain);
    std::fs::create_dir(dir.path().join("gz")).unwrap();
    let gz = dir.path().join("gz/messages.gz");
    let mut enc = flate2::write::GzEncoder::new(std::fs::File::create(&gz).unwrap(), flate2::Compression::fast());
    std::io::copy(&mut std::fs::File::open(&plain).unwrap(), &mut enc).unwrap();
    enc.finish().unwrap();
    let reference = without_systems(&judged_while_reading(std::slice::from_ref(&plain), 1));
    assert!(reference.contains("\"expired-cert\""));
    let inside = format!("{}!/messages", gz.display());
    let one = judged_while_reading(std::slice::from_ref(&gz), 1);
    assert!(one.contains(&inside), "the evidence names the log inside the gzip");
    assert_eq!(without_systems(&one.replace(&inside, &plain.display().to_string())), reference);
    assert_eq!(judged_while_reading(std::slice::from_ref(&gz), 2), one);
}
