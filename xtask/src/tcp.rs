//! Synthetic TCP/IP framing around recorded TLS bytes: three-way handshake, data segments of
//! chosen sizes with correct sequence/acknowledgement numbers and checksums, ACKs, FIN/ACK close
//! or a refused SYN. Frames are Ethernet II or Linux SLL2, over IPv4 or IPv6.

use std::net::IpAddr;

use anyhow::{bail, Result};
use etherparse::{PacketBuilder, TcpOptionElement};

/// Link layer put in front of each IP packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    Ethernet,
    /// Linux cooked capture v2 as seen on the client host.
    Sll2,
}

/// Addresses and ports of one connection.
#[derive(Clone, Copy, Debug)]
pub struct Endpoints {
    pub client: IpAddr,
    pub server: IpAddr,
    pub cport: u16,
    pub sport: u16,
}

/// One captured frame.
#[derive(Clone, Debug)]
pub struct Packet {
    pub ts_ns: u64,
    pub data: Vec<u8>,
}

/// One TCP segment before it is framed.
#[derive(Clone, Debug)]
pub struct Seg {
    pub from_client: bool,
    pub seq: u32,
    pub ack: u32,
    pub syn: bool,
    pub fin: bool,
    pub rst: bool,
    pub psh: bool,
    pub payload: Vec<u8>,
}

const CLIENT_MAC: [u8; 6] = [0x00, 0x50, 0x56, 0xa4, 0x11, 0x17];
const SERVER_MAC: [u8; 6] = [0x00, 0x50, 0x56, 0xa4, 0x22, 0xe8];

/// A TCP connection being written out as packets.
pub struct Tcp {
    pub ep: Endpoints,
    pub link: Link,
    pub now_ns: u64,
    /// Next sequence number of the client and of the server.
    pub next: [u32; 2],
    pub packets: Vec<Packet>,
}

impl Tcp {
    pub fn new(ep: Endpoints, link: Link, start_ns: u64, isn: [u32; 2]) -> Self {
        Self { ep, link, now_ns: start_ns, next: isn, packets: Vec::new() }
    }

    fn idx(from_client: bool) -> usize {
        usize::from(!from_client)
    }

    /// A bare segment from one side with the current numbers.
    pub fn seg(&self, from_client: bool) -> Seg {
        let i = Self::idx(from_client);
        Seg {
            from_client,
            seq: self.next[i],
            ack: self.next[1 - i],
            syn: false,
            fin: false,
            rst: false,
            psh: false,
            payload: Vec::new(),
        }
    }

    /// Frames `s` at the current time, then advances the clock by `gap_us`.
    pub fn emit(&mut self, s: &Seg, gap_us: u64) -> Result<()> {
        let data = frame(&self.ep, self.link, s)?;
        self.packets.push(Packet { ts_ns: self.now_ns, data });
        self.now_ns += gap_us * 1000;
        Ok(())
    }

    /// SYN, SYN/ACK, ACK.
    pub fn open(&mut self) -> Result<()> {
        let syn = Seg { syn: true, ack: 0, ..self.seg(true) };
        self.emit(&syn, 310)?;
        self.next[0] = self.next[0].wrapping_add(1);
        let synack = Seg { syn: true, ..self.seg(false) };
        self.emit(&synack, 45)?;
        self.next[1] = self.next[1].wrapping_add(1);
        let ack = self.seg(true);
        self.emit(&ack, 120)
    }

    /// SYN answered by RST/ACK: nobody listens on the port.
    pub fn refuse(&mut self) -> Result<()> {
        let syn = Seg { syn: true, ack: 0, ..self.seg(true) };
        self.emit(&syn, 290)?;
        let rst = Seg { rst: true, seq: 0, ack: self.next[0].wrapping_add(1), ..self.seg(false) };
        self.emit(&rst, 1_000_000)
    }

    /// Cuts `data` into segments of the given sizes (the last size repeats), advancing `next`.
    pub fn segments(&mut self, from_client: bool, data: &[u8], sizes: &[usize]) -> Vec<Seg> {
        let mut out = Vec::new();
        let mut rest = data;
        let mut k = 0;
        while !rest.is_empty() {
            let want = sizes.get(k).or(sizes.last()).copied().unwrap_or(1460).max(1);
            k += 1;
            let (now, later) = rest.split_at(want.min(rest.len()));
            let mut s = self.seg(from_client);
            s.payload = now.to_vec();
            s.psh = later.is_empty();
            let i = Self::idx(from_client);
            self.next[i] = self.next[i].wrapping_add(now.len() as u32);
            out.push(s);
            rest = later;
        }
        out
    }

    /// Sends `data` as segments and lets the receiver acknowledge it.
    pub fn send(&mut self, from_client: bool, data: &[u8], sizes: &[usize]) -> Result<()> {
        for s in self.segments(from_client, data, sizes) {
            self.emit(&s, 12)?;
        }
        self.now_ns += 180_000;
        let ack = self.seg(!from_client);
        self.emit(&ack, 260)
    }

    /// FIN/ACK from `first`, FIN/ACK back, final ACK.
    pub fn close(&mut self, first: bool) -> Result<()> {
        for from in [first, !first] {
            let fin = Seg { fin: true, ..self.seg(from) };
            self.emit(&fin, 75)?;
            let i = Self::idx(from);
            self.next[i] = self.next[i].wrapping_add(1);
        }
        let last = self.seg(first);
        self.emit(&last, 500)
    }
}

/// Builds the frame bytes for one segment.
pub fn frame(ep: &Endpoints, link: Link, s: &Seg) -> Result<Vec<u8>> {
    let (src, dst, sp, dp) = if s.from_client {
        (ep.client, ep.server, ep.cport, ep.sport)
    } else {
        (ep.server, ep.client, ep.sport, ep.cport)
    };
    let ip = match (src, dst) {
        (IpAddr::V4(a), IpAddr::V4(b)) => PacketBuilder::ipv4(a.octets(), b.octets(), 64),
        (IpAddr::V6(a), IpAddr::V6(b)) => PacketBuilder::ipv6(a.octets(), b.octets(), 64),
        _ => bail!("mixed address families"),
    };
    let window = if s.from_client { 64240 } else { 65160 };
    let mut b = ip.tcp(sp, dp, s.seq, window);
    if s.syn {
        b = b.syn().options(&[TcpOptionElement::MaximumSegmentSize(1460)])?;
    }
    if s.ack != 0 || !s.syn {
        b = b.ack(s.ack);
    }
    if s.fin {
        b = b.fin();
    }
    if s.rst {
        b = b.rst();
    }
    if s.psh {
        b = b.psh();
    }
    let mut out = link_header(link, src.is_ipv4(), s.from_client);
    b.write(&mut out, &s.payload)?;
    Ok(out)
}

fn link_header(link: Link, v4: bool, from_client: bool) -> Vec<u8> {
    let ethertype: u16 = if v4 { 0x0800 } else { 0x86dd };
    let (src, dst) = if from_client { (CLIENT_MAC, SERVER_MAC) } else { (SERVER_MAC, CLIENT_MAC) };
    let mut h = Vec::with_capacity(20);
    match link {
        Link::Ethernet => {
            h.extend_from_slice(&dst);
            h.extend_from_slice(&src);
            h.extend_from_slice(&ethertype.to_be_bytes());
        }
        Link::Sll2 => {
            h.extend_from_slice(&ethertype.to_be_bytes());
            h.extend_from_slice(&[0, 0]); // reserved
            h.extend_from_slice(&2u32.to_be_bytes()); // interface index
            h.extend_from_slice(&1u16.to_be_bytes()); // ARPHRD_ETHER
            h.push(if from_client { 4 } else { 0 }); // outgoing / to this host
            h.push(6);
            h.extend_from_slice(&src);
            h.extend_from_slice(&[0, 0]);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn ep() -> Endpoints {
        let a = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
        let b = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2));
        Endpoints { client: a, server: b, cport: 40000, sport: 8305 }
    }

    #[test]
    fn numbers_follow_the_bytes() {
        let mut t = Tcp::new(ep(), Link::Ethernet, 0, [100, 5000]);
        t.open().expect("open");
        assert_eq!(t.next, [101, 5001]);
        let segs = t.segments(true, &[1; 25], &[10]);
        let seqs: Vec<(u32, u32, usize, bool)> = segs.iter().map(|s| (s.seq, s.ack, s.payload.len(), s.psh)).collect();
        assert_eq!(seqs, vec![(101, 5001, 10, false), (111, 5001, 10, false), (121, 5001, 5, true)]);
        t.close(true).expect("close");
        assert_eq!(t.next, [127, 5002]);
        assert_eq!(t.packets.len(), 6);
    }

    #[test]
    fn ethernet_ipv4_frame_layout() {
        let s = Seg { payload: vec![0xab; 4], psh: true, ..Tcp::new(ep(), Link::Ethernet, 0, [1, 2]).seg(false) };
        let f = frame(&ep(), Link::Ethernet, &s).expect("frame");
        assert_eq!(f.len(), 14 + 20 + 20 + 4);
        assert_eq!(&f[12..14], &[0x08, 0x00]);
        assert_eq!(&f[34..36], &8305u16.to_be_bytes());
        let sll = frame(&ep(), Link::Sll2, &s).expect("frame");
        assert_eq!(sll.len(), 20 + 20 + 20 + 4);
        assert_eq!(sll[10], 0); // addressed to the capturing host
    }
}
