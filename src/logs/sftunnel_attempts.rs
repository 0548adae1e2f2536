//! Groups `sftunneld` lines into connection attempts and turns them into events.
//!
//! Lines belong to a thread `(host, pid, tid)`. A thread's attempt starts afresh at
//! `Initiating ... connection`, after more than 60 s of silence, and after the attempt has ended
//! (handshake failed, refused) when the thread starts another handshake (`Connected`, a
//! certificate error block, the verify callback). The closing `Failed connecting with SSL` line
//! ends an attempt for good. The device's log is the client's view (`observer = client`).

use std::collections::HashMap;

use jiff::Timestamp;

use super::sftunneld::{classify, Msg, SftLine};
use super::syslog::{cap, Header};
use crate::codes::{AlertLevel, VerifyCode};
use crate::observe::{Attempt, Context, Event, Evidence, Outcome, Role};

/// Evidence text is cut to this many bytes.
pub(crate) const EVIDENCE_CAP: usize = 512;
/// More open threads than this: all are closed (hostile input).
const MAX_THREADS: usize = 4096;
const GAP_SECONDS: i64 = 60;

type Key = (String, Option<u32>, Option<u64>);

#[derive(Default)]
struct CertBlock {
    depth: u32,
    issuer: Option<String>,
    subject: Option<String>,
}

#[derive(Default)]
struct Thread {
    attempt: Attempt,
    first_line: u64,
    last: Option<Timestamp>,
    ended: bool,
    verify_logged: bool,
    block: Option<CertBlock>,
}

/// Collects the attempts of one file.
pub(crate) struct Grouper {
    path: String,
    threads: HashMap<Key, Thread>,
    done: Vec<(u64, Attempt)>,
}

impl Grouper {
    pub(crate) fn new(path: &str) -> Self {
        Grouper { path: path.to_string(), threads: HashMap::new(), done: Vec::new() }
    }

    fn close(&mut self, key: &Key) {
        if let Some(t) = self.threads.remove(key) {
            if !t.attempt.events.is_empty() {
                self.done.push((t.first_line, t.attempt));
            }
        }
    }

    /// Feed one sftunneld line (`raw` is the whole line text).
    pub(crate) fn feed(&mut self, no: u64, time: Option<Timestamp>, h: &Header<'_>, l: &SftLine<'_>, raw: &str) {
        let msg = classify(l.message);
        if msg == Msg::Other {
            return;
        }
        let key: Key = (h.host.to_string(), h.pid, l.tid);
        if let Some(t) = self.threads.get(&key) {
            let gap = match (t.last, time) {
                (Some(a), Some(b)) => (b.as_second() - a.as_second()).abs() > GAP_SECONDS,
                _ => false,
            };
            let restart = matches!(msg, Msg::Initiating(_))
                || (t.ended && matches!(msg, Msg::Connected(_) | Msg::CertDepth(_) | Msg::VerifyCallback));
            if gap || restart {
                self.close(&key);
            }
        }
        if !self.threads.contains_key(&key) && self.threads.len() >= MAX_THREADS {
            let keys: Vec<Key> = self.threads.keys().cloned().collect();
            for k in keys {
                self.close(&k);
            }
        }
        let t = self.threads.entry(key.clone()).or_insert_with(|| Thread {
            attempt: Attempt {
                context: Context::Sftunnel,
                observer: Some(Role::Client),
                device: Some(h.host.to_string()),
                ..Default::default()
            },
            first_line: no,
            ..Default::default()
        });
        if time.is_some() {
            t.last = time;
        }
        let ev = Evidence::line(&self.path, no, time, cap(raw, EVIDENCE_CAP));
        let close = apply(t, msg, ev);
        if close {
            self.close(&key);
        }
    }

    /// All attempts, in the order of their first line.
    pub(crate) fn finish(mut self) -> Vec<Attempt> {
        let keys: Vec<Key> = self.threads.keys().cloned().collect();
        for k in keys {
            self.close(&k);
        }
        self.done.sort_by_key(|(line, _)| *line);
        self.done.into_iter().map(|(_, a)| a).collect()
    }
}

fn push(t: &mut Thread, event: Event, ev: Evidence) {
    t.attempt.push(event, ev);
}

fn set_server(t: &mut Thread, ip: Option<String>, overwrite: bool) {
    if let Some(ip) = ip {
        if overwrite || t.attempt.server.is_none() {
            t.attempt.server = Some(ip);
        }
    }
}

fn end_failed(t: &mut Thread, ev: Evidence) {
    if !t.ended {
        push(t, Event::End { outcome: Outcome::Failed }, ev);
        t.ended = true;
    }
}

fn verify_error(t: &mut Thread, code: VerifyCode, ev: Evidence) {
    let b = t.block.take();
    let event = Event::VerifyError {
        by: Role::Client,
        code,
        depth: b.as_ref().map(|b| b.depth),
        subject: b.as_ref().and_then(|b| b.subject.clone()),
        issuer: b.and_then(|b| b.issuer),
    };
    push(t, event, ev);
    t.verify_logged = true;
}

/// Apply one message to its thread; `true` when the attempt is over for good.
fn apply(t: &mut Thread, msg: Msg<'_>, ev: Evidence) -> bool {
    match msg {
        Msg::Initiating(ip) => {
            set_server(t, ip, true);
            push(t, Event::Connecting, ev);
        }
        Msg::Connected(ip) => {
            set_server(t, ip, false);
            push(t, Event::Connected, ev);
        }
        Msg::CertDepth(depth) => t.block = Some(CertBlock { depth, ..Default::default() }),
        Msg::Issuer(v) => {
            if let Some(b) = t.block.as_mut() {
                b.issuer = Some(cap(v, EVIDENCE_CAP).to_string());
            }
        }
        Msg::Subject(v) => {
            if let Some(b) = t.block.as_mut() {
                b.subject = Some(cap(v, EVIDENCE_CAP).to_string());
            }
        }
        Msg::VerifyErr(code, _) => verify_error(t, VerifyCode(code), ev),
        Msg::VerifyStatus(text) => {
            if !text.eq_ignore_ascii_case("ok") && !t.verify_logged {
                if let Some(code) = VerifyCode::from_text(text) {
                    verify_error(t, code, ev);
                }
            }
        }
        Msg::SslError(e) => {
            let alert = e.received_alert();
            let event = Event::SslError {
                by: Role::Client,
                code: e.code_text.clone(),
                function: e.function_name.clone(),
                reason: e.reason_display(),
            };
            push(t, event, ev.clone());
            if let Some(description) = alert {
                push(t, Event::Alert { from: Role::Server, level: AlertLevel::FATAL, description }, ev);
            }
        }
        Msg::HandshakeFailed => end_failed(t, ev),
        Msg::FailedTo(ip) => {
            set_server(t, ip, false);
            end_failed(t, ev);
        }
        Msg::FailedFinal(ip) => {
            set_server(t, ip, false);
            end_failed(t, ev);
            return true;
        }
        Msg::Refused(ip) => {
            set_server(t, ip, false);
            push(t, Event::Refused, ev);
            t.ended = true;
        }
        Msg::VerifyCallback | Msg::Other => {}
    }
    false
}
