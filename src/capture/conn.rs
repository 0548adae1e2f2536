//! State of one TCP connection: its two directions, who is the client, how it opened and
//! closed, and the TLS conversation fed with its reassembled bytes.

use std::net::SocketAddr;

use super::tcp::Reassembler;
use crate::model::Role;
use crate::tls::{Seen, TlsConversation, TlsSummary};

/// Frames kept per connection for evidence.
const MAX_FRAMES: usize = 256;
/// Bytes kept per direction by the test hook.
const MAX_RECORDED: usize = 1 << 20;
/// Bytes needed to decide who speaks first: a record header plus the handshake type.
const HEAD: usize = 6;

/// Whether a connection carries TLS, decided from the first bytes of its first stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Undecided,
    Tls,
    NotTls,
}

/// One direction of a connection (index 0: sent by `a`, 1: sent by `b`).
#[derive(Debug, Default)]
pub struct Dir {
    /// Made with the first payload byte (boxed: a half-open connection carries none).
    pub rx: Option<Box<Reassembler>>,
    /// The sequence number of the first data byte, from the SYN.
    pub start: Option<u32>,
    /// Bytes delivered before the connection's kind was decided (fewer than `HEAD` + a segment).
    head: Vec<u8>,
    pub fin: bool,
    /// A frame of this sender was cut by the snapshot length: a hole in its stream is never
    /// filled, so what follows is read at once, at the frame that carried it.
    pub cut: bool,
    pub data_segments: u32,
    pub gaps: u32,
    /// A segment whose TCP checksum is right was seen: this sender's checksums are not left to
    /// an offloading network card, so a wrong one means a segment the receiver dropped.
    pub checksums_verified: bool,
    /// The TTL (hop limit) of this sender's SYN, as the capture saw it.
    pub handshake_ttl: Option<u8>,
    /// Reassembled bytes, only when recording is on (tests).
    pub recorded: Vec<u8>,
}

/// A TCP connection between `a` (the sender of its first packet) and `b`.
#[derive(Debug)]
pub struct Conn {
    pub a: SocketAddr,
    pub b: SocketAddr,
    /// `Some(true)` when `a` is the client.
    pub a_is_client: Option<bool>,
    pub first: Seen,
    pub syn: Option<Seen>,
    pub syn_ack: Option<Seen>,
    /// Reset: by which endpoint (0 = a) and where.
    pub rst: Option<(usize, Seen)>,
    pub dirs: [Dir; 2],
    pub kind: Kind,
    /// The TLS parser, made when the connection turns out to carry TLS (a half-open connection
    /// stays small: issue 24 measured 7 KB each before).
    tls: Option<Box<TlsConversation>>,
    pub frames: Vec<Seen>,
    /// Frames whose payload was cut by the snapshot length.
    pub cut_frames: u32,
    /// The most bytes the capture kept of such a frame (its snapshot length, as good as known).
    pub cut_at: u32,
    /// Copies of stream bytes that differed from the copy kept (a decoy, or a broken sender).
    pub conflicts: u32,
    /// Segments ignored for a wrong TCP checksum (see [`Dir::checksums_verified`]).
    pub bad_checksums: u32,
    /// Segments ignored for a TTL of 1 from a sender whose SYN came with more (see
    /// `flows::expires_here`).
    pub low_ttl: u32,
    pub record: bool,
}

impl Conn {
    pub fn new(a: SocketAddr, b: SocketAddr, first: Seen, record: bool) -> Self {
        Conn {
            a,
            b,
            a_is_client: None,
            first,
            syn: None,
            syn_ack: None,
            rst: None,
            dirs: [Dir::default(), Dir::default()],
            kind: Kind::Undecided,
            tls: None,
            frames: Vec::new(),
            cut_frames: 0,
            cut_at: 0,
            conflicts: 0,
            bad_checksums: 0,
            low_ttl: 0,
            record,
        }
    }

    pub fn role(&self, dir: usize) -> Role {
        match (self.a_is_client.unwrap_or(true), dir == 0) {
            (true, true) | (false, false) => Role::Client,
            _ => Role::Server,
        }
    }

    pub fn closed(&self) -> bool {
        self.rst.is_some() || (self.dirs[0].fin && self.dirs[1].fin)
    }

    /// Payload no longer matters: not TLS, or the TLS handshake is over.
    /// With recording on (tests) every stream is reassembled to its end.
    pub fn skipping(&self) -> bool {
        !self.record
            && (self.kind == Kind::NotTls || (self.kind == Kind::Tls && self.tls.as_ref().is_some_and(|t| t.done())))
    }

    /// The connection is skipped from now on: free every buffer (waiting segments, first bytes,
    /// partial TLS records and messages); only counters and flags are updated later.
    pub fn stop_buffering(&mut self) {
        for d in &mut self.dirs {
            d.rx = None;
            d.head = Vec::new();
        }
        if let Some(tls) = &mut self.tls {
            tls.release_buffers();
        }
    }

    /// Bytes this connection holds in buffers (waiting segments, first bytes, TLS parsing).
    pub fn buffered(&self) -> usize {
        let dirs: usize =
            self.dirs.iter().map(|d| d.rx.as_ref().map_or(0, |r| r.pending_bytes()) + d.head.capacity()).sum();
        dirs + self.tls.as_ref().map_or(0, |t| t.buffered())
    }

    /// What the connection's packets say about its streams, for the handshake's notes.
    pub fn stream_notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if self.conflicts > 0 {
            notes.push(format!(
                "{} sent again with other bytes: which copy the receiver read is not certain (the first one was used)",
                crate::wording::counted(u64::from(self.conflicts), "TCP segment")
            ));
        }
        if self.bad_checksums > 0 {
            notes.push(format!(
                "{} with a wrong TCP checksum ignored, as the receiver drops them",
                crate::wording::counted(u64::from(self.bad_checksums), "TCP segment")
            ));
        }
        if self.low_ttl > 0 {
            notes.push(format!(
                "{} with a TTL of 1 ignored (the sender's SYN came with more): the next router drops \
                 them, so only a receiver on the capture's own link could have read them",
                crate::wording::counted(u64::from(self.low_ttl), "TCP segment")
            ));
        }
        notes
    }

    pub fn note_frame(&mut self, seen: Seen) {
        if self.frames.len() < MAX_FRAMES && self.frames.last() != Some(&seen) {
            // Most connections of a flood never get a second frame: room for one first.
            if self.frames.capacity() == 0 {
                self.frames.reserve_exact(1);
            }
            self.frames.push(seen);
        }
    }

    /// Bytes of direction `dir` became contiguous.
    pub fn deliver(&mut self, dir: usize, bytes: &[u8], seen: Seen) -> Option<Kind> {
        if bytes.is_empty() {
            return None;
        }
        if self.record {
            let rec = &mut self.dirs[dir].recorded;
            let room = MAX_RECORDED.saturating_sub(rec.len());
            rec.extend_from_slice(bytes.get(..room.min(bytes.len())).unwrap_or(&[]));
        }
        match self.kind {
            Kind::NotTls => None,
            Kind::Tls => {
                let role = self.role(dir);
                if self.tls.as_ref().is_some_and(|t| !t.done()) {
                    self.note_frame(seen);
                    if let Some(tls) = &mut self.tls {
                        tls.feed(role, bytes, seen);
                    }
                }
                None
            }
            Kind::Undecided => {
                self.dirs[dir].head.extend_from_slice(bytes);
                if self.dirs[dir].head.len() >= HEAD {
                    self.decide(dir, seen);
                    return Some(self.kind);
                }
                None
            }
        }
    }

    /// Bytes are missing in direction `dir`.
    pub fn gap(&mut self, dir: usize) {
        self.dirs[dir].gaps += 1;
        match self.kind {
            Kind::Tls => {
                let role = self.role(dir);
                if let Some(tls) = &mut self.tls {
                    tls.gap(role);
                }
            }
            // What came before the hole cannot be judged: start again after it.
            Kind::Undecided => self.dirs[dir].head.clear(),
            Kind::NotTls => {}
        }
    }

    /// Decide at the end of the capture with whatever first bytes there are.
    pub fn decide_at_end(&mut self, seen: Seen) {
        if self.kind != Kind::Undecided {
            return;
        }
        if let Some(dir) = (0..2).find(|&d| !self.dirs[d].head.is_empty()) {
            self.decide(dir, seen);
        }
    }

    /// Judge the connection by the first bytes of direction `dir`, then replay what waited.
    fn decide(&mut self, dir: usize, seen: Seen) {
        let head = std::mem::take(&mut self.dirs[dir].head);
        if !TlsConversation::looks_like_tls(&head) {
            self.kind = Kind::NotTls;
            self.dirs[1 - dir].head = Vec::new();
            if !self.record {
                for d in &mut self.dirs {
                    d.rx = None;
                }
            }
            return;
        }
        self.kind = Kind::Tls;
        if self.a_is_client.is_none() {
            let sender_is_client = match head.get(5) {
                Some(1) if head.first() == Some(&0x16) => true,
                Some(2) if head.first() == Some(&0x16) => false,
                _ if TlsConversation::starts_sslv2_client_hello(&head) => true,
                // The lower port is taken as the server's.
                _ => self.port(dir) > self.port(1 - dir),
            };
            self.a_is_client = Some(sender_is_client == (dir == 0));
        }
        let other = std::mem::take(&mut self.dirs[1 - dir].head);
        self.note_frame(seen);
        let (role, other_role) = (self.role(dir), self.role(1 - dir));
        let tls = self.tls.get_or_insert_with(Box::default);
        tls.feed(role, &head, seen);
        if !other.is_empty() {
            tls.feed(other_role, &other, seen);
        }
    }

    fn port(&self, dir: usize) -> u16 {
        if dir == 0 {
            self.a.port()
        } else {
            self.b.port()
        }
    }

    /// End of the capture: skip the remaining holes, then finish the TLS conversation.
    pub fn finish(&mut self, last: Seen) -> Option<TlsSummary> {
        for dir in 0..2 {
            while !self.skipping() {
                let Some(rx) = self.dirs[dir].rx.as_mut() else { break };
                if rx.pending_bytes() == 0 {
                    break;
                }
                let bytes = rx.skip_gap();
                self.gap(dir);
                self.deliver(dir, &bytes, last);
            }
        }
        self.decide_at_end(last);
        let tls = self.tls.take();
        (self.kind == Kind::Tls).then(|| tls.map(|t| t.finish()).unwrap_or_default())
    }
}
