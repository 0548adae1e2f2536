//! One input to read ([`Source`]) and what the sniffers see of it ([`Head`]).

use std::sync::OnceLock;

use jiff::Timestamp;

/// The bytes of one input with where they came from.
pub struct Source<'a> {
    /// Display path; inside archives `outer.tar.gz!/dir/file`.
    pub path: String,
    pub data: &'a [u8],
    /// Modification time (of the file, or of the archive entry): anchors syslog years.
    pub mtime: Option<Timestamp>,
    /// How deep inside archives this source sits (0 for a plain file).
    pub depth: u32,
}

impl<'a> Source<'a> {
    /// A plain input (depth 0, no modification time) named `path`.
    pub fn new(path: impl Into<String>, data: &'a [u8]) -> Self {
        Source { path: path.into(), data, mtime: None, depth: 0 }
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
