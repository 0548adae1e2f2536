//! The parallel half of syslog parsing: find the `sftunneld` lines of one chunk and parse each
//! into a compact record. Everything that needs the lines before (years, attempts) is left to
//! the sequential half in `syslog::parse`.

use std::borrow::Cow;

use memchr::memmem::Finder;

use super::sftunnel_attempts::{Body, Said};
use super::sftunneld::{classify, split, Msg};
use super::syslog_header::parse_header;
use super::text::{cap, cap_bytes, newlines, strip_cr, EVIDENCE_CAP};

/// Only this much of a line is looked at; syslog lines are far shorter.
pub(crate) const LINE_CAP: usize = 8 * 1024;
/// Where `sftunnel` must appear for a line to be considered.
pub(crate) const TAG_WINDOW: usize = 1024;
/// What marks a candidate line.
pub(crate) const TAG: &[u8] = b"sftunnel";

/// One `sftunneld` line of a chunk.
#[derive(Debug)]
pub(crate) struct Rec<'a> {
    /// Line number inside the chunk, from 1.
    pub no: u64,
    pub month: i8,
    pub day: i8,
    pub hour: i8,
    pub minute: i8,
    pub second: i8,
    /// `None` for a line whose message does not matter (its date still counts for the year).
    pub body: Option<Body<'a>>,
}

/// The result of scanning one chunk.
#[derive(Debug, Default)]
pub(crate) struct Scanned<'a> {
    /// Line ends in the chunk (the chunk's line count, as every chunk but the last ends on one).
    pub newlines: u64,
    pub recs: Vec<Rec<'a>>,
    /// Candidate lines longer than [`LINE_CAP`].
    pub long: u64,
    /// Candidate lines that are not valid UTF-8.
    pub bad_utf8: u64,
}

fn record<'t, 'a>(no: u64, text: &'t str, own: impl Fn(&'t str) -> Cow<'a, str>) -> Option<Rec<'a>> {
    let h = parse_header(text)?;
    let line = split(&h)?;
    let msg = classify(line.message);
    let body = (msg != Msg::Other).then(|| Body {
        host: own(h.host),
        pid: h.pid,
        tid: line.tid,
        said: Said::from(msg),
        text: own(cap(text, EVIDENCE_CAP)),
    });
    Some(Rec { no, month: h.month, day: h.day, hour: h.hour, minute: h.minute, second: h.second, body })
}

/// Find and parse the `sftunneld` lines of `chunk` (which starts at a line start).
pub(crate) fn scan<'a>(chunk: &'a [u8], finder: &Finder<'_>) -> Scanned<'a> {
    let mut out = Scanned::default();
    let (mut pos, mut counted, mut nl) = (0usize, 0usize, 0u64);
    while pos < chunk.len() {
        let Some(off) = finder.find(&chunk[pos..]) else { break };
        let hit = pos + off;
        // `pos` is a line start and no tag lies between it and `hit`: `hit` is the line's first.
        let start = memchr::memrchr(b'\n', &chunk[pos..hit]).map_or(pos, |p| pos + p + 1);
        let end = memchr::memchr(b'\n', &chunk[hit..]).map_or(chunk.len(), |p| hit + p);
        pos = end + 1;
        if hit - start + TAG.len() > TAG_WINDOW {
            continue;
        }
        nl += newlines(&chunk[counted..start]);
        counted = start;
        let bytes = strip_cr(&chunk[start..end]);
        if bytes.len() > LINE_CAP {
            out.long += 1;
        }
        let head = cap_bytes(bytes, LINE_CAP);
        // `from_utf8` first: its ASCII fast path is several times quicker than the lossy
        // decoder on the valid lines that nearly every log is made of.
        let rec = match std::str::from_utf8(head) {
            Ok(s) => record(nl + 1, s, Cow::Borrowed),
            Err(_) => {
                out.bad_utf8 += 1;
                let s = String::from_utf8_lossy(head);
                record(nl + 1, &s, |x| Cow::Owned(x.to_string()))
            }
        };
        out.recs.extend(rec);
    }
    out.newlines = nl + newlines(&chunk[counted.min(chunk.len())..]);
    out
}
