//! pcapng files: sections, several interfaces with their own link type and time resolution,
//! read a block of bytes at a time (see [`super::reader::Records`]).

use pcap_parser::pcapng::Block;
use pcap_parser::PcapError;

use super::frame::{Frame, ReadEnd, Stamp};

/// Interfaces kept per pcapng section.
const MAX_INTERFACES: usize = 4096;

/// An interface of the current section.
struct Interface {
    linktype: i32,
    per_sec: u64,
    offset: i64,
    snaplen: u32,
}

/// What the blocks read so far say.
#[derive(Default)]
pub struct Pcapng {
    big: bool,
    interfaces: Vec<Interface>,
    /// Blocks read so far.
    blocks: u64,
}

/// Whether the length a pcapng block declares lies within the data left (then a parser asking
/// for more bytes means a damaged block, not a cut file).
fn declared_fits(rest: &[u8], big: bool) -> bool {
    let Some(f) = rest.get(4..8) else { return false };
    let len = [f[0], f[1], f[2], f[3]];
    let len = if big { u32::from_be_bytes(len) } else { u32::from_le_bytes(len) };
    len as usize <= rest.len()
}

/// The next block of `rest` (block number `blocks`, before frame `at`); `Ok(None)` when `rest`
/// ends inside it and more may follow; else why reading stops there.
fn next_block(rest: &[u8], big: bool, last: bool, blocks: u64, at: u64) -> Result<Option<(&[u8], Block<'_>)>, ReadEnd> {
    let parsed = if rest.len() >= 4 && rest[..4] == [0x0a, 0x0d, 0x0d, 0x0a] {
        pcap_parser::parse_sectionheaderblock(rest).map(|(r, b)| (r, Block::SectionHeader(b)))
    } else if big {
        pcap_parser::parse_block_be(rest)
    } else {
        pcap_parser::parse_block_le(rest)
    };
    match parsed {
        Ok(v) => Ok(Some(v)),
        Err(nom::Err::Incomplete(_)) if !declared_fits(rest, big) && !last => Ok(None),
        Err(nom::Err::Incomplete(_)) if !declared_fits(rest, big) => {
            Err(ReadEnd::Truncated(format!("the file ends inside block {blocks} (before frame {at}; cut off)")))
        }
        Err(nom::Err::Error(PcapError::HeaderNotRecognized) | nom::Err::Failure(PcapError::HeaderNotRecognized))
            if blocks == 1 =>
        {
            Err(ReadEnd::NotCapture("not a pcapng file (bad section header)".into()))
        }
        Err(_) => Err(ReadEnd::Damaged(format!(
            "block {blocks} (before frame {at}): unreadable block (bad length or contents)"
        ))),
    }
}

impl Pcapng {
    /// The whole blocks of `data` (at file offset `at`), `number` the frames before it: the bytes
    /// consumed, and why reading is over when it is.
    pub fn read<'a>(
        &mut self,
        data: &'a [u8],
        last: bool,
        at: usize,
        number: &mut u64,
        on_frame: &mut impl FnMut(Frame<'a>),
    ) -> (usize, Option<ReadEnd>) {
        let mut rest = data;
        while !rest.is_empty() {
            let used = data.len() - rest.len();
            let (next, block) = match next_block(rest, self.big, last, self.blocks + 1, *number + 1) {
                Ok(Some(v)) => v,
                Ok(None) => return (used, None),
                Err(end) => return (used, Some(end)),
            };
            self.blocks += 1;
            rest = next;
            let end = at + data.len() - rest.len();
            match block {
                Block::SectionHeader(shb) => {
                    self.big = shb.big_endian();
                    self.interfaces.clear();
                }
                Block::InterfaceDescription(idb) if self.interfaces.len() < MAX_INTERFACES => {
                    self.interfaces.push(Interface {
                        linktype: idb.linktype.0,
                        per_sec: idb.ts_resolution().unwrap_or(0),
                        offset: idb.ts_offset(),
                        snaplen: idb.snaplen,
                    });
                }
                Block::EnhancedPacket(epb) => {
                    *number += 1;
                    let Some(iface) = self.interfaces.get(epb.if_id as usize) else {
                        let why = format!("frame {number}: refers to unknown interface {}", epb.if_id);
                        return (data.len() - rest.len(), Some(ReadEnd::Damaged(why)));
                    };
                    let units = (u64::from(epb.ts_high) << 32) | u64::from(epb.ts_low);
                    let stamp = Stamp::Units { units, per_sec: iface.per_sec, offset: iface.offset };
                    let data = epb.data.get(..epb.caplen as usize).unwrap_or(epb.data);
                    on_frame(Frame { number: *number, stamp, linktype: iface.linktype, data, end });
                }
                Block::SimplePacket(spb) => {
                    *number += 1;
                    let Some(iface) = self.interfaces.first() else {
                        let why = format!("frame {number}: simple packet block before any interface");
                        return (data.len() - rest.len(), Some(ReadEnd::Damaged(why)));
                    };
                    let mut pkt: &'a [u8] = spb.data.get(..spb.origlen as usize).unwrap_or(spb.data);
                    if iface.snaplen > 0 && pkt.len() > iface.snaplen as usize {
                        pkt = pkt.get(..iface.snaplen as usize).unwrap_or(pkt);
                    }
                    on_frame(Frame { number: *number, stamp: Stamp::None, linktype: iface.linktype, data: pkt, end });
                }
                _ => {}
            }
        }
        (data.len(), None)
    }
}
