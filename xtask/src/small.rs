//! The many-small-files benchmark folder: `count` files in sub-folders of 100, a third each
//! syslog excerpts with sftunneld attempts, PEM certificates and one-connection captures, all
//! different from each other (so that none is skipped as a copy) and the same on every run.

use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;

use anyhow::{Context, Result};
use rcgen::DnType;

use crate::archive::pem;
use crate::pcap::{pcap_header, pcap_record, LINKTYPE_ETHERNET};
use crate::pki::{issue, Issued, Spec};
use crate::scenarios::{frame, sftunnel_ep, sftunnel_ok, start_ns, MSS};
use crate::tcp::{Endpoints, Link, Tcp};

/// Files per sub-folder.
const PER_DIR: u32 = 100;

/// Writes the folder; returns the bytes written.
pub fn small(count: u32, dir: &Path) -> Result<u64> {
    let ca_dn = [(DnType::CommonName, "small-files-ca"), (DnType::OrganizationName, "tlstriage bench")];
    let ca_spec = Spec { dn: &ca_dn, serial: 1, window: ((2024, 1, 1), (2034, 1, 1)), ca: true, dns: &[], ips: &[] };
    let ca = issue("small-files-ca", &ca_spec, None)?;
    let handshake = sftunnel_ok("gen-small")?;
    let mut bytes = 0u64;
    for i in 0..count {
        let sub = dir.join(format!("{:03}", i / PER_DIR));
        if i % PER_DIR == 0 {
            std::fs::create_dir_all(&sub).with_context(|| format!("creating {}", sub.display()))?;
        }
        let (name, data) = match i % 3 {
            0 => (format!("messages-{i}"), syslog(i).into_bytes()),
            1 => (format!("cert-{i}.pem"), certificate(i, &ca)?.into_bytes()),
            _ => (format!("conn-{i}.pcap"), capture(i, &handshake)?),
        };
        let path = sub.join(name);
        std::fs::write(&path, &data).with_context(|| format!("writing {}", path.display()))?;
        bytes += data.len() as u64;
    }
    Ok(bytes)
}

/// A few lines of another program around one or two sftunneld attempts: expired CA, unknown CA,
/// a handshake failure without a reason, or a tunnel that came up.
fn syslog(i: u32) -> String {
    let device = format!("FTD-{:02}", i % 40);
    let peer = format!("10.20.{}.{}", (i / 250) % 250, 1 + i % 250);
    let mut out = String::new();
    for n in 0..1 + i % 3 {
        let (m, s) = ((i / 60 + n * 3) % 60, (i + n * 7) % 60);
        let head = format!(
            "Oct {:>2} 07:{m:02}:{s:02} {device} SF-IMS[{}]: [{}] sftunneld:sf_ssl",
            1 + i % 28,
            4000 + i % 900,
            51000 + n
        );
        let _ = writeln!(out, "Oct {:>2} 07:{m:02}:{s:02} {device} kernel: [{i}.{n:06}] eth1: link up", 1 + i % 28);
        let _ = writeln!(out, "{head} [INFO] Initiating IPv4 connection to {peer}:8305/tcp");
        match (i / 3 + n) % 4 {
            0 => {
                let _ = writeln!(out, "{head} [ERROR] -Error with certificate at depth: 1");
                let _ = writeln!(out, "{head} [ERROR] err 10:certificate has expired");
            }
            1 => {
                let _ = writeln!(out, "{head} [ERROR] -Error with certificate at depth: 0");
                let _ = writeln!(out, "{head} [ERROR] issuer  = /CN=internal-ca-{}", i % 7);
                let _ = writeln!(out, "{head} [ERROR] err 20:unable to get local issuer certificate");
            }
            2 => {}
            _ => {
                let _ = writeln!(out, "{head} [INFO] Connected to {peer} (via IPv4)");
                continue;
            }
        }
        let _ = writeln!(out, "{head} [ERROR] Connect:SSL handshake failed");
    }
    out
}

/// A device certificate signed by the bench CA; every fifth one has expired.
fn certificate(i: u32, ca: &Issued) -> Result<String> {
    let cn = format!("ftd-{i}.example.net");
    let dn = [(DnType::CommonName, cn.as_str()), (DnType::OrganizationName, "tlstriage bench")];
    let window = if i % 5 == 1 { ((2023, 1, 1), (2025, 6, 1)) } else { ((2025, 1, 1), (2030, 1, 1)) };
    let spec = Spec { dn: &dn, serial: u64::from(i) + 100, window, ca: false, dns: &[], ips: &[] };
    // One key for all leaves: deriving a key per file would only slow the generator down.
    let leaf = issue("small-files-leaf", &spec, Some(ca))?;
    Ok(pem("CERTIFICATE", &leaf.der))
}

/// One recorded mutual-TLS handshake on its own client address, port and time.
fn capture(i: u32, t: &crate::tls::Transcript) -> Result<Vec<u8>> {
    let ip = Ipv4Addr::new(10, 50, (i >> 8) as u8, i as u8);
    let ep = Endpoints { client: IpAddr::V4(ip), cport: 33_000 + (i % 20_000) as u16, ..sftunnel_ep(0) };
    let isn = [i.wrapping_mul(2_654_435_761), i.wrapping_mul(40_503).wrapping_add(11)];
    let mut tcp = Tcp::new(ep, Link::Ethernet, start_ns(u64::from(i) * 1000), isn);
    frame(t, &mut tcp, MSS)?;
    let mut out = pcap_header(LINKTYPE_ETHERNET);
    for p in &tcp.packets {
        pcap_record(&mut out, p);
    }
    Ok(out)
}
