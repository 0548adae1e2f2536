//! Finding PEM blocks (`-----BEGIN x-----` ... `-----END x-----`) with the line each starts on.
//! Base64 decoding is left to x509-parser's PEM reader, run on one block at a time so that a
//! broken block does not hide the others.

use std::io::Cursor;

use x509_parser::pem::Pem;

/// Most blocks read from one file.
pub const MAX_BLOCKS: usize = 10_000;
/// Longest label kept (`CERTIFICATE`, `ENCRYPTED PRIVATE KEY`, ...).
const MAX_LABEL: usize = 64;

/// One PEM block. It may hold key material, so it has no `Debug` and its text stays private.
pub struct Block<'a> {
    pub label: String,
    /// 1-based line of the BEGIN line.
    pub line: u64,
    /// The END line was found.
    pub complete: bool,
    /// RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`) precede the body.
    pub has_headers: bool,
    text: &'a [u8],
}

/// Why a block could not be decoded (never any of its content).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeError {
    MissingEnd,
    Base64,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DecodeError::MissingEnd => "no END line",
            DecodeError::Base64 => "invalid base64 body",
        })
    }
}

impl Block<'_> {
    /// The DER the block's body encodes.
    pub fn decode(&self) -> Result<Vec<u8>, DecodeError> {
        if !self.complete {
            return Err(DecodeError::MissingEnd);
        }
        match Pem::read(Cursor::new(self.text)) {
            Ok((pem, _)) => Ok(pem.contents),
            Err(_) => Err(DecodeError::Base64),
        }
    }
}

/// The line without its `\n` or `\r\n`.
fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The label of a `-----BEGIN label-----` line.
fn begin_label(line: &[u8]) -> Option<String> {
    let rest = trim_eol(line).strip_prefix(b"-----BEGIN ")?;
    let label = rest.strip_suffix(b"-----")?;
    let label = String::from_utf8_lossy(label.get(..MAX_LABEL).unwrap_or(label));
    Some(label.trim().to_string())
}

/// Every block of `data`, up to [`MAX_BLOCKS`]; the flag tells whether more were left out.
pub fn blocks(data: &[u8]) -> (Vec<Block<'_>>, bool) {
    let mut out = Vec::new();
    let mut open: Option<(usize, String, u64, bool)> = None; // start offset, label, line, headers
    let mut pos = 0usize;
    let mut line_no = 0u64;
    while pos < data.len() {
        let rest = data.get(pos..).unwrap_or(&[]);
        let end = memchr::memchr(b'\n', rest).map_or(data.len(), |i| pos + i + 1);
        let line = data.get(pos..end).unwrap_or(&[]);
        line_no += 1;
        if let Some(label) = begin_label(line) {
            if let Some((start, label, line, has_headers)) = open.take() {
                let text = data.get(start..pos).unwrap_or(&[]);
                out.push(Block { label, line, complete: false, has_headers, text });
            }
            if out.len() >= MAX_BLOCKS {
                return (out, true);
            }
            open = Some((pos, label, line_no, false));
        } else if let Some((start, label, begin, has_headers)) = open.take() {
            if line.starts_with(b"-----END ") {
                let text = data.get(start..end).unwrap_or(&[]);
                out.push(Block { label, line: begin, complete: true, has_headers, text });
            } else {
                let header = line.contains(&b':');
                open = Some((start, label, begin, has_headers || header));
            }
        }
        pos = end;
    }
    if let Some((start, label, line, has_headers)) = open {
        out.push(Block { label, line, complete: false, has_headers, text: data.get(start..).unwrap_or(&[]) });
    }
    (out, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_blocks_with_lines() {
        let data = b"junk\n-----BEGIN X509 CRL-----\r\nAAEC\r\n-----END X509 CRL-----\r\n\n-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n";
        let (b, more) = blocks(data);
        assert!(!more);
        let seen: Vec<_> = b.iter().map(|b| (b.label.as_str(), b.line, b.complete)).collect();
        assert_eq!(seen, vec![("X509 CRL", 2, true), ("CERTIFICATE", 6, true)]);
        assert_eq!(b.first().map(|b| b.decode()), Some(Ok(vec![0, 1, 2])));
        assert_eq!(b.get(1).map(|b| b.decode()), Some(Ok(vec![1, 2, 3])));
    }

    #[test]
    fn broken_and_unterminated_blocks() {
        let data = b"-----BEGIN CERTIFICATE-----\nA*B=\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nAQID\n";
        let (b, _) = blocks(data);
        let seen: Vec<_> = b.iter().map(|b| (b.line, b.decode())).collect();
        assert_eq!(seen, vec![(1, Err(DecodeError::Base64)), (4, Err(DecodeError::MissingEnd))]);
    }

    #[test]
    fn headers_are_noticed() {
        let data = b"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n";
        let (b, _) = blocks(data);
        assert_eq!(b.iter().map(|b| b.has_headers).collect::<Vec<_>>(), vec![true]);
    }
}
