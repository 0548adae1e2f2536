//! Writing `plan -o DIR`: `devices.csv` (which the user fills with passwords) and `plan.txt`.
//!
//! A file is only ever created new (`O_CREAT|O_EXCL`, so a symbolic link planted at its name is
//! never followed), with mode 0600. An existing regular file is replaced only with `--force`
//! (removed first, then created new); a symbolic link, FIFO, device or folder at the name is
//! refused. Both names are checked before either file is written.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// What is at `path` when it is not a regular file, in words.
fn kind_of(t: fs::FileType) -> String {
    let what = crate::input::describe(t);
    if t.is_symlink() {
        format!("{what} (not followed)")
    } else {
        what.to_string()
    }
}

/// Whether `path` may be written: free, or a regular file and `force`.
fn check(path: &Path, force: bool) -> Result<(), String> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("{}: {e}", path.display())),
        Ok(m) if !m.file_type().is_file() => {
            Err(format!("{} is {}; refusing to write it", path.display(), kind_of(m.file_type())))
        }
        Ok(_) if !force => Err(format!("{} exists; use --force to replace it", path.display())),
        Ok(_) => Ok(()),
    }
}

/// Create `path` new with mode 0600 and write `text`; with `force`, an existing regular file is
/// removed first.
fn create(path: &Path, text: &str, force: bool) -> Result<(), String> {
    let fail = |e: io::Error| format!("cannot write {}: {e}", path.display());
    if force && fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file()) {
        fs::remove_file(path).map_err(fail)?;
    }
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .map_err(fail)?;
    f.write_all(text.as_bytes()).and_then(|_| f.sync_all()).map_err(fail)
}

/// Write each `(file name, text)` into `dir` (created when missing), refusing before writing
/// anything when one of the names is taken.
pub fn write_files(dir: &Path, files: &[(&str, String)], force: bool) -> Result<(), String> {
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (name, _) in files {
        check(&dir.join(name), force)?;
    }
    for (name, text) in files {
        create(&dir.join(name), text, force)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn new_files_are_private_and_existing_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let files = [("a.txt", "one".to_string())];
        write_files(dir.path(), &files, false).unwrap();
        let p = dir.path().join("a.txt");
        assert_eq!(fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
        let e = write_files(dir.path(), &[("a.txt", "two".to_string())], false).unwrap_err();
        assert!(e.ends_with("exists; use --force to replace it"), "{e}");
        assert_eq!(fs::read_to_string(&p).unwrap(), "one");
        write_files(dir.path(), &[("a.txt", "two".to_string())], true).unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "two");
    }

    #[test]
    fn links_and_fifos_are_refused_even_with_force() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        fs::write(&target, "keep").unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join("plan.txt")).unwrap();
        let e = write_files(dir.path(), &[("plan.txt", "x".into())], true).unwrap_err();
        assert!(e.contains("a symbolic link (not followed)"), "{e}");
        assert_eq!(fs::read_to_string(&target).unwrap(), "keep");
        let fifo = std::ffi::CString::new(dir.path().join("devices.csv").to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        let e = write_files(dir.path(), &[("devices.csv", "x".into())], true).unwrap_err();
        assert!(e.contains("a FIFO (named pipe)"), "{e}");
    }
}
