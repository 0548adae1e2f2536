//! Link layers down to TCP: Ethernet (with 802.1Q/QinQ tags), Linux cooked SLL and SLL2,
//! raw IP, BSD NULL/LOOP loopback; IPv4/IPv6 and TCP through etherparse.
//!
//! Only the SLL, SLL2 and loopback headers are stripped here; etherparse does the rest in its
//! lax mode so that packets cut by the snapshot length still give their first bytes.

use std::net::{IpAddr, SocketAddr};

use etherparse::{EtherType, LaxNetSlice, LaxSlicedPacket, TransportSlice};

pub const LINKTYPE_NULL: i32 = 0;
pub const LINKTYPE_ETHERNET: i32 = 1;
pub const LINKTYPE_RAW: i32 = 101;
pub const LINKTYPE_LOOP: i32 = 108;
pub const LINKTYPE_LINUX_SLL: i32 = 113;
pub const LINKTYPE_IPV4: i32 = 228;
pub const LINKTYPE_IPV6: i32 = 229;
pub const LINKTYPE_LINUX_SLL2: i32 = 276;

/// One TCP segment taken out of a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment<'a> {
    pub src: SocketAddr,
    pub dst: SocketAddr,
    pub seq: u32,
    pub syn: bool,
    pub ack: bool,
    pub fin: bool,
    pub rst: bool,
    pub payload: &'a [u8],
    /// The frame was cut by the snapshot length: payload bytes are missing at its end.
    pub cut: bool,
}

/// What a frame turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decoded<'a> {
    Tcp(Segment<'a>),
    /// Not TCP over IP (ARP, UDP, ICMP, ...).
    Other,
    /// An IP fragment: not reassembled.
    Fragment,
    /// A link type this reader does not decode.
    UnsupportedLink,
    /// Headers that do not parse.
    Malformed,
}

/// Decode a frame of the given link type.
pub fn decode(linktype: i32, data: &[u8]) -> Decoded<'_> {
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
    let (src, dst, payload) = match &p.net {
        Some(LaxNetSlice::Ipv4(v4)) => {
            let h = v4.header();
            (IpAddr::V4(h.source_addr()), IpAddr::V4(h.destination_addr()), v4.payload())
        }
        Some(LaxNetSlice::Ipv6(v6)) => {
            let h = v6.header();
            (IpAddr::V6(h.source_addr()), IpAddr::V6(h.destination_addr()), v6.payload())
        }
        Some(LaxNetSlice::Arp(_)) => return Decoded::Other,
        None => return if p.stop_err.is_some() { Decoded::Malformed } else { Decoded::Other },
    };
    if payload.fragmented {
        return Decoded::Fragment;
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
        payload: tcp.payload(),
        cut: payload.incomplete,
    })
}
