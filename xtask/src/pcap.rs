//! Minimal writers for classic pcap (microsecond timestamps, little endian) and pcapng (section
//! header, interface descriptions with optional `if_tsresol`, enhanced packet blocks).

use crate::tcp::Packet;

/// Link type numbers from the tcpdump registry.
pub const LINKTYPE_ETHERNET: u16 = 1;
pub const LINKTYPE_LINUX_SLL2: u16 = 276;

const SNAPLEN: u32 = 262_144;

/// The 24-byte global header of a classic pcap file.
pub fn pcap_header(linktype: u16) -> Vec<u8> {
    let mut out = Vec::with_capacity(24);
    out.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    out.extend_from_slice(&0i32.to_le_bytes()); // thiszone
    out.extend_from_slice(&0u32.to_le_bytes()); // sigfigs
    out.extend_from_slice(&SNAPLEN.to_le_bytes());
    out.extend_from_slice(&u32::from(linktype).to_le_bytes());
    out
}

/// Appends one record (header and frame) to a classic pcap file.
pub fn pcap_record(out: &mut Vec<u8>, p: &Packet) {
    let secs = p.ts_ns / 1_000_000_000;
    let usecs = (p.ts_ns % 1_000_000_000) / 1000;
    let len = p.data.len() as u32;
    out.extend_from_slice(&(secs as u32).to_le_bytes());
    out.extend_from_slice(&(usecs as u32).to_le_bytes());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&p.data);
}

/// A classic pcap file with one link type.
pub fn pcap(linktype: u16, packets: &[Packet]) -> Vec<u8> {
    let mut out = pcap_header(linktype);
    for p in packets {
        pcap_record(&mut out, p);
    }
    out
}

/// One pcapng interface: its link type, name and whether timestamps count nanoseconds.
pub struct Interface<'a> {
    pub linktype: u16,
    pub name: &'a str,
    pub nanos: bool,
}

fn pad4(v: &mut Vec<u8>) {
    while !v.len().is_multiple_of(4) {
        v.push(0);
    }
}

fn option(body: &mut Vec<u8>, code: u16, value: &[u8]) {
    body.extend_from_slice(&code.to_le_bytes());
    body.extend_from_slice(&(value.len() as u16).to_le_bytes());
    body.extend_from_slice(value);
    pad4(body);
}

fn end_options(body: &mut Vec<u8>) {
    body.extend_from_slice(&[0, 0, 0, 0]);
}

fn block(out: &mut Vec<u8>, kind: u32, body: &[u8]) {
    let total = (12 + body.len()) as u32;
    out.extend_from_slice(&kind.to_le_bytes());
    out.extend_from_slice(&total.to_le_bytes());
    out.extend_from_slice(body);
    out.extend_from_slice(&total.to_le_bytes());
}

/// A pcapng file: `packets` are (interface index, packet); timestamps are written in each
/// interface's own resolution.
pub fn pcapng(interfaces: &[Interface<'_>], packets: &[(u32, &Packet)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut shb = Vec::new();
    shb.extend_from_slice(&0x1a2b_3c4du32.to_le_bytes());
    shb.extend_from_slice(&1u16.to_le_bytes());
    shb.extend_from_slice(&0u16.to_le_bytes());
    shb.extend_from_slice(&(-1i64).to_le_bytes()); // section length unknown
    option(&mut shb, 4, b"tlstriage xtask gen-captures"); // shb_userappl
    end_options(&mut shb);
    block(&mut out, 0x0a0d_0d0a, &shb);
    for i in interfaces {
        let mut idb = Vec::new();
        idb.extend_from_slice(&i.linktype.to_le_bytes());
        idb.extend_from_slice(&0u16.to_le_bytes());
        idb.extend_from_slice(&SNAPLEN.to_le_bytes());
        option(&mut idb, 2, i.name.as_bytes()); // if_name
        if i.nanos {
            option(&mut idb, 9, &[9]); // if_tsresol: 10^-9
        }
        end_options(&mut idb);
        block(&mut out, 1, &idb);
    }
    for (ifc, p) in packets {
        let nanos = interfaces.get(*ifc as usize).is_some_and(|i| i.nanos);
        let ts = if nanos { p.ts_ns } else { p.ts_ns / 1000 };
        let mut epb = Vec::new();
        epb.extend_from_slice(&ifc.to_le_bytes());
        epb.extend_from_slice(&((ts >> 32) as u32).to_le_bytes());
        epb.extend_from_slice(&(ts as u32).to_le_bytes());
        let len = p.data.len() as u32;
        epb.extend_from_slice(&len.to_le_bytes());
        epb.extend_from_slice(&len.to_le_bytes());
        epb.extend_from_slice(&p.data);
        pad4(&mut epb);
        block(&mut out, 6, &epb);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pcap_record_layout() {
        let p = Packet { ts_ns: 1_700_000_000_123_456_789, data: vec![1, 2, 3] };
        let f = pcap(LINKTYPE_ETHERNET, &[p]);
        assert_eq!(f.len(), 24 + 16 + 3);
        assert_eq!(&f[24..28], &1_700_000_000u32.to_le_bytes());
        assert_eq!(&f[28..32], &123_456u32.to_le_bytes());
    }

    #[test]
    fn pcapng_blocks_are_aligned() {
        let p = Packet { ts_ns: 5, data: vec![9; 5] };
        let ifs = [Interface { linktype: LINKTYPE_LINUX_SLL2, name: "any", nanos: true }];
        let f = pcapng(&ifs, &[(0, &p)]);
        assert_eq!(f.len() % 4, 0);
        // EPB is the last block: 32 bytes of fields and lengths + 8 bytes of padded data.
        assert_eq!(&f[f.len() - 4..], &40u32.to_le_bytes());
    }
}
