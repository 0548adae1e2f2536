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
use super::sftunnel_attempts::{Body, Grouper, Said};
use super::sftunneld::{classify, Msg};
use super::syslog_scan::LINE_CAP;
use super::text::{cap, lines, EVIDENCE_CAP};
use super::years::YearRule;
use crate::model::{Attempt, Handover, Judged};
use crate::model::{Format, IngestContext, Parsed, Source, Status};

/// Excerpts are pasted text: only this much of one is read (a bigger file that starts like one
/// is read up to here, and its status says so).
const EXCERPT_CAP: usize = 16 << 20;
/// Stands for the inference note while attempts are judged before the whole excerpt is read.
const PENDING_NOTE: &str = "\u{1}excerpt-note\u{1}";
/// Attempts are handed on (and judged, when the run asks for it) every this many lines.
const DRAIN_LINES: u64 = 4096;

/// What was read from one excerpt.
#[derive(Debug, Default)]
struct Tally {
    messages: u64,
    with_tid: u64,
    with_time: u64,
}

/// Whether a text line (not a syslog or `tls_proxy.log` line) carries an sftunneld or a TLS
/// proxy message.
pub fn looks_like(line: &str) -> bool {
    excerpt_line::looks_like(line) || super::excerpt_proxy::looks_like(line)
}

/// Read an excerpt (or a status output, which may carry excerpt lines too).
pub fn parse(whole: &Source<'_>, format: Format, ctx: &IngestContext) -> Parsed {
    let cut = (whole.data.len() > EXCERPT_CAP).then(|| {
        let head = &whole.data[..EXCERPT_CAP];
        memchr::memrchr(b'\n', head).map_or(EXCERPT_CAP, |p| p + 1)
    });
    let src = &Source {
        path: whole.path.clone(),
        data: &whole.data[..cut.unwrap_or(whole.data.len())],
        mtime: whole.mtime,
        depth: whole.depth,
    };
    let (tally, done) = read_sftunneld(src, ctx);
    let note = inferred_note(&tally);
    let (mut attempts, judged) = done.finish(&note);
    let (proxy_attempts, proxy_messages) = super::excerpt_proxy::read(src, ctx);
    attempts.extend(proxy_attempts.into_iter().map(note_proxy_inference));
    let tunnels = super::tunnel_status::read(src);
    let (status, message) = status_of(&tally, proxy_messages, tunnels.len(), cut);
    let mut out = Parsed::status(&src.path, format, status, Some(message), whole.data.len() as u64);
    out.attempts = attempts;
    out.judged.extend(judged);
    out.facts = tunnels;
    out
}

/// The sftunneld messages of an excerpt, grouped into attempts (by thread id, else by order).
fn read_sftunneld(src: &Source<'_>, ctx: &IngestContext) -> (Tally, Done) {
    let mut years = YearRule::new(ctx.year, src.mtime, ctx.now);
    let mut grouper = Grouper::new(&src.path);
    let mut tally = Tally::default();
    let mut done = Done::new(ctx);
    for (no, bytes) in lines(src.data) {
        if no % DRAIN_LINES == 0 {
            done.take(grouper.drain_ready());
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
            let msg = classify(m.text);
            if msg == Msg::Other {
                continue;
            }
            tally.messages += 1;
            tally.with_tid += u64::from(m.tid.is_some());
            tally.with_time += u64::from(time.is_some());
            let body = Body {
                host: Cow::Borrowed(line.host.unwrap_or("")),
                pid: line.pid,
                tid: m.tid,
                said: Said::from(msg),
                text: Cow::Borrowed(evidence),
            };
            grouper.feed(no, time, body);
        }
    }
    done.take(grouper.finish());
    (tally, done)
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
fn status_of(tally: &Tally, proxy_messages: u64, tunnels: usize, cut: Option<usize>) -> (Status, String) {
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
        (Status::Skipped, "no sftunneld message or status output could be read from it".to_string())
    } else if cut.is_some() {
        (Status::Partial, parts.join("; "))
    } else {
        (Status::Ok, parts.join("; "))
    }
}

/// Attempts of an excerpt as they complete: handed to the run's sink at once when it has one
/// (memory then stays bounded by what the sink keeps), else kept.
struct Done {
    handover: Handover,
}

impl Done {
    fn new(ctx: &IngestContext) -> Self {
        Done { handover: Handover::new(ctx.judge.as_deref()) }
    }

    fn take(&mut self, ready: Vec<Attempt>) {
        let mut ready = ready;
        for a in &mut ready {
            if a.device.as_deref() == Some("") {
                a.device = None;
            }
            a.inferred = Some(PENDING_NOTE.to_string());
        }
        self.handover.take(ready);
    }

    /// The attempts kept and what the sink made of the others, with the final inference note put
    /// in.
    fn finish(mut self, note: &str) -> (Vec<Attempt>, Option<Judged>) {
        if let Handover::Sink(sink) = &mut self.handover {
            sink.restate_inferred(PENDING_NOTE, note);
        }
        let (mut attempts, judged) = self.handover.finish();
        for a in &mut attempts {
            a.inferred = Some(note.to_string());
        }
        (attempts, judged)
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
