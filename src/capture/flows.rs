//! The connection table: TCP segments in capture order go to their connection (normalized
//! 4-tuple), through its per-direction reassembler, into its TLS conversation. Once a
//! connection's payload no longer matters (not TLS, or its handshake is over) its buffers are
//! dropped and later segments only update counters.
//!
//! A connection that is closed (reset, or FIN both ways) keeps its slot only until the table is
//! full: then the closed ones are finished and let go first, so a capture of many refused SYNs
//! cannot crowd out a later handshake. Connections that still find no slot are counted once each.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use super::conn::{Conn, Kind};
use super::link::{self, Segment};
use super::reader::Stamp;
use super::tcp::Reassembler;
use crate::tls::{Seen, TlsSummary};
use crate::util::fasthash::{self, FastMap, FastSet};

/// Connections followed at once; later ones are counted and ignored.
pub const MAX_CONNS: usize = 100_000;
/// Connections followed in all (a capture that reopens the same ports endlessly is bounded too).
pub const MAX_TOTAL_CONNS: usize = MAX_CONNS * 10;

/// Counts for the input's message.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stats {
    pub non_tls_streams: u64,
    pub dropped_conns: u64,
    /// Connections where a copy of stream bytes differed from the copy used.
    pub conflicting_conns: u64,
    /// Connections where segments were ignored for their TTL of 1 ([`expires_here`]).
    pub low_ttl_conns: u64,
}

/// How much of the limits a tracker used: a parallel run whose trackers together stayed within
/// them gives exactly what one tracker gives ([`within_limits`]).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Used {
    /// The most connections open at once.
    pub peak_live: usize,
    /// Connections opened in all.
    pub opened: usize,
    /// A connection found the table full (its own, or all trackers' together).
    pub full: bool,
}

/// Whether trackers that followed parts of one capture (each connection whole in one of them)
/// used, together, no more than one tracker may: then no connection was refused or let go early
/// that a single tracker would have kept, since at any point of the capture the connections open
/// in all were at most the sum of each tracker's peak.
pub fn within_limits(parts: impl IntoIterator<Item = Used>, max_live: usize, max_total: usize) -> bool {
    let (mut live, mut opened) = (0, 0);
    for u in parts {
        if u.full {
            return false;
        }
        live += u.peak_live;
        opened += u.opened;
    }
    live <= max_live && opened <= max_total
}

/// A connection at the end of the capture.
#[derive(Debug)]
pub struct Finished {
    pub conn: Box<Conn>,
    /// The TLS conversation's summary, for connections that carry TLS.
    pub tls: Option<Box<TlsSummary>>,
}

/// All connections of one capture.
#[derive(Debug)]
pub struct Tracker {
    live: FastMap<ConnKey, usize>,
    /// Boxed: a slot of a connection let go costs a pointer, and finishing one moves no more.
    conns: Vec<Option<Box<Conn>>>,
    done: Vec<Finished>,
    pub stats: Stats,
    /// Keep each direction's reassembled bytes (test hook).
    pub record: bool,
    last: Seen,
    /// A later TCP frame that went to another tracker (parallel reading): the end of the capture
    /// for this one too.
    later: Option<(u64, Stamp)>,
    /// Bounds: connections open at once, connections in all.
    max_live: usize,
    max_total: usize,
    /// Closed connections still in `live`, oldest first (slots to free when the table is full).
    closed: VecDeque<usize>,
    /// Whether a connection is in `closed` already.
    queued: Vec<bool>,
    /// The connections refused a slot (each counted once), up to `max_live` of them.
    refused: FastSet<ConnKey>,
    /// Connections open in all the trackers of a parallel run, which share `max_live`.
    shared_live: Option<Arc<AtomicUsize>>,
    pub used: Used,
}

impl Default for Tracker {
    fn default() -> Self {
        Self::with_limits(MAX_CONNS, MAX_TOTAL_CONNS)
    }
}

/// A connection's ends, the lower first (the same for both directions).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ConnKey(SocketAddr, SocketAddr);

impl std::hash::Hash for ConnKey {
    /// Addresses and ports in as few words as they fit (a hasher's cost is per word); equal keys
    /// write equal words.
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        for end in [self.0, self.1] {
            match end {
                SocketAddr::V4(v4) => h.write_u64(u64::from(v4.ip().to_bits()) << 16 | u64::from(v4.port())),
                SocketAddr::V6(v6) => {
                    h.write_u128(v6.ip().to_bits());
                    h.write_u32(u32::from(v6.port()) | 1 << 16);
                }
            }
        }
    }
}

fn key(a: SocketAddr, b: SocketAddr) -> ConnKey {
    if a <= b {
        ConnKey(a, b)
    } else {
        ConnKey(b, a)
    }
}

/// Which of `workers` trackers follows the connection of a segment between `a` and `b` (the
/// same for both directions).
pub fn worker_of(a: SocketAddr, b: SocketAddr, workers: usize) -> usize {
    if workers <= 1 {
        return 0;
    }
    // Keyed like the tables: nobody can send every connection to one worker. Mixed again so
    // that the choice does not follow the bits a table indexes by.
    let mixed = fasthash::hash_one(key(a, b)).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32;
    (mixed % workers as u64) as usize
}

impl Tracker {
    pub fn new() -> Self {
        Self::default()
    }

    /// A tracker that follows at most `max_live` connections at once and `max_total` in all.
    pub fn with_limits(max_live: usize, max_total: usize) -> Self {
        Tracker {
            live: FastMap::default(),
            conns: Vec::new(),
            done: Vec::new(),
            stats: Stats::default(),
            record: false,
            last: Seen::default(),
            later: None,
            max_live,
            max_total,
            closed: VecDeque::new(),
            queued: Vec::new(),
            refused: FastSet::default(),
            shared_live: None,
            used: Used::default(),
        }
    }

    /// A tracker of a parallel run: the limits are the whole run's, `live` counts the connections
    /// open in all its trackers (see [`within_limits`]).
    pub fn sharing(live: Arc<AtomicUsize>, max_live: usize, max_total: usize) -> Self {
        Tracker { shared_live: Some(live), ..Self::with_limits(max_live, max_total) }
    }

    /// A TCP segment of frame `frame` belongs to a connection followed elsewhere.
    pub fn pass(&mut self, frame: u64, stamp: Stamp) {
        self.later = Some((frame, stamp));
    }

    /// Handle one segment seen in frame `seen`.
    pub fn push(&mut self, seg: &Segment<'_>, seen: Seen) {
        self.last = seen;
        self.later = None;
        let k = key(seg.src, seg.dst);
        let opening = seg.syn && !seg.ack;
        let idx = match self.live.get(&k).copied() {
            // A new SYN on a closed connection's ports: a new connection.
            Some(i) if opening && self.conns[i].as_ref().is_some_and(|c| c.closed()) => {
                self.retire(i);
                self.open(k, seg, seen)
            }
            Some(i) => Some(i),
            None => self.open(k, seg, seen),
        };
        let Some(i) = idx else { return };
        let Some(conn) = self.conns.get_mut(i).and_then(Option::as_mut) else {
            return;
        };
        handle(conn, seg, seen);
        if conn.closed() && !self.queued[i] {
            self.queued[i] = true;
            self.closed.push_back(i);
        }
    }

    /// Let go of the oldest closed connection still in the table; whether there was one.
    fn free_closed(&mut self) -> bool {
        while let Some(i) = self.closed.pop_front() {
            let Some(conn) = self.conns.get(i).and_then(Option::as_ref) else { continue };
            let k = key(conn.a, conn.b);
            if self.live.get(&k) == Some(&i) {
                self.live.remove(&k);
                if let Some(all) = &self.shared_live {
                    all.fetch_sub(1, Ordering::Relaxed);
                }
            }
            self.retire(i);
            return true;
        }
        false
    }

    fn open(&mut self, k: ConnKey, seg: &Segment<'_>, seen: Seen) -> Option<usize> {
        // Open at once, and in all: a capture that reopens the same ports endlessly is bounded too.
        let full = |t: &Self| {
            t.live.len() >= t.max_live
                || t.shared_live.as_ref().is_some_and(|all| all.load(Ordering::Relaxed) >= t.max_live)
        };
        if full(self) {
            self.used.full = true;
        }
        if (full(self) && !self.free_closed()) || self.conns.len() >= self.max_total {
            // Count each connection once: by its 4-tuple while that set is small, else by its SYN.
            let first = if self.refused.len() < self.max_live { self.refused.insert(k) } else { seg.syn && !seg.ack };
            self.stats.dropped_conns += u64::from(first);
            return None;
        }
        let i = self.conns.len();
        self.conns.push(Some(Box::new(Conn::new(seg.src, seg.dst, seen, self.record))));
        self.queued.push(false);
        if self.live.insert(k, i).is_none() {
            if let Some(all) = &self.shared_live {
                all.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.used.peak_live = self.used.peak_live.max(self.live.len());
        self.used.opened = self.conns.len();
        Some(i)
    }

    fn retire(&mut self, i: usize) {
        if let Some(conn) = self.conns.get_mut(i).and_then(Option::take) {
            let last = self.last;
            self.finish_one(conn, last);
        }
    }

    fn finish_one(&mut self, mut conn: Box<Conn>, last: Seen) {
        let tls = conn.finish(last).map(Box::new);
        if conn.kind == Kind::NotTls {
            self.stats.non_tls_streams += 1;
        }
        if conn.conflicts > 0 {
            self.stats.conflicting_conns += 1;
        }
        if conn.low_ttl > 0 {
            self.stats.low_ttl_conns += 1;
        }
        self.done.push(Finished { conn, tls });
    }

    /// End of the capture: every connection, in the order of its first packet.
    pub fn finish(mut self) -> (Vec<Finished>, Stats) {
        if let Some((frame, stamp)) = self.later.take() {
            self.last = Seen { frame, time: stamp.time() };
        }
        let last = self.last;
        let conns = std::mem::take(&mut self.conns);
        for conn in conns.into_iter().flatten() {
            self.finish_one(conn, last);
        }
        self.done.sort_by_key(|f| f.conn.first.frame);
        (self.done, self.stats)
    }
}

/// Apply one segment to its connection.
fn handle(conn: &mut Conn, seg: &Segment<'_>, seen: Seen) {
    let dir = usize::from(seg.src != conn.a);
    // Checksums are read where they matter (opening segments, and payload still parsed), like a
    // receiver, but only once the sender is known not to leave them to its network card: a
    // capture taken on the sender shows its checksums unfilled (Wireshark checks none, for that).
    if seg.syn || (!seg.payload.is_empty() && !conn.skipping()) {
        match link::checksum_ok(seg) {
            Some(true) => conn.dirs[dir].checksums_verified = true,
            Some(false) if conn.dirs[dir].checksums_verified => {
                conn.bad_checksums = conn.bad_checksums.saturating_add(1);
                return;
            }
            _ => {}
        }
    }
    if expires_here(conn, dir, seg) {
        conn.low_ttl = conn.low_ttl.saturating_add(1);
        return;
    }
    if seg.syn {
        conn.dirs[dir].handshake_ttl.get_or_insert(seg.ttl);
        let start = seg.seq.wrapping_add(1);
        if seg.ack {
            conn.syn_ack.get_or_insert(seen);
            conn.a_is_client.get_or_insert(dir == 1);
        } else {
            conn.syn.get_or_insert(seen);
            conn.a_is_client = Some(dir == 0);
        }
        if conn.dirs[dir].rx.is_none() {
            conn.dirs[dir].start.get_or_insert(start);
        }
        conn.note_frame(seen);
    }
    if seg.rst && conn.rst.is_none() {
        conn.rst = Some((dir, seen));
        conn.note_frame(seen);
    }
    if !seg.payload.is_empty() {
        conn.dirs[dir].data_segments = conn.dirs[dir].data_segments.saturating_add(1);
        if seg.cut {
            conn.cut_frames = conn.cut_frames.saturating_add(1);
            conn.cut_at = conn.cut_at.max(seg.kept);
            conn.dirs[dir].cut = true;
        }
        if !conn.skipping() {
            feed(conn, dir, seg, seen);
            if conn.skipping() {
                conn.stop_buffering();
            }
        }
    }
    if seg.fin {
        conn.dirs[dir].fin = true;
    }
}

/// A segment with payload still parsed that reached the capture with a TTL (hop limit) of 1 from a
/// sender whose SYN came with more: a stack keeps one TTL for a connection, and a packet with TTL 1
/// dies at the next router. It is the classic way to show a monitor a copy that the receiver never
/// gets (Ptacek and Newsham, 1998), so it is ignored like a segment with a wrong checksum; since a
/// receiver on the capture's own link would still read it, the input is made partial with the
/// count. Wireshark reads such a copy (it only warns of the low TTL).
fn expires_here(conn: &Conn, dir: usize, seg: &Segment<'_>) -> bool {
    !seg.syn
        && seg.ttl <= 1
        && !seg.payload.is_empty()
        && !conn.skipping()
        && conn.dirs[dir].handshake_ttl.is_some_and(|t| t > 1)
}

fn feed(conn: &mut Conn, dir: usize, seg: &Segment<'_>, seen: Seen) {
    // Data seq: after the SYN flag the payload starts one later.
    let data_seq = if seg.syn { seg.seq.wrapping_add(1) } else { seg.seq };
    let start = conn.dirs[dir].start.unwrap_or(data_seq);
    let mut rx = conn.dirs[dir].rx.take().unwrap_or_else(|| Box::new(Reassembler::new(start)));
    rx.push_with(data_seq, &seg.payload, |bytes| {
        conn.deliver(dir, bytes, seen);
    });
    conn.conflicts = conn.conflicts.saturating_add(rx.take_conflicts());
    conn.dirs[dir].rx = Some(rx);
    while !conn.skipping() {
        let Some(rx) = conn.dirs[dir].rx.as_mut() else { break };
        // After a cut frame the hole is for good: waiting for it would read the bytes after it
        // only at the end, at the capture's last frame.
        let hole_for_good = conn.dirs[dir].cut && rx.pending_bytes() > 0;
        if !rx.over_limit() && !hole_for_good {
            break;
        }
        let after = rx.skip_gap();
        conn.gap(dir);
        conn.deliver(dir, &after, seen);
    }
}
