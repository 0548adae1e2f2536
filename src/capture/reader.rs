//! Capture file reading: classic pcap (either byte order, micro- or nanosecond stamps) and pcapng
//! (sections, several interfaces with their own link type and time resolution, see
//! [`super::pcapng`]), a block of bytes at a time.
//!
//! Frames are handed to a callback one at a time, numbered from 1 like Wireshark does; the
//! reader stops at the first damaged record and says why in [`ReadEnd`]. A block may end inside
//! a record: [`Records::read`] then says how much it consumed, and the caller gives the record
//! again, whole, at the start of the next block. A capture read in blocks of any size gives the
//! frames, numbers and end of the same capture read in one piece.

use pcap_parser::PcapHeader;

pub use super::frame::{timestamp, Frame, ReadEnd, Stamp};
use super::pcapng::Pcapng;

/// Records longer than this are taken as a sign of a corrupt file (Wireshark uses the same bound
/// unless the snapshot length says more).
const MAX_RECORD: u32 = 262_144;
/// Upper bound for any record, whatever the snapshot length claims.
pub const HARD_MAX_RECORD: u32 = 16 * 1024 * 1024;

/// Read every frame of a classic pcap or pcapng file held in memory.
pub fn read_frames<'a>(data: &'a [u8], on_frame: impl FnMut(Frame<'a>)) -> ReadEnd {
    Records::default().read(data, true, on_frame).1.unwrap_or(ReadEnd::Complete)
}

/// A classic pcap file, as its header describes it.
#[derive(Clone, Copy)]
struct Pcap {
    per_sec: u64,
    big: bool,
    limit: u32,
    linktype: i32,
}

/// What is known of the file from the records read so far.
#[derive(Default)]
enum Layout {
    /// Nothing read yet.
    #[default]
    Start,
    Pcap(Pcap),
    Pcapng(Pcapng),
}

/// The records of one capture, read a block at a time.
#[derive(Default)]
pub struct Records {
    layout: Layout,
    /// Frames read so far.
    number: u64,
    /// File offset of the next byte to read.
    offset: usize,
}

impl Records {
    /// Read the whole records at the start of `block`, handing each frame to `on_frame`: the bytes
    /// consumed, and why reading is over when it is. `last`: nothing follows the block.
    pub fn read<'a>(
        &mut self,
        block: &'a [u8],
        last: bool,
        mut on_frame: impl FnMut(Frame<'a>),
    ) -> (usize, Option<ReadEnd>) {
        let mut used = 0;
        if matches!(self.layout, Layout::Start) {
            if block.len() >= 4 && block[..4] == [0x0a, 0x0d, 0x0d, 0x0a] {
                self.layout = Layout::Pcapng(Pcapng::default());
            } else {
                match pcap_parser::parse_pcap_header(block) {
                    Ok((_, header)) => match layout_of(&header) {
                        Ok(pcap) => {
                            self.layout = Layout::Pcap(pcap);
                            used = 24;
                        }
                        Err(end) => return (0, Some(end)),
                    },
                    Err(nom::Err::Incomplete(_)) if !last => return (0, None),
                    Err(nom::Err::Incomplete(_)) => {
                        return (0, Some(ReadEnd::NotCapture("file ends inside the pcap header".into())))
                    }
                    Err(_) => {
                        let why = "not a pcap or pcapng file (unknown magic number)";
                        return (0, Some(ReadEnd::NotCapture(why.into())));
                    }
                }
            }
        }
        let at = self.offset + used;
        let (n, end) = match &mut self.layout {
            Layout::Pcap(pcap) => read_pcap(*pcap, &block[used..], last, at, &mut self.number, &mut on_frame),
            Layout::Pcapng(ng) => ng.read(&block[used..], last, at, &mut self.number, &mut on_frame),
            Layout::Start => (0, None),
        };
        used += n;
        self.offset += used;
        let end = end.or_else(|| (last && used == block.len()).then_some(ReadEnd::Complete));
        (used, end)
    }
}

/// The layout a pcap header describes, unless it is a variant not read.
fn layout_of(header: &PcapHeader) -> Result<Pcap, ReadEnd> {
    if header.is_modified_format() {
        return Err(ReadEnd::NotCapture("the 'modified' (Kuznetzov) pcap variant is not supported".into()));
    }
    Ok(Pcap {
        per_sec: if header.is_nanosecond_precision() { 1_000_000_000 } else { 1_000_000 },
        big: header.is_bigendian(),
        limit: header.snaplen.clamp(MAX_RECORD, HARD_MAX_RECORD),
        linktype: header.network.0,
    })
}

/// The whole pcap records of `data` (at file offset `at`), `number` the frames before it.
fn read_pcap<'a>(
    pcap: Pcap,
    data: &'a [u8],
    last: bool,
    at: usize,
    number: &mut u64,
    on_frame: &mut impl FnMut(Frame<'a>),
) -> (usize, Option<ReadEnd>) {
    let mut rest = data;
    while !rest.is_empty() {
        let this = *number + 1;
        if rest.len() >= 16 {
            let field = [rest[8], rest[9], rest[10], rest[11]];
            let caplen = if pcap.big { u32::from_be_bytes(field) } else { u32::from_le_bytes(field) };
            if caplen > pcap.limit {
                let limit = pcap.limit;
                let why = format!(
                    "frame {this}: record length {caplen} is larger than the limit {limit}; the file is damaged"
                );
                return (data.len() - rest.len(), Some(ReadEnd::Damaged(why)));
            }
        }
        let parsed =
            if pcap.big { pcap_parser::parse_pcap_frame_be(rest) } else { pcap_parser::parse_pcap_frame(rest) };
        match parsed {
            Ok((next, block)) => {
                *number = this;
                let stamp = Stamp::Split {
                    secs: i64::from(block.ts_sec),
                    frac: u64::from(block.ts_usec),
                    per_sec: pcap.per_sec,
                };
                let end = at + data.len() - next.len();
                on_frame(Frame { number: this, stamp, linktype: pcap.linktype, data: block.data, end });
                rest = next;
            }
            Err(nom::Err::Incomplete(_)) if !last => break,
            Err(nom::Err::Incomplete(_)) => {
                let why = format!("the file ends inside frame {this} (cut off)");
                return (data.len() - rest.len(), Some(ReadEnd::Truncated(why)));
            }
            Err(_) => {
                return (data.len() - rest.len(), Some(ReadEnd::Damaged(format!("frame {this}: unreadable record"))))
            }
        }
    }
    (data.len() - rest.len(), None)
}
