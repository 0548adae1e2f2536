//! Captures whose framing is unusual: segments out of order with retransmissions and an
//! overlap, a two-interface pcapng with Linux SLL2 and nanosecond timestamps, and the
//! handshake-dense benchmark capture.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr};

use anyhow::{Context, Result};

use crate::pcap::{pcap, pcap_header, pcap_record, pcapng, Interface, LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL2};
use crate::scenarios::{frame, sftunnel_ep, sftunnel_ok, start_ns, MSS};
use crate::tcp::{Endpoints, Link, Packet, Seg, Tcp};

/// `reordered.pcap`: the server's first flight is cut into 300-byte segments sent as
/// 0, 2, 1, 2 again (retransmission), then a segment overlapping the end of 1 and the start of 2,
/// then the rest in order.
pub fn reordered() -> Result<(&'static str, Vec<u8>)> {
    let name = "reordered.pcap";
    let t = sftunnel_ok(name)?;
    let mut tcp = Tcp::new(sftunnel_ep(41870), Link::Ethernet, start_ns(0), [0x2c4e_6a80, 0x9d3b_1f07]);
    tcp.open()?;
    for (i, f) in t.flights.iter().enumerate() {
        if i != 1 || f.from_client {
            tcp.send(f.from_client, &f.data, MSS)?;
            continue;
        }
        let segs = tcp.segments(false, &f.data, &[300]);
        let order: Vec<Seg> = match segs.as_slice() {
            [s0, s1, s2, rest @ ..] => {
                let half = s1.payload.len() / 2;
                let mut overlap = s1.clone();
                overlap.seq = s1.seq.wrapping_add(half as u32);
                overlap.payload = [&s1.payload[half..], &s2.payload[..s2.payload.len() / 2]].concat();
                let mut v = vec![s0.clone(), s2.clone(), s1.clone(), s2.clone(), overlap];
                v.extend(rest.iter().cloned());
                v
            }
            _ => segs.clone(),
        };
        for s in &order {
            tcp.emit(s, 40)?;
        }
        let ack = tcp.seg(true);
        tcp.emit(&ack, 200)?;
    }
    tcp.close(t.flights.last().is_none_or(|f| f.from_client))?;
    println!("{name}: {} flights, server flight reordered", t.flights.len());
    Ok((name, pcap(LINKTYPE_ETHERNET, &tcp.packets)))
}

fn arp(request: bool, ts_ns: u64) -> Packet {
    let ftd_mac = [0x00, 0x50, 0x56, 0xa4, 0x11, 0x17];
    let fmc_mac = [0x00, 0x50, 0x56, 0xa4, 0x22, 0xe8];
    let (ftd_ip, fmc_ip) = ([10, 48, 79, 23], [10, 48, 79, 232]);
    let mut d = Vec::with_capacity(42);
    let (dst, src) = if request { ([0xff; 6], ftd_mac) } else { (ftd_mac, fmc_mac) };
    d.extend_from_slice(&dst);
    d.extend_from_slice(&src);
    d.extend_from_slice(&[0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 6, 4, 0, if request { 1 } else { 2 }]);
    if request {
        d.extend_from_slice(&ftd_mac);
        d.extend_from_slice(&ftd_ip);
        d.extend_from_slice(&[0; 6]);
        d.extend_from_slice(&fmc_ip);
    } else {
        d.extend_from_slice(&fmc_mac);
        d.extend_from_slice(&fmc_ip);
        d.extend_from_slice(&ftd_mac);
        d.extend_from_slice(&ftd_ip);
    }
    Packet { ts_ns, data: d }
}

/// `sll2.pcapng`: interface 0 is Ethernet (microseconds) carrying an ARP exchange; interface 1
/// is a Linux "any" capture (SLL2, nanoseconds) carrying a healthy sftunnel session.
pub fn sll2() -> Result<(&'static str, Vec<u8>)> {
    let name = "sll2.pcapng";
    let t = sftunnel_ok(name)?;
    let start = start_ns(0) + 217;
    let mut tcp = Tcp::new(sftunnel_ep(41880), Link::Sll2, start, [0x4410_2e9a, 0x7be0_0c53]);
    frame(&t, &mut tcp, MSS)?;
    let a = [arp(true, start - 900_000), arp(false, start - 760_000)];
    let mut all: Vec<(u32, &Packet)> = a.iter().map(|p| (0, p)).collect();
    all.extend(tcp.packets.iter().map(|p| (1, p)));
    let ifs = [
        Interface { linktype: LINKTYPE_ETHERNET, name: "eth0", nanos: false },
        Interface { linktype: LINKTYPE_LINUX_SLL2, name: "any", nanos: true },
    ];
    println!("{name}: {} flights on SLL2", t.flights.len());
    Ok((name, pcapng(&ifs, &all)))
}

/// Writes `connections` copies of one healthy sftunnel connection (two-certificate chains),
/// each from its own client address and port, 10 ms apart, as classic pcap.
pub fn dense(connections: u32, out: &std::path::Path) -> Result<()> {
    let t = sftunnel_ok("gen-dense")?;
    let file = std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?;
    let mut w = std::io::BufWriter::new(file);
    w.write_all(&pcap_header(LINKTYPE_ETHERNET))?;
    let mut buf = Vec::new();
    for i in 0..connections {
        let host = 1 + (i / 28_000);
        let ip = Ipv4Addr::new(10, 49, (host >> 8) as u8, host as u8);
        let ep = Endpoints { client: IpAddr::V4(ip), cport: 32_768 + (i % 28_000) as u16, ..sftunnel_ep(0) };
        let isn = [i.wrapping_mul(2_654_435_761), i.wrapping_mul(40_503).wrapping_add(7)];
        let mut tcp = Tcp::new(ep, Link::Ethernet, start_ns(u64::from(i) * 10), isn);
        frame(&t, &mut tcp, MSS)?;
        buf.clear();
        for p in &tcp.packets {
            pcap_record(&mut buf, p);
        }
        w.write_all(&buf)?;
    }
    w.flush()?;
    Ok(())
}

/// `sslv2-hello.pcap`: an old HTTPS client on the admin workstation opens with an SSL 2.0-format
/// ClientHello offering TLS 1.0 with two RC4/3DES suites and one SSL 2.0 cipher kind; the FMC's
/// web server shares none of them and answers with a fatal handshake_failure alert.
pub fn sslv2_hello() -> Result<(&'static str, Vec<u8>)> {
    let name = "sslv2-hello.pcap";
    let ep = Endpoints {
        client: IpAddr::V4(Ipv4Addr::new(10, 48, 79, 101)),
        server: IpAddr::V4(Ipv4Addr::new(10, 48, 79, 232)),
        cport: 52114,
        sport: 443,
    };
    // CLIENT-HELLO: type 1, version 3.1, 9 bytes of cipher specs, no session id, 16-byte
    // challenge; specs TLS_RSA_WITH_RC4_128_SHA, TLS_RSA_WITH_3DES_EDE_CBC_SHA, SSL_CK_RC4_128_WITH_MD5.
    let mut body = vec![0x01, 0x03, 0x01, 0x00, 0x09, 0x00, 0x00, 0x00, 0x10];
    body.extend_from_slice(&[0x00, 0x00, 0x05, 0x00, 0x00, 0x0a, 0x01, 0x00, 0x80]);
    body.extend((0u8..16).map(|i| i.wrapping_mul(37).wrapping_add(11)));
    let len = u16::try_from(body.len()).context("hello length")?;
    let mut hello = vec![0x80 | (len >> 8) as u8, (len & 0xff) as u8];
    hello.extend_from_slice(&body);
    // Alert record: TLS 1.0, fatal (2) handshake_failure (40).
    let alert = [0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x28];
    let mut tcp = Tcp::new(ep, Link::Ethernet, start_ns(9), [0x1b2c_3d4e, 0x5f60_7182]);
    tcp.open()?;
    tcp.send(true, &hello, MSS)?;
    tcp.send(false, &alert, MSS)?;
    tcp.close(false)?;
    println!("{name}: SSL 2.0-format ClientHello answered by handshake_failure");
    Ok((name, pcap(LINKTYPE_ETHERNET, &tcp.packets)))
}
