//! RFC 3164 syslog files (`/var/log/messages`, `/ngfw/var/log/messages`) and the entry point for
//! the `sftunneld` lines inside them.
//!
//! A line is `Mon dd HH:MM:SS host tag[pid]: text`, optionally with a `<PRI>` prefix. Lines of
//! other programs are skipped before any parsing by looking for `sftunnel` near the line start.
//! Big files are read in chunks: the `sftunneld` lines of each chunk are found and parsed in
//! parallel ([`super::syslog_scan`]); years and attempts are then assigned in file order.
//!
//! Syslog time stamps carry no year and no zone: [`super::years`] gives them one.

use std::sync::Arc;

use jiff::Timestamp;

use super::chunks::{self, CHUNK};
use super::sftunnel_attempts::Grouper;
use super::syslog_scan::{self, Scanned, LINE_CAP, TAG};
use super::years::{utc, Civil, YearRule};
use crate::model::Attempt;
use crate::model::{Head, IngestContext, ReadStatus, Sink, Source, Status};

pub use super::syslog_header::{looks_like, parse_header, Header};

/// Whether the head holds syslog lines (the formats that also hold some are asked first).
pub fn sniff(head: &Head<'_>) -> bool {
    head.line_counts().syslog > 0
}

/// Parse a syslog file: `sftunneld` lines become attempts, handed to `sink` as soon as they are
/// complete; the rest is skipped.
pub fn parse(src: &mut Source<'_>, ctx: &IngestContext, sink: &mut dyn Sink) -> ReadStatus {
    parse_chunked(src, ctx, sink, CHUNK)
}

/// [`parse`] with chunks of about `chunk` bytes (the result does not depend on it).
pub(crate) fn parse_chunked(
    src: &mut Source<'_>,
    ctx: &IngestContext,
    sink: &mut dyn Sink,
    chunk: usize,
) -> ReadStatus {
    let finder = memchr::memmem::Finder::new(TAG);
    let mut order = InOrder::new(&src.path, ctx, src.mtime);
    let consume = |c: &[u8], s: Scanned| order.consume(c, s).into_iter().for_each(|a| sink.attempt(a));
    let read = chunks::run(&mut src.data, chunk, |c| syslog_scan::scan(c, &finder), consume);
    order.grouper.finish().into_iter().for_each(|a| sink.attempt(a));
    let notes = notes(order.long, order.bad_utf8);
    match read {
        Ok(()) => ReadStatus::new(Status::Ok, notes).with_line_ends(order.base),
        Err(e) => ReadStatus::new(Status::Partial, Some(format!("reading stopped: {e}"))),
    }
}

/// The part of reading that follows the file's order: years, times and attempts.
pub(super) struct InOrder {
    years: YearRule,
    pub(super) grouper: Grouper,
    /// The last civil time converted, with its result (lines come in runs of one second).
    memo: Option<(Civil, Option<Timestamp>)>,
    /// Lines before the chunk being consumed.
    base: u64,
    /// Chunks consumed: the number of the next chunk's block of texts.
    blocks: u64,
    long: u64,
    bad_utf8: u64,
}

impl InOrder {
    /// The reading of the file shown as `path`, modified at `mtime`.
    pub(super) fn new(path: &str, ctx: &IngestContext, mtime: Option<Timestamp>) -> Self {
        InOrder {
            years: YearRule::new(ctx.year, mtime, ctx.now),
            grouper: Grouper::new(path),
            memo: None,
            base: 0,
            blocks: 0,
            long: 0,
            bad_utf8: 0,
        }
    }

    /// Take one scanned chunk; the attempts that are complete and can be handed on.
    pub(super) fn consume(&mut self, chunk: &[u8], s: Scanned) -> Vec<Attempt> {
        self.long += s.long;
        self.bad_utf8 += s.bad_utf8;
        let block = Arc::new(s.texts.numbered(self.blocks));
        self.grouper.start_block(self.blocks);
        self.blocks += 1;
        for r in s.recs {
            let y = self.years.year(r.month, r.day);
            let Some(body) = r.body else { continue };
            let key = (y, r.month, r.day, r.hour, r.minute, r.second);
            let time = match self.memo {
                Some((k, t)) if k == key => t,
                _ => {
                    let t = utc(key);
                    self.memo = Some((key, t));
                    t
                }
            };
            self.grouper.feed(self.base + r.no, time, body.body(chunk, &block));
        }
        self.base += s.newlines;
        self.grouper.drain_ready()
    }
}

/// What the input's status says about lines read only in part.
fn notes(long: u64, bad_utf8: u64) -> Option<String> {
    let mut notes = Vec::new();
    if long > 0 {
        notes.push(format!(
            "{} longer than {LINE_CAP} bytes, only the start was read",
            crate::wording::counted(long, "line")
        ));
    }
    if bad_utf8 > 0 {
        notes.push(format!(
            "{} not valid UTF-8, read with replacement characters",
            crate::wording::counted(bad_utf8, "line")
        ));
    }
    (!notes.is_empty()).then(|| notes.join("; "))
}
