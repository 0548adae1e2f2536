//! Inflating a top-level gzip on a thread of its own, so that a core the caller's pool leaves
//! free inflates while the pool parses ([`core_to_spare`]).
//!
//! The thread owns the decompressor and the compressed input (a file, or bytes in memory: what
//! can cross threads, [`Data::sendable`](crate::model::Data::sendable)) and hands the output, in
//! blocks of [`BLOCK`] bytes, through a queue of [`QUEUE`] blocks to the thread that parses it
//! ([`Beside`], which reads like the decompressor would). Spent blocks go back to be filled
//! again, so at most `QUEUE + 2` blocks exist whatever the size of the input. Each block says how
//! many compressed bytes it took (for the expansion ratio of the [`Budget`], which stays on the
//! parsing thread) and the gzip header's mtime as known then.
//!
//! The thread is scoped to [`beside`] and joined before it returns: a consumer that stops early
//! (a limit, an error, a reader that has seen enough) drops the queue, and the thread's next hand
//! over fails and ends it. Archive members further down borrow their container's reader and are
//! inflated where they are read.

use std::io::{self, Read};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};

use flate2::read::MultiGzDecoder;

use super::budget::Budget;

/// Bytes of output per block.
const BLOCK: usize = 256 << 10;
/// Blocks waiting in the queue at most.
const QUEUE: usize = 4;
/// The first block is the size of a tar header block, so that the gzip header's mtime is read
/// where the inline decompressor reads it (after the first 512 bytes of output).
const FIRST: usize = 512;

/// Whether the machine has more cores than the caller's pool has threads: only then does a
/// thread of its own inflate. With as many threads as cores the reader already inflates the next
/// round while the pool scans the last one, and a third busy thread cost more than it gave
/// (`docs/performance.md`, issue 25).
pub(super) fn core_to_spare() -> bool {
    std::thread::available_parallelism().is_ok_and(|cores| cores.get() > rayon::current_num_threads())
}

/// A decompressor as the gzip reader sees it: its output, and the mtime of the gzip header.
pub(super) trait Inflate: Read {
    /// The header's mtime (seconds since 1970; 0 when unset), once the header was read.
    fn mtime(&self) -> Option<u32>;
}

impl<R: Read> Inflate for MultiGzDecoder<R> {
    fn mtime(&self) -> Option<u32> {
        self.header().map(|h| h.mtime())
    }
}

/// What comes after a block.
enum Then {
    More,
    End,
    Broken(io::Error),
}

/// Output of the decompressor, with what it took to make it.
struct Block {
    bytes: Vec<u8>,
    /// Compressed bytes taken since the block before.
    consumed: u64,
    mtime: Option<u32>,
    then: Then,
}

/// The compressed input, counted.
struct Counting<R> {
    inner: R,
    n: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.n += n as u64;
        Ok(n)
    }
}

/// The inflating thread: blocks out until the stream ends or breaks, or the consumer is gone.
fn inflate<R: Read>(input: R, blocks: SyncSender<Block>, spent: Receiver<Vec<u8>>) {
    let mut dec = MultiGzDecoder::new(Counting { inner: input, n: 0 });
    let (mut told, mut want) = (0u64, FIRST);
    loop {
        // A spent block comes back whole: only a new one is zeroed (`read_to_end` would zero
        // every block again).
        let mut bytes = spent.try_recv().unwrap_or_default();
        bytes.resize(want, 0);
        let (filled, then) = fill(&mut dec, &mut bytes);
        bytes.truncate(filled);
        let last = !matches!(then, Then::More);
        let taken = dec.get_ref().n;
        let block = Block { bytes, consumed: taken - told, mtime: dec.mtime(), then };
        told = taken;
        want = BLOCK;
        if blocks.send(block).is_err() || last {
            return;
        }
    }
}

/// Fill `buf` from `dec`: how much was filled, and what comes after.
fn fill(dec: &mut impl Read, buf: &mut [u8]) -> (usize, Then) {
    let mut filled = 0;
    while filled < buf.len() {
        match dec.read(&mut buf[filled..]) {
            Ok(0) => return (filled, Then::End),
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return (filled, Then::Broken(e)),
        }
    }
    (filled, Then::More)
}

/// The output of the inflating thread, read on the parsing thread.
pub(super) struct Beside<'b> {
    blocks: Receiver<Block>,
    spent: Sender<Vec<u8>>,
    current: Vec<u8>,
    pos: usize,
    then: Then,
    mtime: Option<u32>,
    budget: &'b Budget,
}

impl Read for Beside<'_> {
    /// Fills `buf` across blocks, as the decompressor would: the reads above keep the sizes they
    /// ask for (a hash fed in whole pieces, lines cut where they would be).
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut filled = 0;
        loop {
            let n = (buf.len() - filled).min(self.current.len() - self.pos);
            buf[filled..filled + n].copy_from_slice(&self.current[self.pos..self.pos + n]);
            self.pos += n;
            filled += n;
            if filled == buf.len() {
                return Ok(filled);
            }
            match &self.then {
                Then::More => {}
                Then::End => return Ok(filled),
                // What came before the break is given first, the error at the next read.
                Then::Broken(_) if filled > 0 => return Ok(filled),
                Then::Broken(e) => {
                    let again = io::Error::new(e.kind(), e.to_string());
                    return Err(std::mem::replace(&mut self.then, Then::Broken(again)).broken());
                }
            }
            let Ok(block) = self.blocks.recv() else {
                // The thread is gone without a last block: it panicked (the join says so).
                self.then = Then::Broken(io::Error::other("the inflating thread stopped"));
                continue;
            };
            let spent = std::mem::replace(&mut self.current, block.bytes);
            // The thread may have ended already; then the buffer is simply dropped.
            let _ = self.spent.send(spent);
            self.pos = 0;
            self.then = block.then;
            self.mtime = block.mtime;
            self.budget.consumed(block.consumed);
        }
    }
}

impl Then {
    fn broken(self) -> io::Error {
        match self {
            Then::Broken(e) => e,
            _ => unreachable!("only a broken stream has an error"),
        }
    }
}

impl Inflate for Beside<'_> {
    fn mtime(&self) -> Option<u32> {
        self.mtime
    }
}

/// Run `parse` on the output of the gzip stream `input`, inflated on a thread of its own that
/// ends (and is joined) before this returns; the compressed bytes it takes are told to `budget`.
/// When no thread can be started, `input` is inflated here.
pub(super) fn beside<R, T>(input: R, budget: &Budget, parse: impl FnOnce(&mut dyn Inflate) -> T) -> T
where
    R: Read + Send,
{
    let (mut slot, mut parse) = (Some(input), Some(parse));
    std::thread::scope(|s| {
        let (blocks_in, blocks) = mpsc::sync_channel(QUEUE);
        let (spent, spent_out) = mpsc::channel();
        let taken = &mut slot;
        let thread = std::thread::Builder::new().name("tlstriage-inflate".into()).spawn_scoped(s, move || {
            if let Some(input) = taken.take() {
                inflate(input, blocks_in, spent_out);
            }
        });
        let Ok(thread) = thread else {
            // The closure was dropped unrun: the input is still in its slot.
            return None;
        };
        let mut out = Beside { blocks, spent, current: Vec::new(), pos: 0, then: Then::More, mtime: None, budget };
        let got = parse.take().map(|parse| parse(&mut out));
        // The queue closes here: a thread still inflating ends at its next block.
        drop(out);
        if let Err(panic) = thread.join() {
            std::panic::resume_unwind(panic);
        }
        got
    })
    .unwrap_or_else(|| {
        let (input, parse) = (slot.take(), parse.take());
        let (input, parse) = input.zip(parse).expect("the thread never started, nothing was parsed");
        parse(&mut MultiGzDecoder::new(Told { inner: input, budget }))
    })
}

/// A top-level compressed input read where it is inflated, telling the budget how much of it the
/// decompressor took.
pub(super) struct Told<'b, R> {
    pub inner: R,
    pub budget: &'b Budget,
}

impl<R: Read> Read for Told<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.budget.consumed(n as u64);
        Ok(n)
    }
}

#[cfg(test)]
#[path = "inflate_tests.rs"]
mod tests;
