//! A case folder built in a temporary directory the way a case grows: sample files copied in,
//! files written beside them, then analysed as one folder.

use std::path::PathBuf;

use serde_json::Value;

use super::{analyze_json, finding_lines, repo};

/// A case folder in a temporary directory.
pub struct Case {
    pub dir: tempfile::TempDir,
}

impl Case {
    pub fn new() -> Self {
        Case { dir: tempfile::tempdir().unwrap() }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// A case holding one file of the repository, copied to `rel`.
    pub fn holding(from: &str, rel: &str) -> Self {
        let case = Case::new();
        case.copy(from, rel);
        case
    }

    /// Copy a file of the repository (`samples/...`) to `rel` in the case.
    pub fn copy(&self, from: &str, rel: &str) -> &Self {
        self.write(rel, &std::fs::read(repo(from)).unwrap())
    }

    /// Write `data` at `rel`, making its folders.
    pub fn write(&self, rel: &str, data: &[u8]) -> &Self {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, data).unwrap();
        self
    }

    /// `analyze --format json` of the whole case folder.
    pub fn analyze(&self) -> (i32, Value) {
        analyze_json(&[self.dir.path().to_str().unwrap()], &[])
    }

    /// The findings as [`finding_lines`], with the case folder's path written as `CASE`.
    pub fn lines(&self, v: &Value) -> Vec<String> {
        let root = self.dir.path().display().to_string();
        finding_lines(v).into_iter().map(|l| l.replace(&root, "CASE")).collect()
    }
}

/// `name state` of every system of a `--format json` document.
pub fn heads(v: &Value) -> Vec<String> {
    let all = v["systems"].as_array().unwrap();
    all.iter().map(|s| format!("{} {}", s["id"].as_str().unwrap(), s["state"].as_str().unwrap())).collect()
}
