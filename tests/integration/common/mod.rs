//! Helpers for the integration tests: run the binary from the repository root and read its JSON;
//! where the inputs are (`data`), lookups in a report (`doc`), certificates made here (`certs`).
#![allow(dead_code)]

use std::process::Command;

pub mod case;
pub mod certs;
pub mod data;
pub mod doc;
pub mod exposition;
pub mod flood;
pub mod hostile;
pub mod module_graph;
pub mod module_tree;
pub mod rust_tokens;
pub mod webdriver;
pub mod wire;

pub use data::{data, fixture, member, members, repo, sample};
pub use doc::{finding, input, kinds};

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Run `tlstriage ARGS` with the repository root as working directory.
pub fn run(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_tlstriage"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// [`run`] as `(exit code, stdout, stderr)`.
pub fn outcome(args: &[&str]) -> (i32, String, String) {
    let r = run(args);
    (r.code, r.stdout, r.stderr)
}

/// Run `analyze --format json` with a fixed year and date, and parse the document.
pub fn analyze_json(paths: &[&str], extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec!["analyze", "--format", "json", "--year", "2026", "--now", "2026-11-23"];
    args.extend_from_slice(extra);
    args.extend_from_slice(paths);
    let r = run(&args);
    let v = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", r.stdout, r.stderr));
    (r.code, v)
}

/// One line per finding: `kind severity device peer depth count remediation-id`.
pub fn finding_lines(v: &serde_json::Value) -> Vec<String> {
    let s = |x: &serde_json::Value| match x {
        serde_json::Value::Null => "-".to_string(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {} {} {} {}",
                s(&f["kind"]),
                s(&f["severity"]),
                s(&f["device"]),
                s(&f["peer"]),
                s(&f["depth"]),
                s(&f["count"]),
                s(&f["remediation"]["id"])
            )
        })
        .collect()
}

/// A gzip-compressed tar of `(path, bytes)` entries, every entry dated 2026-03-14.
pub fn tgz<D: AsRef<[u8]>>(entries: &[(&str, D)]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut b = tar::Builder::new(gz);
    for (path, data) in entries {
        let data = data.as_ref();
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_mtime(1_773_446_400); // 2026-03-14
        h.set_cksum();
        b.append_data(&mut h, path, data).unwrap();
    }
    b.into_inner().unwrap().finish().unwrap()
}
