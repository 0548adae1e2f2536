//! The bulk benchmark capture: a few hundred mutual-TLS 1.2 connections that each carry megabytes
//! of application data in real encrypted records, as Ethernet frames with 1448-byte segments,
//! several connections at a time interleaved by time, like a busy link.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr};

use anyhow::{Context, Result};
use rustls::pki_types::ServerName;

use crate::pcap::{pcap_header, pcap_record, LINKTYPE_ETHERNET};
use crate::plan::Plan;
use crate::scenarios::{frame, sftunnel_ep, start_ns};
use crate::tcp::{Endpoints, Link, Packet, Tcp};
use crate::tls::Transcript;
use crate::world::{Sftunnel, FMC};

/// Segment size of a 1500-byte MTU path with TCP timestamps.
const MSS: &[usize] = &[1448];
/// Distinct recorded sessions (own keys and random); connections reuse them round robin.
const SESSIONS: usize = 4;
/// Connections open at the same time; their packets are interleaved by time.
const CONCURRENT: u32 = 16;

/// One session: handshake, a short request from the client, `bytes` of response.
fn session(seed: &str, bytes: usize) -> Result<Transcript> {
    let st = Sftunnel::new(false, false)?;
    let request = vec![0x51u8; 517];
    let response: Vec<u8> = (0..bytes).map(|i| (i % 253) as u8).collect();
    let exchange: [(bool, &[u8]); 2] = [(true, &request), (false, &response)];
    let mut p = Plan::new(seed, ServerName::IpAddress(FMC.into()), &st.fmc.key);
    p.client_roots = vec![st.ca.der.clone()];
    p.server_chain = st.fmc_chain();
    p.client_cert = Some((st.ftd_chain(), &st.ftd.key));
    p.client_auth_roots = Some(vec![st.ca.der.clone()]);
    p.exchange = &exchange;
    p.record()
}

/// Writes `connections` connections of `mb` megabytes (10^6 bytes) of response each.
pub fn bulk(connections: u32, mb: u32, out: &std::path::Path) -> Result<()> {
    let bytes = usize::try_from(mb)?.checked_mul(1_000_000).context("--mb-per-conn too large")?;
    let sessions: Vec<Transcript> =
        (0..SESSIONS).map(|i| session(&format!("gen-bulk/{i}"), bytes)).collect::<Result<_>>()?;
    let file = std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    w.write_all(&pcap_header(LINKTYPE_ETHERNET))?;
    let mut buf = Vec::new();
    let mut group_start = start_ns(0);
    for first in (0..connections).step_by(CONCURRENT as usize) {
        let mut packets: Vec<Packet> = Vec::new();
        let mut group_end = group_start;
        for i in first..connections.min(first + CONCURRENT) {
            let ip = Ipv4Addr::new(10, 50, (i >> 8) as u8, i as u8);
            let ep = Endpoints { client: IpAddr::V4(ip), cport: 40_000 + (i % 20_000) as u16, ..sftunnel_ep(0) };
            let isn = [i.wrapping_mul(2_246_822_519), i.wrapping_mul(3_266_489_917).wrapping_add(11)];
            let start = group_start + u64::from(i - first) * 1_000_000;
            let mut tcp = Tcp::new(ep, Link::Ethernet, start, isn);
            frame(&sessions[i as usize % SESSIONS], &mut tcp, MSS)?;
            group_end = group_end.max(tcp.now_ns);
            packets.append(&mut tcp.packets);
        }
        // Stable: packets of one connection at the same instant keep their order.
        packets.sort_by_key(|p| p.ts_ns);
        buf.clear();
        for p in &packets {
            pcap_record(&mut buf, p);
        }
        w.write_all(&buf)?;
        group_start = group_end + 5_000_000;
    }
    w.flush()?;
    Ok(())
}
