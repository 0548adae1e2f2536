//! Line helpers shared by the text readers: lines of a buffer, caps that never split a
//! character, line-end counts. The lowest file of `logs`: it uses no other.

/// Evidence text is cut to this many bytes.
pub(crate) const EVIDENCE_CAP: usize = 512;

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
    fn cap_and_lines() {
        assert_eq!(cap("héllo", 2), "h");
        assert_eq!(cap("abc", 10), "abc");
        let v: Vec<(u64, &[u8])> = lines(b"a\r\n\nb").collect();
        assert_eq!(v, vec![(1, &b"a"[..]), (2, &b""[..]), (3, &b"b"[..])]);
        assert_eq!(lines(b"").count(), 0);
    }
}
