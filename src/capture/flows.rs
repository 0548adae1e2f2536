//! The connection table: TCP segments in capture order go to their connection (normalized
//! 4-tuple), through its per-direction reassembler, into its TLS conversation.

use std::collections::HashMap;
use std::net::SocketAddr;

use super::conn::{Conn, Kind};
use super::link::Segment;
use super::tcp::Reassembler;
use crate::tls::{Seen, TlsSummary};

/// Connections followed at once; later ones are counted and ignored.
const MAX_CONNS: usize = 100_000;

/// Counts for the input's message.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stats {
    pub non_tls_streams: u64,
    pub dropped_conns: u64,
}

/// A connection at the end of the capture.
#[derive(Debug)]
pub struct Finished {
    pub conn: Conn,
    /// The TLS conversation's summary, for connections that carry TLS.
    pub tls: Option<TlsSummary>,
}

/// All connections of one capture.
#[derive(Debug, Default)]
pub struct Tracker {
    live: HashMap<(SocketAddr, SocketAddr), usize>,
    conns: Vec<Option<Conn>>,
    done: Vec<Finished>,
    pub stats: Stats,
    /// Keep each direction's reassembled bytes (test hook).
    pub record: bool,
    last: Seen,
}

fn key(a: SocketAddr, b: SocketAddr) -> (SocketAddr, SocketAddr) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

impl Tracker {
    pub fn new() -> Self {
        Self::default()
    }

    /// Handle one segment seen in frame `seen`.
    pub fn push(&mut self, seg: &Segment<'_>, seen: Seen) {
        self.last = seen;
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
        let Some(conn) = idx.and_then(|i| self.conns.get_mut(i)).and_then(Option::as_mut) else {
            return;
        };
        handle(conn, seg, seen);
    }

    fn open(&mut self, k: (SocketAddr, SocketAddr), seg: &Segment<'_>, seen: Seen) -> Option<usize> {
        // Open at once, and in all: a capture that reopens the same ports endlessly is bounded too.
        if self.live.len() >= MAX_CONNS || self.conns.len() >= MAX_CONNS * 10 {
            self.stats.dropped_conns += 1;
            return None;
        }
        let i = self.conns.len();
        self.conns.push(Some(Conn::new(seg.src, seg.dst, seen, self.record)));
        self.live.insert(k, i);
        Some(i)
    }

    fn retire(&mut self, i: usize) {
        if let Some(conn) = self.conns.get_mut(i).and_then(Option::take) {
            let last = self.last;
            self.finish_one(conn, last);
        }
    }

    fn finish_one(&mut self, conn: Conn, last: Seen) {
        let (conn, tls) = conn.finish(last);
        if conn.kind == Kind::NotTls {
            self.stats.non_tls_streams += 1;
        }
        self.done.push(Finished { conn, tls });
    }

    /// End of the capture: every connection, in the order of its first packet.
    pub fn finish(mut self) -> (Vec<Finished>, Stats) {
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
    if seg.syn {
        let start = seg.seq.wrapping_add(1);
        if seg.ack {
            conn.syn_ack.get_or_insert(seen);
            conn.a_is_client.get_or_insert(dir == 1);
        } else {
            conn.syn.get_or_insert(seen);
            conn.a_is_client = Some(dir == 0);
        }
        if conn.dirs[dir].rx.is_none() {
            conn.dirs[dir].rx = Some(Reassembler::new(start));
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
        }
        if !conn.skipping() {
            feed(conn, dir, seg, seen);
        } else if let Some(rx) = conn.dirs[dir].rx.as_mut() {
            rx.clear();
        }
    }
    if seg.fin {
        conn.dirs[dir].fin = true;
    }
}

fn feed(conn: &mut Conn, dir: usize, seg: &Segment<'_>, seen: Seen) {
    // Data seq: after the SYN flag the payload starts one later.
    let data_seq = if seg.syn { seg.seq.wrapping_add(1) } else { seg.seq };
    let rx = conn.dirs[dir].rx.get_or_insert_with(|| Reassembler::new(data_seq));
    let bytes = rx.push(data_seq, seg.payload);
    conn.deliver(dir, &bytes, seen);
    while !conn.skipping() {
        let Some(rx) = conn.dirs[dir].rx.as_mut() else { break };
        if !rx.over_limit() {
            break;
        }
        let after = rx.skip_gap();
        conn.gap(dir);
        conn.deliver(dir, &after, seen);
    }
}
