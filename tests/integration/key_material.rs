//! No private key reaches a report: for every reader that takes text as evidence, a real PEM key
//! (made here) placed where that reader takes the line leaves no header and no base64 line in any
//! output format, and the findings stay those of the same input without the key.

use std::path::Path;

use crate::common::{kinds, members, run, sample};

const FORMATS: [&str; 7] = ["json", "jsonl", "html", "markdown", "table", "sarif", "junit"];

/// A fresh private key: its PEM text and the base64 lines of its body.
struct Key {
    pem: String,
    body: Vec<String>,
}

fn key() -> Key {
    let pem = rcgen::KeyPair::generate().expect("key").serialize_pem();
    let body: Vec<String> = pem.lines().filter(|l| !l.starts_with("-----")).map(str::to_string).collect();
    assert!(body.len() >= 2 && pem.starts_with("-----BEGIN PRIVATE KEY-----"), "{pem}");
    Key { pem, body }
}

fn analyze(format: &str, path: &Path) -> String {
    let p = path.to_str().unwrap();
    let r = run(&["analyze", "--format", format, "--year", "2026", "--now", "2026-11-23", p]);
    assert!(r.stdout.len() > 100, "{format} wrote nothing: {}", r.stderr);
    assert!(!r.stderr.contains("PRIVATE KEY"), "{format}: {}", r.stderr);
    r.stdout
}

fn sorted_kinds(path: &Path) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(&analyze("json", path)).expect("JSON");
    let mut k: Vec<String> = kinds(&v).into_iter().map(str::to_string).collect();
    k.sort();
    k
}

/// `clean` and `keyed` are the same input without and with the key: every format of `keyed` is
/// free of it and its findings are `clean`'s (at least one).
fn assert_removed(clean: &Path, keyed: &Path, key: &Key) {
    let expected = sorted_kinds(clean);
    assert!(!expected.is_empty(), "no finding in {}", clean.display());
    assert_eq!(sorted_kinds(keyed), expected, "the key changed the findings of {}", keyed.display());
    for format in FORMATS {
        let out = analyze(format, keyed);
        assert!(!out.contains("BEGIN PRIVATE KEY"), "{format}: the header is shown for {}", keyed.display());
        for line in &key.body {
            assert!(!out.contains(line.as_str()), "{format}: a key line is shown for {}:\n{out}", keyed.display());
        }
    }
}

/// `text` with `add` put after every line containing `at` (`add` ends its own line or not).
fn after_lines(text: &str, at: &str, add: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        out.push_str(line);
        if line.contains(at) {
            out.push_str(add);
        }
        out.push('\n');
    }
    assert_ne!(out.trim_end(), text.trim_end(), "{at} is not in the input");
    out
}

/// Writes `text` as `name` in a fresh folder of `dir`, returns its path.
fn put(dir: &Path, folder: &str, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(folder).join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

/// A text reader's sample, and the same with the key placed by `place`.
fn case(sample_path: &str, name: &str, place: impl Fn(&str, &Key) -> String) {
    let key = key();
    let dir = tempfile::tempdir().unwrap();
    let text = String::from_utf8(sample(sample_path)).unwrap();
    let clean = put(dir.path(), "clean", name, &text);
    let keyed = put(dir.path(), "keyed", name, &place(&text, &key));
    assert_removed(&clean, &keyed, &key);
}

#[test]
fn syslog_lines_carrying_a_key_escaped_by_rsyslog() {
    case("samples/logs/ftd-expired-ca/messages", "messages", |t, k| {
        after_lines(t, "SSL handshake failed", &format!(" {}", k.pem.trim_end().replace('\n', "#012")))
    });
}

/// The key's base64 with no header or footer: its lines joined by `sep`.
fn bare(k: &Key, sep: &str) -> String {
    k.body.join(sep)
}

#[test]
fn syslog_lines_carrying_a_bare_key_with_no_header() {
    case("samples/logs/ftd-expired-ca/messages", "messages", |t, k| {
        after_lines(t, "certificate has expired", &format!(" {}", bare(k, "")))
    });
}

#[test]
fn tls_proxy_entries_with_a_bare_key_as_wrapped_continuation_lines() {
    case("samples/logs/tls-proxy/tls_proxy.log", "tls_proxy.log", |t, k| {
        after_lines(t, "Certificate verification failure", &format!("\n{}", bare(k, "\n")))
    });
}

#[test]
fn tls_proxy_entries_with_the_key_as_wrapped_continuation_lines() {
    case("samples/logs/tls-proxy/tls_proxy.log", "tls_proxy.log", |t, k| {
        after_lines(t, "(code 18, depth 0)", &format!("\n{}", k.pem.trim_end()))
    });
}

#[test]
fn pasted_excerpts_with_the_key_on_the_entry_line() {
    case("samples/field/mail-tls-proxy.txt", "mail.txt", |t, k| {
        after_lines(t, "(code 10, depth 0)", &format!(" {}", k.pem.trim_end().replace('\n', " ")))
    });
}

#[test]
fn status_output_with_the_key_on_a_status_line() {
    case("samples/field/sftunnel-status-down.txt", "sftunnel-status.txt", |t, k| {
        after_lines(t, "Last disconnect reason", &format!(" {}", k.pem.trim_end().replace('\n', " ")))
    });
}

#[test]
fn openssl_output_with_the_key_on_the_verify_line() {
    case("samples/openssl/ftd-lab-09-checks.txt", "checks.txt", |t, k| {
        after_lines(t, "verify error:num=10", &format!(" {}", k.pem.trim_end().replace('\n', " ")))
    });
}

/// The FMC bundle unpacked as an appliance root; with a key, the member whose path ends with `file`
/// is followed by a copy of each of its lines carrying the key, then the PEM as lines of its own.
fn appliance_root(dir: &Path, key: Option<(&str, &Key)>) -> std::path::PathBuf {
    let root = dir.join(if key.is_some() { "keyed" } else { "clean" });
    let mut placed = false;
    for (path, mut data) in members("samples/bundles/fmc-hq-01.tar.gz") {
        let Some(rest) = path.strip_prefix("results-fmc-hq-01/dir-archives/") else { continue };
        let (first, tail) = rest.split_once('/').unwrap();
        let rel = format!("{}/{tail}", first.replace('-', "/"));
        if let Some((_, k)) = key.filter(|(file, _)| rel.ends_with(file)) {
            let joined = k.pem.trim_end().replace('\n', " ");
            let text = String::from_utf8(data).unwrap();
            let mut keyed = text.clone();
            keyed.extend(text.lines().map(|l| format!("{l} {joined}\n")));
            keyed.push_str(&k.pem);
            data = keyed.into_bytes();
            placed = true;
        }
        let path = root.join(&rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, data).unwrap();
    }
    assert!(placed || key.is_none(), "no {:?} in the bundle", key.map(|k| k.0));
    root
}

fn appliance_case(file: &str) {
    let key = key();
    let dir = tempfile::tempdir().unwrap();
    let clean = appliance_root(dir.path(), None);
    let keyed = appliance_root(dir.path(), Some((file, &key)));
    assert_removed(&clean, &keyed, &key);
}

#[test]
fn failed_push_lists_carrying_a_key() {
    appliance_case("/FAILED_PUSH");
}

#[test]
fn conf_files_carrying_a_key() {
    appliance_case("etc/sf/ims.conf");
}
