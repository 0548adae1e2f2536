//! Following one log file as a logger writes it (as `tail -F` does): what was appended since
//! the last look, in complete lines, across rotation and truncation.
//!
//! - **Rotation** (the file renamed away, a new one created at the name; logrotate's default):
//!   the name now leads to another file (device and inode). The old file is read to its end
//!   first (a logger may still write into it until it reopens), then the new one from its start.
//! - **Truncation** (logrotate's `copytruncate`, `> messages`): the open file is shorter than what
//!   was read, or (written again past that length between two looks) no longer holds the last
//!   bytes read where they were. It is read again from its start.
//! - **Missing** (between the rename and the new file, or before the log exists): the open file
//!   is still read; a file that appears at the name is read from its start.
//!
//! Memory is bounded: one read buffer of at most [`READ`] bytes and the start of a line whose
//! end has not been written yet, of at most [`MAX_LINE`] bytes (the rest of a longer line is
//! passed over up to its end). Only regular files are opened (a FIFO or device at the name is
//! reported, never read).

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// What is read at a time.
pub const READ: usize = 256 << 10;
/// A line keeps at most this many bytes (the syslog reader looks at far fewer).
pub const MAX_LINE: usize = 64 << 10;
/// The last bytes read, kept to tell a file truncated and written again from one that grew.
const MARK: usize = 64;

/// What one look at the file found.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// Complete lines (each ending with `\n`) were appended to the caller's buffer.
    Lines,
    /// A new file is read from its start from now on (rotation, truncation, or the file
    /// appeared). A last line the old file left without its line end was appended to the
    /// caller's buffer first: it belongs to the old file.
    Reopened(Why),
    /// Nothing more for now.
    Idle,
}

/// Why the file is read from its start again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    /// The name leads to another file (the old one was renamed away).
    Rotated,
    /// The file became shorter than what had been read of it.
    Truncated,
    /// A file appeared at a name that had none.
    Appeared,
}

impl Why {
    pub fn as_str(self) -> &'static str {
        match self {
            Why::Rotated => "rotated",
            Why::Truncated => "truncated",
            Why::Appeared => "appeared",
        }
    }
}

/// One followed file.
pub struct Follow {
    path: PathBuf,
    file: Option<File>,
    /// Device and inode of the open file.
    id: (u64, u64),
    /// Bytes of the open file read so far.
    pos: u64,
    /// The start of a line whose end has not been read yet.
    partial: Vec<u8>,
    /// The line being read is longer than [`MAX_LINE`]: pass over the rest of it.
    skipping: bool,
    buf: Vec<u8>,
    /// The last bytes read (up to [`MARK`]), which end at `pos`.
    mark: Vec<u8>,
    /// Why the name cannot be read, when it cannot (said once per change).
    pub problem: Option<String>,
}

impl Follow {
    /// Follow `path`: from its start when `from_start`, else from its current end (only what is
    /// written from now on).
    pub fn new(path: &Path, from_start: bool) -> Self {
        let mut f = Follow {
            path: path.to_path_buf(),
            file: None,
            id: (0, 0),
            pos: 0,
            partial: Vec::new(),
            skipping: false,
            buf: Vec::new(),
            mark: Vec::new(),
            problem: None,
        };
        if let Some((file, id, len)) = f.open() {
            f.file = Some(file);
            f.id = id;
            f.pos = if from_start { 0 } else { len };
            if let Some(file) = f.file.as_ref() {
                f.mark = mark_at(file, f.pos);
            }
        }
        f
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether a file is open (else the name is waited for).
    pub fn is_open(&self) -> bool {
        self.file.is_some()
    }

    /// The file at the name, when it is a regular file that can be opened, with its device and
    /// inode and its length.
    fn open(&mut self) -> Option<(File, (u64, u64), u64)> {
        match crate::input::open_regular(&self.path) {
            Ok(file) => {
                let m = file.metadata().ok()?;
                self.problem = None;
                Some((file, (m.dev(), m.ino()), m.len()))
            }
            Err(crate::input::OpenError::NotRegular(what)) => {
                self.problem = Some(format!("{what}: not followed"));
                None
            }
            Err(crate::input::OpenError::Io(e)) => {
                self.problem = (e.kind() != io::ErrorKind::NotFound).then(|| format!("cannot open: {e}"));
                None
            }
        }
    }

    /// Look once: append complete lines (at most about [`READ`] bytes of them) to `out`, or say
    /// that another file is read from now on, or that nothing more is there yet.
    pub fn step(&mut self, out: &mut Vec<u8>) -> io::Result<Step> {
        if self.file.is_none() {
            return Ok(match self.open() {
                Some((file, id, _)) => {
                    self.switch(file, id);
                    Step::Reopened(Why::Appeared)
                }
                None => Step::Idle,
            });
        }
        loop {
            let file = self.file.as_mut().expect("a file is open");
            let len = file.metadata()?.len();
            if len < self.pos || mark_at(file, self.pos) != self.mark {
                file.seek(SeekFrom::Start(0))?;
                self.pos = 0;
                self.mark.clear();
                self.partial.clear();
                self.skipping = false;
                return Ok(Step::Reopened(Why::Truncated));
            }
            if len == self.pos {
                break;
            }
            file.seek(SeekFrom::Start(self.pos))?;
            self.buf.clear();
            let n = file.take(READ as u64).read_to_end(&mut self.buf)?;
            self.pos += n as u64;
            self.mark.extend_from_slice(&self.buf[self.buf.len().saturating_sub(MARK)..]);
            let old = self.mark.len().saturating_sub(MARK);
            self.mark.drain(..old);
            let before = out.len();
            self.cut_lines(out);
            if out.len() > before {
                return Ok(Step::Lines);
            }
            if n == 0 {
                break;
            }
            // Bytes but no line end yet: read on (a long line), or stop at the end.
        }
        // At the end of the open file: has the name moved on to another file? The old file was
        // just read to its end, after the rename (a logger writes into it until it reopens).
        match std::fs::metadata(&self.path) {
            Ok(m) if (m.dev(), m.ino()) != self.id => match self.open() {
                Some((file, id, _)) => {
                    self.end_partial(out);
                    self.switch(file, id);
                    Ok(Step::Reopened(Why::Rotated))
                }
                None => Ok(Step::Idle),
            },
            _ => Ok(Step::Idle),
        }
    }

    fn switch(&mut self, file: File, id: (u64, u64)) {
        self.file = Some(file);
        self.id = id;
        self.pos = 0;
        self.mark.clear();
        self.partial.clear();
        self.skipping = false;
    }

    /// A last line of a file left behind without its line end counts as a line.
    fn end_partial(&mut self, out: &mut Vec<u8>) {
        if !self.partial.is_empty() {
            out.append(&mut self.partial);
            out.push(b'\n');
        }
        self.skipping = false;
    }

    /// Move the complete lines of what was just read (with the start kept from before) to
    /// `out`, keeping the start of an unfinished line, bounded by [`MAX_LINE`].
    fn cut_lines(&mut self, out: &mut Vec<u8>) {
        let mut rest: &[u8] = &self.buf;
        while let Some(end) = memchr::memchr(b'\n', rest) {
            let (line, after) = rest.split_at(end + 1);
            if self.skipping {
                self.skipping = false;
                out.append(&mut self.partial);
                out.push(b'\n');
            } else {
                let room = MAX_LINE.saturating_sub(self.partial.len());
                if line.len() - 1 > room {
                    out.append(&mut self.partial);
                    out.extend_from_slice(&line[..room]);
                    out.push(b'\n');
                } else {
                    out.append(&mut self.partial);
                    out.extend_from_slice(line);
                }
            }
            rest = after;
        }
        if !self.skipping {
            let room = MAX_LINE.saturating_sub(self.partial.len());
            if rest.len() > room {
                self.partial.extend_from_slice(&rest[..room]);
                self.skipping = true;
            } else {
                self.partial.extend_from_slice(rest);
            }
        }
    }
}

/// The bytes of `file` just before `pos` (up to [`MARK`] of them); empty when they cannot be read.
fn mark_at(file: &File, pos: u64) -> Vec<u8> {
    use std::os::unix::fs::FileExt;
    let n = pos.min(MARK as u64) as usize;
    let mut b = vec![0; n];
    match file.read_exact_at(&mut b, pos - n as u64) {
        Ok(()) => b,
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
#[path = "follow_tests.rs"]
mod tests;
