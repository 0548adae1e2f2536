//! The parallel half of syslog parsing: find the `sftunneld` lines of one chunk and parse each
//! into a compact record that says where its host name is in the chunk and where its evidence
//! text is in the chunk's block of texts (the lines that matter, copied once, checked for key
//! material here so that the sequential half does not). Everything that needs the lines before
//! (years, attempts) is left to the sequential half in `syslog::parse`, which gets the chunk back.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use memchr::memmem::Finder;

use super::sftunnel_attempts::Body;
use super::sftunnel_said::Said;
use super::sftunneld::{classify, split};
use super::syslog_header::parse_header;
use super::text::{cap, cap_bytes, newlines, strip_cr, EVIDENCE_CAP};
use crate::model::{EvidenceText, TextBlock, TextBlockBuilder};
use crate::util::fasthash::FastMap;

/// Only this much of a line is looked at; syslog lines are far shorter.
pub(crate) const LINE_CAP: usize = 8 * 1024;
/// Where `sftunnel` must appear for a line to be considered.
pub(crate) const TAG_WINDOW: usize = 1024;
/// What marks a candidate line.
pub(crate) const TAG: &[u8] = b"sftunnel";

/// A piece of a chunk's text: where it is in the chunk, or a copy (a line that is not valid
/// UTF-8, read with replacement characters).
#[derive(Debug)]
pub(crate) enum Piece {
    At(Range<usize>),
    Copy(String),
}

impl Piece {
    /// The text, borrowed from `chunk` (the chunk the piece was found in) or the copy.
    pub(crate) fn into_text(self, chunk: &[u8]) -> Cow<'_, str> {
        match self {
            Piece::At(r) => Cow::Borrowed(chunk.get(r).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or("")),
            Piece::Copy(s) => Cow::Owned(s),
        }
    }
}

/// A line's evidence text (the line, cut at `EVIDENCE_CAP`): its place in the chunk's block, or
/// made on its own where it might hold key material.
#[derive(Debug)]
pub(crate) enum LineText {
    At(Range<usize>),
    Apart(EvidenceText),
}

/// What the grouping needs of a line that matters, with its texts as places in the chunk and in
/// the chunk's block.
#[derive(Debug)]
pub(crate) struct Line {
    pub host: Piece,
    pub pid: Option<u32>,
    pub tid: Option<u64>,
    pub said: Said,
    pub text: LineText,
}

impl Line {
    /// The line as the grouping takes it, its texts read from `chunk` and `block` (the chunk's
    /// block of texts).
    pub(crate) fn body<'c>(self, chunk: &'c [u8], block: &Arc<TextBlock>) -> Body<'c> {
        let text = match self.text {
            LineText::At(place) => EvidenceText::in_block(block, place),
            LineText::Apart(text) => text,
        };
        Body { host: self.host.into_text(chunk), pid: self.pid, tid: self.tid, said: self.said, text }
    }
}

/// One `sftunneld` line of a chunk.
#[derive(Debug)]
pub(crate) struct Rec {
    /// Line number inside the chunk, from 1.
    pub no: u64,
    pub month: i8,
    pub day: i8,
    pub hour: i8,
    pub minute: i8,
    pub second: i8,
    /// `None` for a line whose message does not matter (its date still counts for the year).
    pub body: Option<Line>,
}

/// The result of scanning one chunk.
#[derive(Debug, Default)]
pub(crate) struct Scanned {
    /// Line ends in the chunk (the chunk's line count, as every chunk but the last ends on one).
    pub newlines: u64,
    pub recs: Vec<Rec>,
    /// Candidate lines longer than [`LINE_CAP`].
    pub long: u64,
    /// Candidate lines that are not valid UTF-8.
    pub bad_utf8: u64,
    /// The evidence texts of the records.
    pub texts: TextBlock,
}

/// How many distinct messages a chunk keeps the reading of (a chunk of 1 MB holds a few thousand
/// candidate lines); later new ones are read each time.
const MAX_MESSAGES: usize = 1024;

/// What each distinct message of one chunk says, read once: the lines of a log of failing
/// attempts repeat a few messages (`Initiating IPv4 connection to 10.10.200.31:8305/tcp`, `err
/// 10:certificate has expired`) with new times and thread numbers. Keys come from the input:
/// the table is keyed (`util::fasthash`) and bounded.
#[derive(Default)]
struct Messages<'c> {
    said: FastMap<&'c str, Said>,
}

impl<'c> Messages<'c> {
    fn said(&mut self, message: &'c str) -> Said {
        if let Some(said) = self.said.get(message) {
            return said.clone();
        }
        let said = Said::from(classify(message));
        if self.said.len() < MAX_MESSAGES {
            self.said.insert(message, said.clone());
        }
        said
    }
}

/// The record of a line; `said` reads what its message says, `texts` takes its evidence text.
fn record<'t>(
    no: u64,
    text: &'t str,
    place: impl Fn(&'t str) -> Piece,
    said: impl FnOnce(&'t str) -> Said,
    texts: &mut TextBlockBuilder,
) -> Option<Rec> {
    let h = parse_header(text)?;
    let line = split(&h)?;
    let said = said(line.message);
    let body = (said != Said::Other).then(|| Line {
        host: place(h.host),
        pid: h.pid,
        tid: line.tid,
        said,
        text: LineText::At(texts.push(cap(text, EVIDENCE_CAP))),
    });
    Some(Rec { no, month: h.month, day: h.day, hour: h.hour, minute: h.minute, second: h.second, body })
}

/// Find and parse the `sftunneld` lines of `chunk` (which starts at a line start).
pub(crate) fn scan(chunk: &[u8], finder: &Finder<'_>) -> Scanned {
    // Room for one `sftunneld` line in every 512 bytes: grown from nothing, the records of a
    // chunk were copied ten times over as the vector doubled.
    let mut out = Scanned { recs: Vec::with_capacity(chunk.len() / 512), ..Scanned::default() };
    let mut messages = Messages::default();
    // The texts are pieces of the chunk's lines: room for the whole chunk, so that the block is
    // never grown and copied. Blocks are then all about a chunk's size, and the allocator reuses
    // one's memory for the next (blocks made at their exact sizes, tried, took 5-10 MB more at
    // the peak where most lines matter, and 5-15 MB less where few do).
    let mut texts = TextBlockBuilder::with_capacity(chunk.len());
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
        // The SIMD check first: on the valid lines that nearly every log is made of it is
        // several times quicker than the lossy decoder, and than `std::str::from_utf8`.
        let rec = match simdutf8::basic::from_utf8(head) {
            Ok(s) => {
                // A piece of `s` is a piece of the chunk: its place is where it starts.
                let base = chunk.as_ptr() as usize;
                let place = |x: &str| {
                    let at = x.as_ptr() as usize - base;
                    Piece::At(at..at + x.len())
                };
                record(nl + 1, s, place, |m| messages.said(m), &mut texts)
            }
            Err(_) => {
                out.bad_utf8 += 1;
                let s = String::from_utf8_lossy(head);
                record(nl + 1, &s, |x| Piece::Copy(x.to_string()), |m| Said::from(classify(m)), &mut texts)
            }
        };
        out.recs.extend(rec);
    }
    out.newlines = nl + newlines(&chunk[counted.min(chunk.len())..]);
    out.texts = texts.build();
    // Lines that might hold key material are made on their own here, on the parallel side.
    if !out.texts.is_clean() {
        for line in out.recs.iter_mut().filter_map(|r| r.body.as_mut()) {
            if let LineText::At(place) = &line.text {
                if let Some(text) = EvidenceText::apart(&out.texts, place.clone()) {
                    line.text = LineText::Apart(text);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_messages_say_what_reading_them_again_says_past_the_bound() {
        // More distinct messages than a chunk remembers, each then repeated: every line's record
        // says what its message says read on its own.
        let mut text = String::new();
        let said = |n: usize| match n % 3 {
            0 => format!("err {n}:certificate has expired"),
            1 => format!("Initiating IPv4 connection to 10.0.{}.{}:8305/tcp", n / 256 % 256, n % 256),
            _ => format!("issuer = /CN=ca-{n}"),
        };
        for round in 0..2 {
            for n in 0..MAX_MESSAGES + 200 {
                let m = said(n);
                text.push_str(&format!("Sep 20 04:10:47 h SF-IMS[1]: [{round}] sftunneld:sf_ssl [ERROR] {m}\n"));
            }
        }
        let out = scan(text.as_bytes(), &Finder::new(TAG));
        assert_eq!(out.recs.len(), 2 * (MAX_MESSAGES + 200));
        for (i, rec) in out.recs.iter().enumerate() {
            let expected = Said::from(classify(&said(i % (MAX_MESSAGES + 200))));
            assert_eq!(rec.body.as_ref().map(|b| &b.said), Some(&expected), "line {}", i + 1);
        }
    }
}
