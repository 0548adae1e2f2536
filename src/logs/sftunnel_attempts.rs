//! Groups `sftunneld` lines into connection attempts and turns them into events.
//!
//! Lines belong to a thread `(host, pid, tid)`. A thread's attempt starts afresh at
//! `Initiating ... connection`, after more than 60 s of silence, and after the attempt has ended
//! (handshake failed, refused) when the thread starts another handshake (`Connected`, a
//! certificate error block, the verify callback). The closing `Failed connecting with SSL` line
//! ends an attempt for good. The device's log is the client's view (`observer = client`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::net::IpAddr;

use jiff::Timestamp;

use super::sftunneld::Msg;
use super::text::{cap, EVIDENCE_CAP};
use crate::codes::{AlertLevel, OpenSslError, VerifyCode};
use crate::model::{Attempt, Context, Endpoint, Event, Evidence, EvidenceText, Host, Outcome, Role, TunnelStep};
use crate::util::fasthash::FastMap;

/// More open threads than this: all are closed (hostile input).
const MAX_THREADS: usize = 4096;
/// Host names remembered before the table is rebuilt from the open threads.
const MAX_HOSTS: usize = 2 * MAX_THREADS;
const GAP_SECONDS: i64 = 60;
/// A thread whose last line is this far from its host's latest line (either way: clocks step
/// back) is closed before its next line: by the gap rule that line starts a new attempt anyway,
/// unless the host's clock jumps away and back again. Hosts are compared with themselves only,
/// since files that join several devices' logs go back in time where one device's part ends. Without it one quiet tunnel that stays up
/// would hold back every later attempt until the end of the file.
const IDLE_SECONDS: i64 = 10 * GAP_SECONDS;
/// More complete attempts than this waiting behind an open one: every thread is closed (a log
/// without usable times, or hostile input), so that memory stays bounded.
const MAX_WAITING: usize = 1 << 16;

/// A thread: host (as an index into the host names), pid, tid.
type Key = (u32, Option<u32>, Option<u64>);

/// Keys come from the log: the table's hasher is keyed (`util::fasthash`).
type Threads = FastMap<Key, Thread>;

/// What an `sftunneld` line says, in the form the grouping keeps (owned, so that it can be
/// parsed on another thread than the one that groups it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Said {
    Initiating(Option<IpAddr>),
    Connected(Option<IpAddr>),
    CertDepth(u32),
    Issuer(String),
    Subject(String),
    VerifyErr(u32),
    /// `SSL Verification status: TEXT`: the code when TEXT names a failure.
    VerifyStatus(Option<VerifyCode>),
    SslError(Box<OpenSslError>),
    HandshakeFailed,
    FailedTo(Option<IpAddr>),
    FailedFinal(Option<IpAddr>),
    Refused(Option<IpAddr>),
    VerifyCallback,
    Tunnel(TunnelStep, Option<String>),
    Other,
}

impl From<Msg<'_>> for Said {
    fn from(m: Msg<'_>) -> Said {
        match m {
            Msg::Initiating(ip) => Said::Initiating(ip),
            Msg::Connected(ip) => Said::Connected(ip),
            Msg::CertDepth(d) => Said::CertDepth(d),
            Msg::Issuer(v) => Said::Issuer(EvidenceText::new(cap(v, EVIDENCE_CAP)).to_string()),
            Msg::Subject(v) => Said::Subject(EvidenceText::new(cap(v, EVIDENCE_CAP)).to_string()),
            Msg::VerifyErr(n, _) => Said::VerifyErr(n),
            Msg::VerifyStatus(text) => {
                Said::VerifyStatus((!text.eq_ignore_ascii_case("ok")).then(|| VerifyCode::from_text(text)).flatten())
            }
            Msg::SslError(e) => Said::SslError(Box::new(e)),
            Msg::HandshakeFailed => Said::HandshakeFailed,
            Msg::FailedTo(ip) => Said::FailedTo(ip),
            Msg::FailedFinal(ip) => Said::FailedFinal(ip),
            Msg::Refused(ip) => Said::Refused(ip),
            Msg::VerifyCallback => Said::VerifyCallback,
            Msg::Tunnel(step, peer) => Said::Tunnel(step, peer),
            Msg::Other => Said::Other,
        }
    }
}

/// What the grouping needs of a line that matters.
#[derive(Debug)]
pub(crate) struct Body<'a> {
    pub host: Cow<'a, str>,
    pub pid: Option<u32>,
    pub tid: Option<u64>,
    pub said: Said,
    /// The evidence text: the line, cut at `EVIDENCE_CAP`.
    pub text: EvidenceText,
}

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
    /// It got a line since the last [`Grouper::settle`].
    fed: bool,
}

/// Collects the attempts of one file.
pub(crate) struct Grouper {
    path: String,
    /// Host names seen, by index (only those of open threads survive a [`Grouper::compact`]).
    hosts: HashMap<String, u32>,
    /// The names of `hosts` by index, with the time of each host's latest line.
    names: Vec<(String, Option<Timestamp>)>,
    threads: Threads,
    done: Vec<(u64, Attempt)>,
    /// The host of the previous line.
    last_host: Option<u32>,
}

impl Grouper {
    pub(crate) fn new(path: &str) -> Self {
        Grouper {
            path: path.to_string(),
            hosts: HashMap::new(),
            names: Vec::new(),
            threads: Threads::default(),
            done: Vec::new(),
            last_host: None,
        }
    }

    fn close(&mut self, key: &Key) {
        if let Some(t) = self.threads.remove(key) {
            if !t.attempt.events.is_empty() {
                self.done.push((t.first_line, t.attempt));
            }
        }
    }

    /// The index of a host name; the table is rebuilt from the open threads when it grows past
    /// [`MAX_HOSTS`] (hostile input with ever new names).
    /// Lines come in runs of one host: the previous line's host is tried before the table.
    fn host(&mut self, host: &str, previous: Option<u32>) -> u32 {
        if let Some(i) = previous.filter(|&i| self.names.get(i as usize).is_some_and(|(n, _)| n == host)) {
            return i;
        }
        if let Some(&i) = self.hosts.get(host) {
            return i;
        }
        if self.hosts.len() >= MAX_HOSTS {
            self.compact();
        }
        let i = self.hosts.len() as u32;
        self.hosts.insert(host.to_string(), i);
        self.names.push((host.to_string(), None));
        i
    }

    /// Rebuild the host table from the open threads; a host without one loses its latest time,
    /// which its next line sets again before any thread of it can be compared with it.
    fn compact(&mut self) {
        let mut hosts: HashMap<String, u32> = HashMap::new();
        let mut names = Vec::new();
        let mut threads = Threads::with_capacity_and_hasher(self.threads.len(), Default::default());
        for ((old, pid, tid), t) in self.threads.drain() {
            let name = t.attempt.device.clone().unwrap_or_default();
            let next = hosts.len() as u32;
            let i = *hosts.entry(name.clone()).or_insert_with(|| {
                names.push((name, self.names.get(old as usize).and_then(|(_, l)| *l)));
                next
            });
            threads.insert((i, pid, tid), t);
        }
        self.hosts = hosts;
        self.names = names;
        self.threads = threads;
    }

    /// Feed one sftunneld line.
    pub(crate) fn feed(&mut self, no: u64, time: Option<Timestamp>, body: Body<'_>) {
        if body.said == Said::Other {
            return;
        }
        let key: Key = (self.host(&body.host, self.last_host), body.pid, body.tid);
        self.last_host = Some(key.0);
        if let Some(t) = self.threads.get(&key) {
            let gap = match (t.last, time) {
                (Some(a), Some(b)) => (b.as_second() - a.as_second()).abs() > GAP_SECONDS,
                _ => false,
            };
            let restart = matches!(body.said, Said::Initiating(_))
                || (t.ended && matches!(body.said, Said::Connected(_) | Said::CertDepth(_) | Said::VerifyCallback));
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
        let t = self.threads.entry(key).or_insert_with(|| Thread {
            attempt: Attempt {
                context: Context::Sftunnel,
                observer: Some(Role::Client),
                device: Some(body.host.to_string()),
                ..Default::default()
            },
            first_line: no,
            ..Default::default()
        });
        t.fed = true;
        if time.is_some() {
            t.last = time;
            if let Some((_, latest)) = self.names.get_mut(key.0 as usize) {
                *latest = time;
            }
        }
        let ev = Evidence::line_with(&self.path, no, time, body.text);
        let close = apply(t, body.said, ev);
        if close {
            self.close(&key);
        }
    }

    /// The attempts that are complete and begin before every open one, in the order of their
    /// first line: no attempt closed later can come before them, so they can be handed on.
    pub(crate) fn drain_ready(&mut self) -> Vec<Attempt> {
        let idle: Vec<Key> = self
            .threads
            .iter()
            .filter(|(k, t)| {
                let latest = self.names.get(k.0 as usize).and_then(|(_, l)| l.as_ref());
                matches!((latest, t.last), (Some(n), Some(l)) if (n.as_second() - l.as_second()).abs() > IDLE_SECONDS)
            })
            .map(|(k, _)| *k)
            .collect();
        for k in idle {
            self.close(&k);
        }
        if self.done.len() > MAX_WAITING {
            let keys: Vec<Key> = self.threads.keys().cloned().collect();
            for k in keys {
                self.close(&k);
            }
        }
        let open = self.threads.values().map(|t| t.first_line).min().unwrap_or(u64::MAX);
        self.done.sort_by_key(|(line, _)| *line);
        let ready = self.done.partition_point(|(line, _)| *line < open);
        self.done.drain(..ready).map(|(_, a)| a).collect()
    }

    /// For a log read while it is written: close the threads that got no line since the last
    /// call and hold more than their `Initiating` (a thread still waiting for its TCP connection
    /// stays open); every complete attempt, in the order of its first line.
    pub(crate) fn settle(&mut self) -> Vec<Attempt> {
        let quiet: Vec<Key> = self
            .threads
            .iter()
            .filter(|(_, t)| !t.fed && t.attempt.events.iter().any(|o| !matches!(o.event, Event::Connecting)))
            .map(|(k, _)| *k)
            .collect();
        for k in quiet {
            self.close(&k);
        }
        self.threads.values_mut().for_each(|t| t.fed = false);
        self.done.sort_by_key(|(line, _)| *line);
        std::mem::take(&mut self.done).into_iter().map(|(_, a)| a).collect()
    }

    /// All attempts, in the order of their first line.
    pub(crate) fn finish(&mut self) -> Vec<Attempt> {
        let keys: Vec<Key> = self.threads.keys().cloned().collect();
        for k in keys {
            self.close(&k);
        }
        self.done.sort_by_key(|(line, _)| *line);
        std::mem::take(&mut self.done).into_iter().map(|(_, a)| a).collect()
    }
}

fn push(t: &mut Thread, event: Event, ev: Evidence) {
    t.attempt.push(event, ev);
}

fn set_server(t: &mut Thread, ip: Option<IpAddr>, overwrite: bool) {
    if let Some(ip) = ip {
        if overwrite || t.attempt.server.is_none() {
            t.attempt.server = Some(Endpoint::new(Host::Ip(ip), None));
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
fn apply(t: &mut Thread, said: Said, ev: Evidence) -> bool {
    match said {
        Said::Initiating(ip) => {
            set_server(t, ip, true);
            push(t, Event::Connecting, ev);
        }
        Said::Connected(ip) => {
            set_server(t, ip, false);
            push(t, Event::Connected, ev);
        }
        Said::CertDepth(depth) => t.block = Some(CertBlock { depth, ..Default::default() }),
        Said::Issuer(v) => {
            if let Some(b) = t.block.as_mut() {
                b.issuer = Some(v);
            }
        }
        Said::Subject(v) => {
            if let Some(b) = t.block.as_mut() {
                b.subject = Some(v);
            }
        }
        Said::VerifyErr(code) => verify_error(t, VerifyCode(code), ev),
        Said::VerifyStatus(code) => {
            if let (Some(code), false) = (code, t.verify_logged) {
                verify_error(t, code, ev);
            }
        }
        Said::SslError(e) => {
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
        Said::HandshakeFailed => end_failed(t, ev),
        Said::FailedTo(ip) => {
            set_server(t, ip, false);
            end_failed(t, ev);
        }
        Said::FailedFinal(ip) => {
            set_server(t, ip, false);
            end_failed(t, ev);
            return true;
        }
        Said::Refused(ip) => {
            set_server(t, ip, false);
            push(t, Event::Refused, ev);
            t.ended = true;
        }
        Said::Tunnel(what, peer) => {
            let peer = peer.as_deref().map(Host::parse);
            if t.attempt.server.is_none() {
                t.attempt.server = peer.clone().map(Endpoint::from);
            }
            push(t, Event::TunnelError { what, peer }, ev);
        }
        Said::VerifyCallback | Said::Other => {}
    }
    false
}
