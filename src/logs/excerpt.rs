//! Log excerpts: sftunneld messages as case notes, mails and forum posts carry them, without
//! the syslog prefix or with another one (ISO and journalctl stamps, a case-note header, a
//! quote), several often run together on one line. Messages are recognised by their text
//! ([`super::excerpt_line`]) and grouped into attempts like syslog lines: by thread id where a
//! `[tid] sftunneld:` marker gives one, else by the order of the lines. Times are used when the
//! lines carry them. Both the grouping and the times are inferred, and every finding says so.
//!
//! TLS proxy messages ([`super::excerpt_proxy`]) and status command outputs
//! ([`super::tunnel_status`]) in the same text are read too.

use std::borrow::Cow;

use super::excerpt_line::{self, Stamp};
use super::sftunnel_attempts::{Body, Grouper};
use super::sftunnel_said::Said;
use super::sftunneld::{classify, Msg};
use super::syslog_scan::LINE_CAP;
use super::text::{cap, lines, EVIDENCE_CAP};
use super::years::YearRule;
use crate::model::{Attempt, EvidenceText};
use crate::model::{Head, IngestContext, MapAttempts, ReadStatus, Sink, Source, Status};

/// Excerpts are pasted text: only this much of one is read (a bigger file that starts like one
/// is read up to here, and its status says so).
const EXCERPT_CAP: usize = 16 << 20;
/// Attempts that are complete are handed on every this many lines.
const DRAIN_LINES: u64 = 4096;

/// What was read from one excerpt.
#[derive(Debug, Default)]
struct Tally {
    messages: u64,
    with_tid: u64,
    with_time: u64,
}

/// Whether the head is an excerpt: sftunneld messages outside syslog lines, as many as the
/// syslog lines or more (its reader takes the syslog lines among them too). A device's own log
/// has none.
pub fn sniff(head: &Head<'_>) -> bool {
    let c = head.line_counts();
    c.excerpt > 0 && c.excerpt >= c.syslog
}

/// Whether a text line (not a syslog or `tls_proxy.log` line) carries an sftunneld or a TLS
/// proxy message.
pub fn looks_like(line: &str) -> bool {
    excerpt_line::looks_like(line) || super::excerpt_proxy::looks_like(line)
}

/// Read an excerpt (or a status output, which may carry excerpt lines too); attempts and
/// tunnel states go to `sink`.
pub fn parse(src: &mut Source<'_>, ctx: &IngestContext, sink: &mut dyn Sink) -> ReadStatus {
    let whole = match src.whole_or_status(EXCERPT_CAP as u64) {
        Ok(w) => w,
        Err(status) => return status,
    };
    // A bigger text is read up to the last line end before the cap.
    let cut = whole.cut.then(|| memchr::memrchr(b'\n', &whole.bytes).map_or(EXCERPT_CAP, |p| p + 1));
    let data = &whole.bytes[..cut.unwrap_or(whole.bytes.len())];
    // How the attempts are grouped and timed is said beside each of them, so it is counted
    // first; the second pass groups and hands them on.
    let tally = read_sftunneld(src, data, ctx, None);
    read_sftunneld(src, data, ctx, Some((sink, &inferred_note(&tally))));
    let mut proxy_sink = MapAttempts { inner: sink, map: note_proxy_inference };
    let proxy_messages = super::excerpt_proxy::read(src, data, ctx, &mut proxy_sink);
    let tunnels = super::tunnel_status::read(&src.path, data);
    let (status, message) = status_of(&tally, proxy_messages, tunnels.len(), cut);
    for t in tunnels {
        sink.fact(t);
    }
    ReadStatus::new(status, message)
}

/// The sftunneld messages of an excerpt (the text `data` of `src`): counted, and with `to` grouped into attempts (by
/// thread id, else by order) that go to its sink with its inference note.
fn read_sftunneld(src: &Source<'_>, data: &[u8], ctx: &IngestContext, mut to: Option<(&mut dyn Sink, &str)>) -> Tally {
    let mut years = YearRule::new(ctx.year, src.mtime, ctx.now);
    let mut grouper = Grouper::new(&src.path);
    let mut tally = Tally::default();
    let hand_on = |ready: Vec<Attempt>, to: &mut Option<(&mut dyn Sink, &str)>| {
        if let Some((sink, note)) = to {
            for mut a in ready {
                if a.device.as_deref() == Some("") {
                    a.device = None;
                }
                a.inferred = Some(note.to_string());
                sink.attempt(a);
            }
        }
    };
    for (no, bytes) in lines(data) {
        if no % DRAIN_LINES == 0 && to.is_some() {
            hand_on(grouper.drain_ready(), &mut to);
        }
        let text = String::from_utf8_lossy(&bytes[..bytes.len().min(LINE_CAP)]);
        let line = excerpt_line::read(&text);
        if line.messages.is_empty() {
            continue;
        }
        let time = match line.stamp {
            Some(Stamp::Full(t)) => Some(t),
            Some(Stamp::Syslog(mo, d, h, mi, s)) => years.time((mo, d, h, mi, s)),
            None => None,
        };
        let evidence = cap(text.trim_end(), EVIDENCE_CAP);
        for m in &line.messages {
            let msg = classify(&m.text);
            if msg == Msg::Other {
                continue;
            }
            tally.messages += 1;
            tally.with_tid += u64::from(m.tid.is_some());
            tally.with_time += u64::from(time.is_some());
            if to.is_none() {
                continue;
            }
            let body = Body {
                host: Cow::Borrowed(line.host.unwrap_or("")),
                pid: line.pid,
                tid: m.tid,
                said: Said::from(msg),
                text: EvidenceText::new(evidence),
            };
            grouper.feed(no, time, body);
        }
    }
    if to.is_some() {
        hand_on(grouper.finish(), &mut to);
    }
    tally
}

/// A TLS proxy session rebuilt from pasted lines says so, and whether its times were pasted.
fn note_proxy_inference(mut a: Attempt) -> Attempt {
    let grouping =
        if a.events.iter().all(|o| o.evidence.time.is_none()) { "no times given" } else { "times as pasted" };
    a.inferred =
        Some(format!("from a log excerpt: TLS proxy session rebuilt from pasted lines, {grouping} (inferred)"));
    a
}

/// The input's status and what it says: what was read of each kind, and whether it was cut.
fn status_of(tally: &Tally, proxy_messages: u64, tunnels: usize, cut: Option<usize>) -> (Status, Option<String>) {
    let mut parts = Vec::new();
    if tally.messages > 0 {
        parts.push(format!("log excerpt: {} sftunneld message(s), {}", tally.messages, inference(tally)));
    }
    if proxy_messages > 0 {
        parts.push(format!("{proxy_messages} TLS proxy message(s) read as an excerpt"));
    }
    if tunnels > 0 {
        parts.push(format!("{tunnels} tunnel status block(s) of status command output"));
    }
    if let Some(at) = cut {
        parts.push(format!("only the first {at} bytes were read: an excerpt is not expected to be larger"));
    }
    if tally.messages == 0 && proxy_messages == 0 && tunnels == 0 {
        (Status::Skipped, Some("no sftunneld message or status output could be read from it".to_string()))
    } else if cut.is_some() {
        (Status::Partial, Some(parts.join("; ")))
    } else {
        (Status::Ok, Some(parts.join("; ")))
    }
}

/// What the excerpt left to inference, in the words every finding of it carries.
fn inferred_note(t: &Tally) -> String {
    format!("from a log excerpt: {}", inference(t))
}

/// How attempts were grouped and where times came from.
fn inference(t: &Tally) -> String {
    let grouping = if t.with_tid == t.messages && t.messages > 0 {
        "attempts grouped by the thread ids of the lines"
    } else if t.with_tid > 0 {
        "attempts grouped by thread ids where given, else by line order"
    } else {
        "attempts grouped by line order"
    };
    let times = if t.with_time == 0 {
        "no times given"
    } else if t.with_time < t.messages {
        "times only where the lines carry them"
    } else {
        "times from the lines' own stamps"
    };
    format!("{grouping}, {times} (inferred)")
}
