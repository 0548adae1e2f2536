//! Walk the paths given on the command line: files as they are, directories recursively, in a
//! stable (sorted) order.

use std::fs;
use std::path::{Path, PathBuf};

/// A file to read, or a path that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Discovered {
    File(PathBuf),
    Error { path: PathBuf, message: String },
}

/// Expand `paths` into files. Directories are walked recursively; symbolic links to directories
/// are not followed (bundles contain link loops).
pub fn discover(paths: &[PathBuf]) -> Vec<Discovered> {
    let mut out = Vec::new();
    for p in paths {
        walk(p, true, &mut out);
    }
    out
}

fn walk(path: &Path, top: bool, out: &mut Vec<Discovered>) {
    let meta = if top { fs::metadata(path) } else { fs::symlink_metadata(path) };
    let meta = match meta {
        Ok(m) => m,
        Err(e) => {
            out.push(Discovered::Error { path: path.to_path_buf(), message: e.to_string() });
            return;
        }
    };
    if meta.is_file() {
        out.push(Discovered::File(path.to_path_buf()));
    } else if meta.is_dir() {
        let entries = match fs::read_dir(path) {
            Ok(rd) => rd,
            Err(e) => {
                out.push(Discovered::Error { path: path.to_path_buf(), message: e.to_string() });
                return;
            }
        };
        let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        children.sort();
        for c in children {
            walk(&c, false, out);
        }
    }
    // Other kinds (sockets, links below the top level, devices) are left alone.
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_directories_in_sorted_order_and_reports_missing_paths() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("b")).unwrap();
        fs::write(dir.path().join("b/2.log"), "x").unwrap();
        fs::write(dir.path().join("a.log"), "x").unwrap();
        let missing = dir.path().join("missing");
        let got = discover(&[dir.path().to_path_buf(), missing.clone()]);
        assert_eq!(got.len(), 3);
        assert_eq!(got[0], Discovered::File(dir.path().join("a.log")));
        assert_eq!(got[1], Discovered::File(dir.path().join("b/2.log")));
        assert!(matches!(&got[2], Discovered::Error { path, .. } if *path == missing));
    }
}
