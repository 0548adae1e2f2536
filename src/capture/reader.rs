//! Capture file reading: classic pcap (either byte order, micro- or nanosecond stamps) and pcapng
//! (sections, several interfaces with their own link type and time resolution), from memory.
//!
//! Frames are handed to a callback one at a time, numbered from 1 like Wireshark does; the
//! reader stops at the first damaged record and says why in [`ReadEnd`].

use jiff::Timestamp;
use pcap_parser::pcapng::Block;
use pcap_parser::{PcapError, PcapHeader};

/// Records longer than this are taken as a sign of a corrupt file (Wireshark uses the same bound
/// unless the snapshot length says more).
const MAX_RECORD: u32 = 262_144;
/// Upper bound for any record, whatever the snapshot length claims.
const HARD_MAX_RECORD: u32 = 16 * 1024 * 1024;
/// Interfaces kept per pcapng section.
const MAX_INTERFACES: usize = 4096;

/// One captured packet.
#[derive(Clone, Copy, Debug)]
pub struct Frame<'a> {
    /// 1-based frame number.
    pub number: u64,
    /// Its capture time, converted on demand ([`Stamp::time`]).
    pub stamp: Stamp,
    pub linktype: i32,
    pub data: &'a [u8],
    /// Offset in the file just past this frame's record (drives progress and page release).
    pub end: usize,
}

/// A frame's time as stored in the file; turning it into a [`Timestamp`] costs divisions, so it
/// is only done for frames that are kept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Stamp {
    #[default]
    None,
    /// Seconds plus `frac` units of `per_sec` per second (classic pcap).
    Split { secs: i64, frac: u64, per_sec: u64 },
    /// `units` of `per_sec` per second since the epoch, plus `offset` seconds (pcapng).
    Units { units: u64, per_sec: u64, offset: i64 },
}

impl Stamp {
    pub fn time(self) -> Option<Timestamp> {
        match self {
            Stamp::None => None,
            Stamp::Split { secs, frac, per_sec } => timestamp(secs, frac, per_sec),
            Stamp::Units { units, per_sec, offset } => {
                let secs = i64::try_from(units.checked_div(per_sec)?).ok()?.checked_add(offset)?;
                timestamp(secs, units % per_sec, per_sec)
            }
        }
    }
}

/// Why reading stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadEnd {
    /// The whole file was read.
    Complete,
    /// The file ends inside a record: everything before it was read.
    Truncated(String),
    /// A record is damaged: everything before it was read.
    Damaged(String),
    /// Not a capture at all (no frame could be read).
    NotCapture(String),
}

/// Read every frame of a classic pcap or pcapng file held in memory.
pub fn read_frames<'a>(data: &'a [u8], mut on_frame: impl FnMut(Frame<'a>)) -> ReadEnd {
    if data.len() >= 4 && data[..4] == [0x0a, 0x0d, 0x0d, 0x0a] {
        read_pcapng(data, &mut on_frame)
    } else {
        read_pcap(data, &mut on_frame)
    }
}

/// Seconds plus a fraction in units of `per_sec` per second as a timestamp.
pub fn timestamp(secs: i64, frac: u64, per_sec: u64) -> Option<Timestamp> {
    if per_sec == 0 || frac >= per_sec {
        return None;
    }
    let nanos = match per_sec {
        1_000_000_000 => frac as i32,
        1_000_000 => (frac * 1000) as i32,
        _ => (u128::from(frac) * 1_000_000_000 / u128::from(per_sec)) as i32,
    };
    Timestamp::new(secs, nanos).ok()
}

fn read_pcap<'a>(data: &'a [u8], on_frame: &mut impl FnMut(Frame<'a>)) -> ReadEnd {
    let (mut rest, header): (&[u8], PcapHeader) = match pcap_parser::parse_pcap_header(data) {
        Ok(v) => v,
        Err(nom::Err::Incomplete(_)) => return ReadEnd::NotCapture("file ends inside the pcap header".into()),
        Err(_) => return ReadEnd::NotCapture("not a pcap or pcapng file (unknown magic number)".into()),
    };
    if header.is_modified_format() {
        return ReadEnd::NotCapture("the 'modified' (Kuznetzov) pcap variant is not supported".into());
    }
    let per_sec = if header.is_nanosecond_precision() { 1_000_000_000 } else { 1_000_000 };
    let big = header.is_bigendian();
    let limit = header.snaplen.clamp(MAX_RECORD, HARD_MAX_RECORD);
    let linktype = header.network.0;
    let mut number = 0u64;
    while !rest.is_empty() {
        number += 1;
        if rest.len() >= 16 {
            let field = [rest[8], rest[9], rest[10], rest[11]];
            let caplen = if big { u32::from_be_bytes(field) } else { u32::from_le_bytes(field) };
            if caplen > limit {
                return ReadEnd::Damaged(format!(
                    "frame {number}: record length {caplen} is larger than the limit {limit}; the file is damaged"
                ));
            }
        }
        let parsed = if big { pcap_parser::parse_pcap_frame_be(rest) } else { pcap_parser::parse_pcap_frame(rest) };
        match parsed {
            Ok((next, block)) => {
                let stamp = Stamp::Split { secs: i64::from(block.ts_sec), frac: u64::from(block.ts_usec), per_sec };
                on_frame(Frame { number, stamp, linktype, data: block.data, end: data.len() - next.len() });
                rest = next;
            }
            Err(nom::Err::Incomplete(_)) => {
                return ReadEnd::Truncated(format!("the file ends inside frame {number} (cut off)"));
            }
            Err(_) => return ReadEnd::Damaged(format!("frame {number}: unreadable record")),
        }
    }
    ReadEnd::Complete
}

/// Whether the length a pcapng block declares lies within the data left (then a parser asking
/// for more bytes means a damaged block, not a cut file).
fn declared_fits(rest: &[u8], big: bool) -> bool {
    let Some(f) = rest.get(4..8) else { return false };
    let len = [f[0], f[1], f[2], f[3]];
    let len = if big { u32::from_be_bytes(len) } else { u32::from_le_bytes(len) };
    len as usize <= rest.len()
}

/// An interface of the current pcapng section.
struct Interface {
    linktype: i32,
    per_sec: u64,
    offset: i64,
    snaplen: u32,
}

/// The next pcapng block of `rest` (block number `blocks`, before frame `at`), or why reading
/// stops there.
fn next_block(rest: &[u8], big: bool, blocks: u64, at: u64) -> Result<(&[u8], Block<'_>), ReadEnd> {
    let parsed = if rest.len() >= 4 && rest[..4] == [0x0a, 0x0d, 0x0d, 0x0a] {
        pcap_parser::parse_sectionheaderblock(rest).map(|(r, b)| (r, Block::SectionHeader(b)))
    } else if big {
        pcap_parser::parse_block_be(rest)
    } else {
        pcap_parser::parse_block_le(rest)
    };
    parsed.map_err(|e| match e {
        nom::Err::Incomplete(_) if !declared_fits(rest, big) => {
            ReadEnd::Truncated(format!("the file ends inside block {blocks} (before frame {at}; cut off)"))
        }
        nom::Err::Error(PcapError::HeaderNotRecognized) | nom::Err::Failure(PcapError::HeaderNotRecognized)
            if blocks == 1 =>
        {
            ReadEnd::NotCapture("not a pcapng file (bad section header)".into())
        }
        _ => ReadEnd::Damaged(format!("block {blocks} (before frame {at}): unreadable block (bad length or contents)")),
    })
}

fn read_pcapng<'a>(data: &'a [u8], on_frame: &mut impl FnMut(Frame<'a>)) -> ReadEnd {
    let mut rest = data;
    let mut big = false;
    let mut interfaces: Vec<Interface> = Vec::new();
    let mut number = 0u64;
    let mut blocks = 0u64;
    while !rest.is_empty() {
        blocks += 1;
        let (next, block) = match next_block(rest, big, blocks, number + 1) {
            Ok(v) => v,
            Err(end) => return end,
        };
        rest = next;
        let end = data.len() - rest.len();
        match block {
            Block::SectionHeader(shb) => {
                big = shb.big_endian();
                interfaces.clear();
            }
            Block::InterfaceDescription(idb) if interfaces.len() < MAX_INTERFACES => {
                interfaces.push(Interface {
                    linktype: idb.linktype.0,
                    per_sec: idb.ts_resolution().unwrap_or(0),
                    offset: idb.ts_offset(),
                    snaplen: idb.snaplen,
                });
            }
            Block::EnhancedPacket(epb) => {
                number += 1;
                let Some(iface) = interfaces.get(epb.if_id as usize) else {
                    return ReadEnd::Damaged(format!("frame {number}: refers to unknown interface {}", epb.if_id));
                };
                let units = (u64::from(epb.ts_high) << 32) | u64::from(epb.ts_low);
                let stamp = Stamp::Units { units, per_sec: iface.per_sec, offset: iface.offset };
                on_frame(Frame {
                    number,
                    stamp,
                    linktype: iface.linktype,
                    data: epb.data.get(..epb.caplen as usize).unwrap_or(epb.data),
                    end,
                });
            }
            Block::SimplePacket(spb) => {
                number += 1;
                let Some(iface) = interfaces.first() else {
                    return ReadEnd::Damaged(format!("frame {number}: simple packet block before any interface"));
                };
                let mut pkt: &'a [u8] = spb.data.get(..spb.origlen as usize).unwrap_or(spb.data);
                if iface.snaplen > 0 && pkt.len() > iface.snaplen as usize {
                    pkt = pkt.get(..iface.snaplen as usize).unwrap_or(pkt);
                }
                on_frame(Frame { number, stamp: Stamp::None, linktype: iface.linktype, data: pkt, end });
            }
            _ => {}
        }
    }
    ReadEnd::Complete
}
