//! The wrappers the dispatcher puts around a stream: the head it already read for sniffing put
//! back in front ([`Prefixed`]), and what the reader left of it counted ([`Tail`]).

use std::io::{self, Read};

use crate::model::ByteStream;

/// A stream whose first bytes were read already (to sniff it), given back in front.
pub struct Prefixed<'a> {
    head: Vec<u8>,
    pos: usize,
    inner: &'a mut dyn ByteStream,
}

impl<'a> Prefixed<'a> {
    pub fn new(head: Vec<u8>, inner: &'a mut dyn ByteStream) -> Self {
        Prefixed { head, pos: 0, inner }
    }
}

impl Read for Prefixed<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos < self.head.len() {
            let n = (self.head.len() - self.pos).min(buf.len());
            buf[..n].copy_from_slice(&self.head[self.pos..self.pos + n]);
            self.pos += n;
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

impl ByteStream for Prefixed<'_> {
    fn len_hint(&self) -> Option<u64> {
        self.inner.len_hint()
    }
    fn rewind(&mut self) -> io::Result<bool> {
        // The inner stream starts again at its first byte: the head is in it.
        let done = self.inner.rewind()?;
        if done {
            self.head.clear();
            self.pos = 0;
        }
        Ok(done)
    }
    fn sendable(&mut self) -> Option<Box<dyn Read + Send + '_>> {
        let inner = self.inner.sendable()?;
        // The head not yet given goes with it.
        let given = self.pos.min(self.head.len());
        let head = std::mem::take(&mut self.head).split_off(given);
        self.pos = 0;
        Some(Box::new(io::Cursor::new(head).chain(inner)))
    }
}

/// A stream that remembers how many bytes passed, how many line ends (when asked to count them),
/// and the last byte.
pub struct Tail<'a> {
    inner: &'a mut dyn ByteStream,
    /// Whether line ends are counted (into `newlines`) as bytes pass.
    pub count_lines: bool,
    pub bytes: u64,
    pub newlines: u64,
    pub last: Option<u8>,
    /// Whether the end of the stream was reached.
    pub ended: bool,
}

impl<'a> Tail<'a> {
    pub fn new(inner: &'a mut dyn ByteStream, count_lines: bool) -> Self {
        Tail { inner, count_lines, bytes: 0, newlines: 0, last: None, ended: false }
    }

    /// Read what the reader left, counting it.
    pub fn drain(&mut self) -> io::Result<()> {
        let mut buf = vec![0u8; 64 << 10];
        while self.read(&mut buf)? > 0 {}
        Ok(())
    }
}

impl Read for Tail<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.ended = true;
        }
        let got = &buf[..n];
        self.bytes += n as u64;
        if self.count_lines {
            self.newlines += memchr::memchr_iter(b'\n', got).count() as u64;
        }
        if let Some(&b) = got.last() {
            self.last = Some(b);
        }
        Ok(n)
    }
}

impl ByteStream for Tail<'_> {
    fn len_hint(&self) -> Option<u64> {
        self.inner.len_hint()
    }
    fn rewind(&mut self) -> io::Result<bool> {
        let done = self.inner.rewind()?;
        if done {
            (self.bytes, self.newlines, self.last, self.ended) = (0, 0, None, false);
        }
        Ok(done)
    }
}
