//! Reading one capture on several workers, with the threads of the caller's rayon pool.
//!
//! The capture is walked once, a block at a time ([`dispatch::walk_block`]); each TCP segment is
//! kept with its block for the worker that follows its connection (a connection is always
//! followed whole by one worker's table, and no payload is copied). While the workers take one
//! block's segments, in parallel, the next block is walked: only two blocks are held at once, and
//! two sets of batches, which take turns (emptied by the workers, filled again by the walk).
//! At the end of the capture each worker's table finishes its connections and turns each into
//! what the caller asked for (`post`: for `analyze`, the session with its certificates parsed),
//! still in parallel. The results are merged in the order of each connection's first frame, so
//! they do not depend on the number of workers. Everything is fork-join on the pool the reader
//! is called in: the reader starts no thread and never blocks one.
//!
//! The workers share the connection limits: a capture whose workers together may have needed
//! more than one table holds ([`flows::within_limits`]) is read again on one worker, where the
//! limits apply to the whole file exactly as in a sequential run. Reading again needs a source that can start again (bytes in memory, a file); one that
//! cannot (a stream out of a decompressor) is read on one worker from the start.

use std::sync::atomic::AtomicUsize;
use std::sync::Arc;

use rayon::prelude::*;

use super::blocks::{Block, Blocks};
use super::dispatch::{self, Frames, Item, Walk};
use super::flows::{self, Finished, Stats, Tracker};
use super::reader::Records;
use crate::model::Data;
use crate::tls::Seen;

/// Bytes walked at a time.
const BLOCK: usize = 1 << 20;
/// Captures whose first block holds the whole capture are read on one worker (the work would
/// not pay for the fork-joins).
const MAX_WORKERS: usize = 64;
/// Frames of at least this size on average mark a capture of bulk transfers (full segments).
const BULK_FRAME: usize = 1000;

/// How many workers read a capture whose first block is `first`: every thread of the current
/// pool for a big capture dense in small packets (handshakes), one for a small one and for bulk
/// transfers. A bulk capture is bound by walking its records, which only one thread does, so
/// workers would add nothing; a capture whose first block holds mostly full-size frames is taken
/// as bulk.
fn workers_for(first: &Block<'_>) -> usize {
    if first.last {
        return 1;
    }
    let mut frames = 0usize;
    Records::default().read(&first.bytes, false, |_| frames += 1);
    if frames == 0 || first.bytes.len() / frames >= BULK_FRAME {
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

/// How a capture is followed: the connections of its table, and test hooks.
#[derive(Clone, Copy, Debug)]
pub struct Follow {
    /// Connections followed at once (ten times as many in all).
    pub max_connections: usize,
    /// Workers (`None`: as many as pay, see `workers_for`).
    pub workers: Option<usize>,
    /// Keep each direction's reassembled bytes (a hook for tests of the stream layer).
    pub record: bool,
    /// Bytes walked at a time.
    pub block: usize,
}

impl Follow {
    pub fn new(max_connections: usize) -> Self {
        Follow { max_connections, workers: None, record: false, block: BLOCK }
    }

    /// Connections followed at once, and in all.
    fn limits(&self) -> (usize, usize) {
        let live = self.max_connections.max(1);
        (live, live.saturating_mul(10))
    }

    /// The connection table of a sequential run.
    fn tracker(&self) -> Tracker {
        let (live, total) = self.limits();
        let mut t = Tracker::with_limits(live, total);
        t.record = self.record;
        t
    }

    /// A connection table of a parallel run: the limits are the whole run's, `live` counts the
    /// connections open in all its tables.
    fn sharing(&self, live: &Arc<AtomicUsize>) -> Tracker {
        let (max_live, max_total) = self.limits();
        let mut t = Tracker::sharing(live.clone(), max_live, max_total);
        t.record = self.record;
        t
    }
}

/// Follow the connections of `data`.
pub fn follow<T: Send>(data: &mut Data<'_>, how: Follow, post: Post<'_, T>) -> Followed<T> {
    let mut blocks = Blocks::new(data, how.block);
    let workers = match how.workers {
        Some(n) => n.clamp(1, MAX_WORKERS),
        None => {
            let mut walk = Walk::default();
            match dispatch::next_block(&mut blocks, &mut walk) {
                Some(first) => {
                    let n = workers_for(&first);
                    blocks.put_back(first);
                    n
                }
                None => return sequential(&mut blocks, &how, post, walk),
            }
        }
    };
    // Reading again after a share was exceeded starts from the first byte: only where it can.
    if workers > 1 && blocks.rewind().unwrap_or(false) {
        if let Some(done) = parallel(&mut blocks, &how, workers, post) {
            return done;
        }
        if blocks.rewind().unwrap_or(false) {
            return sequential(&mut blocks, &how, post, Walk::default());
        }
    }
    sequential(&mut blocks, &how, post, Walk::default())
}

fn sequential<T>(blocks: &mut Blocks<'_, '_>, how: &Follow, post: Post<'_, T>, mut walk: Walk) -> Followed<T> {
    let mut tracker = how.tracker();
    let mut frames = Frames::default();
    while let Some(block) = dispatch::next_block(blocks, &mut walk) {
        let (used, over) = dispatch::segments(&mut frames, &block, &mut walk, |seg, frame, stamp| {
            tracker.push(&seg, Seen { frame, time: stamp.time() });
        });
        blocks.consumed(&block, used);
        dispatch::release(&block);
        blocks.recycle(block);
        if over {
            break;
        }
    }
    frames.finish(&mut walk);
    if let Some((frame, stamp)) = walk.last_tcp {
        tracker.pass(frame, stamp);
    }
    let part = finish(tracker, post);
    Followed { conns: part.conns.into_iter().map(|(_, t)| t).collect(), stats: part.stats, walk }
}

/// The parallel run; `None` when the workers together may have needed more than one table
/// holds (only a sequential run drops the same connections).
fn parallel<T: Send>(
    blocks: &mut Blocks<'_, '_>,
    how: &Follow,
    workers: usize,
    post: Post<'_, T>,
) -> Option<Followed<T>> {
    let live = Arc::new(AtomicUsize::new(0));
    let mut trackers: Vec<Tracker> = (0..workers).map(|_| how.sharing(&live)).collect();
    let (mut frames, mut walk) = (Frames::default(), Walk::default());
    let mut pending: Option<(Block<'_>, Vec<Vec<Item>>)> = None;
    // The batches the workers are done with, emptied, for the next block: two sets take turns,
    // so that their room is allocated once, on this thread. A fresh set a block, freed on
    // whichever worker took it (1.6 MB a batch for a block of SYNs), left that room in the heap
    // of the thread that allocated it, where mimalloc only takes it back when that thread next
    // looks: 20-30 MB of 100,000 half-open connections' run, more as the machine was busier.
    let mut spare: Option<Vec<Vec<Item>>> = None;
    let mut over = false;
    loop {
        let taken = pending.take();
        let batches = spare.take().unwrap_or_else(|| (0..workers).map(|_| Vec::new()).collect());
        // The block and batches the workers are done with, to read another into.
        let mut done = None;
        // The stream stays on this thread (it may borrow an archive's reader): the workers'
        // share goes to the pool.
        let walked = rayon::in_place_scope(|s| {
            let (trackers, done) = (&mut trackers, &mut done);
            s.spawn(move |_| {
                if let Some((block, mut batches)) = taken {
                    trackers.par_iter_mut().zip(batches.par_iter_mut()).for_each(|(tracker, items)| {
                        for it in items.iter() {
                            tracker.push(&it.segment(&block.bytes), Seen { frame: it.frame, time: it.stamp.time() });
                        }
                        items.clear();
                    });
                    dispatch::release(&block);
                    *done = Some((block, batches));
                }
            });
            if over {
                None
            } else {
                dispatch::walk_block(blocks, &mut frames, &mut walk, batches)
            }
        });
        if let Some((block, batches)) = done {
            blocks.recycle(block);
            spare = Some(batches);
        }
        match walked {
            Some((block, batches, ended)) => {
                over = ended;
                pending = Some((block, batches));
            }
            None => break,
        }
    }
    // The batches' room goes back before the tables finish their connections, which need it.
    drop(spare);
    frames.finish(&mut walk);
    if let Some((frame, stamp)) = walk.last_tcp {
        trackers.iter_mut().for_each(|t| t.pass(frame, stamp));
    }
    let parts: Vec<Part<T>> = trackers.into_par_iter().map(|t| finish(t, post)).collect();
    let (max_live, max_total) = how.limits();
    if !flows::within_limits(parts.iter().map(|p| p.used), max_live, max_total) {
        return None;
    }
    Some(merge(parts, walk))
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
