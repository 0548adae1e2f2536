//! The ASA CX / NGFW service module TLS proxy log (`/var/log/cisco/tls_proxy.log`).
//!
//! Lines read `YYYY-MM-DD HH:MM:SS,mmm LEVEL TLS_Proxy - message`; a line that does not start
//! with a time stamp continues the one before it (copies of the log are often wrapped) and is
//! joined to it with one space. Times carry no zone and are taken as UTC. Big files are read in
//! chunks whose lines are joined in parallel; an entry wrapped across a chunk boundary is
//! completed in file order, where the sessions are built.
//!
//! The proxy is the client of the server it decrypts for, so every attempt is seen from the
//! client side. Lines carrying `Session: xHEX` are grouped by that id, one attempt per session;
//! certificate verification lines carry no id and belong to the session named next.

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use nom::bytes::complete::{take_while1, take_while_m_n};
use nom::character::complete::{char, space0, space1};
use nom::combinator::map_res;
use nom::{IResult, Parser};

use super::chunks::{self, CHUNK};
use super::text::{cap, cap_bytes, lines, newlines, EVIDENCE_CAP};
use super::tls_proxy_sessions::Sessions;
use crate::codes::{AlertDescription, AlertLevel, OpenSslError, VerifyCode};
use crate::model::{Attempt, Event, Evidence, EvidenceText, Outcome, Role};
use crate::model::{Head, IngestContext, ReadStatus, Sink, Source, Status};

/// Verification lines kept while waiting for the session line they belong to.
const MAX_PENDING: usize = 16;

/// A logical line (after joining continuations) is cut at this length.
const LINE_CAP: usize = 8 * 1024;

/// The time stamp, level, component and message of a line.
#[derive(Debug, PartialEq, Eq)]
pub struct ProxyLine<'a> {
    pub time: Option<Timestamp>,
    pub level: &'a str,
    pub component: &'a str,
    pub message: &'a str,
}

fn digits<'a>(n: usize) -> impl Parser<&'a str, Output = i32, Error = nom::error::Error<&'a str>> {
    map_res(take_while_m_n(n, n, |c: char| c.is_ascii_digit()), str::parse::<i32>)
}

fn line(i: &str) -> IResult<&str, ProxyLine<'_>> {
    let (i, (y, _, mo, _, d, _, h, _, mi, _, s)) = (
        digits(4),
        char('-'),
        digits(2),
        char('-'),
        digits(2),
        char(' '),
        digits(2),
        char(':'),
        digits(2),
        char(':'),
        digits(2),
    )
        .parse(i)?;
    let (i, _) = char(',').parse(i)?;
    let (i, ms) = map_res(take_while_m_n(1, 3, |c: char| c.is_ascii_digit()), str::parse::<i32>).parse(i)?;
    let (i, _) = space1(i)?;
    let (i, level) = take_while1(|c: char| c.is_ascii_alphabetic()).parse(i)?;
    let (i, _) = space1(i)?;
    let (i, component) = take_while1(|c: char| !c.is_whitespace()).parse(i)?;
    let (i, _) = space1(i)?;
    let (i, _) = char('-').parse(i)?;
    let (message, _) = space0(i)?;
    let time = to_time(y, mo, d, h, mi, s, ms);
    Ok(("", ProxyLine { time, level, component, message }))
}

fn to_time(y: i32, mo: i32, d: i32, h: i32, mi: i32, s: i32, ms: i32) -> Option<Timestamp> {
    let n = |v: i32| i8::try_from(v).ok();
    let dt = DateTime::new(i16::try_from(y).ok()?, n(mo)?, n(d)?, n(h)?, n(mi)?, n(s)?, ms * 1_000_000).ok()?;
    dt.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp())
}

/// Parse the fixed part of a line.
pub fn parse_line(text: &str) -> Option<ProxyLine<'_>> {
    line(text).ok().map(|(_, l)| l)
}

/// Whether one line is a TLS proxy log line.
pub fn looks_like(text: &str) -> bool {
    parse_line(text).is_some_and(|l| l.component == "TLS_Proxy")
}

/// Whether the head is a TLS proxy log: its lines outnumber the excerpt lines and are at least as
/// many as the syslog lines.
pub fn sniff(head: &Head<'_>) -> bool {
    let c = head.line_counts();
    c.proxy > 0 && c.proxy >= c.syslog && c.proxy > c.excerpt
}

/// A verification failure waiting for the session it belongs to.
struct PendingVerify {
    code: VerifyCode,
    depth: Option<u32>,
    subject: Option<String>,
    issuer: Option<String>,
    evidence: Evidence,
}

struct State<'s> {
    path: String,
    sessions: Sessions<'s>,
    pending: Vec<PendingVerify>,
}

fn session_of(msg: &str) -> Option<&str> {
    let rest = &msg[msg.find("Session:")? + 8..];
    rest.split_whitespace().next().map(|s| s.trim_end_matches(['.', ',', ')']))
}

/// `self signed certificate (code 18, depth 0)` → code and depth.
fn code_and_depth(rest: &str) -> Option<(u32, Option<u32>)> {
    let inner = &rest[rest.rfind("(code ")? + 6..];
    let inner = inner.split(')').next()?;
    let mut parts = inner.split(',');
    let code = parts.next()?.trim().parse().ok()?;
    let depth = parts.next().and_then(|p| p.trim().strip_prefix("depth")).and_then(|d| d.trim().parse().ok());
    Some((code, depth))
}

/// `(0x228 = "fatal : handshake failure")` → level and description.
fn alert_of(msg: &str) -> Option<(AlertLevel, AlertDescription)> {
    let rest = &msg[msg.find("(0x")? + 3..];
    let hex: String = rest.chars().take_while(|c| c.is_ascii_hexdigit()).collect();
    if let Ok(v) = u16::from_str_radix(&hex, 16) {
        return Some((AlertLevel((v >> 8) as u8), AlertDescription((v & 0xff) as u8)));
    }
    let quoted = rest.split('"').nth(1)?;
    let (level, desc) = quoted.split_once(':')?;
    Some((AlertLevel::from_text(level)?, AlertDescription::from_text(desc)?))
}

impl State<'_> {
    fn attempt(&mut self, session: &str) -> &mut Attempt {
        self.sessions.attempt(session)
    }

    fn handle(&mut self, no: u64, l: &ProxyLine<'_>, raw: &str) {
        let msg = l.message;
        let ev = Evidence::line(&self.path, no, l.time, cap(raw, EVIDENCE_CAP));
        if let Some(rest) = msg.strip_prefix("Certificate verification failure:") {
            if let Some((code, depth)) = code_and_depth(rest) {
                let code = VerifyCode(code);
                // Lines without a session wait for the next session line; keep only the latest few.
                if self.pending.len() >= MAX_PENDING {
                    self.pending.remove(0);
                }
                self.pending.push(PendingVerify { code, depth, subject: None, issuer: None, evidence: ev });
            }
            return;
        }
        if let Some(v) = msg.strip_prefix("Subject:") {
            if let Some(p) = self.pending.last_mut() {
                p.subject = Some(EvidenceText::new(cap(v.trim(), EVIDENCE_CAP)).to_string());
            }
            return;
        }
        if let Some(v) = msg.strip_prefix("Issuer:") {
            if let Some(p) = self.pending.last_mut() {
                p.issuer = Some(EvidenceText::new(cap(v.trim(), EVIDENCE_CAP)).to_string());
            }
            return;
        }
        let Some(session) = session_of(msg).map(str::to_string) else { return };
        let relevant = msg.contains("SSL alert message received from") || msg.contains("TLS problem (");
        if !relevant && self.pending.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        let a = self.attempt(&session);
        for p in pending {
            let event = Event::VerifyError {
                by: Role::Client,
                code: p.code,
                depth: p.depth,
                subject: p.subject,
                issuer: p.issuer,
            };
            a.push(event, p.evidence);
        }
        if msg.contains("SSL alert message received from") {
            let from = if msg.contains("received from client") { Role::Client } else { Role::Server };
            if let Some((level, description)) = alert_of(msg) {
                a.push(Event::Alert { from, level, description }, ev);
            }
        } else if let Some(p) = msg.find("TLS problem (") {
            let inner = &msg[p + 13..];
            let inner = inner.rfind(") while").map_or(inner, |e| &inner[..e]);
            if let Some(e) = OpenSslError::parse(inner) {
                let has_alert = a.events.iter().any(|o| matches!(o.event, Event::Alert { .. }));
                let alert = e.received_alert().filter(|_| !has_alert);
                let event = Event::SslError {
                    by: Role::Client,
                    code: e.code_text.clone(),
                    function: e.function_name.clone(),
                    reason: e.reason_display(),
                };
                a.push(event, ev.clone());
                if let Some(description) = alert {
                    a.push(Event::Alert { from: Role::Server, level: AlertLevel::FATAL, description }, ev.clone());
                }
            }
            a.push(Event::End { outcome: Outcome::Failed }, ev);
        }
    }
}

/// One chunk of a TLS proxy log with its wrapped lines joined.
#[derive(Debug, Default)]
struct Joined {
    /// Line ends in the chunk.
    newlines: u64,
    /// Lines longer than [`LINE_CAP`] (only their start is read).
    long: u64,
    /// Continuation lines before the chunk's first entry (they belong to an entry before).
    lead: Vec<String>,
    /// Entries by their first line (inside the chunk, from 1); the last may go on in the next
    /// chunk.
    entries: Vec<(u64, String)>,
}

/// Add a continuation line to an entry (cut at [`LINE_CAP`]).
fn join(joined: &mut String, more: &str) {
    if !more.is_empty() && joined.len() + more.len() < LINE_CAP {
        joined.push(' ');
        joined.push_str(more);
    }
}

fn scan(chunk: &[u8]) -> Joined {
    let mut out = Joined::default();
    for (no, bytes) in lines(chunk) {
        out.long += u64::from(bytes.len() > LINE_CAP);
        let text = String::from_utf8_lossy(cap_bytes(bytes, LINE_CAP));
        if parse_line(&text).is_some() {
            out.entries.push((no, text.trim_end().to_string()));
        } else if let Some((_, joined)) = out.entries.last_mut() {
            join(joined, text.trim());
        } else if !text.trim().is_empty() {
            out.lead.push(text.trim().to_string());
        }
    }
    out.newlines = newlines(chunk);
    out
}

/// Parse a TLS proxy log into one attempt per session, each handed to `sink`.
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
    let sessions = Sessions::new(ctx.limits.max_open_sessions, sink);
    let mut st = State { path: src.path.clone(), sessions, pending: Vec::new() };
    let mut current: Option<(u64, String)> = None;
    let mut long = 0u64;
    let mut base = 0u64;
    let consume = |_: &[u8], j: Joined| {
        if let Some((_, joined)) = current.as_mut() {
            for more in &j.lead {
                join(joined, more);
            }
        }
        for (no, text) in j.entries {
            if let Some((n, joined)) = current.replace((base + no, text)) {
                if let Some(l) = parse_line(&joined) {
                    st.handle(n, &l, &joined);
                }
            }
        }
        base += j.newlines;
        long += j.long;
    };
    let read = chunks::run(&mut src.data, chunk, scan, consume);
    if let Some((n, joined)) = current.take() {
        if let Some(l) = parse_line(&joined) {
            st.handle(n, &l, &joined);
        }
    }
    st.sessions.finish();
    let note = (long > 0).then(|| {
        format!("{} longer than {LINE_CAP} bytes, only the start was read", crate::wording::counted(long, "line"))
    });
    match read {
        Ok(()) => ReadStatus::new(Status::Ok, note).with_line_ends(base),
        Err(e) => ReadStatus::new(Status::Partial, Some(format!("reading stopped: {e}"))),
    }
}
