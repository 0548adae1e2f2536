//! The bytes of a capture a block at a time: borrowed from bytes held in memory, or read from a
//! stream into a buffer of the block's own. A block ends wherever; the record reader says how
//! much of it it consumed, and the rest starts the next block (a record longer than a block
//! makes the next block longer). The buffers of blocks read from a stream are given back when
//! the block is done ([`Blocks::recycle`]) and read into again: no zero-filling, no fresh pages.

use std::borrow::Cow;
use std::io::{self, Read};

use crate::model::Data;

/// One block: some bytes of the capture, and whether they are the last.
pub struct Block<'d> {
    pub bytes: Cow<'d, [u8]>,
    pub last: bool,
}

/// The blocks of one capture.
pub struct Blocks<'s, 'd> {
    data: &'s mut Data<'d>,
    /// Bytes in memory: where the next block starts.
    pos: usize,
    /// A stream: the bytes of the last block that were not consumed.
    carry: Vec<u8>,
    ended: bool,
    size: usize,
    /// How long the next block is to be (more than `size` after a block consumed nothing).
    want: usize,
    /// Buffers of blocks done with; their bytes are initialised up to their length.
    spare: Vec<Vec<u8>>,
}

/// Buffers kept for reuse: at most one waits (the others are being read or walked).
const MAX_SPARE: usize = 1;

impl<'s, 'd> Blocks<'s, 'd> {
    pub fn new(data: &'s mut Data<'d>, size: usize) -> Self {
        let size = size.max(64);
        Blocks { data, pos: 0, carry: Vec::new(), ended: false, size, want: size, spare: Vec::new() }
    }

    /// The next block: what the last one left, then more; `None` when nothing is left.
    pub fn next(&mut self) -> io::Result<Option<Block<'d>>> {
        match self.data {
            Data::Bytes(all) => {
                let all: &'d [u8] = all;
                if self.pos >= all.len() {
                    return Ok(None);
                }
                let end = self.pos.saturating_add(self.want).min(all.len());
                Ok(Some(Block { bytes: Cow::Borrowed(&all[self.pos..end]), last: end == all.len() }))
            }
            Data::Stream(s) => {
                // What the last block left, then more, in a buffer of a block done with; only
                // what it never held is zero-filled.
                let start = self.carry.len();
                let mut buf = self.spare.pop().unwrap_or_default();
                if buf.len() < self.want.max(start) {
                    buf.resize(self.want.max(start), 0);
                }
                buf[..start].copy_from_slice(&self.carry);
                self.carry.clear();
                let mut filled = start;
                while filled < buf.len() && !self.ended {
                    match s.read(&mut buf[filled..]) {
                        Ok(0) => self.ended = true,
                        Ok(n) => filled += n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => {
                            self.carry.extend_from_slice(&buf[..filled]);
                            self.keep(buf);
                            return Err(e);
                        }
                    }
                }
                buf.truncate(filled);
                if buf.is_empty() {
                    self.keep(buf);
                    return Ok(None);
                }
                Ok(Some(Block { bytes: Cow::Owned(buf), last: self.ended }))
            }
        }
    }

    /// `n` bytes of `block` were consumed; the rest starts the next block.
    pub fn consumed(&mut self, block: &Block<'d>, n: usize) {
        self.want = if n == 0 { self.want.saturating_mul(2) } else { self.size };
        match self.data {
            Data::Bytes(_) => self.pos += n,
            Data::Stream(_) => {
                self.carry.clear();
                self.carry.extend_from_slice(&block.bytes[n..]);
            }
        }
    }

    /// `block` is done with: its buffer, if it has one of its own, is read into again.
    pub fn recycle(&mut self, block: Block<'d>) {
        if let Cow::Owned(buf) = block.bytes {
            self.keep(buf);
        }
    }

    /// Keep `buf` to read a later block into, while fewer than [`MAX_SPARE`] wait.
    fn keep(&mut self, buf: Vec<u8>) {
        if self.spare.len() < MAX_SPARE {
            self.spare.push(buf);
        }
    }

    /// Give `block` back unread: the next block starts with it.
    pub fn put_back(&mut self, block: Block<'d>) {
        if let (Data::Stream(_), Cow::Owned(bytes)) = (&self.data, block.bytes) {
            self.carry.clear();
            self.carry.extend_from_slice(&bytes);
            self.keep(bytes);
        }
    }

    /// Start again from the first byte; `false` when the stream cannot.
    pub fn rewind(&mut self) -> io::Result<bool> {
        let done = match self.data {
            Data::Bytes(_) => true,
            Data::Stream(s) => s.rewind()?,
        };
        if done {
            (self.pos, self.carry, self.ended, self.want) = (0, Vec::new(), false, self.size);
        }
        Ok(done)
    }
}
