//! Test helpers: TCP packets on several link layers (etherparse's builder) and the pcap and
//! pcapng files around them, written byte by byte.

use std::net::IpAddr;

use etherparse::{PacketBuilder, TcpHeader, VlanId};

/// How a packet is framed.
#[derive(Clone, Copy, Debug)]
pub enum Link {
    Eth,
    Vlan(u16),
    QinQ(u16, u16),
    /// Bare IP (link types 101, 228, 229).
    Ip,
    /// Linux cooked capture v1 (113).
    Sll,
    /// Linux cooked capture v2 (276).
    Sll2,
    /// BSD loopback (0): address family in host (here little-endian) order.
    Null,
    /// OpenBSD loopback (108): address family in network order.
    Loop,
}

/// One TCP segment to build.
#[derive(Clone, Debug)]
pub struct Tcp {
    pub src: (IpAddr, u16),
    pub dst: (IpAddr, u16),
    pub seq: u32,
    pub ack: Option<u32>,
    /// Any of `S`, `F`, `R`.
    pub flags: &'static str,
    pub payload: Vec<u8>,
}

impl Tcp {
    fn header(&self) -> TcpHeader {
        let mut h = TcpHeader::new(self.src.1, self.dst.1, self.seq, 65_000);
        h.syn = self.flags.contains('S');
        h.fin = self.flags.contains('F');
        h.rst = self.flags.contains('R');
        if let Some(a) = self.ack {
            h.ack = true;
            h.acknowledgment_number = a;
        }
        h
    }
}

macro_rules! with_ip {
    (bare, $t:expr) => {{
        let b = match ($t.src.0, $t.dst.0) {
            (IpAddr::V4(s), IpAddr::V4(d)) => PacketBuilder::ipv4(s.octets(), d.octets(), 64),
            (IpAddr::V6(s), IpAddr::V6(d)) => PacketBuilder::ipv6(s.octets(), d.octets(), 64),
            _ => panic!("mixed address families"),
        };
        let mut v = Vec::new();
        b.tcp_header($t.header()).write(&mut v, &$t.payload).expect("build packet");
        v
    }};
    ($b:expr, $t:expr) => {{
        let b = match ($t.src.0, $t.dst.0) {
            (IpAddr::V4(s), IpAddr::V4(d)) => $b.ipv4(s.octets(), d.octets(), 64),
            (IpAddr::V6(s), IpAddr::V6(d)) => $b.ipv6(s.octets(), d.octets(), 64),
            _ => panic!("mixed address families"),
        };
        let mut v = Vec::new();
        b.tcp_header($t.header()).write(&mut v, &$t.payload).expect("build packet");
        v
    }};
}

const MAC_A: [u8; 6] = [2, 0, 0, 0, 0, 1];
const MAC_B: [u8; 6] = [2, 0, 0, 0, 0, 2];

/// The frame bytes of `t` framed by `link`.
pub fn frame(link: Link, t: &Tcp) -> Vec<u8> {
    let v6 = t.src.0.is_ipv6();
    let ethertype: u16 = if v6 { 0x86dd } else { 0x0800 };
    match link {
        Link::Eth => with_ip!(PacketBuilder::ethernet2(MAC_A, MAC_B), t),
        Link::Vlan(id) => {
            with_ip!(PacketBuilder::ethernet2(MAC_A, MAC_B).single_vlan(VlanId::try_new(id).expect("vlan")), t)
        }
        Link::QinQ(o, i) => with_ip!(
            PacketBuilder::ethernet2(MAC_A, MAC_B)
                .double_vlan(VlanId::try_new(o).expect("vlan"), VlanId::try_new(i).expect("vlan")),
            t
        ),
        Link::Ip => with_ip!(bare, t),
        Link::Sll => {
            let mut v = vec![0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0];
            v.extend_from_slice(&ethertype.to_be_bytes());
            v.extend(with_ip!(bare, t));
            v
        }
        Link::Sll2 => {
            let mut v = ethertype.to_be_bytes().to_vec();
            v.extend_from_slice(&[0, 0, 0, 0, 0, 3, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0]);
            v.extend(with_ip!(bare, t));
            v
        }
        Link::Null => {
            let family: u32 = if v6 { 30 } else { 2 };
            let mut v = family.to_le_bytes().to_vec();
            v.extend(with_ip!(bare, t));
            v
        }
        Link::Loop => {
            let family: u32 = if v6 { 24 } else { 2 };
            let mut v = family.to_be_bytes().to_vec();
            v.extend(with_ip!(bare, t));
            v
        }
    }
}

/// A classic pcap file; `frames` are (seconds, fraction in µs or ns, bytes).
pub fn pcap(big: bool, nanos: bool, linktype: u32, frames: &[(u32, u32, Vec<u8>)]) -> Vec<u8> {
    let w32 = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&if big { x.to_be_bytes() } else { x.to_le_bytes() });
    let w16 = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&if big { x.to_be_bytes() } else { x.to_le_bytes() });
    let mut v = Vec::new();
    w32(&mut v, if nanos { 0xa1b2_3c4d } else { 0xa1b2_c3d4 });
    w16(&mut v, 2);
    w16(&mut v, 4);
    w32(&mut v, 0);
    w32(&mut v, 0);
    w32(&mut v, 65_535);
    w32(&mut v, linktype);
    for (s, f, data) in frames {
        w32(&mut v, *s);
        w32(&mut v, *f);
        w32(&mut v, data.len() as u32);
        w32(&mut v, data.len() as u32);
        v.extend_from_slice(data);
    }
    v
}

fn block(kind: u32, body: &[u8]) -> Vec<u8> {
    let mut body = body.to_vec();
    while body.len() % 4 != 0 {
        body.push(0);
    }
    let len = (body.len() + 12) as u32;
    let mut v = kind.to_le_bytes().to_vec();
    v.extend_from_slice(&len.to_le_bytes());
    v.extend(body);
    v.extend_from_slice(&len.to_le_bytes());
    v
}

/// A little-endian pcapng section header block.
pub fn shb() -> Vec<u8> {
    let mut b = 0x1a2b_3c4du32.to_le_bytes().to_vec();
    b.extend_from_slice(&[1, 0, 0, 0]);
    b.extend_from_slice(&(-1i64).to_le_bytes());
    block(0x0a0d_0d0a, &b)
}

/// An interface description block, optionally with `if_tsresol`.
pub fn idb(linktype: u16, tsresol: Option<u8>) -> Vec<u8> {
    let mut b = linktype.to_le_bytes().to_vec();
    b.extend_from_slice(&[0, 0]);
    b.extend_from_slice(&0u32.to_le_bytes());
    if let Some(r) = tsresol {
        b.extend_from_slice(&[9, 0, 1, 0, r, 0, 0, 0]);
        b.extend_from_slice(&[0, 0, 0, 0]);
    }
    block(1, &b)
}

/// An enhanced packet block with a 64-bit timestamp in the interface's units.
pub fn epb(iface: u32, ts: u64, data: &[u8]) -> Vec<u8> {
    let mut b = iface.to_le_bytes().to_vec();
    b.extend_from_slice(&((ts >> 32) as u32).to_le_bytes());
    b.extend_from_slice(&(ts as u32).to_le_bytes());
    b.extend_from_slice(&(data.len() as u32).to_le_bytes());
    b.extend_from_slice(&(data.len() as u32).to_le_bytes());
    b.extend_from_slice(data);
    block(6, &b)
}

/// A simple packet block (interface 0, no timestamp).
pub fn spb(data: &[u8]) -> Vec<u8> {
    let mut b = (data.len() as u32).to_le_bytes().to_vec();
    b.extend_from_slice(data);
    block(3, &b)
}
