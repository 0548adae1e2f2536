//! Link layers down to TCP: Ethernet (with 802.1Q/QinQ tags), Linux cooked SLL and SLL2,
//! raw IP, BSD NULL/LOOP loopback; IPv4/IPv6 and TCP through etherparse. A [`Decoder`] also puts
//! IP fragments back together ([`super::ip_reassembly`]).
//!
//! Only the SLL, SLL2 and loopback headers are stripped here; etherparse does the rest in its
//! lax mode so that packets cut by the snapshot length still give their first bytes. The common
//! case (a complete, unfragmented IPv4 or IPv6 packet carrying TCP right after its fixed header)
//! is read directly by [`fast`], which gives up on anything else and leaves it to etherparse;
//! on the packets it accepts both give the same segment.

use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use etherparse::{EtherType, Ipv6ExtensionSlice, LaxNetSlice, LaxSlicedPacket, TransportSlice};
use jiff::Timestamp;

use super::ip_reassembly::{self, DatagramId, Fragment, Reassembly};

pub const LINKTYPE_NULL: i32 = 0;
pub const LINKTYPE_ETHERNET: i32 = 1;
pub const LINKTYPE_RAW: i32 = 101;
pub const LINKTYPE_LOOP: i32 = 108;
pub const LINKTYPE_LINUX_SLL: i32 = 113;
pub const LINKTYPE_IPV4: i32 = 228;
pub const LINKTYPE_IPV6: i32 = 229;
pub const LINKTYPE_LINUX_SLL2: i32 = 276;

/// One TCP segment taken out of a frame (or out of a datagram put back together from fragments,
/// whose payload is then owned).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment<'a> {
    pub src: SocketAddr,
    pub dst: SocketAddr,
    pub seq: u32,
    pub syn: bool,
    pub ack: bool,
    pub fin: bool,
    pub rst: bool,
    pub payload: Cow<'a, [u8]>,
    /// The TCP header and payload as the frame carries them, for [`checksum_ok`]; empty when the
    /// frame is cut or the segment comes from a datagram put back together.
    pub whole: &'a [u8],
    /// The frame was cut by the snapshot length: payload bytes are missing at its end.
    pub cut: bool,
    /// The bytes the capture kept of the frame (set by the reader: 0 from the decoder).
    pub kept: u32,
    /// The IPv4 TTL or IPv6 hop limit at the capture point (of a datagram put back together: the
    /// lowest of its fragments', since each must reach the receiver).
    pub ttl: u8,
}

/// What a frame turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decoded<'a> {
    Tcp(Segment<'a>),
    /// Not TCP over IP (ARP, UDP, ICMP, ...).
    Other,
    /// An IP fragment: what it says for reassembly (`None` when it is cut by the snapshot length).
    /// [`Decoder::decode`] keeps it and gives the datagram once complete.
    Fragment(Option<Fragment<'a>>),
    /// A link type this reader does not decode.
    UnsupportedLink,
    /// Headers that do not parse.
    Malformed,
}

/// Decode a frame of the given link type (fragments as they are; see [`Decoder`]).
pub fn decode(linktype: i32, data: &[u8]) -> Decoded<'_> {
    match fast(linktype, data) {
        Some(seg) => Decoded::Tcp(seg),
        None => decode_lax(linktype, data),
    }
}

/// Decodes the frames of one capture in order, putting IP fragments back together: a fragment
/// that completes its datagram gives the datagram's segment, every other fragment
/// [`Decoded::Fragment`].
#[derive(Default)]
pub struct Decoder {
    reassembly: Reassembly,
}

impl Decoder {
    /// Decode a frame seen at `time` (the capture's clock, for the reassembly timeout).
    #[inline]
    pub fn decode<'a>(&mut self, linktype: i32, data: &'a [u8], time: Option<Timestamp>) -> Decoded<'a> {
        match decode(linktype, data) {
            Decoded::Fragment(Some(f)) => match self.reassembly.add(f, time) {
                Some((payload, ttl)) => datagram(f.datagram, payload, ttl),
                None => Decoded::Fragment(None),
            },
            Decoded::Fragment(None) => {
                self.reassembly.stats.unreassembled += 1;
                Decoded::Fragment(None)
            }
            other => other,
        }
    }

    /// The capture is over: what became of its fragments.
    pub fn finish(&mut self) -> ip_reassembly::Stats {
        self.reassembly.finish()
    }
}

/// A datagram put back together: its TCP segment, with the payload owned.
fn datagram(d: DatagramId, payload: Vec<u8>, ttl: u8) -> Decoded<'static> {
    if d.protocol != 6 {
        return Decoded::Other;
    }
    match tcp_segment(d.src, d.dst, ttl, &payload) {
        Some(seg) => Decoded::Tcp(Segment { payload: Cow::Owned(seg.payload.into_owned()), whole: &[], ..seg }),
        None => Decoded::Malformed,
    }
}

/// The IP packet of a frame and the ether type that announces it (`None`: the version decides).
fn ip_of(linktype: i32, data: &[u8]) -> Option<(Option<u16>, &[u8])> {
    let be16 = |at: usize| data.get(at..at + 2).map(|b| u16::from_be_bytes([b[0], b[1]]));
    match linktype {
        LINKTYPE_ETHERNET => Some((Some(be16(12)?), data.get(14..)?)),
        LINKTYPE_LINUX_SLL => Some((Some(be16(14)?), data.get(16..)?)),
        LINKTYPE_LINUX_SLL2 => Some((Some(be16(0)?), data.get(20..)?)),
        LINKTYPE_NULL | LINKTYPE_LOOP => Some((None, data.get(4..)?)),
        LINKTYPE_RAW | 12 | 14 | LINKTYPE_IPV4 | LINKTYPE_IPV6 => Some((None, data)),
        _ => None,
    }
}

/// A TCP segment read straight from the bytes, for regular packets only; `None` sends the frame
/// through etherparse.
fn fast(linktype: i32, data: &[u8]) -> Option<Segment<'_>> {
    let (ethertype, ip) = ip_of(linktype, data)?;
    let version = ip.first()? >> 4;
    let (src, dst, ttl, tcp) = match (ethertype, version) {
        (Some(0x0800) | None, 4) => {
            let ihl = usize::from(ip[0] & 0x0f) * 4;
            let total = usize::from(u16::from_be_bytes([*ip.get(2)?, *ip.get(3)?]));
            let frag = u16::from_be_bytes([*ip.get(6)?, *ip.get(7)?]);
            // More-fragments flag or a fragment offset: not for the fast path.
            if ihl < 20 || total < ihl || total > ip.len() || frag & 0x3fff != 0 || *ip.get(9)? != 6 {
                return None;
            }
            let a: [u8; 4] = ip.get(12..16)?.try_into().ok()?;
            let b: [u8; 4] = ip.get(16..20)?.try_into().ok()?;
            (IpAddr::V4(Ipv4Addr::from(a)), IpAddr::V4(Ipv4Addr::from(b)), ip[8], ip.get(ihl..total)?)
        }
        (Some(0x86dd) | None, 6) => {
            let len = usize::from(u16::from_be_bytes([*ip.get(4)?, *ip.get(5)?]));
            // Next header TCP right away, and a payload length that fits (0 means a jumbogram).
            if *ip.get(6)? != 6 || len == 0 || 40 + len > ip.len() {
                return None;
            }
            let a: [u8; 16] = ip.get(8..24)?.try_into().ok()?;
            let b: [u8; 16] = ip.get(24..40)?.try_into().ok()?;
            (IpAddr::V6(Ipv6Addr::from(a)), IpAddr::V6(Ipv6Addr::from(b)), ip[7], ip.get(40..40 + len)?)
        }
        _ => return None,
    };
    tcp_segment(src, dst, ttl, tcp)
}

/// The segment of a whole TCP header and payload between `src` and `dst`, sent with `ttl`.
fn tcp_segment(src: IpAddr, dst: IpAddr, ttl: u8, tcp: &[u8]) -> Option<Segment<'_>> {
    let hlen = usize::from(tcp.get(12)? >> 4) * 4;
    if hlen < 20 || hlen > tcp.len() {
        return None;
    }
    let flags = tcp[13];
    Some(Segment {
        src: SocketAddr::new(src, u16::from_be_bytes([tcp[0], tcp[1]])),
        dst: SocketAddr::new(dst, u16::from_be_bytes([tcp[2], tcp[3]])),
        seq: u32::from_be_bytes([tcp[4], tcp[5], tcp[6], tcp[7]]),
        fin: flags & 0x01 != 0,
        syn: flags & 0x02 != 0,
        rst: flags & 0x04 != 0,
        ack: flags & 0x10 != 0,
        payload: Cow::Borrowed(&tcp[hlen..]),
        whole: tcp,
        cut: false,
        kept: 0,
        ttl,
    })
}

/// Decode a frame of the given link type with etherparse (any packet, cut ones included).
pub fn decode_lax(linktype: i32, data: &[u8]) -> Decoded<'_> {
    let sliced = match linktype {
        LINKTYPE_ETHERNET => match LaxSlicedPacket::from_ethernet(data) {
            Ok(p) => p,
            Err(_) => return Decoded::Malformed,
        },
        LINKTYPE_LINUX_SLL => match (data.get(14..16), data.get(16..)) {
            (Some(t), Some(rest)) => {
                LaxSlicedPacket::from_ether_type(EtherType(u16::from_be_bytes([t[0], t[1]])), rest)
            }
            _ => return Decoded::Malformed,
        },
        LINKTYPE_LINUX_SLL2 => match (data.get(0..2), data.get(20..)) {
            (Some(t), Some(rest)) => {
                LaxSlicedPacket::from_ether_type(EtherType(u16::from_be_bytes([t[0], t[1]])), rest)
            }
            _ => return Decoded::Malformed,
        },
        LINKTYPE_NULL | LINKTYPE_LOOP => match data.get(4..) {
            Some(rest) => match LaxSlicedPacket::from_ip(rest) {
                Ok(p) => p,
                Err(_) => return Decoded::Malformed,
            },
            None => return Decoded::Malformed,
        },
        LINKTYPE_RAW | 12 | 14 | LINKTYPE_IPV4 | LINKTYPE_IPV6 => match LaxSlicedPacket::from_ip(data) {
            Ok(p) => p,
            Err(_) => return Decoded::Malformed,
        },
        _ => return Decoded::UnsupportedLink,
    };
    from_sliced(&sliced)
}

fn from_sliced<'a>(p: &LaxSlicedPacket<'a>) -> Decoded<'a> {
    let (src, dst, ttl, payload) = match &p.net {
        Some(LaxNetSlice::Ipv4(v4)) => {
            let h = v4.header();
            (IpAddr::V4(h.source_addr()), IpAddr::V4(h.destination_addr()), h.ttl(), v4.payload())
        }
        Some(LaxNetSlice::Ipv6(v6)) => {
            let h = v6.header();
            (IpAddr::V6(h.source_addr()), IpAddr::V6(h.destination_addr()), h.hop_limit(), v6.payload())
        }
        Some(LaxNetSlice::Arp(_)) => return Decoded::Other,
        None => return if p.stop_err.is_some() { Decoded::Malformed } else { Decoded::Other },
    };
    if payload.fragmented {
        return Decoded::Fragment(fragment_of(p, src, dst, ttl));
    }
    if payload.ip_number != etherparse::IpNumber::TCP {
        return Decoded::Other;
    }
    let Some(TransportSlice::Tcp(tcp)) = &p.transport else {
        return Decoded::Malformed;
    };
    Decoded::Tcp(Segment {
        src: SocketAddr::new(src, tcp.source_port()),
        dst: SocketAddr::new(dst, tcp.destination_port()),
        seq: tcp.sequence_number(),
        syn: tcp.syn(),
        ack: tcp.ack(),
        fin: tcp.fin(),
        rst: tcp.rst(),
        payload: Cow::Borrowed(tcp.payload()),
        whole: if payload.incomplete { &[] } else { tcp.slice() },
        cut: payload.incomplete,
        kept: 0,
        ttl,
    })
}

/// Whether the TCP checksum of a segment is right; `None` when it cannot be known (see
/// [`Segment::whole`]).
pub fn checksum_ok(seg: &Segment<'_>) -> Option<bool> {
    if seg.whole.is_empty() {
        return None;
    }
    let len = seg.whole.len() as u16;
    // The pseudo-header's protocol and length as one word, in the byte order of the data.
    let tail = [0, 6, (len >> 8) as u8, len as u8];
    let sum = match (seg.src.ip(), seg.dst.ip()) {
        (IpAddr::V4(a), IpAddr::V4(b)) => ones_sum(&a.octets(), ones_sum(&b.octets(), 0)),
        (IpAddr::V6(a), IpAddr::V6(b)) => ones_sum(&a.octets(), ones_sum(&b.octets(), 0)),
        _ => return None,
    };
    let mut sum = ones_sum(seg.whole, ones_sum(&tail, sum));
    // Fold to 16 bits; a sum of all ones reads the same in either byte order (RFC 1071).
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    Some(sum == 0xffff)
}

/// The ones' complement sum of `bytes` (16-bit words, read eight bytes at a time in little-endian
/// order, RFC 1071) added to `acc`.
fn ones_sum(bytes: &[u8], mut acc: u64) -> u64 {
    let mut add = |w: u64| {
        let (s, carry) = acc.overflowing_add(w);
        acc = s + u64::from(carry);
    };
    let mut chunks = bytes.chunks_exact(8);
    for c in chunks.by_ref() {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        add(u64::from_le_bytes(w));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        add(u64::from_le_bytes(w));
    }
    acc
}

/// What an IP fragment says for reassembly; `None` when its bytes are cut short.
fn fragment_of<'a>(p: &LaxSlicedPacket<'a>, src: IpAddr, dst: IpAddr, ttl: u8) -> Option<Fragment<'a>> {
    let (id, offset, more, payload) = match &p.net {
        Some(LaxNetSlice::Ipv4(v4)) => {
            let h = v4.header();
            let offset = h.fragments_offset().byte_offset();
            (u32::from(h.identification()), offset, h.more_fragments(), v4.payload())
        }
        Some(LaxNetSlice::Ipv6(v6)) => {
            let f = v6.extensions().clone().into_iter().find_map(|e| match e {
                Ipv6ExtensionSlice::Fragment(f) => Some(f),
                _ => None,
            })?;
            // Read from the bytes (RFC 8200, 4.5): etherparse 0.19 takes the offset's and the M
            // flag's bits from the wrong places of the second word.
            let h = f.slice();
            let word = u16::from_be_bytes([h[2], h[3]]);
            (f.identification(), word & 0xfff8, word & 1 == 1, v6.payload())
        }
        _ => return None,
    };
    if payload.incomplete {
        return None;
    }
    let datagram = DatagramId { src, dst, id, protocol: payload.ip_number.0 };
    Some(Fragment { datagram, offset: usize::from(offset), more, data: payload.payload, ttl })
}
