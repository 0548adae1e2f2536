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

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// The parts of an RFC 3164 line.
#[derive(Debug, PartialEq, Eq)]
pub struct Header<'a> {
    pub month: i8,
    pub day: i8,
    pub hour: i8,
    pub minute: i8,
    pub second: i8,
    pub host: &'a str,
    pub tag: &'a str,
    pub pid: Option<u32>,
    /// The text after `tag[pid]: `.
    pub rest: &'a str,
}

/// Bytes of `b` from `p` on for which `f` holds, at most `max`.
fn run_of(b: &[u8], p: usize, max: usize, f: impl Fn(u8) -> bool) -> usize {
    b.get(p..).map_or(0, |r| r.iter().take(max).take_while(|&&c| f(c)).count())
}

/// One or two digits at `p`: the value and the position after them.
fn num2_at(b: &[u8], p: usize) -> Option<(i8, usize)> {
    let n = run_of(b, p, 2, |c| c.is_ascii_digit());
    // Checked again as they are read: a mapped file cut meanwhile reads as zeros (`util::sigbus`).
    let v = b.get(p..p + n)?.iter().try_fold(0i8, |v, &d| d.is_ascii_digit().then(|| v * 10 + (d - b'0') as i8))?;
    (n > 0).then_some((v, p + n))
}

/// Spaces and tabs at `p`: the position after them.
fn blanks_at(b: &[u8], p: usize) -> usize {
    p + run_of(b, p, usize::MAX, |c| c == b' ' || c == b'\t')
}

/// Like [`blanks_at`] but at least one is required.
fn blanks1_at(b: &[u8], p: usize) -> Option<usize> {
    let q = blanks_at(b, p);
    (q > p).then_some(q)
}

fn expect(b: &[u8], p: usize, c: u8) -> Option<usize> {
    (b.get(p) == Some(&c)).then_some(p + 1)
}

/// The RFC 3164 header, read by hand (this runs once per candidate line; the nom version it
/// replaced is kept in the tests as the reference it must agree with).
fn header(i: &str) -> Option<Header<'_>> {
    let b = i.as_bytes();
    let mut p = 0;
    if b.first() == Some(&b'<') {
        let n = run_of(b, 1, usize::MAX, |c| c.is_ascii_digit());
        if n > 0 && b.get(1 + n) == Some(&b'>') {
            p = 2 + n;
        }
    }
    let name = b.get(p..p + 3)?;
    let month = MONTHS.iter().position(|m| m.as_bytes() == name)? as i8 + 1;
    p = blanks1_at(b, p + 3)?;
    let (day, q) = num2_at(b, p)?;
    p = blanks1_at(b, q)?;
    let (hour, q) = num2_at(b, p)?;
    let (minute, q) = num2_at(b, expect(b, q, b':')?)?;
    let (second, q) = num2_at(b, expect(b, q, b':')?)?;
    p = blanks1_at(b, q)?;
    // The host ends at any whitespace (the rest of the line is valid UTF-8, `p` a boundary).
    let tail = i.get(p..)?;
    let host_len = tail.find(char::is_whitespace).unwrap_or(tail.len());
    if host_len == 0 {
        return None;
    }
    let host = &tail[..host_len];
    p = blanks1_at(b, p + host_len)?;
    let tag_len = run_of(b, p, usize::MAX, |c| c.is_ascii_alphanumeric() || b"-_./".contains(&c));
    if tag_len == 0 {
        return None;
    }
    let tag = i.get(p..p + tag_len)?;
    p += tag_len;
    let mut pid = None;
    if b.get(p) == Some(&b'[') {
        let n = run_of(b, p + 1, usize::MAX, |c| c.is_ascii_digit());
        if n > 0 && b.get(p + 1 + n) == Some(&b']') {
            if let Some(v) = i.get(p + 1..p + 1 + n).and_then(|d| d.parse::<u32>().ok()) {
                pid = Some(v);
                p += n + 2;
            }
        }
    }
    p = blanks_at(b, expect(b, p, b':')?);
    let rest = i.get(p..)?;
    Some(Header { month, day, hour, minute, second, host, tag, pid, rest })
}

/// Parse the RFC 3164 part of a line; `None` when it is not one (or a field is out of range).
pub fn parse_header(line: &str) -> Option<Header<'_>> {
    let h = header(line)?;
    let ok = (1..=31).contains(&h.day) && h.hour < 24 && h.minute < 60 && h.second <= 60;
    ok.then_some(h)
}

/// Whether one line looks like RFC 3164 syslog (any program).
pub fn looks_like(line: &str) -> bool {
    parse_header(line).is_some()
}

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
    let mut years = YearRule::new(ctx.year, src.mtime, ctx.now);
    let mut grouper = Grouper::new(&src.path);
    let (mut long, mut bad_utf8, mut base) = (0u64, 0u64, 0u64);
    let mut memo: Option<(Civil, Option<Timestamp>)> = None;
    // Attempts are judged as soon as they are complete when the run asks for it, so that a big
    // log never holds all of them: on a thread of their own, fed in order through a bounded
    // channel, so that judging overlaps with scanning and grouping. Else they are handed on.
    let (attempts, judged) = std::thread::scope(|scope| {
        let judge = ctx.judge.as_deref().map(|judge| {
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
            _ => kept.extend(ready),
        };
        let consume = |s: Scanned<'_>| {
            long += s.long;
            bad_utf8 += s.bad_utf8;
            for r in s.recs {
                let y = years.year(r.month, r.day);
                let Some(body) = r.body else { continue };
                let key = (y, r.month, r.day, r.hour, r.minute, r.second);
                let time = match memo {
                    Some((k, t)) if k == key => t,
                    _ => {
                        let t = utc(key);
                        memo = Some((key, t));
                        t
                    }
                };
                grouper.feed(base + r.no, time, body);
            }
            base += s.newlines;
            hand_on(grouper.drain_ready());
        };
        chunks::run(src, ctx, chunk, |c| syslog_scan::scan(c, &finder), consume);
        hand_on(grouper.finish());
        drop(tx);
        // A panic of the judging thread is passed on, never turned into missing findings.
        let judged = match worker.map(|w| w.join()) {
            Some(Ok(judged)) => Some(judged),
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            None => None,
        };
        (kept, judged)
    });
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
    let message = (!notes.is_empty()).then(|| notes.join("; "));
    let mut out = Parsed::status(&src.path, Format::Syslog, Status::Ok, message, src.data.len() as u64);
    out.attempts = attempts;
    out.judged.extend(judged);
    out
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
    use nom::bytes::complete::{take_while1, take_while_m_n};
    use nom::character::complete::{char, digit1, space0, space1};
    use nom::combinator::{map_res, opt};
    use nom::sequence::delimited;
    use nom::{IResult, Parser};
    use proptest::prelude::*;

    fn month(i: &str) -> IResult<&str, i8> {
        let (rest, m) = take_while_m_n(3, 3, |c: char| c.is_ascii_alphabetic()).parse(i)?;
        match MONTHS.iter().position(|x| *x == m) {
            Some(p) => Ok((rest, p as i8 + 1)),
            None => Err(nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Tag))),
        }
    }

    fn num2(i: &str) -> IResult<&str, i8> {
        map_res(take_while_m_n(1, 2, |c: char| c.is_ascii_digit()), str::parse::<i8>).parse(i)
    }

    /// The nom parser the hand-written one replaced: the reference.
    fn nom_header(i: &str) -> IResult<&str, Header<'_>> {
        let (i, _) = opt(delimited(char('<'), digit1, char('>'))).parse(i)?;
        let (i, month) = month(i)?;
        let (i, _) = space1(i)?;
        let (i, day) = num2(i)?;
        let (i, _) = space1(i)?;
        let (i, (hour, _, minute, _, second)) = (num2, char(':'), num2, char(':'), num2).parse(i)?;
        let (i, _) = space1(i)?;
        let (i, host) = take_while1(|c: char| !c.is_whitespace()).parse(i)?;
        let (i, _) = space1(i)?;
        let (i, tag) = take_while1(|c: char| c.is_ascii_alphanumeric() || "-_./".contains(c)).parse(i)?;
        let (i, pid) = opt(delimited(char('['), map_res(digit1, str::parse::<u32>), char(']'))).parse(i)?;
        let (i, _) = char(':').parse(i)?;
        let (rest, _) = space0(i)?;
        Ok((rest, Header { month, day, hour, minute, second, host, tag, pid, rest }))
    }

    proptest! {
        #[test]
        fn hand_parser_agrees_with_nom(
            pri in prop::option::of("<[0-9]{0,3}>?"),
            mon in "(Jan|Sep|Dec|Foo|jan|Se)",
            sp in "[ \t]{0,2}",
            day in "[0-9]{0,3}",
            time in "[0-9]{1,2}:[0-9]{1,3}:[0-9]{0,2}",
            host in "[a-zA-Z0-9\u{a0}\u{2003}é-]{0,6}",
            sp2 in "[ \t\u{a0}]{0,2}",
            tag in "[A-Za-z0-9_./-]{0,5}",
            pid in prop::option::of("\\[[0-9]{0,11}\\]?"),
            colon in "[: ]{0,2}",
            rest in ".{0,8}",
        ) {
            let line = format!("{}{mon}{sp}{day} {time}{sp}{host}{sp2}{tag}{}{colon}{rest}",
                pri.unwrap_or_default(), pid.unwrap_or_default());
            prop_assert_eq!(header(&line), nom_header(&line).ok().map(|(_, h)| h));
        }
    }

    #[test]
    fn hand_parser_agrees_with_nom_on_edges() {
        for l in [
            "Sep 20 04:10:47 FTD-hostname SF-IMS[50792]: [51982] sftunneld:sf_ssl [INFO] x",
            "<13>Feb 28 23:59:59 ftd kernel: eth0 link up",
            "<13Feb 28 23:59:59 ftd kernel: x",
            "Sep 20 04:10:47 h p[99999999999]: x",
            "Sep 20 04:10:47 h p[12: x",
            "Sep 20 04:10:47 h\u{a0}p: x",
            "Sep 20 04:10:47 hé p:x",
            "Sept 20 04:10:47 h p: x",
            "Sep 200 04:10:47 h p: x",
            "Sep 20 4:1:7 h p:",
            "",
            "Sep",
        ] {
            assert_eq!(header(l), nom_header(l).ok().map(|(_, h)| h), "{l}");
        }
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    #[test]
    fn header_of_seed_line() {
        let l = "Sep 20 04:10:47 FTD-hostname SF-IMS[50792]: [51982] sftunneld:sf_ssl [INFO] Initiating";
        let h = parse_header(l).expect("header");
        assert_eq!((h.month, h.day, h.hour, h.minute, h.second), (9, 20, 4, 10, 47));
        assert_eq!((h.host, h.tag, h.pid), ("FTD-hostname", "SF-IMS", Some(50792)));
        assert_eq!(h.rest, "[51982] sftunneld:sf_ssl [INFO] Initiating");
    }

    #[test]
    fn looks_like_any_program() {
        assert!(looks_like("Jan  3 00:00:01 fmc01 crond[811]: (root) CMD (run-parts /etc/cron.hourly)"));
        assert!(looks_like("<13>Feb 28 23:59:59 ftd kernel: eth0 link up"));
        assert!(!looks_like("2014-02-05 05:21:42,189 INFO TLS_Proxy - x"));
        assert!(!looks_like("Foo 20 04:10:47 host prog: x"));
        assert!(!looks_like("Sep 32 04:10:47 host prog: x"));
        assert!(!looks_like(""));
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
