//! Walk the paths given on the command line: files as they are, directories recursively, in a
//! stable (sorted) order. A file reached twice (a folder and a file in it, a symbolic link to a
//! file already listed) is listed once, its later places as [`Discovered::Same`].
//!
//! Symbolic links inside folders are followed; a folder reached a second time (a link loop, as
//! bundles have, or a second link to it) is not walked again and gets a status line saying so.
//! Anything that is not a regular file or a folder is passed on as a file: opening it tells what
//! it is and gives its status line, so no path is dropped silently.

use std::collections::HashMap;
use std::collections::HashSet;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// A file to read, or a path that could not be read, or one left out on purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Discovered {
    File(PathBuf),
    Error {
        path: PathBuf,
        message: String,
    },
    /// Not read, and why (a link to a folder already walked).
    Skipped {
        path: PathBuf,
        message: String,
    },
    /// `path` is the file already listed as `first` (the same canonical path).
    Same {
        path: PathBuf,
        first: PathBuf,
    },
}

/// Expand `paths` into files. Directories are walked recursively, each one once.
pub fn discover(paths: &[PathBuf]) -> Vec<Discovered> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for p in paths {
        walk(p, &mut seen, &mut out);
    }
    let mut first: HashMap<PathBuf, PathBuf> = HashMap::new();
    let mut found = Vec::with_capacity(out.len());
    for (mut d, canonical) in out {
        if let Discovered::File(path) = &d {
            if let Some(canonical) = canonical.or_else(|| fs::canonicalize(path).ok()) {
                match first.get(&canonical) {
                    Some(f) => d = Discovered::Same { path: path.clone(), first: f.clone() },
                    None => {
                        first.insert(canonical, path.clone());
                    }
                }
            }
        }
        found.push(d);
    }
    found
}

/// What the walk found, with the canonical path of a file when it is known without asking the
/// file system (a regular file listed in a folder whose own canonical path is known).
type Found = (Discovered, Option<PathBuf>);

/// Whether `path` is `-`: standard input, read by the caller.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

fn walk(path: &Path, seen: &mut HashSet<(u64, u64)>, out: &mut Vec<Found>) {
    if is_stdin(path) {
        return out.push((Discovered::File(path.to_path_buf()), None));
    }
    let error = |message: String| (Discovered::Error { path: path.to_path_buf(), message }, None);
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) if is_link => {
            return out.push(error(format!(
                "a symbolic link whose target cannot be read: {}",
                crate::util::os_error::words(&e)
            )))
        }
        Err(e) => return out.push(error(crate::util::os_error::words(&e))),
    };
    if !meta.is_dir() {
        return out.push((Discovered::File(path.to_path_buf()), None));
    }
    if !seen.insert((meta.dev(), meta.ino())) {
        let message =
            "a folder already read through another path (a symbolic link loop or a second link); not read again";
        return out.push((Discovered::Skipped { path: path.to_path_buf(), message: message.into() }, None));
    }
    let entries = match fs::read_dir(path) {
        Ok(rd) => rd,
        Err(e) => return out.push(error(crate::util::os_error::words(&e))),
    };
    // A regular file of a folder (not a link: the entry's type comes with the listing) is a file
    // without asking again, and its canonical path is the folder's joined with its name; one
    // `realpath` per folder instead of one per file.
    let canonical = fs::canonicalize(path).ok();
    let mut children: Vec<(PathBuf, bool)> =
        entries.filter_map(|e| e.ok().map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_file())))).collect();
    children.sort();
    for (c, regular) in children {
        match (&canonical, regular, c.file_name()) {
            (Some(dir), true, Some(name)) => {
                let canonical = dir.join(name);
                out.push((Discovered::File(c), Some(canonical)));
            }
            _ => walk(&c, seen, out),
        }
    }
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

    #[test]
    fn links_are_followed_once_and_other_kinds_kept() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir(d.join("sub")).unwrap();
        fs::write(d.join("sub/x.log"), "x").unwrap();
        std::os::unix::fs::symlink(d.join("sub"), d.join("sub/loop")).unwrap();
        std::os::unix::fs::symlink(d.join("sub/x.log"), d.join("y.log")).unwrap();
        std::os::unix::fs::symlink(d.join("gone"), d.join("z.log")).unwrap();
        let got = discover(&[d.to_path_buf()]);
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!(got[1], Discovered::File(d.join("sub/x.log")));
        assert!(
            matches!(&got[0], Discovered::Skipped { path, message } if *path == d.join("sub/loop") && message.contains("loop"))
        );
        // The link reaches the file already listed.
        assert_eq!(got[2], Discovered::Same { path: d.join("y.log"), first: d.join("sub/x.log") });
        assert!(
            matches!(&got[3], Discovered::Error { path, message } if *path == d.join("z.log") && message.starts_with("a symbolic link whose target"))
        );
    }

    #[test]
    fn a_file_reached_twice_is_listed_once() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("messages");
        fs::write(&file, "x").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        let got = discover(&[dir.path().to_path_buf(), file.clone(), link.clone()]);
        // The link inside the folder (listed first, in sorted order) reaches the same file; so do
        // both paths given by name.
        assert_eq!(
            got,
            vec![
                Discovered::File(link.clone()),
                Discovered::Same { path: file.clone(), first: link.clone() },
                Discovered::Same { path: file, first: link.clone() },
                Discovered::Same { path: link.clone(), first: link },
            ]
        );
    }
}
