//! IPv4 and IPv6 fragments put back together as the receiving host does, within bounds.
//!
//! A datagram is known by its addresses, identification and protocol. Its fragments wait until
//! they cover it from offset 0 to the end the last fragment (more-fragments flag clear) names; the
//! datagram's payload then goes on as if one frame had carried it (the frame of its last
//! fragment, as tshark shows it).
//!
//! Like a receiver (Linux since 4.19, and RFC 5722 for IPv6), a fragment that overlaps another
//! of the same datagram discards the whole datagram, unless it only repeats bytes already there:
//! which copy would have won differs between stacks, so the capture cannot say what the receiver
//! read. The datagram is counted ([`Stats::overlapping`]) and the input says so.
//!
//! Bounds: [`MAX_PENDING`] datagrams and [`MAX_PENDING_BYTES`] wait at once (the oldest is given
//! up first), a datagram is at most 65,535 bytes, and one whose first fragment is older than
//! [`TIMEOUT_SECONDS`] of capture time is given up (Linux's default `ipfrag_time`). Fragments of a
//! datagram given up, or still incomplete at the end of the capture, are counted
//! ([`Stats::unreassembled`]).

use std::collections::VecDeque;
use std::net::IpAddr;

use jiff::Timestamp;

use crate::util::fasthash::FastMap;

/// Datagrams waiting for fragments at once.
pub const MAX_PENDING: usize = 1024;
/// Bytes of fragments waiting at once, over all datagrams.
pub const MAX_PENDING_BYTES: usize = 8 << 20;
/// Capture time after its first fragment when an incomplete datagram is given up.
pub const TIMEOUT_SECONDS: i64 = 30;
/// The largest datagram payload IP can describe.
const MAX_DATAGRAM: usize = 65_535;

/// What identifies one datagram's fragments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DatagramId {
    pub src: IpAddr,
    pub dst: IpAddr,
    pub id: u32,
    pub protocol: u8,
}

/// One fragment as the IP header describes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fragment<'a> {
    pub datagram: DatagramId,
    /// Where its bytes go in the datagram's payload.
    pub offset: usize,
    /// More fragments follow (the flag); clear on the last one.
    pub more: bool,
    pub data: &'a [u8],
    /// Its IPv4 TTL or IPv6 hop limit.
    pub ttl: u8,
}

/// What became of the fragments of a capture.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Datagrams put back together.
    pub reassembled: u64,
    /// Fragments of datagrams that were never complete (given up, or incomplete at the end).
    pub unreassembled: u64,
    /// Datagrams discarded because two of their fragments overlapped with different extents
    /// or different bytes.
    pub overlapping: u64,
}

/// One datagram being put back together.
struct Pending {
    data: Vec<u8>,
    /// Byte ranges received, sorted and disjoint.
    have: Vec<(usize, usize)>,
    /// The end named by the last fragment, once it came.
    end: Option<usize>,
    first_time: Option<Timestamp>,
    fragments: u64,
    /// The lowest TTL of its fragments.
    ttl: u8,
    /// Its place in `order` (an entry of another number there is stale).
    number: u64,
}

/// The datagrams of a capture waiting for their fragments.
#[derive(Default)]
pub struct Reassembly {
    pending: FastMap<DatagramId, Pending>,
    /// Datagrams in the order of their first fragment.
    order: VecDeque<(DatagramId, u64)>,
    bytes: usize,
    next: u64,
    pub stats: Stats,
}

impl Reassembly {
    /// Add a fragment seen at `time`; the datagram's payload and lowest TTL when this completes it.
    pub fn add(&mut self, f: Fragment<'_>, time: Option<Timestamp>) -> Option<(Vec<u8>, u8)> {
        self.expire(time);
        let end = f.offset + f.data.len();
        if end > MAX_DATAGRAM || (f.more && f.data.len() % 8 != 0) {
            self.stats.unreassembled += 1;
            return None;
        }
        if !self.pending.contains_key(&f.datagram) {
            self.make_room(f.data.len());
            self.next += 1;
            self.order.push_back((f.datagram, self.next));
            let fresh = Pending {
                data: Vec::new(),
                have: Vec::new(),
                end: None,
                first_time: time,
                fragments: 0,
                ttl: f.ttl,
                number: self.next,
            };
            self.pending.insert(f.datagram, fresh);
        }
        let p = self.pending.get_mut(&f.datagram)?;
        p.fragments += 1;
        p.ttl = p.ttl.min(f.ttl);
        let before = p.data.len();
        let fits = place(p, &f, end);
        self.bytes += p.data.len() - before;
        if !fits {
            self.stats.overlapping += 1;
            self.drop_datagram(&f.datagram, false);
            return None;
        }
        let complete = p.end.is_some_and(|e| p.have == [(0, e)]);
        if !complete {
            return None;
        }
        let p = self.pending.remove(&f.datagram)?;
        self.bytes -= p.data.len();
        self.stats.reassembled += 1;
        Some((p.data, p.ttl))
    }

    /// The capture is over: what still waits is never complete.
    pub fn finish(&mut self) -> Stats {
        let ids: Vec<DatagramId> = self.pending.keys().copied().collect();
        for id in ids {
            self.drop_datagram(&id, true);
        }
        self.stats
    }

    /// Give up datagrams whose first fragment is older than the timeout.
    fn expire(&mut self, now: Option<Timestamp>) {
        let Some(now) = now else { return };
        while let Some(&(id, number)) = self.order.front() {
            let Some(p) = self.pending.get(&id).filter(|p| p.number == number) else {
                self.order.pop_front();
                continue;
            };
            let old = p.first_time.is_some_and(|t| now.as_second() - t.as_second() > TIMEOUT_SECONDS);
            if !old {
                break;
            }
            self.order.pop_front();
            self.drop_datagram(&id, true);
        }
    }

    /// Give up the oldest datagrams until one more and `incoming` bytes fit.
    fn make_room(&mut self, incoming: usize) {
        while self.pending.len() >= MAX_PENDING || self.bytes + incoming > MAX_PENDING_BYTES {
            let Some((id, number)) = self.order.pop_front() else { break };
            if self.pending.get(&id).is_some_and(|p| p.number == number) {
                self.drop_datagram(&id, true);
            }
        }
    }

    /// Forget a datagram; its fragments count as not reassembled when `unfinished`.
    fn drop_datagram(&mut self, id: &DatagramId, unfinished: bool) {
        if let Some(p) = self.pending.remove(id) {
            self.bytes -= p.data.len();
            if unfinished {
                self.stats.unreassembled += p.fragments;
            }
        }
    }
}

/// Put `f` (ending at `end`) into `p`; false when it overlaps what is there other than as an exact
/// copy, or names another end than an earlier last fragment.
fn place(p: &mut Pending, f: &Fragment<'_>, end: usize) -> bool {
    if !f.more {
        if p.end.is_some_and(|e| e != end) || p.have.last().is_some_and(|&(_, b)| b > end) {
            return false;
        }
        p.end = Some(end);
    } else if p.end.is_some_and(|e| end > e) {
        return false;
    }
    if f.data.is_empty() {
        return true;
    }
    // A copy of bytes already there (a retransmitted fragment) changes nothing.
    if p.have.iter().any(|&(a, b)| a <= f.offset && end <= b) {
        return p.data.get(f.offset..end) == Some(f.data);
    }
    if p.have.iter().any(|&(a, b)| a < end && f.offset < b) {
        return false;
    }
    if p.data.len() < end {
        p.data.resize(end, 0);
    }
    p.data[f.offset..end].copy_from_slice(f.data);
    let at = p.have.partition_point(|&(a, _)| a < f.offset);
    p.have.insert(at, (f.offset, end));
    // Merge neighbours that touch.
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(p.have.len());
    for &(a, b) in &p.have {
        match merged.last_mut() {
            Some(last) if last.1 == a => last.1 = b,
            _ => merged.push((a, b)),
        }
    }
    p.have = merged;
    true
}

#[cfg(test)]
#[path = "ip_reassembly_tests.rs"]
mod tests;
