//! Groups `sftunneld` lines into connection attempts and turns them into events.
//!
//! Lines belong to a thread `(host, pid, tid)`. A thread's attempt starts afresh at
//! `Initiating ... connection`, after more than 60 s of silence, and after the attempt has ended
//! (handshake failed, refused) when the thread starts another handshake (`Connected`, a
//! certificate error block, the verify callback). The closing `Failed connecting with SSL` line
//! ends an attempt for good. The device's log is the client's view (`observer = client`).

use std::borrow::Cow;
use std::collections::HashMap;

use jiff::Timestamp;

use super::sftunnel_said::{apply, Progress, Said};
use crate::model::{Attempt, Context, Event, Evidence, EvidenceText, Role};
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
/// Blocks of texts (one per chunk, see `model::TextBlock`) an attempt still held may keep alive,
/// counting the one being fed: one held longer has its texts copied out, so that an attempt that
/// stays open (or waits behind one) does not keep every block read since it began.
const MAX_HELD_BLOCKS: u64 = 8;

/// A thread: host (as an index into the host names), pid, tid.
type Key = (u32, Option<u32>, Option<u64>);

/// Keys come from the log: the table's hasher is keyed (`util::fasthash`).
type Threads = FastMap<Key, Thread>;

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
struct Thread {
    progress: Progress,
    first_line: u64,
    last: Option<Timestamp>,
    /// It got a line since the last [`Grouper::settle`].
    fed: bool,
    /// The block of texts its first line is in.
    first_block: u64,
    /// Its texts are held on their own (it was held too long): so are those of its next lines.
    own_texts: bool,
}

/// A complete attempt waiting to be handed on.
struct Closed {
    first_line: u64,
    first_block: u64,
    own_texts: bool,
    attempt: Attempt,
}

/// Collects the attempts of one file.
pub(crate) struct Grouper {
    path: String,
    /// Host names seen, by index (only those of open threads survive a [`Grouper::compact`]).
    hosts: HashMap<String, u32>,
    /// The names of `hosts` by index, with the time of each host's latest line.
    names: Vec<(String, Option<Timestamp>)>,
    threads: Threads,
    done: Vec<Closed>,
    /// The block of texts of the lines being fed.
    block: u64,
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
            block: 0,
            last_host: None,
        }
    }

    fn close(&mut self, key: &Key) {
        if let Some(t) = self.threads.remove(key) {
            if !t.progress.attempt.events.is_empty() {
                let (first_line, first_block, own_texts) = (t.first_line, t.first_block, t.own_texts);
                self.done.push(Closed { first_line, first_block, own_texts, attempt: t.progress.attempt });
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
            let name = t.progress.attempt.device.clone().unwrap_or_default();
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
        // Whether the thread has an attempt open, and whether this line ends it.
        let ends = self.threads.get(&key).map(|t| {
            let gap = match (t.last, time) {
                (Some(a), Some(b)) => (b.as_second() - a.as_second()).abs() > GAP_SECONDS,
                _ => false,
            };
            let restart = matches!(body.said, Said::Initiating(_))
                || (t.progress.ended
                    && matches!(body.said, Said::Connected(_) | Said::CertDepth(_) | Said::VerifyCallback));
            gap || restart
        });
        if ends == Some(true) {
            self.close(&key);
        }
        // A new attempt for the thread (none was open, or this line ended it).
        if ends != Some(false) && self.threads.len() >= MAX_THREADS {
            let keys: Vec<Key> = self.threads.keys().cloned().collect();
            for k in keys {
                self.close(&k);
            }
        }
        let t = self.threads.entry(key).or_insert_with(|| Thread {
            progress: Progress::new(Attempt {
                context: Context::Sftunnel,
                observer: Some(Role::Client),
                device: Some(body.host.to_string()),
                ..Default::default()
            }),
            first_line: no,
            first_block: self.block,
            ..Default::default()
        });
        t.fed = true;
        if time.is_some() {
            t.last = time;
            if let Some((_, latest)) = self.names.get_mut(key.0 as usize) {
                *latest = time;
            }
        }
        let mut ev = Evidence::line_with(&self.path, no, time, body.text);
        if t.own_texts {
            ev.detach();
        }
        let close = apply(&mut t.progress, body.said, ev);
        if close {
            self.close(&key);
        }
    }

    /// The lines fed next have their texts in block `seq`; the texts of attempts that would
    /// hold more than [`MAX_HELD_BLOCKS`] blocks with it are copied out of their blocks.
    pub(crate) fn start_block(&mut self, seq: u64) {
        self.block = seq;
        let too_old = |first_block: u64| first_block + MAX_HELD_BLOCKS <= seq;
        for t in self.threads.values_mut().filter(|t| !t.own_texts && too_old(t.first_block)) {
            t.progress.attempt.detach_texts();
            t.own_texts = true;
        }
        for c in self.done.iter_mut().filter(|c| !c.own_texts && too_old(c.first_block)) {
            c.attempt.detach_texts();
            c.own_texts = true;
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
        self.done.sort_by_key(|c| c.first_line);
        let ready = self.done.partition_point(|c| c.first_line < open);
        self.done.drain(..ready).map(|c| c.attempt).collect()
    }

    /// For a log read while it is written: close the threads that got no line since the last
    /// call and hold more than their `Initiating` (a thread still waiting for its TCP connection
    /// stays open); every complete attempt, in the order of its first line.
    pub(crate) fn settle(&mut self) -> Vec<Attempt> {
        let quiet: Vec<Key> = self
            .threads
            .iter()
            .filter(|(_, t)| !t.fed && t.progress.attempt.events.iter().any(|o| !matches!(o.event, Event::Connecting)))
            .map(|(k, _)| *k)
            .collect();
        for k in quiet {
            self.close(&k);
        }
        self.threads.values_mut().for_each(|t| t.fed = false);
        self.done.sort_by_key(|c| c.first_line);
        std::mem::take(&mut self.done).into_iter().map(|c| c.attempt).collect()
    }

    /// All attempts, in the order of their first line.
    pub(crate) fn finish(&mut self) -> Vec<Attempt> {
        let keys: Vec<Key> = self.threads.keys().cloned().collect();
        for k in keys {
            self.close(&k);
        }
        self.done.sort_by_key(|c| c.first_line);
        std::mem::take(&mut self.done).into_iter().map(|c| c.attempt).collect()
    }
}
