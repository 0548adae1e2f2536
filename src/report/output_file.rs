//! Writing an output into the file of `-o FILE` (`analyze`, `check`): a regular file is
//! replaced at once — the output is written under a new name in the same folder and renamed
//! over it, so a reader (node_exporter's textfile collector, a browser reloading the page) sees
//! the old file or the new one, never half of one. A symbolic link, FIFO, device or folder at
//! the name is refused and never followed. A replaced file keeps its permission bits; a new
//! one gets 0644.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Open a new file beside `path` for the output and let `write` fill it (buffered), then rename
/// it over `path`; the message of the error names the file. Nothing is left behind on failure.
pub fn write_with(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), String> {
    let mode = match fs::symlink_metadata(path) {
        Ok(m) if !m.file_type().is_file() => {
            return Err(format!("{} is not a regular file; refusing to write there", path.display()))
        }
        Ok(m) => m.permissions().mode() & 0o7777,
        Err(e) if e.kind() == io::ErrorKind::NotFound => 0o644,
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let fail = |e: io::Error| format!("cannot write {}: {e}", path.display());
    let (tmp, f) = create_beside(path).map_err(fail)?;
    let written = fill(f, mode, write).and_then(|_| fs::rename(&tmp, path));
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written.map_err(fail)
}

/// Write `text` into `path` (see [`write_with`]).
pub fn write(path: &Path, text: &str) -> Result<(), String> {
    write_with(path, |w| w.write_all(text.as_bytes()))
}

/// Fill the new file, give it `mode` and make it durable before it takes the name.
fn fill(f: fs::File, mode: u32, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    f.set_permissions(fs::Permissions::from_mode(mode))?;
    let mut out = io::BufWriter::new(f);
    write(&mut out)?;
    let f = out.into_inner().map_err(io::IntoInnerError::into_error)?;
    f.sync_all()
}

/// A new file (never an existing one, never through a link) in the folder of `path`, named
/// after it.
fn create_beside(path: &Path) -> io::Result<(PathBuf, fs::File)> {
    let name = path.file_name().ok_or_else(|| io::Error::other("not a file name"))?;
    let mut last = None;
    for n in 0..16u32 {
        let tmp = path.with_file_name(format!(".{}.tlstriage-{}-{n}", name.to_string_lossy(), std::process::id()));
        match OpenOptions::new().write(true).create_new(true).mode(0o600).custom_flags(libc::O_NOFOLLOW).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free temporary name")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_files_and_refuses_links() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("report.html");
        write(&out, "one").expect("new file");
        assert_eq!(fs::metadata(&out).expect("meta").permissions().mode() & 0o777, 0o644);
        fs::set_permissions(&out, fs::Permissions::from_mode(0o600)).expect("chmod");
        write(&out, "two").expect("replaced");
        assert_eq!(fs::read_to_string(&out).expect("read"), "two");
        assert_eq!(fs::metadata(&out).expect("meta").permissions().mode() & 0o777, 0o600, "mode kept");
        let target = dir.path().join("elsewhere");
        fs::write(&target, "keep").expect("write");
        let link = dir.path().join("link.html");
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        assert!(write(&link, "x").expect_err("a link").contains("not a regular file"));
        assert!(write(dir.path(), "x").is_err());
        assert_eq!(fs::read_to_string(&target).expect("read"), "keep");
        let names: Vec<_> = fs::read_dir(dir.path()).expect("list").map(|e| e.expect("entry").file_name()).collect();
        assert_eq!(names.len(), 3, "no temporary file left: {names:?}");
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("metrics.prom");
        write(&out, "old").expect("new file");
        let err = write_with(&out, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        })
        .expect_err("the write fails");
        assert!(err.contains("cannot write") && err.contains("disk full"), "{err}");
        assert_eq!(fs::read_to_string(&out).expect("read"), "old");
        assert_eq!(fs::read_dir(dir.path()).expect("list").count(), 1);
    }
}
