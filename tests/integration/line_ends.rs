//! Line ends as texts really come: every text reader reads a sample whose lines end in a carriage
//! return alone (an old editor's), or in a mix of `\r`, `\n` and `\r\n`, as it reads the original:
//! the same findings, the same format and status.

use std::io::Read;
use std::path::Path;

use serde_json::Value;

use crate::common::{analyze_json, finding_lines, repo, tgz};

/// `text` with every line end replaced: `\r` alone, or `\r`, `\n` and `\r\n` in turn.
fn convert(text: &[u8], mixed: bool) -> Vec<u8> {
    let ends: &[&[u8]] = if mixed { &[b"\r", b"\n", b"\r\n"] } else { &[b"\r"] };
    let mut out = Vec::with_capacity(text.len());
    let mut lines = text.split(|&b| b == b'\n').peekable();
    let mut i = 0;
    while let Some(line) = lines.next() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        out.extend_from_slice(line);
        if lines.peek().is_some() {
            out.extend_from_slice(ends[i % ends.len()]);
            i += 1;
        }
    }
    out
}

/// `(format, status)` of every input, by path under `root`.
fn formats(v: &Value, root: &Path) -> Vec<(String, String, String)> {
    let root = root.display().to_string();
    v["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let path = i["path"].as_str().unwrap().replace(&root, "");
            (path, i["format"].as_str().unwrap().into(), i["status"].as_str().unwrap().into())
        })
        .collect()
}

fn run(path: &Path, dir: &Path) -> (Vec<String>, Vec<(String, String, String)>) {
    let (_, v) = analyze_json(&[path.to_str().unwrap()], &[]);
    (finding_lines(&v), formats(&v, dir))
}

#[test]
fn each_text_reader_reads_carriage_returns_alone_and_mixed_line_ends_like_line_feeds() {
    for (sample, format) in [
        ("samples/logs/ftd-expired-ca/messages", "syslog"),
        ("samples/logs/tls-proxy/tls_proxy.log", "tls-proxy-log"),
        ("samples/field/case-note-weak-digest.txt", "excerpt"),
        ("samples/field/journal-post-handshake-auth.txt", "excerpt"),
        ("samples/field/sftunnel-status-down.txt", "tunnel-status"),
        ("samples/openssl/ftd-lab-09-checks.txt", "openssl"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let name = Path::new(sample).file_name().unwrap();
        let original = std::fs::read(repo(sample)).unwrap();
        let plain = dir.path().join("lf").join(name);
        std::fs::create_dir_all(plain.parent().unwrap()).unwrap();
        std::fs::write(&plain, &original).unwrap();
        let (findings, inputs) = run(&plain, &dir.path().join("lf"));
        assert!(!findings.is_empty(), "{sample}");
        assert_eq!(inputs[0].1, format, "{sample}");
        for mixed in [false, true] {
            let to = dir.path().join(if mixed { "mixed" } else { "cr" }).join(name);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            let text = convert(&original, mixed);
            assert!(!mixed || text.windows(2).any(|w| w == b"\r\n"));
            assert!(mixed || !text.contains(&b'\n'));
            std::fs::write(&to, &text).unwrap();
            let parent = to.parent().unwrap().to_path_buf();
            assert_eq!(run(&to, &parent), (findings.clone(), inputs.clone()), "{sample}, mixed: {mixed}");
        }
    }
}

/// The members of a bundle, as `(path, bytes)`.
fn members(bundle: &str) -> Vec<(String, Vec<u8>)> {
    let gz = flate2::read::GzDecoder::new(std::fs::File::open(repo(bundle)).unwrap());
    let mut tar = tar::Archive::new(gz);
    let mut out = Vec::new();
    for e in tar.entries().unwrap() {
        let mut e = e.unwrap();
        if !e.header().entry_type().is_file() {
            continue;
        }
        let path = e.path().unwrap().display().to_string();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        out.push((path, data));
    }
    out
}

/// The configuration, certificate and FAILED_PUSH readers, in the bundles: every text member
/// (no NUL byte, not gzip) converted gives what the bundle gives.
#[test]
fn bundle_members_with_carriage_returns_alone_read_as_the_originals() {
    let mut seen: Vec<String> = Vec::new();
    for bundle in ["samples/bundles/fmc-hq-01.tar.gz", "samples/bundles/ftd-branch-07.tar.gz"] {
        let dir = tempfile::tempdir().unwrap();
        let all = members(bundle);
        let pack = |name: &str, mixed: Option<bool>| {
            let entries: Vec<(&str, Vec<u8>)> = all
                .iter()
                .map(|(p, d)| {
                    let text = !d.contains(&0) && !d.starts_with(&[0x1f, 0x8b]);
                    let data = match mixed {
                        Some(m) if text => convert(d, m),
                        _ => d.clone(),
                    };
                    (p.as_str(), data)
                })
                .collect();
            let path = dir.path().join(name).join("bundle.tar.gz");
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, tgz(&entries)).unwrap();
            let parent = path.parent().unwrap().to_path_buf();
            run(&path, &parent)
        };
        let (findings, inputs) = pack("lf", None);
        assert!(!findings.is_empty(), "{bundle}");
        seen.extend(inputs.iter().map(|i| i.1.clone()));
        for mixed in [false, true] {
            assert_eq!(
                pack(if mixed { "mixed" } else { "cr" }, Some(mixed)),
                (findings.clone(), inputs.clone()),
                "{bundle}, mixed: {mixed}"
            );
        }
    }
    for format in ["pem", "sftunnel-conf", "ims-conf", "peer-json", "failed-push", "syslog"] {
        assert!(seen.iter().any(|s| s == format), "the bundles hold no {format}");
    }
}
