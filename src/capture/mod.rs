//! Packet captures: pcap/pcapng, link layers, IPv4/IPv6, TCP reassembly, then TLS handshakes.
//!
//! [`analyse`] runs the frames through link decoding and the connection table (on several
//! threads for big files, see [`parallel`]); [`parse`] turns the result into handshakes,
//! attempts and certificates. IP fragments are put back together on the way
//! ([`ip_reassembly`]).

mod blocks;
mod chain;
pub mod conn;
mod dispatch;
pub mod flows;
mod frame;
mod ip_reassembly;
pub mod link;
mod outcome;
mod parallel;
mod pcapng;
pub mod reader;
pub mod session;
pub mod tcp;

use std::collections::BTreeSet;

pub use conn::{Conn, Kind};
pub use flows::{Finished, Stats};
pub use tcp::Reassembler;

use crate::model::{Data, Head, IngestContext, ReadStatus, Sink, Source, Status};
use parallel::Follow;
use reader::ReadEnd;

/// Everything learnt from a capture before it becomes observations.
#[derive(Debug)]
pub struct Analysis {
    pub conns: Vec<Finished>,
    pub stats: Stats,
    pub end: ReadEnd,
    pub frames: u64,
    pub fragments: u64,
    pub malformed: u64,
    pub unsupported_links: BTreeSet<i32>,
}

/// Read a capture held in memory and follow its TCP connections. With `record`, every
/// direction's reassembled bytes are kept in [`conn::Dir::recorded`] (a hook for tests of the
/// stream layer).
pub fn analyse(data: &[u8], record: bool) -> Analysis {
    analyse_with(data, record, 1)
}

/// [`analyse`] on `workers` workers: the result is the same whatever their number.
pub fn analyse_with(data: &[u8], record: bool, workers: usize) -> Analysis {
    let how = Follow { workers: Some(workers), record, ..Follow::new(flows::MAX_CONNS) };
    Analysis::from(parallel::follow(&mut Data::Bytes(data), how, &|fin| fin))
}

impl From<parallel::Followed<Finished>> for Analysis {
    fn from(followed: parallel::Followed<Finished>) -> Self {
        let walk = followed.walk;
        Analysis {
            conns: followed.conns,
            stats: followed.stats,
            end: walk.end,
            frames: walk.frames,
            fragments: walk.fragments,
            malformed: walk.malformed,
            unsupported_links: walk.unsupported_links,
        }
    }
}

/// Whether the head is a classic pcap file (either byte order, micro- or nanosecond stamps).
pub fn sniff_pcap(head: &Head<'_>) -> bool {
    matches!(magic(head), Some(0xa1b2_c3d4 | 0xd4c3_b2a1 | 0xa1b2_3c4d | 0x4d3c_b2a1))
}

/// Whether the head is a pcapng file (its section header block type).
pub fn sniff_pcapng(head: &Head<'_>) -> bool {
    magic(head) == Some(0x0a0d_0d0a)
}

fn magic(head: &Head<'_>) -> Option<u32> {
    head.bytes.get(..4).map(|m| u32::from_le_bytes([m[0], m[1], m[2], m[3]]))
}

/// Parse a capture: each connection's handshake, attempt and certificates go to `sink`, in the
/// order of the connections' first frames.
pub fn parse(src: &mut Source<'_>, ctx: &IngestContext, sink: &mut dyn Sink) -> ReadStatus {
    let path = src.path.clone();
    // Each connection becomes a session on the worker that followed it, as soon as the capture
    // is over: certificates are parsed and checked there (once each, through the shared cache).
    // Boxed: the many connections that make no session (half-open ones) cost a pointer each.
    let build = |fin: Finished| session::build(&fin, &path, ctx).map(Box::new);
    let followed = parallel::follow(&mut src.data, Follow::new(ctx.limits.max_connections), &build);
    for s in followed.conns.into_iter().flatten() {
        sink.handshake(s.handshake);
        sink.attempt(s.attempt);
        for c in s.certificates {
            sink.certificate(c);
        }
    }
    let (status, message) = status_of(&path, &followed.stats, &followed.walk);
    ReadStatus::new(status, message)
}

fn status_of(path: &str, stats: &Stats, a: &dispatch::Walk) -> (Status, Option<String>) {
    let mut parts = Vec::new();
    let status = match &a.end {
        ReadEnd::Complete => Status::Ok,
        ReadEnd::Truncated(why) => {
            parts.push(format!("{path}: {why}; read up to there"));
            Status::Partial
        }
        ReadEnd::Damaged(why) if a.frames > 0 => {
            parts.push(format!("{path}: {why}; read up to there"));
            Status::Partial
        }
        ReadEnd::Damaged(why) | ReadEnd::NotCapture(why) => {
            parts.push(format!("{path}: {why}"));
            Status::Error
        }
    };
    let counts = [
        (stats.non_tls_streams, "TCP connection", "without TLS skipped"),
        (a.fragments, "IP fragment", "of incomplete datagrams skipped"),
        (a.overlapping_datagrams, "IP datagram", "with overlapping fragments discarded (as a receiver does)"),
        (a.malformed, "frame", "with unreadable headers skipped"),
        (stats.dropped_conns, "connection", "beyond the tracking limit ignored"),
        (
            stats.conflicting_conns,
            "connection",
            "with TCP data sent twice with other bytes (which copy was read is not certain)",
        ),
        (
            stats.low_ttl_conns,
            "connection",
            "with TCP segments of TTL 1 ignored (a receiver on the capture's link would have read them)",
        ),
    ];
    parts.extend(
        counts
            .iter()
            .filter(|(n, _, _)| *n > 0)
            .map(|(n, noun, what)| format!("{} {what}", crate::wording::counted(*n, noun))),
    );
    // Connections that were not followed may hide what the capture shows: the input is partial.
    // So may datagrams whose fragments were not all there, or overlapped.
    let lost =
        stats.dropped_conns + stats.conflicting_conns + stats.low_ttl_conns + a.fragments + a.overlapping_datagrams;
    let status = if lost > 0 { status.max(Status::Partial) } else { status };
    if !a.unsupported_links.is_empty() {
        let list: Vec<String> = a.unsupported_links.iter().map(i32::to_string).collect();
        parts.push(format!("frames of link type {} not decoded", list.join(", ")));
    }
    (status, (!parts.is_empty()).then(|| parts.join("; ")))
}

#[cfg(test)]
mod tests;
