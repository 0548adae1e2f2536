//! Hostile inputs, part 3: the big ones, each built at test time and read by the debug binary in
//! a child process whose peak memory (`ru_maxrss`) must stay under [`MAX_PEAK_MIB`]: a gzip bomb,
//! a tar of 100,000 tiny entries, archives nested ten deep, and logs with a 200 MB line.
//! Each must end with a clear message and leave the reference's findings unchanged.

use crate::common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::hostile::*;

/// Write `n` bytes of `byte` to `w` in 1 MiB pieces.
fn fill(w: &mut impl Write, byte: u8, n: u64) {
    let chunk = vec![byte; 1 << 20];
    let mut left = n;
    while left > 0 {
        let k = left.min(chunk.len() as u64) as usize;
        w.write_all(&chunk[..k]).unwrap();
        left -= k as u64;
    }
}

/// How much of a long line is written as `A`s; the rest of it is a hole of zero bytes, which
/// reads back like written bytes but takes no disk (the CI machine's disk is small and several of
/// these tests run at once).
const WRITTEN_PART: u64 = 1 << 20;

/// Append a line body of `n` bytes to `f`: [`WRITTEN_PART`] bytes of `A`, then a hole up to `n`.
/// The file ends at the body's end even when nothing is written after it.
fn long_body(f: &mut std::io::BufWriter<std::fs::File>, n: u64) {
    use std::io::Seek;
    fill(f, b'A', WRITTEN_PART);
    let end = f.stream_position().unwrap() + (n - WRITTEN_PART);
    f.flush().unwrap();
    f.get_ref().set_len(end).unwrap();
    f.seek(std::io::SeekFrom::Start(end)).unwrap();
}

/// Run the binary on `path` and the reference; print and check the peak memory, check the
/// reference, and return the document.
fn run_beside_reference(path: &Path, what: &str) -> serde_json::Value {
    let p = run_bin(&[&reference().dir, path]);
    eprintln!("{what}: peak RSS {} MiB, exit code {}", p.peak_mib, p.code);
    assert!(p.peak_mib < MAX_PEAK_MIB, "{what}: peak RSS {} MiB; stderr: {}", p.peak_mib, p.stderr);
    assert_reference_unchanged(&p.json["findings"], what);
    p.json
}

/// Kind and count of each finding as far as sources under `path` report it.
fn counts_from<'a>(doc: &'a serde_json::Value, path: &Path) -> Vec<(&'a str, u64)> {
    let under = format!("{}!/", path.display());
    per_source(doc, |p| p.starts_with(&under)).into_iter().map(|(k, _, n)| (k, n)).collect()
}

/// Kind, peer and count of each finding as far as the sources that pass `keep` report it.
fn per_source(doc: &serde_json::Value, keep: impl Fn(&str) -> bool) -> Vec<(&str, &str, u64)> {
    let mut out = Vec::new();
    for f in doc["findings"].as_array().unwrap() {
        let n: u64 = match f["sources"].as_array() {
            Some(sources) => {
                sources.iter().filter(|s| keep(s["path"].as_str().unwrap())).map(|s| s["count"].as_u64().unwrap()).sum()
            }
            // One source only: the evidence says which.
            None if keep(f["evidence"][0]["path"].as_str().unwrap()) => f["count"].as_u64().unwrap(),
            None => 0,
        };
        if n > 0 {
            out.push((f["kind"].as_str().unwrap(), f["peer"].as_str().unwrap_or("-"), n));
        }
    }
    out
}

fn status_line(doc: &serde_json::Value, path: &Path) -> (String, String) {
    let st = json_status(doc, &path.display().to_string());
    (st["status"].as_str().unwrap().to_string(), st["message"].as_str().unwrap_or("").to_string())
}

#[test]
fn gzip_bomb_is_stopped() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("bomb.gz");
    let mut gz = flate2::write::GzEncoder::new(std::fs::File::create(&path).unwrap(), flate2::Compression::best());
    fill(&mut gz, 0, 1 << 30);
    gz.finish().unwrap();
    let doc = run_beside_reference(&path, "gzip bomb");
    let inner = tmp.path().join("bomb.gz!/bomb");
    let (status, msg) = status_line(&doc, &inner);
    // The decoder reads ahead, so the ratio passes the limit after about 32 MiB of output; the
    // exact count depends on the pieces the compressed bytes are counted in (where the output is
    // read, or in the blocks of the inflating thread).
    assert_eq!(status, "partial", "{msg}");
    let (stopped, rest) = msg.strip_prefix("gzip: stopped after ").and_then(|m| m.split_once(' ')).expect(&msg);
    let stopped: u64 = stopped.parse().unwrap();
    assert!((30 << 20..34 << 20).contains(&stopped), "{msg}");
    assert_eq!(
        rest,
        "bytes: the archive levels together expand more than 1000:1 (limit max_ratio; a decompression bomb?); not a format tlstriage reads"
    );
}

/// A gzip-compressed tar written entry by entry.
fn tgz_file(path: &Path, entries: impl IntoIterator<Item = (String, Vec<u8>)>) {
    let gz = flate2::write::GzEncoder::new(std::fs::File::create(path).unwrap(), flate2::Compression::fast());
    let mut b = tar::Builder::new(gz);
    for (name, data) in entries {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_mtime(1_773_446_400);
        h.set_cksum();
        b.append_data(&mut h, name, data.as_slice()).unwrap();
    }
    b.into_inner().unwrap().finish().unwrap();
}

fn sample(rel: &str) -> Vec<u8> {
    std::fs::read(root().join(rel)).unwrap()
}

/// A sample moved to other times and with one harmless line added, so that neither its bytes
/// (the same content is counted once) nor its lines (an attempt read at two places is counted
/// once) are the reference's or those of a copy marked with another `tag`.
fn sample_copy(rel: &str, tag: &str) -> Vec<u8> {
    let by = 1 + tag.bytes().map(usize::from).sum::<usize>() % 11;
    let mut data = moved(&sample(rel), by);
    data.extend_from_slice(format!("Apr  2 09:10:00 lab crond[1]: (root) CMD (copy {tag})\n").as_bytes());
    data
}

/// `data` with each syslog line's month moved `by` months on (1 to 11) and the year of each
/// TLS proxy log line `by` years on: the same lines at other times.
fn moved(data: &[u8], by: usize) -> Vec<u8> {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let text = String::from_utf8(data.to_vec()).unwrap();
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let month = MONTHS.iter().position(|m| line.starts_with(&format!("{m} ")));
        let year = line
            .get(..5)
            .filter(|y| y.starts_with("20") && y.ends_with('-'))
            .and_then(|y| y[..4].parse::<usize>().ok());
        match (month, year) {
            (Some(m), _) => out.push_str(&format!("{}{}", MONTHS[(m + by) % 12], &line[3..])),
            (None, Some(y)) => out.push_str(&format!("{}{}", y + by, &line[4..])),
            _ => out.push_str(line),
        }
    }
    out.into_bytes()
}

#[test]
fn tar_of_a_hundred_thousand_tiny_entries() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("many.tar.gz");
    let entries = (0..100_000).map(|i| (format!("d{}/f{i}.txt", i % 100), format!("{i}\n").into_bytes()));
    tgz_file(
        &path,
        entries.chain([("var/log/messages".to_string(), sample_copy("samples/logs/sftunnel-misc/messages", "many"))]),
    );
    let doc = run_beside_reference(&path, "100,000 entries");
    let (status, msg) = status_line(&doc, &path);
    assert_eq!((status.as_str(), msg.as_str()), ("ok", "100001 entries, 100000 not in a format tlstriage reads"));
    // The one log after them is still read: its seven findings come out.
    assert_eq!(counts_from(&doc, &path).len(), 7);
}

#[test]
fn archives_nested_ten_deep() {
    let tmp = tempfile::tempdir().unwrap();
    // Level 10 (innermost) holds a log; each level holds the next one and, at level 1, a log too.
    let mut inner: Option<PathBuf> = None;
    for level in (1..=10).rev() {
        let path = tmp.path().join(format!("level{level}.tar.gz"));
        let mut entries = Vec::new();
        if let Some(prev) = inner.take() {
            entries.push((prev.file_name().unwrap().to_str().unwrap().to_string(), std::fs::read(&prev).unwrap()));
        }
        let log =
            if level == 1 { "samples/logs/sftunnel-misc/messages" } else { "samples/logs/fmc-expired-ca/messages" };
        entries.push((format!("l{level}/messages"), sample_copy(log, &format!("level {level}"))));
        tgz_file(&path, entries);
        inner = Some(path);
    }
    let top = inner.unwrap();
    let doc = run_beside_reference(&top, "nested ten deep");
    let (status, msg) = status_line(&doc, &top);
    assert_eq!(status, "partial", "{msg}");
    assert!(msg.ends_with("archive nested deeper than 8 levels; not opened (limit max_depth)"), "{msg}");
    let deepest = doc["inputs"].as_array().unwrap().iter().find(|i| i["status"] == "error").unwrap();
    assert_eq!(deepest["path"].as_str().unwrap().matches("!/").count(), 8, "{deepest}");
    let mut kinds = counts_from(&doc, &top);
    kinds.sort();
    // Level 1's log gives its seven; levels 2 to 8 repeat the FMC log, whose two findings count
    // once per level read (7 levels, so 14 and 7).
    assert_eq!(
        kinds,
        [
            ("cipher-mismatch", 1),
            ("connection-refused", 1),
            ("expired-cert", 1),
            ("not-yet-valid", 1),
            ("peer-rejected-certificate", 7),
            ("peer-rejected-certificate", 14),
            ("protocol-mismatch", 1),
            ("self-signed", 1),
            ("unknown-ca", 1),
        ]
    );
}

const LONG: u64 = 200 << 20;
const LONG_NOTE: &str = "1 line longer than 8192 bytes, only the start was read";
const PUSH_ROWS: &str = "c8d5d5c6-87c9-11ef-a993-b9831565bc4e BSNS-1120-1 10.48.67.54 /etc/sf/ca_root/cacert.pem /var/sf/peers/cdb123c8-4347-11ef-aca1-f3aa241412a1/cacert.pem\n6bf1143a-8a2e-11ef-92d8-fd927e807d77 EMEA-FPR3110-08 10.48.189.37 /etc/sf/ca_root/cacert.pem /var/sf/peers/cdb123c8-4347-11ef-aca1-f3aa241412a1/cacert.pem\n";

/// The three log shapes: file name, valid content, and how a line of that shape starts.
fn log_shapes() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    vec![
        // At other times than the reference's copies, whose lines would be counted instead.
        (
            "messages",
            moved(&sample("samples/logs/sftunnel-misc/messages"), 1),
            "Mar 14 06:00:05 ftd-lab-03 SF-IMS[3120]: [4310] sftunneld:sf_ssl [INFO] ",
        ),
        (
            "tls_proxy.log",
            moved(&sample("samples/logs/tls-proxy/tls_proxy.log"), 1),
            "2015-06-11 09:14:03,771 INFO TLS_Proxy - ",
        ),
        (
            "FAILED_PUSH",
            PUSH_ROWS.as_bytes().to_vec(),
            "c8d5d5c6-87c9-11ef-a993-b9831565bc4e BSNS-1120-1 10.48.67.54 /",
        ),
    ]
}

/// Kind, peer and count of the findings as far as the file `path` reports them.
fn own_findings(doc: &serde_json::Value, path: &Path) -> Vec<String> {
    let p = path.display().to_string();
    let mut out: Vec<String> =
        per_source(doc, |s| s == p).iter().map(|(k, peer, n)| format!("{k} {peer} {n}")).collect();
    out.sort();
    out
}

/// A 200 MB line in the middle of valid lines: the lines around it still give their findings.
#[test]
fn a_200_mb_line_among_valid_lines() {
    for (name, valid, prefix) in log_shapes() {
        let tmp = tempfile::tempdir().unwrap();
        let plain = tmp.path().join("plain").join(name);
        std::fs::create_dir_all(plain.parent().unwrap()).unwrap();
        std::fs::write(&plain, &valid).unwrap();
        let alone = serde_json::json!({ "findings": findings_json(&run_lib(std::slice::from_ref(&plain))) });
        let expected = own_findings(&alone, &plain);
        assert!(!expected.is_empty(), "{name}");
        let path = tmp.path().join("long").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        // Insert it before the last line in the first half that starts a new record (not inside
        // a message wrapped across lines).
        let half = valid.len() / 2;
        let starts = |at: usize| valid[at..].starts_with(&prefix.as_bytes()[..4]);
        let cut = (1..half).rev().find(|&i| valid[i - 1] == b'\n' && starts(i)).unwrap_or(0);
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        f.write_all(&valid[..cut]).unwrap();
        f.write_all(prefix.as_bytes()).unwrap();
        long_body(&mut f, LONG);
        f.write_all(b"\n").unwrap();
        f.write_all(&valid[cut..]).unwrap();
        drop(f);
        let doc = run_beside_reference(&path, &format!("{name} with a 200 MB line among valid lines"));
        let (status, msg) = status_line(&doc, &path);
        let says = match name {
            "FAILED_PUSH" => ("partial", "line 1: row longer than 4096 bytes, not read".to_string()),
            _ => ("ok", LONG_NOTE.to_string()),
        };
        assert_eq!((status.as_str(), msg), says, "{name}");
        assert_eq!(own_findings(&doc, &path), expected, "{name}");
    }
}

/// A file that is one 200 MB line without a newline.
#[test]
fn a_200_mb_line_without_newline() {
    for (name, _, prefix) in log_shapes() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(name);
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        f.write_all(prefix.as_bytes()).unwrap();
        long_body(&mut f, LONG);
        drop(f);
        let doc = run_beside_reference(&path, &format!("{name}: one 200 MB line without newline"));
        let (status, msg) = status_line(&doc, &path);
        let says = match name {
            "FAILED_PUSH" => {
                "no complete FAILED_PUSH row found; line 1: row longer than 4096 bytes, not read".to_string()
            }
            _ => format!("line 1, the last, has no line end: the file looks cut off there; {LONG_NOTE}"),
        };
        assert_eq!((status.as_str(), msg), ("partial", says), "{name}");
        assert!(own_findings(&doc, &path).is_empty(), "{name}");
    }
}
