//! Reading one capture on several threads.
//!
//! Every worker walks all records of the file (cheap: record headers and packet headers only)
//! but follows only the connections whose endpoints hash to it ([`flows::worker_of`]), so a
//! connection is always followed whole by one worker and no packet is copied or sent anywhere.
//! The results are merged in the order of each connection's first frame, so they do not depend
//! on the number of workers. Each worker gets an equal share of the connection limits; a capture
//! that exceeds a share is read again on one thread, where the limits apply to the whole file
//! exactly as in a sequential run.
//!
//! While walking, worker 0 reports progress and every worker hands back the pages of the file
//! it has passed ([`crate::util::mapped::release`]), so a huge capture does not stay resident.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::flows::{self, Tracker, MAX_CONNS, MAX_TOTAL_CONNS};
use super::link::{self, Decoded};
use super::reader::{self, ReadEnd};
use super::{Analysis, Finished, Stats};
use crate::tls::Seen;
use crate::util::mapped;

/// Captures smaller than this are read on one thread (starting threads would cost more).
const PARALLEL_MIN: usize = 8 << 20;
const MAX_WORKERS: usize = 64;
/// Passed pages are handed back in steps of this size.
const RELEASE_STEP: usize = 8 << 20;
/// Progress is reported in steps of this size.
const PROGRESS_STEP: usize = 1 << 20;

/// Frames of at least this size on average mark a capture of bulk transfers (full segments).
const BULK_FRAME: usize = 1000;

/// How many workers read `data`: every thread of the current pool for big captures dense in
/// small packets (handshakes), one for small ones and for bulk transfers. Each worker walks
/// every record, so extra workers only pay where the work per connection outweighs the walk;
/// a capture whose first stretch holds mostly full-size frames is taken as bulk.
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

/// What one worker found.
struct Part {
    conns: Vec<Finished>,
    stats: Stats,
    end: ReadEnd,
    frames: u64,
    fragments: u64,
    malformed: u64,
    unsupported_links: BTreeSet<i32>,
}

impl From<Part> for Analysis {
    fn from(p: Part) -> Self {
        Analysis {
            conns: p.conns,
            stats: p.stats,
            end: p.end,
            frames: p.frames,
            fragments: p.fragments,
            malformed: p.malformed,
            unsupported_links: p.unsupported_links,
        }
    }
}

/// Follow the connections of worker `me` of `workers`; `progress` gets the bytes walked.
/// `walked[i]` is how far worker `i` has read: pages are handed back only once every worker
/// is past them, so that a fast worker does not evict what a slow one still has to read.
fn worker(
    data: &[u8],
    record: bool,
    me: usize,
    workers: usize,
    progress: &dyn Fn(u64),
    walked: &[AtomicUsize],
) -> Part {
    let mut tracker = Tracker::with_limits(MAX_CONNS / workers, MAX_TOTAL_CONNS / workers);
    tracker.record = record;
    let (mut frames, mut fragments, mut malformed) = (0u64, 0u64, 0u64);
    let mut unsupported_links = BTreeSet::new();
    let (mut reported, mut released) = (0usize, 0usize);
    let end = reader::read_frames(data, |frame| {
        frames = frame.number;
        match link::decode(frame.linktype, frame.data) {
            Decoded::Tcp(seg) if flows::worker_of(seg.src, seg.dst, workers) == me => {
                tracker.push(&seg, Seen { frame: frame.number, time: frame.stamp.time() });
            }
            Decoded::Tcp(_) => tracker.pass(frame.number, frame.stamp),
            Decoded::Other => {}
            Decoded::Fragment => fragments += 1,
            Decoded::Malformed => malformed += 1,
            Decoded::UnsupportedLink => {
                unsupported_links.insert(frame.linktype);
            }
        }
        if frame.end.saturating_sub(reported) >= PROGRESS_STEP {
            progress((frame.end - reported) as u64);
            reported = frame.end;
        }
        if frame.end.saturating_sub(released) >= RELEASE_STEP {
            if let Some(w) = walked.get(me) {
                w.store(frame.end, Ordering::Relaxed);
            }
            let all_past = walked.iter().map(|w| w.load(Ordering::Relaxed)).min().unwrap_or(0);
            if all_past > released {
                mapped::release(data.get(released..all_past).unwrap_or(&[]));
                released = all_past;
            }
        }
    });
    if data.len() > reported {
        progress((data.len() - reported) as u64);
    }
    let (conns, stats) = tracker.finish();
    Part { conns, stats, end, frames, fragments, malformed, unsupported_links }
}

/// Read `data` on `workers` threads; `progress` gets every byte of the file exactly once.
pub fn analyse(data: &[u8], record: bool, workers: usize, progress: &(dyn Fn(u64) + Sync)) -> Analysis {
    let workers = workers.clamp(1, MAX_WORKERS);
    if workers == 1 {
        return worker(data, record, 0, 1, progress, &[AtomicUsize::new(0)]).into();
    }
    let walked: Vec<AtomicUsize> = (0..workers).map(|_| AtomicUsize::new(0)).collect();
    let walked = &walked[..];
    let silent = |_| {};
    let parts: Option<Vec<Part>> = std::thread::scope(|s| {
        let spawned: Vec<(usize, Option<_>)> = (1..workers)
            .map(|me| {
                let job = move || worker(data, record, me, workers, &silent, walked);
                (me, std::thread::Builder::new().name(format!("capture-{me}")).spawn_scoped(s, job).ok())
            })
            .collect();
        let mut parts = vec![worker(data, record, 0, workers, progress, walked)];
        for (me, handle) in spawned {
            // A thread that could not be started does its share here instead.
            let part = match handle {
                Some(h) => h.join().ok()?,
                // It walks after the others: the pages it needs may be gone, which costs
                // faults only.
                None => worker(data, record, me, workers, &silent, walked),
            };
            parts.push(part);
        }
        Some(parts)
    });
    match parts {
        Some(parts) if parts.iter().all(|p| p.stats.dropped_conns == 0) => merge(parts),
        // A share of the limits was exceeded: only a sequential run drops the same connections.
        _ => worker(data, record, 0, 1, &silent, &[AtomicUsize::new(0)]).into(),
    }
}

/// One analysis from the workers' parts (each holds its own connections; the counts of frames
/// that are not TCP are the same in all of them).
fn merge(parts: Vec<Part>) -> Analysis {
    let mut parts = parts.into_iter();
    let Some(first) = parts.next() else {
        return worker(&[], false, 0, 1, &|_| {}, &[]).into();
    };
    let mut all: Analysis = first.into();
    for p in parts {
        all.conns.extend(p.conns);
        all.stats.non_tls_streams += p.stats.non_tls_streams;
        all.stats.dropped_conns += p.stats.dropped_conns;
    }
    all.conns.sort_by_key(|f| f.conn.first.frame);
    all
}
