//! One input to read ([`Source`]) and what the sniffers see of it ([`Head`]).
//!
//! A source's bytes are either all in memory or a [`ByteStream`] read once, in pieces: the
//! readers of small formats ask for them whole ([`Source::whole`], bounded), the log and capture
//! readers take them as they come, so that a big file (and, later, a member streamed out of its
//! decompressor) is never held whole.

use std::borrow::Cow;
use std::io::{self, Read};
use std::sync::OnceLock;

use jiff::Timestamp;

use super::status::{ReadStatus, Status};

/// One input: where it is, and its bytes (whole in memory, or a stream read once).
pub struct Source<'a> {
    /// Display path; inside archives `outer.tar.gz!/dir/file`.
    pub path: String,
    pub data: Data<'a>,
    /// Modification time (of the file, or of the archive entry): anchors syslog years.
    pub mtime: Option<Timestamp>,
    /// How deep inside archives this source sits (0 for a plain file).
    pub depth: u32,
}

/// The bytes of a [`Source`].
pub enum Data<'a> {
    /// All of them in memory (a small file, an archive member, `analyze_bytes`).
    Bytes(&'a [u8]),
    /// A stream read once from the first byte to the last, in pieces (a file read in chunks; a
    /// member streamed out of its decompressor).
    Stream(&'a mut dyn ByteStream),
}

impl Data<'_> {
    /// The bytes as a reader: a slice of bytes in memory, or the stream.
    pub fn reader(&mut self) -> Box<dyn Read + '_> {
        match self {
            Data::Bytes(b) => Box::new(*b),
            Data::Stream(s) => Box::new(&mut **s),
        }
    }

    /// The bytes as a reader another thread may take for the time of the borrow, when they can
    /// cross threads (bytes in memory, a file; not a member borrowing its container's reader).
    pub fn sendable(&mut self) -> Option<Box<dyn Read + Send + '_>> {
        match self {
            Data::Bytes(b) => Some(Box::new(*b)),
            Data::Stream(s) => s.sendable(),
        }
    }
}

/// Bytes read in pieces, front to back, on the thread that calls the reader (a member streamed
/// out of its archive borrows the archive's reader, which no other thread may touch): readers
/// keep their stream on their own thread and hand only what they read to the pool.
pub trait ByteStream: Read {
    /// The length, when known before reading (a file's size; what it had when it was opened).
    fn len_hint(&self) -> Option<u64>;
    /// Start again from the first byte; `Ok(false)` when the stream cannot (a decompressor), and
    /// then nothing was changed.
    fn rewind(&mut self) -> io::Result<bool> {
        Ok(false)
    }
    /// The rest of the stream as a reader another thread may take for the time of the borrow;
    /// `None` when the stream must stay on its thread (the default), and then nothing was read.
    fn sendable(&mut self) -> Option<Box<dyn Read + Send + '_>> {
        None
    }
}

/// What a reader that needs all the bytes at once got: all of them, or the first `max`.
pub struct Whole<'a> {
    pub bytes: Cow<'a, [u8]>,
    /// The input is longer than `max`: only the first `max` bytes are here.
    pub cut: bool,
}

impl Whole<'_> {
    /// What the input's status says when the bytes were cut.
    pub fn cut_note(&self) -> Option<String> {
        self.cut.then(|| format!("only the first {} bytes were read (limit max_whole)", self.bytes.len()))
    }
}

impl<'a> Source<'a> {
    /// A plain input (depth 0, no modification time) named `path`, held in memory.
    pub fn new(path: impl Into<String>, data: &'a [u8]) -> Self {
        Source { path: path.into(), data: Data::Bytes(data), mtime: None, depth: 0 }
    }

    /// The bytes when they are held in memory.
    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.data {
            Data::Bytes(b) => Some(b),
            Data::Stream(_) => None,
        }
    }

    /// The length when known before reading.
    pub fn len_hint(&self) -> Option<u64> {
        match &self.data {
            Data::Bytes(b) => Some(b.len() as u64),
            Data::Stream(s) => s.len_hint(),
        }
    }

    /// All the bytes, or the first `max` of them (for readers of small formats that need them
    /// all at once); a stream is read into memory.
    pub fn whole(&mut self, max: u64) -> io::Result<Whole<'a>> {
        match &mut self.data {
            Data::Bytes(b) => {
                let b: &'a [u8] = b;
                let cut = b.len() as u64 > max;
                let end = if cut { max as usize } else { b.len() };
                Ok(Whole { bytes: Cow::Borrowed(&b[..end]), cut })
            }
            Data::Stream(s) => {
                let mut buf = Vec::with_capacity(s.len_hint().unwrap_or(0).min(max).min(1 << 20) as usize);
                Read::take(&mut **s, max).read_to_end(&mut buf)?;
                let cut = buf.len() as u64 == max && s.read(&mut [0u8])? == 1;
                Ok(Whole { bytes: Cow::Owned(buf), cut })
            }
        }
    }

    /// [`Source::whole`] for a reader that reads nothing but its whole input: a read error is
    /// the input's status.
    pub fn whole_or_status(&mut self, max: u64) -> Result<Whole<'a>, ReadStatus> {
        self.whole(max).map_err(|e| ReadStatus::new(Status::Error, format!("cannot read: {e}")))
    }
}

/// A stream over bytes that gives at most `step` of them per read (to cut lines and records
/// everywhere) and can start again: the readers' tests read a source as a stream with it.
#[cfg(test)]
pub(crate) struct Trickle<'a> {
    data: &'a [u8],
    pos: usize,
    step: usize,
}

#[cfg(test)]
impl<'a> Trickle<'a> {
    pub(crate) fn new(data: &'a [u8], step: usize) -> Self {
        Trickle { data, pos: 0, step: step.max(1) }
    }
}

#[cfg(test)]
impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.step).min(self.data.len() - self.pos);
        buf[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
impl ByteStream for Trickle<'_> {
    fn len_hint(&self) -> Option<u64> {
        Some(self.data.len() as u64)
    }
    fn rewind(&mut self) -> io::Result<bool> {
        self.pos = 0;
        Ok(true)
    }
}

/// What the first lines of a text look like to the log readers, which decides between formats
/// that share lines (a log against an excerpt of it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    Syslog,
    TlsProxy,
    FailedPush,
    /// An sftunneld or TLS proxy message outside its log's own line format.
    Excerpt,
}

/// How many of the first [`Head::COUNTED`] lines are of each [`LineKind`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LineCounts {
    pub syslog: usize,
    pub proxy: usize,
    pub push: usize,
    pub excerpt: usize,
}

impl LineCounts {
    /// Lines of any kind.
    pub fn any(&self) -> usize {
        self.syslog + self.proxy + self.push + self.excerpt
    }
}

/// The start of an input, as every sniffer of the reader registry sees it.
pub struct Head<'a> {
    /// Display path.
    pub path: &'a str,
    /// The last component of the path (a tie-breaker only: content decides).
    pub name: &'a str,
    /// The first [`Head::LEN`] bytes.
    pub bytes: &'a [u8],
    /// All the bytes, when the input is held whole.
    pub all: Option<&'a [u8]>,
    /// What kind of log line a line is, if any (the log readers' own test).
    kind_of: fn(&str) -> Option<LineKind>,
    text: OnceLock<String>,
    counts: OnceLock<LineCounts>,
}

impl<'a> Head<'a> {
    /// How much of an input the sniffers see.
    pub const LEN: usize = 64 * 1024;
    /// How many lines are counted by kind.
    pub const COUNTED: usize = 400;

    pub fn new(path: &'a str, data: &'a [u8], all: bool, kind_of: fn(&str) -> Option<LineKind>) -> Self {
        let name = path.rsplit(['/', '!']).next().unwrap_or(path);
        let bytes = &data[..data.len().min(Self::LEN)];
        Head { path, name, bytes, all: all.then_some(data), kind_of, text: OnceLock::new(), counts: OnceLock::new() }
    }

    /// The head as text (invalid UTF-8 replaced).
    pub fn text(&self) -> &str {
        self.text.get_or_init(|| String::from_utf8_lossy(self.bytes).into_owned())
    }

    /// What kind of log line `line` is, if any.
    pub fn line_kind(&self, line: &str) -> Option<LineKind> {
        (self.kind_of)(line)
    }

    /// How many of the first lines are of each kind (counted once).
    pub fn line_counts(&self) -> LineCounts {
        *self.counts.get_or_init(|| {
            let mut c = LineCounts::default();
            for line in self.text().lines().take(Self::COUNTED) {
                match (self.kind_of)(line) {
                    Some(LineKind::Syslog) => c.syslog += 1,
                    Some(LineKind::TlsProxy) => c.proxy += 1,
                    Some(LineKind::FailedPush) => c.push += 1,
                    Some(LineKind::Excerpt) => c.excerpt += 1,
                    None => {}
                }
            }
            c
        })
    }
}
