//! Where the tests find their inputs: the repository's samples (by path from its root) and the
//! shared fixtures of `tests/data/`.

use std::path::{Path, PathBuf};

/// `rel` from the repository root (`samples/...`, `docs/...`).
pub fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// A shared fixture of `tests/data/` (e.g. `sarif-schema-2.1.0.json`).
pub fn data(name: &str) -> PathBuf {
    repo("tests/data").join(name)
}

/// The bytes of `rel` from the repository root.
pub fn sample(rel: &str) -> Vec<u8> {
    let path = repo(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The bytes of the shared fixture `tests/data/NAME`.
pub fn fixture(name: &str) -> Vec<u8> {
    sample(&format!("tests/data/{name}"))
}
