//! Reading one capture on several threads.
//!
//! One reader walks the records once ([`dispatch::walk`]) and sends each TCP segment to the
//! worker that follows its connection: a connection is always followed whole by one worker, and
//! no packet is copied. At the end of the capture each worker finishes its connections and turns
//! each into what the caller asked for (`post`: for `analyze`, the session with its certificates
//! parsed), still on its own thread. The results are merged in the order of each connection's
//! first frame, so they do not depend on the number of workers.
//!
//! The workers share the connection limits: a capture whose workers together may have needed
//! more than one table holds ([`flows::within_limits`]) is read again on one thread, where the
//! limits apply to the whole file exactly as in a sequential run.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Arc;

use super::dispatch::{self, Dispatcher, Message, Route, Walk, QUEUE};
use super::flows::{self, Tracker};
use super::reader::{self, Stamp};
use super::{Finished, Stats};
use crate::tls::Seen;

/// Captures smaller than this are read on one thread (starting threads would cost more).
const PARALLEL_MIN: usize = 8 << 20;
const MAX_WORKERS: usize = 64;

/// Frames of at least this size on average mark a capture of bulk transfers (full segments).
const BULK_FRAME: usize = 1000;

/// How many workers read `data`: every thread of the current pool for big captures dense in
/// small packets (handshakes), one for small ones and for bulk transfers. A bulk capture is
/// bound by walking its records, which only the reader does, so workers would add only the
/// queues; a capture whose first stretch holds mostly full-size frames is taken as bulk.
pub fn workers_for(data: &[u8]) -> usize {
    if data.len() < PARALLEL_MIN {
        return 1;
    }
    let sample = data.get(..PARALLEL_MIN).unwrap_or(data);
    let mut frames = 0usize;
    reader::read_frames(sample, |_| frames += 1);
    if frames == 0 || sample.len() / frames >= BULK_FRAME {
        return 1;
    }
    rayon::current_num_threads().clamp(1, MAX_WORKERS)
}

/// What became of each connection, in the order of its first frame, with the whole file's counts.
pub struct Followed<T> {
    pub conns: Vec<T>,
    pub stats: Stats,
    pub walk: Walk,
}

/// What a worker makes of each finished connection.
pub type Post<'p, T> = &'p (dyn Fn(Finished) -> T + Sync);

/// On one thread, the walk feeds the connection table directly.
impl<'a> Route<'a> for Tracker {
    fn segment(&mut self, item: dispatch::Item<'a>, _end: usize) {
        self.push(&item.segment, Seen { frame: item.frame, time: item.stamp.time() });
    }
    fn step(&mut self, at: usize) -> usize {
        at
    }
    fn end(&mut self, _at: usize, last: Option<(u64, Stamp)>) {
        if let Some((frame, stamp)) = last {
            self.pass(frame, stamp);
        }
    }
}

/// One worker's connections (each with its first frame) and counts.
struct Part<T> {
    conns: Vec<(u64, T)>,
    stats: Stats,
    used: flows::Used,
}

/// Finish a connection table and turn its connections into `T`.
fn finish<T>(tracker: Tracker, post: Post<'_, T>) -> Part<T> {
    let used = tracker.used;
    let (conns, stats) = tracker.finish();
    Part { conns: conns.into_iter().map(|f| (f.conn.first.frame, post(f))).collect(), stats, used }
}

/// Follow the connections of `data` on `workers` threads; `progress` gets every byte once.
pub fn follow<T: Send>(
    data: &[u8],
    record: bool,
    workers: usize,
    progress: &(dyn Fn(u64) + Sync),
    post: Post<'_, T>,
) -> Followed<T> {
    let workers = workers.clamp(1, MAX_WORKERS);
    if workers > 1 {
        match follow_on(data, record, workers, progress, post) {
            Ok(done) => return done,
            // A share of the limits was exceeded, or a thread could not be started or failed:
            // only a sequential run drops the same connections. Bytes already reported as read
            // are not reported again.
            Err(walked) => {
                let silent = |_| {};
                return sequential(data, record, if walked { &silent } else { progress }, post);
            }
        }
    }
    sequential(data, record, progress, post)
}

fn sequential<T>(data: &[u8], record: bool, progress: &dyn Fn(u64), post: Post<'_, T>) -> Followed<T> {
    let mut tracker = Tracker::default();
    tracker.record = record;
    let walk = dispatch::walk(data, &mut tracker, progress);
    let part = finish(tracker, post);
    Followed { conns: part.conns.into_iter().map(|(_, t)| t).collect(), stats: part.stats, walk }
}

/// The parallel run; `Err(walked)` when it cannot give the sequential result, `walked` telling
/// whether the file's bytes were already reported to `progress`.
fn follow_on<T: Send>(
    data: &[u8],
    record: bool,
    workers: usize,
    progress: &(dyn Fn(u64) + Sync),
    post: Post<'_, T>,
) -> Result<Followed<T>, bool> {
    let handled: Vec<AtomicUsize> = (0..workers).map(|_| AtomicUsize::new(0)).collect();
    let handled = &handled[..];
    let live = Arc::new(AtomicUsize::new(0));
    let (walk, parts) = std::thread::scope(|s| {
        let mut senders = Vec::with_capacity(workers);
        let mut handles = Vec::with_capacity(workers);
        for (me, done) in handled.iter().enumerate() {
            let (tx, rx) = sync_channel(QUEUE);
            let live = live.clone();
            let job = move || worker(rx, record, live, done, post);
            let started = std::thread::Builder::new().name(format!("capture-{me}")).spawn_scoped(s, job);
            // The workers already started see their queue closed and stop.
            let Ok(handle) = started else { return Err(false) };
            senders.push(tx);
            handles.push(handle);
        }
        let walk = dispatch::walk(data, &mut Dispatcher::new(senders, handled), progress);
        let parts: Option<Vec<Part<T>>> = handles.into_iter().map(|h| h.join().ok()).collect();
        Ok((walk, parts))
    })?;
    let parts = parts.ok_or(true)?;
    if !flows::within_limits(parts.iter().map(|p| p.used)) {
        return Err(true);
    }
    Ok(merge(parts, walk))
}

/// Follow the segments a reader sends until the capture ends, then finish the connections.
fn worker<T>(
    queue: Receiver<Message<'_>>,
    record: bool,
    live: Arc<AtomicUsize>,
    handled: &AtomicUsize,
    post: Post<'_, T>,
) -> Part<T> {
    let mut tracker = Tracker::sharing(live);
    tracker.record = record;
    while let Ok(message) = queue.recv() {
        match message {
            Message::Segments { items, upto } => {
                for it in &items {
                    tracker.push(&it.segment, Seen { frame: it.frame, time: it.stamp.time() });
                }
                handled.store(upto, Ordering::Release);
            }
            Message::End(last) => {
                if let Some((frame, stamp)) = last {
                    tracker.pass(frame, stamp);
                }
                break;
            }
        }
    }
    finish(tracker, post)
}

/// One result from the workers' parts, each holding its own connections.
fn merge<T>(parts: Vec<Part<T>>, walk: Walk) -> Followed<T> {
    let mut stats = Stats::default();
    let mut all: Vec<(u64, T)> = Vec::with_capacity(parts.iter().map(|p| p.conns.len()).sum());
    for p in parts {
        stats.non_tls_streams += p.stats.non_tls_streams;
        stats.dropped_conns += p.stats.dropped_conns;
        stats.conflicting_conns += p.stats.conflicting_conns;
        stats.low_ttl_conns += p.stats.low_ttl_conns;
        all.extend(p.conns);
    }
    // First frames are distinct: a frame carries one segment, which opens at most one connection.
    all.sort_unstable_by_key(|(first, _)| *first);
    Followed { conns: all.into_iter().map(|(_, t)| t).collect(), stats, walk }
}
