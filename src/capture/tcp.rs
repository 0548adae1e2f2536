//! TCP stream reassembly for one direction of a connection.
//!
//! Sequence numbers are turned into 64-bit stream offsets relative to the next expected byte
//! (wrapping 32-bit arithmetic), so wrap-around is invisible to the rest. Out-of-order segments
//! wait in a bounded buffer; bytes already delivered or already waiting win over later copies
//! (first copy wins, as a receiver keeps what it has). A later copy whose bytes differ is counted
//! ([`Reassembler::take_conflicts`]): it is compared with what waits and with the last
//! [`RECENT`] bytes delivered. When the buffer is over its bound (in bytes or in segments, so that many
//! tiny segments cannot cost more than their bytes) the caller skips the hole with
//! [`Reassembler::skip_gap`]. In-order bytes are handed on without copying even while segments
//! wait ([`Reassembler::push_with`]).

use std::borrow::Cow;
use std::collections::BTreeMap;

/// Default bound for bytes waiting out of order, per direction.
pub const DEFAULT_PENDING_CAP: usize = 256 * 1024;
/// Bound for segments waiting out of order, per direction.
pub const MAX_PENDING_SEGMENTS: usize = 1024;
/// Bytes delivered last that a later copy is compared with, per direction.
pub const RECENT: usize = 64 * 1024;

/// Reassembles one direction of a TCP connection.
#[derive(Debug, Clone)]
pub struct Reassembler {
    /// Sequence number of the next byte expected in order.
    next_seq: u32,
    /// Stream offset of the next byte expected in order.
    next_off: u64,
    /// Segments waiting for a hole to be filled, by stream offset; never overlapping.
    pending: BTreeMap<u64, Vec<u8>>,
    pending_bytes: usize,
    cap: usize,
    /// Bytes that could not be kept because the buffer was full.
    dropped: u64,
    /// The last bytes delivered (up to [`RECENT`]; they end at `next_off`).
    recent: Vec<u8>,
    /// Copies of bytes that differed from the first copy, since the last `take_conflicts`.
    conflicts: u32,
}

impl Reassembler {
    /// A stream whose next in-order byte has sequence number `start` (ISN + 1 after a SYN).
    pub fn new(start: u32) -> Self {
        Self::with_cap(start, DEFAULT_PENDING_CAP)
    }

    pub fn with_cap(start: u32, cap: usize) -> Self {
        Reassembler {
            next_seq: start,
            next_off: 0,
            pending: BTreeMap::new(),
            pending_bytes: 0,
            cap,
            dropped: 0,
            recent: Vec::new(),
            conflicts: 0,
        }
    }

    /// Bytes delivered in order so far (plus skipped gaps).
    pub fn offset(&self) -> u64 {
        self.next_off
    }

    /// Sequence number of the next byte expected in order.
    pub fn next_seq(&self) -> u32 {
        self.next_seq
    }

    /// Bytes waiting out of order.
    pub fn pending_bytes(&self) -> usize {
        self.pending_bytes
    }

    /// The out-of-order buffer is full: the caller should give up on the hole (`skip_gap`).
    pub fn over_limit(&self) -> bool {
        self.pending_bytes >= self.cap || self.dropped > 0 || self.pending.len() >= MAX_PENDING_SEGMENTS
    }

    /// Copies of bytes that differed from the copy kept, since the last call.
    pub fn take_conflicts(&mut self) -> u32 {
        std::mem::take(&mut self.conflicts)
    }

    /// The part of a segment not delivered yet, with its stream offset. The part already
    /// delivered is compared with what was delivered, as far as that is remembered.
    fn trim<'p>(&mut self, seq: u32, payload: &'p [u8]) -> Option<(u64, &'p [u8])> {
        if payload.is_empty() {
            return None;
        }
        let delta = i64::from(seq.wrapping_sub(self.next_seq) as i32);
        let start = self.next_off as i64 + delta;
        let end = start + payload.len() as i64;
        let skip = (self.next_off as i64 - start).max(0) as usize;
        if skip > 0 {
            self.compare_delivered(start, payload.get(..skip).unwrap_or(payload));
        }
        if end <= self.next_off as i64 {
            return None; // retransmission of delivered bytes
        }
        Some((start.max(self.next_off as i64) as u64, payload.get(skip..).unwrap_or(&[])))
    }

    /// Add a segment; returns the bytes that became contiguous (possibly none).
    pub fn push<'p>(&mut self, seq: u32, payload: &'p [u8]) -> Cow<'p, [u8]> {
        let Some((start, data)) = self.trim(seq, payload) else {
            return Cow::Borrowed(&[]);
        };
        if start == self.next_off && self.pending.is_empty() {
            self.advance(data);
            return Cow::Borrowed(data);
        }
        let mut out = Vec::new();
        self.push_trimmed(start, data, |chunk| out.extend_from_slice(chunk));
        Cow::Owned(out)
    }

    /// Add a segment; the bytes that became contiguous go to `out` in order, in one or more
    /// chunks. Bytes of the segment that continue the stream are not copied.
    pub fn push_with(&mut self, seq: u32, payload: &[u8], out: impl FnMut(&[u8])) {
        if let Some((start, data)) = self.trim(seq, payload) {
            self.push_trimmed(start, data, out);
        }
    }

    /// [`Reassembler::push_with`] of the part not delivered yet, at stream offset `start`.
    fn push_trimmed(&mut self, start: u64, data: &[u8], mut out: impl FnMut(&[u8])) {
        if start != self.next_off {
            self.insert(start, data);
            return;
        }
        // The segment continues the stream: interleave it with waiting segments, which win
        // where both cover the same bytes.
        if !self.pending.is_empty() {
            self.compare_waiting(start, data);
        }
        let end = start + data.len() as u64;
        loop {
            let cursor = self.next_off;
            let waiting = self.pending.first_key_value().map(|(&s, _)| s);
            match waiting {
                Some(s) if s <= cursor => {
                    if let Some(seg) = self.pending.remove(&s) {
                        self.pending_bytes -= seg.len();
                        if let Some(tail) = seg.get((cursor - s) as usize..) {
                            self.advance(tail);
                            out(tail);
                        }
                    }
                }
                _ if cursor < end => {
                    let upto = waiting.map_or(end, |s| s.min(end));
                    let Some(part) = data.get((cursor - start) as usize..(upto - start) as usize) else { break };
                    self.advance(part);
                    out(part);
                }
                _ => break,
            }
        }
    }

    /// Give up on the hole before the first waiting segment: the stream continues there.
    /// Returns the bytes that became contiguous after the hole (empty when nothing waits).
    pub fn skip_gap(&mut self) -> Vec<u8> {
        self.dropped = 0;
        let Some((&first, _)) = self.pending.iter().next() else {
            return Vec::new();
        };
        if first > self.next_off {
            let jump = first - self.next_off;
            self.next_off = first;
            self.next_seq = self.next_seq.wrapping_add(jump as u32);
            // What is remembered must end where the stream continues.
            self.recent.clear();
        }
        self.drain().into_owned()
    }

    /// Forget waiting segments (the stream is no longer of interest).
    pub fn clear(&mut self) {
        self.pending.clear();
        self.pending_bytes = 0;
        self.dropped = 0;
    }

    /// `bytes` are delivered.
    fn advance(&mut self, bytes: &[u8]) {
        self.next_off += bytes.len() as u64;
        self.next_seq = self.next_seq.wrapping_add(bytes.len() as u32);
        self.remember(bytes);
    }

    /// Remember `bytes`, just delivered, among the last [`RECENT`].
    fn remember(&mut self, bytes: &[u8]) {
        if bytes.len() >= RECENT {
            self.recent.clear();
            self.recent.extend_from_slice(&bytes[bytes.len() - RECENT..]);
            return;
        }
        if self.recent.len() + bytes.len() > RECENT {
            self.recent.drain(..RECENT / 2);
        }
        self.recent.extend_from_slice(bytes);
    }

    /// A copy of delivered bytes starting at stream offset `start`: count it when it differs from
    /// the remembered part of what was delivered.
    fn compare_delivered(&mut self, start: i64, copy: &[u8]) {
        let kept_from = self.next_off as i64 - self.recent.len() as i64;
        let from = start.max(kept_from);
        let to = start + copy.len() as i64;
        if from >= to {
            return;
        }
        let old = &self.recent[(from - kept_from) as usize..(to - kept_from) as usize];
        let new = &copy[(from - start) as usize..];
        if old != new {
            self.conflicts = self.conflicts.saturating_add(1);
        }
    }

    /// A copy of `[start, start + data.len())`: count it when it differs from a waiting segment.
    fn compare_waiting(&mut self, start: u64, data: &[u8]) {
        let end = start + data.len() as u64;
        let from = self.pending.range(..start).next_back().map_or(start, |(&s, _)| s);
        let differs = self.pending.range(from..end).any(|(&s, seg)| {
            let (a, b) = (s.max(start), (s + seg.len() as u64).min(end));
            a < b && seg[(a - s) as usize..(b - s) as usize] != data[(a - start) as usize..(b - start) as usize]
        });
        if differs {
            self.conflicts = self.conflicts.saturating_add(1);
        }
    }

    /// Store the parts of `[start, start + data.len())` not yet covered by waiting segments.
    fn insert(&mut self, start: u64, data: &[u8]) {
        self.compare_waiting(start, data);
        let end = start + data.len() as u64;
        let mut pieces: Vec<(u64, u64)> = Vec::new();
        let mut cursor = start;
        // A waiting segment that begins before `start` may cover its beginning.
        if let Some((&s, seg)) = self.pending.range(..start).next_back() {
            cursor = cursor.max(s + seg.len() as u64);
        }
        for (&s, seg) in self.pending.range(start..end) {
            if s > cursor {
                pieces.push((cursor, s));
            }
            cursor = cursor.max(s + seg.len() as u64);
        }
        if cursor < end {
            pieces.push((cursor, end));
        }
        for (a, b) in pieces {
            let room = self.cap.saturating_sub(self.pending_bytes);
            let want = (b - a) as usize;
            let take = if self.pending.len() >= MAX_PENDING_SEGMENTS { 0 } else { want.min(room) };
            if take < want {
                self.dropped += (want - take) as u64;
            }
            if take == 0 {
                continue;
            }
            let lo = (a - start) as usize;
            if let Some(bytes) = data.get(lo..lo + take) {
                self.pending.insert(a, bytes.to_vec());
                self.pending_bytes += take;
            }
        }
    }

    /// Pop the waiting segments that continue the stream.
    fn drain(&mut self) -> Cow<'static, [u8]> {
        let mut out = Vec::new();
        while let Some(entry) = self.pending.first_entry() {
            let s = *entry.key();
            if s > self.next_off {
                break;
            }
            let seg = entry.remove();
            self.pending_bytes -= seg.len();
            let skip = (self.next_off - s) as usize;
            if let Some(tail) = seg.get(skip..) {
                out.extend_from_slice(tail);
                self.advance(tail);
            }
        }
        Cow::Owned(out)
    }
}

#[cfg(test)]
#[path = "tcp_tests.rs"]
mod tests;
