//! The one walk over a capture's records, a block at a time: each frame is decoded down to TCP
//! once and its segment handed on, either straight into one connection table while the block is
//! read, or kept with its block as an [`Item`] for the worker that follows its connection
//! ([`flows::worker_of`]).
//!
//! The walk also does everything that concerns the whole file rather than one connection: it
//! puts IP fragments back together ([`link::Decoder`]), counts the frames that are not TCP,
//! knows the last TCP frame (the end of the capture for every
//! connection still open), and hands back to the kernel the pages of a mapped file that everyone
//! is done with ([`crate::util::mapped::release`]).

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::ops::Range;

use super::blocks::{Block, Blocks};
use super::flows;
use super::link::{self, Decoded, Segment};
use super::reader::{ReadEnd, Records, Stamp};
use crate::util::mapped;

/// What the walk learnt about the file as a whole.
#[derive(Debug)]
pub struct Walk {
    pub end: ReadEnd,
    pub frames: u64,
    /// IP fragments of datagrams never complete, and datagrams discarded for overlapping
    /// fragments ([`super::ip_reassembly`]).
    pub fragments: u64,
    pub overlapping_datagrams: u64,
    pub malformed: u64,
    pub unsupported_links: BTreeSet<i32>,
    /// The capture's last TCP frame.
    pub last_tcp: Option<(u64, Stamp)>,
}

impl Default for Walk {
    fn default() -> Self {
        Walk {
            end: ReadEnd::Complete,
            frames: 0,
            fragments: 0,
            overlapping_datagrams: 0,
            malformed: 0,
            unsupported_links: BTreeSet::new(),
            last_tcp: None,
        }
    }
}

/// Reading the records of one capture: where the record reader is, and the IP datagrams being
/// put back together (both carry on from one block to the next).
#[derive(Default)]
pub struct Frames {
    records: Records,
    decoder: link::Decoder,
}

impl Frames {
    /// The capture is over: what became of its fragments goes into `walk`.
    pub fn finish(&mut self, walk: &mut Walk) {
        let reassembly = self.decoder.finish();
        (walk.fragments, walk.overlapping_datagrams) = (reassembly.unreassembled, reassembly.overlapping);
    }
}

/// One TCP segment of a block, its payload as a place in the block (or owned, for a datagram
/// put back together from fragments), so that it can wait with its block for the worker that
/// follows its connection.
pub struct Item {
    /// The segment without its payload and bytes.
    segment: Segment<'static>,
    payload: Payload,
    /// Where [`Segment::whole`] is in the block.
    whole: Range<usize>,
    pub frame: u64,
    pub stamp: Stamp,
}

/// Where an item's payload is.
enum Payload {
    InBlock(Range<usize>),
    Owned(Vec<u8>),
}

impl Item {
    /// The segment, its bytes read from `block` (the block it was found in).
    pub fn segment<'b>(&'b self, block: &'b [u8]) -> Segment<'b> {
        let payload = match &self.payload {
            Payload::InBlock(at) => block.get(at.clone()).unwrap_or(&[]),
            Payload::Owned(bytes) => bytes.as_slice(),
        };
        let Segment { src, dst, seq, syn, ack, fin, rst, cut, kept, ttl, .. } = self.segment;
        let whole = block.get(self.whole.clone()).unwrap_or(&[]);
        Segment { src, dst, seq, syn, ack, fin, rst, cut, kept, ttl, payload: Cow::Borrowed(payload), whole }
    }
}

/// The TCP segments of the records at the start of `block`, in capture order, each handed to
/// `on_segment` with its frame number and time; what is not TCP is counted in `walk`. The bytes
/// consumed, and whether the capture is over.
pub fn segments<'a>(
    frames: &mut Frames,
    block: &'a Block<'_>,
    walk: &mut Walk,
    mut on_segment: impl FnMut(Segment<'a>, u64, Stamp),
) -> (usize, bool) {
    let Frames { records, decoder } = frames;
    let (used, end) = records.read(&block.bytes, block.last, |frame| {
        walk.frames = frame.number;
        match decoder.decode(frame.linktype, frame.data, frame.stamp.time()) {
            Decoded::Tcp(mut segment) => {
                walk.last_tcp = Some((frame.number, frame.stamp));
                segment.kept = u32::try_from(frame.data.len()).unwrap_or(u32::MAX);
                on_segment(segment, frame.number, frame.stamp);
            }
            Decoded::Other | Decoded::Fragment(_) => {}
            Decoded::Malformed => walk.malformed += 1,
            Decoded::UnsupportedLink => {
                walk.unsupported_links.insert(frame.linktype);
            }
        }
    });
    let over = end.is_some();
    if let Some(end) = end {
        walk.end = end;
    }
    (used, over)
}

/// The next block, or the end of the walk: a stream that cannot be read further ends the capture
/// where it broke, as a damaged file would.
pub fn next_block<'d>(blocks: &mut Blocks<'_, 'd>, walk: &mut Walk) -> Option<Block<'d>> {
    match blocks.next() {
        Ok(block) => block,
        Err(e) => {
            walk.end = ReadEnd::Damaged(format!("the file could not be read further: {e}"));
            None
        }
    }
}

/// Walk the next block, keeping each segment as an [`Item`] in the batch of the worker that
/// follows its connection (`batches`: one empty batch per worker, whose room is used again: a
/// block's batches are not allocated afresh): the block, its batches, and whether the capture is
/// over; `None` when nothing is left.
pub fn walk_block<'d>(
    blocks: &mut Blocks<'_, 'd>,
    frames: &mut Frames,
    walk: &mut Walk,
    mut batches: Vec<Vec<Item>>,
) -> Option<(Block<'d>, Vec<Vec<Item>>, bool)> {
    let block = next_block(blocks, walk)?;
    let workers = batches.len();
    let (used, over) = segments(frames, &block, walk, |seg, frame, stamp| {
        let payload = match seg.payload {
            Cow::Borrowed(bytes) => Payload::InBlock(place(bytes, &block.bytes)),
            Cow::Owned(bytes) => Payload::Owned(bytes),
        };
        let whole = place(seg.whole, &block.bytes);
        let Segment { src, dst, seq, syn, ack, fin, rst, cut, kept, ttl, .. } = seg;
        let segment =
            Segment { src, dst, seq, syn, ack, fin, rst, cut, kept, ttl, payload: Cow::Borrowed(&[]), whole: &[] };
        batches[flows::worker_of(src, dst, workers)].push(Item { segment, payload, whole, frame, stamp });
    });
    blocks.consumed(&block, used);
    Some((block, batches, over))
}

/// Where `payload`, a piece of a frame of `block`, lies in the block.
fn place(payload: &[u8], block: &[u8]) -> Range<usize> {
    let at = (payload.as_ptr() as usize).wrapping_sub(block.as_ptr() as usize);
    match at.checked_add(payload.len()) {
        Some(end) if !payload.is_empty() && end <= block.len() => at..end,
        _ => 0..0,
    }
}

/// Hand back the pages of a block of a mapped file (nothing for a block of its own).
pub fn release(block: &Block<'_>) {
    if let Cow::Borrowed(bytes) = block.bytes {
        mapped::release(bytes);
    }
}
