//! Captures built byte by byte for the hostile-input tests: TLS handshake messages and records,
//! TCP/IP frames (etherparse's builder, or by hand where a test needs a header etherparse will
//! not write, such as a bad checksum or an IP fragment) and the classic pcap file around them.

use std::net::IpAddr;

/// A 24-bit big-endian length.
pub fn u24(n: usize) -> [u8; 3] {
    let b = (n as u32).to_be_bytes();
    [b[1], b[2], b[3]]
}

/// A handshake message of type `kind`.
pub fn handshake(kind: u8, body: &[u8]) -> Vec<u8> {
    [&[kind][..], &u24(body.len()), body].concat()
}

/// Handshake bytes in TLS records of at most 16 KiB.
pub fn records(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in data.chunks(1 << 14) {
        out.extend_from_slice(&[0x16, 3, 3]);
        out.extend_from_slice(&(chunk.len() as u16).to_be_bytes());
        out.extend_from_slice(chunk);
    }
    out
}

/// A TLS 1.2 ClientHello offering one suite (ECDHE-RSA-AES128-GCM-SHA256), in records.
pub fn client_hello() -> Vec<u8> {
    let hello = [&[3, 3][..], &[7; 32], &[0, 0, 2, 0xc0, 0x2f, 1, 0, 0, 0]].concat();
    records(&handshake(1, &hello))
}

/// The server's flight: a ServerHello choosing that suite and a Certificate message with `ders`.
pub fn server_flight(ders: &[Vec<u8>]) -> Vec<u8> {
    let server_hello = [&[3, 3][..], &[9; 32], &[0, 0xc0, 0x2f, 0, 0, 0]].concat();
    let list: Vec<u8> = ders.iter().flat_map(|d| [&u24(d.len())[..], d].concat()).collect();
    let cert_msg = [&u24(list.len())[..], &list].concat();
    records(&[handshake(2, &server_hello), handshake(11, &cert_msg)].concat())
}

/// One end of a connection.
pub type End = (IpAddr, u16);

/// An Ethernet frame carrying one TCP segment from `from` to `to` (etherparse, TTL 64).
pub fn tcp_frame(from: End, to: End, seq: u32, ack: Option<u32>, syn: bool, payload: &[u8]) -> Vec<u8> {
    tcp_frame_ttl(from, to, seq, ack, syn, payload, 64)
}

/// [`tcp_frame`] with the TTL (hop limit) `ttl`.
pub fn tcp_frame_ttl(from: End, to: End, seq: u32, ack: Option<u32>, syn: bool, payload: &[u8], ttl: u8) -> Vec<u8> {
    let b = etherparse::PacketBuilder::ethernet2([2; 6], [4; 6]);
    let b = match (from.0, to.0) {
        (IpAddr::V4(s), IpAddr::V4(d)) => b.ipv4(s.octets(), d.octets(), ttl),
        (IpAddr::V6(s), IpAddr::V6(d)) => b.ipv6(s.octets(), d.octets(), ttl),
        _ => panic!("mixed address families"),
    };
    let b = b.tcp(from.1, to.1, seq, 64_000);
    let b = if syn { b.syn() } else { b };
    let b = match ack {
        Some(a) => b.ack(a),
        None => b,
    };
    let mut out = Vec::new();
    b.write(&mut out, payload).unwrap();
    out
}

/// A classic little-endian pcap file of Ethernet frames, filled record by record; the frames'
/// times go up by one millisecond from `start` seconds.
pub struct Pcap {
    pub bytes: Vec<u8>,
    start: u32,
    frames: u32,
}

impl Pcap {
    pub fn new(start: u32) -> Self {
        let mut bytes = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        bytes.extend_from_slice(&262_144u32.to_le_bytes());
        bytes.extend_from_slice(&1u32.to_le_bytes());
        Pcap { bytes, start, frames: 0 }
    }

    pub fn push(&mut self, frame: &[u8]) {
        let (sec, usec) = (self.start + self.frames / 1000, self.frames % 1000 * 1000);
        for v in [sec, usec, frame.len() as u32, frame.len() as u32] {
            self.bytes.extend_from_slice(&v.to_le_bytes());
        }
        self.bytes.extend_from_slice(frame);
        self.frames += 1;
    }

    /// A whole TLS connection: the three-way handshake, `client` bytes, then `server` bytes in
    /// segments of at most `mss` bytes.
    pub fn connection(&mut self, c: End, s: End, client: &[u8], server: &[u8], mss: usize) {
        let (cs, ss) = (1000u32, 5000u32);
        self.push(&tcp_frame(c, s, cs, None, true, &[]));
        self.push(&tcp_frame(s, c, ss, Some(cs + 1), true, &[]));
        self.push(&tcp_frame(c, s, cs + 1, Some(ss + 1), false, &[]));
        self.push(&tcp_frame(c, s, cs + 1, Some(ss + 1), false, client));
        let mut seq = ss + 1;
        for chunk in server.chunks(mss) {
            self.push(&tcp_frame(s, c, seq, Some(cs + 1 + client.len() as u32), false, chunk));
            seq += chunk.len() as u32;
        }
    }
}

/// Where the IP packet's payload starts in a frame of [`tcp_frame`] (Ethernet, then IPv4 without
/// options or IPv6 without extension headers).
fn ip_payload_at(frame: &[u8]) -> usize {
    if frame[14] >> 4 == 4 {
        34
    } else {
        54
    }
}

/// `frame` with its TCP checksum made wrong.
pub fn bad_checksum(mut frame: Vec<u8>) -> Vec<u8> {
    let at = ip_payload_at(&frame) + 16;
    frame[at] ^= 0x5a;
    frame
}

/// A frame of [`tcp_frame`] sent as IP fragments of at most `size` bytes of payload (a multiple
/// of 8) with identification `id`.
pub fn fragments(frame: &[u8], size: usize, id: u32) -> Vec<Vec<u8>> {
    let at = ip_payload_at(frame);
    let payload = &frame[at..];
    let chunks: Vec<&[u8]> = payload.chunks(size).collect();
    let mut out = Vec::new();
    for (i, chunk) in chunks.iter().enumerate() {
        let offset = i * size;
        let more = i + 1 < chunks.len();
        let mut f = frame[..at].to_vec();
        if at == 34 {
            f[16..18].copy_from_slice(&((20 + chunk.len()) as u16).to_be_bytes());
            f[18..20].copy_from_slice(&(id as u16).to_be_bytes());
            let flags_offset = (offset / 8) as u16 | if more { 0x2000 } else { 0 };
            f[20..22].copy_from_slice(&flags_offset.to_be_bytes());
            f[24..26].copy_from_slice(&[0, 0]);
            let sum = ipv4_header_sum(&f[14..34]);
            f[24..26].copy_from_slice(&sum.to_be_bytes());
        } else {
            f[18..20].copy_from_slice(&((8 + chunk.len()) as u16).to_be_bytes());
            f[20] = 44; // next header: fragment
            let offset_more = (offset as u16) | u16::from(more);
            f.extend_from_slice(&[6, 0]);
            f.extend_from_slice(&offset_more.to_be_bytes());
            f.extend_from_slice(&id.to_be_bytes());
        }
        f.extend_from_slice(chunk);
        out.push(f);
    }
    out
}

/// The IPv4 header checksum of `h` (its checksum field zero).
pub fn ipv4_header_sum(h: &[u8]) -> u16 {
    let mut sum: u32 = h.chunks(2).map(|c| u32::from(u16::from_be_bytes([c[0], c[1]]))).sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}
