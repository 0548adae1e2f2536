//! Writing a report into the file of `analyze -o FILE`: a regular file is replaced (as a
//! compiler or a downloader does with its output), but a symbolic link, FIFO, device or folder
//! at the name is refused and never followed.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Open `path` for the report and let `write` fill it (buffered); the message of the error
/// names the file.
pub fn write_with(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), String> {
    match fs::symlink_metadata(path) {
        Ok(m) if !m.file_type().is_file() => {
            return Err(format!("{} is not a regular file; refusing to write the report there", path.display()))
        }
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(format!("{}: {e}", path.display())),
        _ => {}
    }
    let fail = |e: io::Error| format!("cannot write {}: {e}", path.display());
    let f = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o644)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(fail)?;
    let mut out = io::BufWriter::new(f);
    write(&mut out).and_then(|_| out.flush()).map_err(fail)
}

/// Write `text` into `path` (see [`write_with`]).
pub fn write(path: &Path, text: &str) -> Result<(), String> {
    write_with(path, |w| w.write_all(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_files_and_refuses_links() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("report.html");
        write(&out, "one").expect("new file");
        write(&out, "two").expect("replaced");
        assert_eq!(fs::read_to_string(&out).expect("read"), "two");
        let target = dir.path().join("elsewhere");
        fs::write(&target, "keep").expect("write");
        let link = dir.path().join("link.html");
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        assert!(write(&link, "x").expect_err("a link").contains("not a regular file"));
        assert!(write(dir.path(), "x").is_err());
        assert_eq!(fs::read_to_string(&target).expect("read"), "keep");
    }
}
