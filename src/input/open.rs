//! Opening an input without ever blocking on it: a FIFO, a terminal or a device named on the
//! command line (or by `--ca`) would make a plain `open`/`read` wait forever for a writer. The
//! file is opened with `O_NONBLOCK` (which does not change reads of regular files), its type is
//! taken from the open descriptor (no race with a rename), and anything but a regular file is
//! refused with what it is.

use std::fs::{File, FileType, OpenOptions};
use std::io;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// Why an input was not opened.
#[derive(Debug)]
pub enum OpenError {
    /// Not a regular file: what it is, in words (`a FIFO (named pipe)`, ...).
    NotRegular(&'static str),
    Io(io::Error),
}

/// What a file type is, in words, when it is not a regular file or a folder.
pub fn describe(t: FileType) -> &'static str {
    if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_symlink() {
        "a symbolic link"
    } else if t.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

/// Open `path` for reading if it is a regular file (a symbolic link to one is followed).
pub fn open_regular(path: &Path) -> Result<File, OpenError> {
    let file = OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path).map_err(OpenError::Io)?;
    let t = file.metadata().map_err(OpenError::Io)?.file_type();
    if t.is_file() {
        Ok(file)
    } else {
        Err(OpenError::NotRegular(describe(t)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifos_and_devices_are_refused_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(matches!(open_regular(&fifo), Err(OpenError::NotRegular("a FIFO (named pipe)"))));
        assert!(matches!(open_regular(Path::new("/dev/null")), Err(OpenError::NotRegular("a character device"))));
        assert!(matches!(open_regular(dir.path()), Err(OpenError::NotRegular("a folder"))));
        let f = dir.path().join("f");
        std::fs::write(&f, "x").unwrap();
        assert!(open_regular(&f).is_ok());
    }
}
