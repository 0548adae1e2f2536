//! RFC 3164 syslog files (`/var/log/messages`, `/ngfw/var/log/messages`) and the entry point for
//! the `sftunneld` lines inside them.
//!
//! A line is `Mon dd HH:MM:SS host tag[pid]: text`, optionally with a `<PRI>` prefix. Lines of
//! other programs are skipped before any parsing by looking for `sftunnel` near the line start.
//! Big files are read in chunks: the `sftunneld` lines of each chunk are found and parsed in
//! parallel ([`super::syslog_scan`]); years and attempts are then assigned in file order.
//!
//! Syslog time stamps carry no year and no zone. Times are taken as UTC (devices of this family
//! log in UTC by default); the year comes from, in this order:
//! - `--year` (`ctx.year`): the year of the first line, counted up when the month falls back by
//!   six or more (a December → January rollover);
//! - the file's modification time: a line dated more than a day after it belongs to the year
//!   before (which also places both halves of a rollover inside one file);
//! - otherwise "now" (`ctx.now`) with the same rule as the modification time.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::Timestamp;

use super::chunks::{self, CHUNK};
use super::sftunnel_attempts::Grouper;
use super::syslog_scan::{self, Scanned, LINE_CAP, TAG};
use crate::model::Attempt;
use crate::model::{Format, IngestContext, Parsed, Source, Status};

pub use super::syslog_header::{looks_like, parse_header, Header};

/// Assigns years to month/day pairs (see the module header).
#[derive(Debug)]
pub(crate) enum YearRule {
    Fixed { year: i16, last_month: Option<i8> },
    Before(Date),
}

impl YearRule {
    pub(crate) fn new(ctx_year: Option<i16>, mtime: Option<Timestamp>, now: Timestamp) -> YearRule {
        match (ctx_year, mtime) {
            (Some(year), _) => YearRule::Fixed { year, last_month: None },
            (None, Some(t)) => YearRule::Before(t.to_zoned(TimeZone::UTC).date()),
            (None, None) => YearRule::Before(now.to_zoned(TimeZone::UTC).date()),
        }
    }

    pub(crate) fn year(&mut self, month: i8, day: i8) -> i16 {
        match self {
            YearRule::Fixed { year, last_month } => {
                if let Some(prev) = *last_month {
                    if month + 6 <= prev {
                        *year = year.saturating_add(1);
                    }
                }
                *last_month = Some(month);
                *year
            }
            YearRule::Before(anchor) => {
                let y = anchor.year();
                let limit = anchor.tomorrow().unwrap_or(*anchor);
                match Date::new(y, month, day) {
                    Ok(d) if d <= limit => y,
                    _ => y.saturating_sub(1),
                }
            }
        }
    }

    /// The UTC time of a header, `None` when the date does not exist in the chosen year.
    #[cfg(test)]
    pub(crate) fn time(&mut self, h: &Header<'_>) -> Option<Timestamp> {
        let y = self.year(h.month, h.day);
        utc((y, h.month, h.day, h.hour, h.minute, h.second))
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

/// Parse a syslog file: `sftunneld` lines become attempts, the rest is skipped.
pub fn parse(src: &Source<'_>, ctx: &IngestContext) -> Parsed {
    parse_chunked(src, ctx, CHUNK)
}

/// [`parse`] with chunks of about `chunk` bytes (the result does not depend on it).
pub(crate) fn parse_chunked(src: &Source<'_>, ctx: &IngestContext, chunk: usize) -> Parsed {
    let finder = memchr::memmem::Finder::new(TAG);
    let mut order = InOrder::new(&src.path, ctx, src.mtime);
    // Attempts are judged as soon as they are complete when the run asks for it, so that a big
    // log never holds all of them: on a thread of their own, fed in order through a bounded
    // channel, so that judging overlaps with scanning and grouping; a file of one chunk is
    // judged on the reading thread (a thread per small file costs more than it saves). Else
    // they are handed on.
    let threaded = src.data.len() > chunk;
    let mut inline = ctx.judge.as_deref().filter(|_| !threaded).map(|judge| judge.sink());
    let (attempts, judged) = std::thread::scope(|scope| {
        let judge = ctx.judge.as_deref().filter(|_| threaded).map(|judge| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Attempt>>(4);
            let mut sink = judge.sink();
            let worker = std::thread::Builder::new().name("judge".into()).spawn_scoped(scope, move || {
                for batch in rx {
                    for a in &batch {
                        sink.take(std::slice::from_ref(a));
                    }
                }
                sink.finish()
            });
            (tx, worker)
        });
        let (tx, worker) = match judge {
            Some((tx, Ok(worker))) => (Some(tx), Some(worker)),
            _ => (None, None),
        };
        let mut kept: Vec<Attempt> = Vec::new();
        let mut hand_on = |ready: Vec<Attempt>| match &tx {
            Some(tx) if !ready.is_empty() => {
                if let Err(e) = tx.send(ready) {
                    kept.extend(e.0);
                }
            }
            _ => match &mut inline {
                Some(sink) => ready.iter().for_each(|a| sink.take(std::slice::from_ref(a))),
                None => kept.extend(ready),
            },
        };
        let consume = |s: Scanned<'_>| hand_on(order.consume(s));
        chunks::run(src, ctx, chunk, |c| syslog_scan::scan(c, &finder), consume);
        hand_on(order.grouper.finish());
        drop(tx);
        // A panic of the judging thread is passed on, never turned into missing findings.
        let judged = match worker.map(|w| w.join()) {
            Some(Ok(judged)) => Some(judged),
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            None => inline.map(|sink| sink.finish()),
        };
        (kept, judged)
    });
    let message = notes(order.long, order.bad_utf8);
    let mut out = Parsed::status(&src.path, Format::Syslog, Status::Ok, message, src.data.len() as u64);
    out.attempts = attempts;
    out.judged.extend(judged);
    out
}

/// The part of reading that follows the file's order: years, times and attempts.
pub(super) struct InOrder {
    years: YearRule,
    pub(super) grouper: Grouper,
    /// The last civil time converted, with its result (lines come in runs of one second).
    memo: Option<(Civil, Option<Timestamp>)>,
    /// Lines before the chunk being consumed.
    base: u64,
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
            long: 0,
            bad_utf8: 0,
        }
    }

    /// Take one scanned chunk; the attempts that are complete and can be handed on.
    pub(super) fn consume(&mut self, s: Scanned<'_>) -> Vec<Attempt> {
        self.long += s.long;
        self.bad_utf8 += s.bad_utf8;
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
            self.grouper.feed(self.base + r.no, time, body);
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

/// Year, month, day, hour, minute, second.
type Civil = (i16, i8, i8, i8, i8, i8);

/// The UTC time of a civil time (a leap second counts as :59).
fn utc((y, mo, d, h, mi, s): Civil) -> Option<Timestamp> {
    let dt = DateTime::new(y, mo, d, h, mi, s.min(59), 0).ok()?;
    dt.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;
    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    #[test]
    fn fixed_year_rolls_over_once() {
        let mut r = YearRule::new(Some(2023), None, ts("2030-01-01T00:00:00Z"));
        assert_eq!(r.year(12, 31), 2023);
        assert_eq!(r.year(11, 30), 2023);
        assert_eq!(r.year(12, 31), 2023);
        assert_eq!(r.year(1, 1), 2024);
        assert_eq!(r.year(1, 2), 2024);
    }

    #[test]
    fn mtime_places_lines_in_the_year_before() {
        let mut r = YearRule::new(None, Some(ts("2024-01-05T10:00:00Z")), ts("2030-01-01T00:00:00Z"));
        assert_eq!(r.year(12, 30), 2023);
        assert_eq!(r.year(1, 2), 2024);
        assert_eq!(r.year(1, 6), 2024);
        assert_eq!(r.year(1, 7), 2023);
        let mut r = YearRule::new(None, None, ts("2025-03-01T00:00:00Z"));
        assert_eq!(r.year(2, 28), 2025);
        assert_eq!(r.year(9, 20), 2024);
    }

    #[test]
    fn times_are_utc_and_bad_dates_give_none() {
        let mut r = YearRule::new(Some(2023), None, ts("2030-01-01T00:00:00Z"));
        let h = parse_header("Feb 29 01:02:03 h p: x").expect("header");
        assert_eq!(r.time(&h), None);
        let h = parse_header("Mar  1 01:02:03 h p: x").expect("header");
        assert_eq!(r.time(&h), Some(ts("2023-03-01T01:02:03Z")));
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
