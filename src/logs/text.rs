//! Line helpers shared by the text readers: lines of a buffer or of a source read as it comes,
//! caps that never split a character, line-end counts. The lowest file of `logs`: it uses no
//! other.

use std::io::{self, Read};

use crate::model::Data;

/// Evidence text is cut to this many bytes.
pub(crate) const EVIDENCE_CAP: usize = 512;

/// Bytes of `b` from `p` on for which `f` holds, at most `max`.
pub(crate) fn run_of(b: &[u8], p: usize, max: usize, f: impl Fn(u8) -> bool) -> usize {
    let Some(r) = b.get(p..) else { return 0 };
    let r = &r[..r.len().min(max)];
    r.iter().position(|&c| !f(c)).unwrap_or(r.len())
}

/// Spaces and tabs at `p`: the position after them.
pub(crate) fn blanks_at(b: &[u8], p: usize) -> usize {
    p + run_of(b, p, usize::MAX, |c| c == b' ' || c == b'\t')
}

/// Like [`blanks_at`] but at least one is required.
pub(crate) fn blanks1_at(b: &[u8], p: usize) -> Option<usize> {
    let q = blanks_at(b, p);
    (q > p).then_some(q)
}

/// A non-empty run of bytes for which `f` holds, between `[` at `p` and `]`: the text inside and
/// the position after the `]` (`s[p..]` starts at a character boundary).
pub(crate) fn bracketed_at(s: &str, p: usize, f: impl Fn(u8) -> bool) -> Option<(&str, usize)> {
    let b = s.as_bytes();
    if b.get(p) != Some(&b'[') {
        return None;
    }
    let n = run_of(b, p + 1, usize::MAX, f);
    if n == 0 || b.get(p + 1 + n) != Some(&b']') {
        return None;
    }
    Some((s.get(p + 1..p + 1 + n)?, p + n + 2))
}

/// Where the characters of `s` from `from` (a character boundary) on stop being other than
/// white space (`char::is_whitespace`, Unicode's); byte by byte while they are ASCII.
pub(crate) fn word_end(s: &str, from: usize) -> usize {
    let b = s.as_bytes();
    let mut i = from;
    while let Some(&c) = b.get(i) {
        if c.is_ascii() {
            if (c as char).is_whitespace() {
                return i;
            }
            i += 1;
        } else {
            let Some(ch) = s.get(i..).and_then(|r| r.chars().next()) else { return i };
            if ch.is_whitespace() {
                return i;
            }
            i += ch.len_utf8();
        }
    }
    i
}

/// Iterate `(line number, bytes)` over a buffer, without the line ends.
pub(crate) fn lines(data: &[u8]) -> impl Iterator<Item = (u64, &[u8])> {
    let mut start = 0usize;
    let mut no = 0u64;
    std::iter::from_fn(move || {
        if start >= data.len() {
            return None;
        }
        let end = memchr::memchr(b'\n', &data[start..]).map_or(data.len(), |p| start + p);
        let mut line = &data[start..end];
        if let Some(stripped) = line.strip_suffix(b"\r") {
            line = stripped;
        }
        start = end + 1;
        no += 1;
        Some((no, line))
    })
}

/// Hand each line of `data` to `each` as `(line number, its first `max` bytes, its length)`,
/// without the line end: from bytes in memory as they are, from a stream as it is read (a longer
/// line is never held whole).
pub(crate) fn each_line(data: &mut Data<'_>, max: usize, mut each: impl FnMut(u64, &[u8], usize)) -> io::Result<()> {
    let stream = match data {
        Data::Bytes(bytes) => {
            for (no, line) in lines(bytes) {
                each(no, &line[..line.len().min(max)], line.len());
            }
            return Ok(());
        }
        Data::Stream(s) => s,
    };
    let (mut buf, mut line) = (vec![0u8; 64 << 10], Vec::new());
    let (mut no, mut len, mut last) = (0u64, 0usize, None);
    // A line as `lines` gives it: without a trailing `\r`, its kept part a prefix of that.
    let mut hand_on = |no: u64, line: &[u8], len: usize, last: Option<u8>| {
        let len = len - usize::from(last == Some(b'\r'));
        each(no, &line[..line.len().min(len)], len);
    };
    loop {
        let n = stream.read(&mut buf)?;
        let mut piece = &buf[..n];
        while !piece.is_empty() {
            let end = memchr::memchr(b'\n', piece);
            let part = &piece[..end.unwrap_or(piece.len())];
            line.extend_from_slice(&part[..part.len().min(max.saturating_sub(line.len()))]);
            len += part.len();
            last = part.last().copied().or(last);
            piece = &piece[end.map_or(piece.len(), |e| e + 1)..];
            if end.is_some() {
                no += 1;
                hand_on(no, &line, len, last);
                (line, len, last) = (Vec::new(), 0, None);
            }
        }
        if n == 0 {
            if len > 0 {
                hand_on(no + 1, &line, len, last);
            }
            return Ok(());
        }
    }
}

/// At most `max` bytes of `s`, cut at a character boundary.
pub(crate) fn cap(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// At most `max` bytes of `bytes`; when that cuts a line, the cut moves back to the start of a
/// UTF-8 sequence so that a character is never split.
pub(crate) fn cap_bytes(bytes: &[u8], max: usize) -> &[u8] {
    if bytes.len() <= max {
        return bytes;
    }
    let mut end = max;
    // At most three continuation bytes (10xxxxxx) precede the end of a valid sequence.
    for _ in 0..3 {
        match bytes.get(end) {
            Some(b) if (0x80..0xc0).contains(b) && end > 0 => end -= 1,
            _ => break,
        }
    }
    &bytes[..end]
}

/// How many `\n` are in `bytes`.
pub(crate) fn newlines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

/// `bytes` without a trailing `\r`.
pub(crate) fn strip_cr(bytes: &[u8]) -> &[u8] {
    bytes.strip_suffix(b"\r").unwrap_or(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_on_char_boundaries() {
        let s = "aé€x".as_bytes(); // a, é (2 bytes), € (3 bytes), x
        assert_eq!(cap_bytes(s, 1), b"a");
        assert_eq!(cap_bytes(s, 2), b"a");
        assert_eq!(cap_bytes(s, 3), "aé".as_bytes());
        assert_eq!(cap_bytes(s, 4), "aé".as_bytes());
        assert_eq!(cap_bytes(s, 5), "aé".as_bytes());
        assert_eq!(cap_bytes(s, 6), "aé€".as_bytes());
        assert_eq!(cap_bytes(s, 60), s);
        // Invalid bytes: never more than three steps back.
        assert_eq!(cap_bytes(&[0x80; 10], 8), &[0x80; 5][..]);
        assert_eq!(newlines(b"a\nb\n\n"), 3);
        assert_eq!(strip_cr(b"a\r"), b"a");
    }

    #[test]
    fn lines_of_a_stream_are_the_lines_of_the_bytes() {
        let text = b"a\r\n\nlonger line here\r\nlast";
        let collect = |data: &mut Data<'_>| {
            let mut got = Vec::new();
            each_line(data, 6, |no, line, len| got.push((no, line.to_vec(), len))).unwrap();
            got
        };
        let whole = collect(&mut Data::Bytes(text));
        assert_eq!(
            whole,
            vec![(1, b"a".to_vec(), 1), (2, Vec::new(), 0), (3, b"longer".to_vec(), 16), (4, b"last".to_vec(), 4)]
        );
        assert_eq!(collect(&mut Data::Stream(&mut crate::model::Trickle::new(text, 3))), whole);
    }

    #[test]
    fn cap_and_lines() {
        assert_eq!(cap("héllo", 2), "h");
        assert_eq!(cap("abc", 10), "abc");
        let v: Vec<(u64, &[u8])> = lines(b"a\r\n\nb").collect();
        assert_eq!(v, vec![(1, &b"a"[..]), (2, &b""[..]), (3, &b"b"[..])]);
        assert_eq!(lines(b"").count(), 0);
    }
}
