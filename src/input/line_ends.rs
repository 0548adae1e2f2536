//! Line ends as text inputs really come: `\n`, `\r\n`, and a carriage return alone (a log saved
//! by an old Mac editor, a paste that lost its line feeds, lines of all three mixed). The text
//! readers split lines at `\n` and drop a `\r` before it; a carriage return alone becomes a `\n`
//! before they see it, so every one of them reads such a text line by line. The bytes keep their
//! number: offsets and sizes stay those of the input.

use std::io::{self, Read};

use crate::model::ByteStream;

/// Whether `bytes` hold a carriage return that is not followed by a line feed (one that ends
/// the bytes counts).
pub fn has_lone_cr(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'))
}

/// `bytes` with every carriage return alone turned into a line feed.
pub fn to_lf(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    fix_in_place(&mut out, None);
    out
}

/// Turn the lone carriage returns of `buf` into line feeds; a carriage return that ends `buf` is
/// judged by `next`, the byte after it (`None`: the input ends there).
fn fix_in_place(buf: &mut [u8], next: Option<u8>) {
    let mut from = 0;
    while let Some(p) = memchr::memchr(b'\r', &buf[from..]) {
        let at = from + p;
        let after = buf.get(at + 1).copied().or(next);
        if after != Some(b'\n') {
            buf[at] = b'\n';
        }
        from = at + 1;
    }
}

/// A stream whose lone carriage returns read as line feeds.
pub struct LineEnds<'a> {
    inner: &'a mut dyn ByteStream,
    /// The byte read after a carriage return that ended a read, to judge it.
    peeked: Option<u8>,
}

impl<'a> LineEnds<'a> {
    pub fn new(inner: &'a mut dyn ByteStream) -> Self {
        LineEnds { inner, peeked: None }
    }
}

impl Read for LineEnds<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let mut n = 0;
        if let Some(b) = self.peeked.take() {
            buf[0] = b;
            n = 1;
        }
        if n < buf.len() {
            n += self.inner.read(&mut buf[n..])?;
        }
        let next = if buf[..n].last() == Some(&b'\r') {
            let mut one = [0u8; 1];
            let got = loop {
                match self.inner.read(&mut one) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    other => break other?,
                }
            };
            self.peeked = (got == 1).then_some(one[0]);
            self.peeked
        } else {
            None
        };
        fix_in_place(&mut buf[..n], next);
        Ok(n)
    }
}

impl ByteStream for LineEnds<'_> {
    fn len_hint(&self) -> Option<u64> {
        self.inner.len_hint()
    }
    fn rewind(&mut self) -> io::Result<bool> {
        let done = self.inner.rewind()?;
        if done {
            self.peeked = None;
        }
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Trickle;

    #[test]
    fn lone_carriage_returns_become_line_feeds_and_crlf_stays() {
        let text = b"a\rb\r\nc\nd\r\re\r";
        assert!(has_lone_cr(text));
        assert!(!has_lone_cr(b"a\r\nb\n"));
        assert_eq!(to_lf(text), b"a\nb\r\nc\nd\n\ne\n");
        for step in 1..6 {
            let mut src = Trickle::new(text, step);
            let mut got = Vec::new();
            LineEnds::new(&mut src).read_to_end(&mut got).unwrap();
            assert_eq!(got, to_lf(text), "read {step} bytes at a time");
        }
    }
}
