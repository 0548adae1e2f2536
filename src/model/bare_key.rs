//! Private keys in base64 with no PEM header or footer around them: a key pasted bare into a
//! log line or a note (`… err 10:certificate has expired MIGHAgEAMBMG…`), or its lines wrapped
//! into a multi-line log entry. Known by what the decoded bytes start with: the DER of a
//! PKCS#8 key (plain or encrypted), of an RSA or DSA key (PKCS#1) or of an EC key (SEC1).
//! Certificates, requests and public keys start otherwise and are left alone.

use std::sync::LazyLock;

use regex::Regex;

/// Base64 characters read to judge a run: 24 decode to the 18 bytes the checks below need.
const HEAD: usize = 24;
/// The shortest run taken for a key (an Ed25519 PKCS#8 key is 64 characters).
const MIN_RUN: usize = 40;

/// Whether `b` holds a base64 run that might start a DER private key: `M` (the SEQUENCE tag
/// 0x30) then `A`–`I` (its length octet), then base64 up to [`MIN_RUN`]. Cheap: the `memchr`
/// search for `M` stops at the first character of most words.
pub(super) fn may_hold_key_run(b: &[u8]) -> bool {
    memchr::memchr_iter(b'M', b).any(|at| {
        let starts_run = at == 0 || !is_b64(b[at - 1]);
        starts_run
            && b.get(at + 1).is_some_and(|c| (b'A'..=b'I').contains(c))
            && b.get(at..at + MIN_RUN).is_some_and(|run| run.iter().all(|&c| is_b64(c)))
    })
}

fn is_b64(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'+' || c == b'/'
}

/// A base64 run of [`MIN_RUN`] or more, then the runs that continue it on the next lines (with
/// the separators a log puts where a line ended): lines of 16 characters or more, and a shorter
/// last one ended by padding (a shorter word after the key is not taken for a piece of it).
static RUN: LazyLock<Regex> = LazyLock::new(|| {
    let sep = r"(?:\s|#012|#015|\\n|\\r)+";
    Regex::new(&format!(
        r"M[A-I][A-Za-z0-9+/]{{38,}}={{0,2}}(?:{sep}[A-Za-z0-9+/]{{16,}}={{0,2}})*(?:{sep}[A-Za-z0-9+/]{{1,15}}={{1,2}})?"
    ))
    .expect("a fixed pattern")
});

/// `text` with each bare base64 private key replaced by `marker`; `None` when it holds none.
pub(super) fn without_bare_keys(text: &str, marker: &str) -> Option<String> {
    let mut out = String::new();
    let mut from = 0;
    for m in RUN.find_iter(text) {
        let starts_run = text[..m.start()].bytes().next_back().is_none_or(|c| !is_b64(c));
        if !starts_run || !is_private_key(decode_head(m.as_str()).as_slice()) {
            continue;
        }
        out.push_str(&text[from..m.start()]);
        out.push_str(marker);
        from = m.end();
    }
    (from > 0).then(|| {
        out.push_str(&text[from..]);
        out
    })
}

/// The bytes the first [`HEAD`] characters of a run decode to.
fn decode_head(run: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let chars: Vec<u8> = run.bytes().take(HEAD).map(value).collect();
    chars.chunks_exact(4).flat_map(|q| [q[0] << 2 | q[1] >> 4, q[1] << 4 | q[2] >> 2, q[2] << 6 | q[3]]).collect()
}

/// PKCS#5 (PBES2, PBES1) and PKCS#12 password-based encryption OIDs share these first bytes.
const PKCS5: &[u8] = &[0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05];
const PKCS12_PBE: &[u8] = &[0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c];

/// Whether DER bytes start a private key: a SEQUENCE holding the version 0 or 1 then an
/// AlgorithmIdentifier (PKCS#8), version 0 then an INTEGER (PKCS#1 RSA, DSA), version 1 then an
/// OCTET STRING (SEC1 EC), or a SEQUENCE whose first element is a password-based encryption
/// AlgorithmIdentifier (encrypted PKCS#8).
fn is_private_key(d: &[u8]) -> bool {
    let header = match d {
        [0x30, len, ..] if *len < 0x80 => 2,
        [0x30, 0x81, ..] => 3,
        [0x30, 0x82, ..] => 4,
        _ => return false,
    };
    let Some(body) = d.get(header..) else { return false };
    match body {
        [0x02, 0x01, 0x00 | 0x01, 0x30, ..] | [0x02, 0x01, 0x00, 0x02, ..] | [0x02, 0x01, 0x01, 0x04, ..] => true,
        [0x30, len, rest @ ..] if *len < 0x80 => rest.starts_with(PKCS5) || rest.starts_with(PKCS12_PBE),
        [0x30, 0x81, _, rest @ ..] => rest.starts_with(PKCS5) || rest.starts_with(PKCS12_PBE),
        _ => false,
    }
}

#[cfg(test)]
#[path = "bare_key_tests.rs"]
mod tests;
