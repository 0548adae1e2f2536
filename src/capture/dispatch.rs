//! The one walk over a capture's records: each frame is decoded down to TCP once and its segment
//! routed ([`Route`]) either straight into a connection table (one thread) or, by the
//! [`Dispatcher`], in batches to the worker that follows its connection ([`flows::worker_of`]),
//! through one bounded queue per worker.
//!
//! The walk also does everything that concerns the whole file rather than one connection: it
//! counts the frames that are not TCP, reports progress, knows the last TCP frame (the end of the
//! capture for every connection still open), and hands back to the kernel the pages of the file
//! that everyone is done with ([`crate::util::mapped::release`]). Segments are not copied: they
//! borrow the file's bytes, so a page is only released once no queued batch points into it.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::SyncSender;

use super::flows;
use super::link::{self, Decoded, Segment};
use super::reader::{self, ReadEnd, Stamp};
use crate::util::mapped;

/// Segments per batch: enough to make a queue operation rare next to the work it carries.
pub const BATCH: usize = 512;
/// Batches waiting per worker; the reader waits when a worker's queue is full.
pub const QUEUE: usize = 8;
/// Passed pages are handed back in steps of this size.
pub const RELEASE_STEP: usize = 8 << 20;
/// Progress is reported in steps of this size.
const PROGRESS_STEP: usize = 1 << 20;

/// One TCP segment and the frame that carried it.
#[derive(Clone, Debug)]
pub struct Item<'a> {
    pub segment: Segment<'a>,
    pub frame: u64,
    pub stamp: Stamp,
}

/// What the reader sends a worker.
pub enum Message<'a> {
    /// Segments in capture order; `upto` is the file offset the reader had reached when it sent
    /// them (the worker reports it back once they are handled).
    Segments { items: Vec<Item<'a>>, upto: usize },
    /// The capture is over; its last TCP frame, if any (whichever worker followed it).
    End(Option<(u64, Stamp)>),
}

/// What the reader learnt about the file as a whole.
#[derive(Debug)]
pub struct Walk {
    pub end: ReadEnd,
    pub frames: u64,
    /// IP fragments of datagrams never complete, and datagrams discarded for overlapping
    /// fragments ([`super::ip_reassembly`]).
    pub fragments: u64,
    pub overlapping_datagrams: u64,
    pub malformed: u64,
    pub unsupported_links: BTreeSet<i32>,
}

/// Where the walk sends the TCP segments: straight into a connection table (one thread) or
/// into the workers' queues ([`Dispatcher`]).
pub trait Route<'a> {
    /// A segment; `end` is the file offset just past its frame.
    fn segment(&mut self, item: Item<'a>, end: usize);
    /// Called every [`RELEASE_STEP`] bytes at offset `at`: how far the file has been handled
    /// by everyone who reads it (pages before that may be handed back).
    fn step(&mut self, at: usize) -> usize;
    /// The walk is over at offset `at`; `last` is the capture's last TCP frame.
    fn end(&mut self, at: usize, last: Option<(u64, Stamp)>);
}

/// Walk every record of `data` once, routing its TCP segments; `progress` gets every byte once.
pub fn walk<'a>(data: &'a [u8], route: &mut impl Route<'a>, progress: &dyn Fn(u64)) -> Walk {
    let mut walk = Walk {
        end: ReadEnd::Complete,
        frames: 0,
        fragments: 0,
        overlapping_datagrams: 0,
        malformed: 0,
        unsupported_links: BTreeSet::new(),
    };
    let mut decoder = link::Decoder::default();
    let mut last_tcp: Option<(u64, Stamp)> = None;
    let (mut reported, mut released, mut stepped) = (0usize, 0usize, 0usize);
    let end = reader::read_frames(data, |frame| {
        walk.frames = frame.number;
        match decoder.decode(frame.linktype, frame.data, frame.stamp.time()) {
            Decoded::Tcp(segment) => {
                last_tcp = Some((frame.number, frame.stamp));
                route.segment(Item { segment, frame: frame.number, stamp: frame.stamp }, frame.end);
            }
            Decoded::Other | Decoded::Fragment(_) => {}
            Decoded::Malformed => walk.malformed += 1,
            Decoded::UnsupportedLink => {
                walk.unsupported_links.insert(frame.linktype);
            }
        }
        if frame.end - reported >= PROGRESS_STEP {
            progress((frame.end - reported) as u64);
            reported = frame.end;
        }
        if frame.end - stepped >= RELEASE_STEP {
            stepped = frame.end;
            let safe = route.step(frame.end);
            if safe > released {
                mapped::release(data.get(released..safe).unwrap_or(&[]));
                released = safe;
            }
        }
    });
    let reassembly = decoder.finish();
    (walk.fragments, walk.overlapping_datagrams) = (reassembly.unreassembled, reassembly.overlapping);
    route.end(data.len(), last_tcp);
    if data.len() > reported {
        progress((data.len() - reported) as u64);
    }
    walk.end = end;
    walk
}

/// The reader's side of the workers' queues: one batch being filled per worker.
pub struct Dispatcher<'q, 'a> {
    senders: Vec<SyncSender<Message<'a>>>,
    /// `handled[w]`: the file offset up to which worker `w` has handled every segment.
    handled: &'q [AtomicUsize],
    batches: Vec<Vec<Item<'a>>>,
    /// Whether worker `w` still takes segments (false once its queue is closed).
    open: Vec<bool>,
}

impl<'q, 'a> Dispatcher<'q, 'a> {
    pub fn new(senders: Vec<SyncSender<Message<'a>>>, handled: &'q [AtomicUsize]) -> Self {
        let n = senders.len();
        Dispatcher {
            senders,
            handled,
            batches: (0..n).map(|_| Vec::with_capacity(BATCH)).collect(),
            open: vec![true; n],
        }
    }

    fn send(&mut self, w: usize, upto: usize) {
        let items = std::mem::replace(&mut self.batches[w], Vec::with_capacity(BATCH));
        if self.open[w] && self.senders[w].send(Message::Segments { items, upto }).is_err() {
            self.open[w] = false;
        }
    }
}

impl<'a> Route<'a> for Dispatcher<'_, 'a> {
    fn segment(&mut self, item: Item<'a>, end: usize) {
        let w = flows::worker_of(item.segment.src, item.segment.dst, self.senders.len());
        self.batches[w].push(item);
        if self.batches[w].len() >= BATCH {
            self.send(w, end);
        }
    }

    fn step(&mut self, at: usize) -> usize {
        // Every worker gets what waits for it, so that each soon reports this offset handled.
        for w in 0..self.senders.len() {
            self.send(w, at);
        }
        self.handled.iter().map(|h| h.load(Ordering::Acquire)).min().unwrap_or(0)
    }

    fn end(&mut self, at: usize, last: Option<(u64, Stamp)>) {
        for w in 0..self.senders.len() {
            self.send(w, at);
            if self.open[w] {
                let _ = self.senders[w].send(Message::End(last));
            }
        }
    }
}
