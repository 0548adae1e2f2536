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

/// The members of a sample archive (`samples/bundles/fmc-hq-01.tar.gz`), files only, in order.
pub fn members(rel: &str) -> Vec<(String, Vec<u8>)> {
    let gz = flate2::read::GzDecoder::new(std::io::Cursor::new(sample(rel)));
    let mut tar = tar::Archive::new(gz);
    let mut out = Vec::new();
    for e in tar.entries().unwrap() {
        let mut e = e.unwrap();
        if e.header().entry_type().is_file() {
            let path = e.path().unwrap().display().to_string();
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut e, &mut data).unwrap();
            out.push((path, data));
        }
    }
    out
}

/// One member of a sample archive.
pub fn member(rel: &str, path: &str) -> Vec<u8> {
    members(rel).into_iter().find(|(p, _)| p == path).unwrap_or_else(|| panic!("{path} not in {rel}")).1
}
