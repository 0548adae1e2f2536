//! The sample captures: each scenario records one rustls connection (or none, for the refused
//! one), frames it as TCP/IP and returns the finished file bytes under its file name.

use std::net::{IpAddr, Ipv6Addr};

use anyhow::Result;
use rustls::crypto::ring::cipher_suite as cs;
use rustls::pki_types::ServerName;
use rustls::SupportedCipherSuite;

use crate::pcap::{pcap, LINKTYPE_ETHERNET};
use crate::plan::{Plan, ONLY_13};
use crate::tcp::{Endpoints, Link, Tcp};
use crate::tls::Transcript;
use crate::world::{self_signed, Lab, Sftunnel, ADMIN, CAPTURE_TIME, FMC, FTD, LAB_NAME};

/// Typical segment size on an Ethernet path without TCP options in data segments.
pub const MSS: &[usize] = &[1460];

/// Application data of a healthy sftunnel session (content is arbitrary; it is encrypted).
pub const SFTUNNEL_DATA: &[(bool, &[u8])] = &[(true, &[0x5a; 212]), (false, &[0xa5; 1830]), (true, &[0x3c; 64])];

/// Where the capture starts: the capture time plus `offset_ms`, in nanoseconds.
pub fn start_ns(offset_ms: u64) -> u64 {
    CAPTURE_TIME * 1_000_000_000 + offset_ms * 1_000_000
}

pub fn sftunnel_ep(cport: u16) -> Endpoints {
    Endpoints { client: FTD, server: FMC, cport, sport: 8305 }
}

fn https_ep(cport: u16) -> Endpoints {
    Endpoints { client: ADMIN, server: FMC, cport, sport: 443 }
}

/// Frames a transcript: open, one send per flight, close started by whoever spoke last.
pub fn frame(t: &Transcript, tcp: &mut Tcp, sizes: &[usize]) -> Result<()> {
    tcp.open()?;
    for f in &t.flights {
        tcp.send(f.from_client, &f.data, sizes)?;
    }
    tcp.close(t.flights.last().is_none_or(|f| f.from_client))
}

fn report(name: &str, t: &Transcript) {
    let c = t.client_error.as_deref().unwrap_or("-");
    let s = t.server_error.as_deref().unwrap_or("-");
    println!("{name}: {} flights; client error: {c}; server error: {s}", t.flights.len());
}

fn simple(name: &str, t: &Transcript, ep: Endpoints, offset_ms: u64, sizes: &[usize]) -> Result<Vec<u8>> {
    report(name, t);
    let mut tcp = Tcp::new(ep, Link::Ethernet, start_ns(offset_ms), [0x6b1d_4c20, 0x0e93_a7f1]);
    frame(t, &mut tcp, sizes)?;
    Ok(pcap(LINKTYPE_ETHERNET, &tcp.packets))
}

/// The healthy sftunnel connection (mutual TLS 1.2), also used by the reordered, pcapng and
/// dense captures.
pub fn sftunnel_ok(seed: &str) -> Result<Transcript> {
    let st = Sftunnel::new(false, false)?;
    let mut p = Plan::new(seed, ServerName::IpAddress(FMC.into()), &st.fmc.key);
    p.client_roots = vec![st.ca.der.clone()];
    p.server_chain = st.fmc_chain();
    p.client_cert = Some((st.ftd_chain(), &st.ftd.key));
    p.client_auth_roots = Some(vec![st.ca.der.clone()]);
    p.exchange = SFTUNNEL_DATA;
    p.record()
}

/// What a failing sftunnel scenario changes on top of the healthy one.
#[derive(Default)]
struct Tweak<'t> {
    ca_expired: bool,
    ftd_expired: bool,
    client_suites: Option<&'t [SupportedCipherSuite]>,
    server_suites: Option<&'t [SupportedCipherSuite]>,
    server_13_only: bool,
}

fn sftunnel_failing(seed: &str, tw: Tweak<'_>) -> Result<Transcript> {
    let (ca_expired, ftd_expired) = (tw.ca_expired, tw.ftd_expired);
    let st = Sftunnel::new(ca_expired, ftd_expired)?;
    let mut p = Plan::new(seed, ServerName::IpAddress(FMC.into()), &st.fmc.key);
    p.client_roots = vec![st.ca.der.clone()];
    p.server_chain = st.fmc_chain();
    p.client_cert = Some((st.ftd_chain(), &st.ftd.key));
    p.client_auth_roots = Some(vec![st.ca.der.clone()]);
    p.exchange = SFTUNNEL_DATA;
    p.client_suites = tw.client_suites;
    p.server_suites = tw.server_suites;
    if tw.server_13_only {
        p.server_versions = ONLY_13;
    }
    p.record()
}

fn lab_name() -> Result<ServerName<'static>> {
    Ok(ServerName::try_from(LAB_NAME)?)
}

/// All scenarios written to single-interface pcap files, as (file name, bytes).
pub fn classic() -> Result<Vec<(&'static str, Vec<u8>)>> {
    let mut out = Vec::new();
    let name = "sftunnel-ok.pcap";
    out.push((name, simple(name, &sftunnel_ok(name)?, sftunnel_ep(41822), 0, MSS)?));

    let name = "sftunnel-expired-ca.pcap";
    let t = sftunnel_failing(name, Tweak { ca_expired: true, ..Tweak::default() })?;
    out.push((name, simple(name, &t, sftunnel_ep(41830), 0, MSS)?));

    let lab = Lab::new("Example Lab")?;
    let name = "self-signed.pcap";
    let ss = self_signed()?;
    let mut p = Plan::new(name, lab_name()?, &ss.key);
    p.client_roots = vec![lab.root.der.clone()];
    p.server_chain = vec![ss.der.clone()];
    out.push((name, simple(name, &p.record()?, https_ep(52114), 0, MSS)?));

    let name = "unknown-ca.pcap";
    let other = Lab::new("Other Org")?;
    let mut p = Plan::new(name, lab_name()?, &other.leaf.key);
    p.client_roots = vec![lab.root.der.clone()];
    p.server_chain = other.chain();
    out.push((name, simple(name, &p.record()?, https_ep(52120), 0, MSS)?));

    let name = "cipher-mismatch.pcap";
    let client_suites = [cs::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256];
    let server_suites = [cs::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256];
    let tw = Tweak { client_suites: Some(&client_suites), server_suites: Some(&server_suites), ..Tweak::default() };
    let t = sftunnel_failing(name, tw)?;
    out.push((name, simple(name, &t, sftunnel_ep(41840), 0, MSS)?));

    let name = "protocol-mismatch.pcap";
    let t = sftunnel_failing(name, Tweak { server_13_only: true, ..Tweak::default() })?;
    out.push((name, simple(name, &t, sftunnel_ep(41846), 0, MSS)?));

    let name = "expired-client-cert.pcap";
    let t = sftunnel_failing(name, Tweak { ftd_expired: true, ..Tweak::default() })?;
    out.push((name, simple(name, &t, sftunnel_ep(41852), 0, MSS)?));

    let name = "tls13.pcap";
    let mut p = Plan::new(name, lab_name()?, &lab.leaf.key);
    p.client_versions = ONLY_13;
    p.server_versions = ONLY_13;
    p.client_roots = vec![lab.root.der.clone()];
    p.server_chain = lab.chain();
    p.alpn = &[b"h2", b"http/1.1"];
    p.exchange = &[(true, &[0x17; 180]), (false, &[0x42; 2400])];
    out.push((name, simple(name, &p.record()?, https_ep(52130), 0, MSS)?));

    let name = "fragmented.pcap";
    let mut p = Plan::new(name, lab_name()?, &lab.leaf.key);
    p.client_roots = vec![lab.root.der.clone()];
    p.server_chain = vec![lab.leaf.der.clone(), lab.inter.der.clone(), lab.root.der.clone()];
    p.max_fragment = Some(512);
    p.exchange = &[(true, &[0x61; 700]), (false, &[0x62; 1300])];
    out.push((name, simple(name, &p.record()?, https_ep(52140), 0, &[7, 301, 1023, 97, 555, 13, 389])?));

    let name = "ipv6.pcap";
    let mut p = Plan::new(name, lab_name()?, &lab.leaf.key);
    p.client_roots = vec![lab.root.der.clone()];
    p.server_chain = lab.chain();
    p.exchange = &[(true, &[0x71; 90]), (false, &[0x72; 600])];
    let ep = Endpoints {
        client: IpAddr::V6(Ipv6Addr::new(0xfd00, 0x48, 0x79, 0, 0, 0, 0, 0x101)),
        server: IpAddr::V6(Ipv6Addr::new(0xfd00, 0x48, 0x79, 0, 0, 0, 0, 0x232)),
        cport: 52150,
        sport: 443,
    };
    out.push((name, simple(name, &p.record()?, ep, 0, &[1440])?));

    let name = "refused.pcap";
    println!("{name}: no TLS");
    let mut tcp = Tcp::new(sftunnel_ep(41860), Link::Ethernet, start_ns(0), [0x1f2e_3d4c, 0]);
    tcp.refuse()?;
    tcp.refuse()?;
    out.push((name, pcap(LINKTYPE_ETHERNET, &tcp.packets)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn healthy_sftunnel_is_mutual_and_repeatable() {
        let a = sftunnel_ok("t").expect("record");
        let b = sftunnel_ok("t").expect("record");
        assert_eq!(a.client_error, None);
        assert_eq!(a.server_error, None);
        let dirs: Vec<bool> = a.flights.iter().map(|f| f.from_client).collect();
        assert_eq!(dirs, vec![true, false, true, false, true, false, true, true]);
        let same = a.flights.iter().zip(&b.flights).all(|(x, y)| x.data == y.data);
        assert!(same && a.flights.len() == b.flights.len());
    }

    #[test]
    fn expired_internal_ca_is_refused_by_the_client() {
        let t = sftunnel_failing("t", Tweak { ca_expired: true, ..Tweak::default() }).expect("record");
        assert_eq!(t.client_error.as_deref(), Some("invalid peer certificate: Expired"));
        assert_eq!(t.server_error.as_deref(), Some("received fatal alert: CertificateExpired"));
    }
}
