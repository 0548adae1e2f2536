//! Issue 24's attacks on the advice, each on a case folder built the way a case grows (a real
//! bundle plus what someone put beside it): a folder that forges an archive member's path, a
//! loose FAILED_PUSH, a loose `cacert.pem` with an `ims.conf`, and (in `fleet`) a second bundle
//! claiming the FMC's UUID with another CA.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{analyze_json, finding_lines, repo};

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

/// A member of a sample bundle, read with `tar`.
pub fn member(bundle: &str, path: &str) -> Vec<u8> {
    let gz = flate2::read::GzDecoder::new(std::fs::File::open(repo(bundle)).unwrap());
    let mut tar = tar::Archive::new(gz);
    for e in tar.entries().unwrap() {
        let mut e = e.unwrap();
        if e.path().unwrap() == Path::new(path) {
            let mut out = Vec::new();
            std::io::Read::read_to_end(&mut e, &mut out).unwrap();
            return out;
        }
    }
    panic!("{path} not in {bundle}")
}

const FMC_BUNDLE: &str = "samples/bundles/fmc-hq-01.tar.gz";
const PUSHED: &str = "results-fmc-hq-01/dir-archives/var-sf-peers/a7d20c4e-8b3f-11ee-9c41-6f2e81d05b19/certs_pushed";

#[test]
fn a_folder_named_like_the_bundle_cannot_replace_its_members() {
    let alone = Case::new();
    alone.copy(FMC_BUNDLE, "fmc-hq-01.tar.gz");
    let (_, before) = alone.analyze();
    // Beside the bundle, a folder literally named `fmc-hq-01.tar.gz!` holding the FMC's new CA
    // where the bundle holds the half-copied folder's old one.
    let forged = Case::new();
    forged.copy(FMC_BUNDLE, "fmc-hq-01.tar.gz");
    let new_ca = member(FMC_BUNDLE, "results-fmc-hq-01/dir-archives/etc/sf/ca_root/cacert.pem");
    forged.write(&format!("fmc-hq-01.tar.gz!/{PUSHED}/cacert.pem"), &new_ca);
    let (code, after) = forged.analyze();
    assert_eq!(code, 1);
    assert_eq!(forged.lines(&after), alone.lines(&before), "the bundle's findings stand as they are");
    let mismatch = crate::common::finding(&after, "ca-mismatch");
    assert_eq!(mismatch["severity"], "critical");
    let paths: Vec<&str> =
        mismatch["evidence"].as_array().unwrap().iter().map(|e| e["path"].as_str().unwrap()).collect();
    let root = forged.dir.path().display().to_string();
    assert_eq!(
        paths,
        [
            format!("{root}/fmc-hq-01.tar.gz!/{PUSHED}/sftunnel-cert.pem"),
            format!("{root}/fmc-hq-01.tar.gz!/{PUSHED}/cacert.pem")
        ]
    );
    // The folder's file is an input of its own, under a path no member can have.
    let shown = format!("{root}/fmc-hq-01.tar.gz!\\/{PUSHED}/cacert.pem");
    assert_eq!(crate::common::input(&after, &shown)["status"], "ok");
}
