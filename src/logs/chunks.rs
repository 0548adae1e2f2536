//! Big text inputs in chunks: split on line boundaries, scanned in parallel, consumed in order.
//!
//! An input is taken a round at a time: a few chunks of about [`CHUNK`] bytes, each ending just
//! after a line end, borrowed from bytes held in memory or read from a stream into a buffer of
//! the round's own. The chunks of a round are scanned in parallel (a scan sees only its chunk,
//! numbers lines from 1 inside it, and gives back owned results: places in the chunk, not
//! borrows of it); the results are then handed, in input order and with their chunk, to a
//! sequential consumer that carries whatever state spans lines (years, open attempts, wrapped
//! lines). While one round is consumed the next is already being scanned; only two rounds are
//! held at once, whatever the size of the input.
//!
//! The fork-join runs on the rayon pool the caller runs the reader in: the reader starts no
//! thread of its own.

use std::io::{self, Read};
use std::ops::Range;

use rayon::prelude::*;

use crate::model::Data;
use crate::util::mapped;

/// Default chunk size. A round holds a few chunks, and what its lines become (records, texts,
/// attempts) lives until the round is consumed: in a log where every line is an attempt that is
/// several times the round's bytes, so rounds are kept small (1 MB chunks: 139 MB for such a
/// log of 100 MB, against 222 MB with 4 MB chunks, in `memory::a_log_where_every_line_starts_
/// an_attempt_is_read_in_bounded_memory`; the 1 GB log of benches/compare.py runs as fast).
pub(crate) const CHUNK: usize = 1 << 20;
/// At least this many chunks per round (more with more threads).
const MIN_ROUND: usize = 4;
/// A line read from a stream keeps at most this many bytes (the readers look at its first 8 KiB
/// only; the rest of a longer line is passed over until its line end).
const MAX_LINE: usize = 1 << 20;
/// What is asked of a stream at a time (less than [`MAX_LINE`]).
const READ: usize = 256 << 10;

/// Byte ranges covering `data`, each about `size` bytes and ending just after a `\n` (the last
/// one at the end of `data`).
pub(crate) fn split(data: &[u8], size: usize) -> Vec<Range<usize>> {
    let size = size.max(1);
    let mut out = Vec::with_capacity(data.len() / size + 1);
    let mut start = 0usize;
    while start < data.len() {
        let probe = start.saturating_add(size - 1).min(data.len() - 1);
        let end = memchr::memchr(b'\n', &data[probe..]).map_or(data.len(), |p| probe + p + 1);
        out.push(start..end);
        start = end;
    }
    out
}

/// The bytes of a round: borrowed from bytes in memory, or the first `len` bytes of a buffer
/// read from a stream (the buffer is given back for the next round when the round is done).
enum RoundBytes<'d> {
    Borrowed(&'d [u8]),
    Read(Vec<u8>, usize),
}

impl std::ops::Deref for RoundBytes<'_> {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            RoundBytes::Borrowed(b) => b,
            RoundBytes::Read(buf, len) => &buf[..*len],
        }
    }
}

/// Some chunks of the input, in order.
struct Round<'d> {
    bytes: RoundBytes<'d>,
    chunks: Vec<Range<usize>>,
}

/// The rounds of an input.
struct Rounds<'s, 'd> {
    data: &'s mut Data<'d>,
    /// Bytes in memory: where the next round starts.
    pos: usize,
    /// A stream: the start of a line read after the last round's last line end.
    carry: Vec<u8>,
    /// A stream: the lines being read.
    lines: Lines,
    ended: bool,
    size: usize,
    per_round: usize,
    /// A stream: buffers of rounds already consumed, to read the next rounds into. A buffer's
    /// length is how much of it was ever written (its bytes are initialised): reading into it
    /// again neither zeroes it nor faults in fresh pages.
    spare: Vec<Vec<u8>>,
}

impl<'d> Rounds<'_, 'd> {
    fn next(&mut self) -> io::Result<Option<Round<'d>>> {
        let want = self.size.saturating_mul(self.per_round);
        let bytes = match self.data {
            Data::Bytes(all) => {
                let all: &'d [u8] = all;
                if self.pos >= all.len() {
                    return Ok(None);
                }
                let probe = self.pos.saturating_add(want.max(1) - 1).min(all.len() - 1);
                let end = memchr::memchr(b'\n', &all[probe..]).map_or(all.len(), |p| probe + p + 1);
                let round = &all[self.pos..end];
                self.pos = end;
                RoundBytes::Borrowed(round)
            }
            Data::Stream(_) => {
                let (buf, len) = self.read_round(want)?;
                if len == 0 {
                    self.spare.push(buf);
                    return Ok(None);
                }
                RoundBytes::Read(buf, len)
            }
        };
        let chunks = split(&bytes, self.size);
        Ok(Some(Round { bytes, chunks }))
    }

    /// Read from the stream until the round holds `want` bytes and a line end, or the stream
    /// ends: a buffer and how many of its bytes are the round's.
    fn read_round(&mut self, want: usize) -> io::Result<(Vec<u8>, usize)> {
        let Data::Stream(s) = self.data else { unreachable!("read_round is for streams") };
        let read = READ.min(want.max(64));
        // A new buffer is made as big as a round is likely to be (no copy as it grows).
        let mut buf = self.spare.pop().unwrap_or_else(|| Vec::with_capacity(want.min(64 << 20) + read));
        let mut len = self.carry.len();
        if buf.len() < len {
            buf.resize(len, 0);
        }
        buf[..len].copy_from_slice(&self.carry);
        self.carry.clear();
        self.lines.has_line_end = false;
        while !self.ended && (len < want || !self.lines.has_line_end) {
            if buf.len() < len + read {
                // Zeroed once; later rounds read into the same initialised bytes.
                buf.resize(len + read, 0);
            }
            let old = len;
            match fill(&mut **s, &mut buf[old..old + read]) {
                Ok(n) => len += n,
                Err(e) => {
                    self.carry.extend_from_slice(&buf[..old]);
                    self.spare.push(buf);
                    return Err(e);
                }
            }
            if len - old < read {
                self.ended = true;
            }
            len = self.lines.clip(&mut buf, old, len);
        }
        if !self.ended {
            let cut = memchr::memrchr(b'\n', &buf[..len]).map_or(len, |p| p + 1);
            self.carry.extend_from_slice(&buf[cut..len]);
            len = cut;
        }
        Ok((buf, len))
    }
}

/// Read into `buf` until it is full or the stream ends; how many bytes were read.
fn fill(s: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match s.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// The lines of a stream as they are read.
#[derive(Default)]
struct Lines {
    /// Bytes of the current line read so far (for [`MAX_LINE`]).
    line: usize,
    /// Whether a line end was kept since this was last cleared.
    has_line_end: bool,
}

impl Lines {
    /// Leave out of `buf[from..len]`, just read, what a line holds past [`MAX_LINE`] bytes; the
    /// new length. A read is shorter than a line may be, so only the line it continues can grow
    /// too long.
    fn clip(&mut self, buf: &mut [u8], from: usize, len: usize) -> usize {
        let Some(first) = memchr::memchr(b'\n', &buf[from..len]) else {
            let keep = MAX_LINE.saturating_sub(self.line).min(len - from);
            self.line += len - from;
            return from + keep;
        };
        let keep = MAX_LINE.saturating_sub(self.line).min(first);
        // Drop `buf[from + keep..from + first]`: the rest moves up.
        buf.copy_within(from + first..len, from + keep);
        let len = len - (first - keep);
        self.has_line_end = true;
        let last = memchr::memrchr(b'\n', &buf[from..len]).map_or(0, |p| from + p + 1);
        self.line = len - last;
        len
    }
}

/// Scan `data` in chunks of about `size` bytes with `scan` (in parallel) and hand each result
/// with its chunk, in input order, to `consume`. Pages of a mapped input are released per round.
pub(crate) fn run<T, S, C>(data: &mut Data<'_>, size: usize, scan: S, mut consume: C) -> io::Result<()>
where
    T: Send,
    S: Fn(&[u8]) -> T + Sync,
    C: FnMut(&[u8], T) + Send,
{
    let size = size.max(1);
    let per_round = MIN_ROUND.max(2 * rayon::current_num_threads());
    let mut rounds = Rounds {
        data,
        pos: 0,
        carry: Vec::new(),
        lines: Lines::default(),
        ended: false,
        size,
        per_round,
        spare: Vec::new(),
    };
    // Consume a round; its buffer, when it was read from a stream, to read another round into.
    let mut finish = |(round, results): (Round<'_>, Vec<T>)| {
        for (chunk, r) in round.chunks.iter().zip(results) {
            consume(&round.bytes[chunk.clone()], r);
        }
        match round.bytes {
            RoundBytes::Borrowed(passed) => {
                mapped::release(passed);
                None
            }
            RoundBytes::Read(buf, _) => Some(buf),
        }
    };
    // Three stages overlap: while the chunks of one round are scanned, the round before is
    // consumed and the round after is read.
    let mut pending: Option<(Round<'_>, Vec<T>)> = None;
    let mut next = rounds.next()?;
    while let Some(round) = next.take() {
        let prev = pending.take();
        // The stream stays on this thread (it may borrow an archive's reader): the scan is
        // what goes to the pool.
        let mut scanned = Vec::new();
        let read = rayon::in_place_scope(|s| {
            let (round, scan, scanned) = (&round, &scan, &mut scanned);
            s.spawn(move |_| *scanned = round.chunks.par_iter().map(|c| scan(&round.bytes[c.clone()])).collect());
            if let Some(buf) = prev.and_then(&mut finish) {
                rounds.spare.push(buf);
            }
            rounds.next()
        });
        pending = Some((round, scanned));
        next = match read {
            Ok(r) => r,
            Err(e) => {
                if let Some(p) = pending.take() {
                    finish(p);
                }
                return Err(e);
            }
        };
    }
    if let Some(p) = pending {
        finish(p);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_on_line_ends() {
        let d = b"ab\ncd\n\nefg";
        assert_eq!(split(d, 1), vec![0..3, 3..6, 6..7, 7..10]);
        assert_eq!(split(d, 4), vec![0..6, 6..10]);
        assert_eq!(split(d, 100), vec![0..10]);
        assert_eq!(split(b"", 4), Vec::<Range<usize>>::new());
        assert_eq!(split(b"\n\n", 1), vec![0..1, 1..2]);
    }

    /// The chunks `run` hands on, as text.
    fn chunks_of(data: &mut Data<'_>, size: usize) -> Vec<String> {
        let mut got = Vec::new();
        run(
            data,
            size,
            |c| c.len(),
            |c, n| {
                assert_eq!(c.len(), n);
                got.push(String::from_utf8_lossy(c).into_owned());
            },
        )
        .unwrap();
        got
    }

    #[test]
    fn a_stream_is_cut_on_line_ends_like_bytes_and_giant_lines_keep_their_start() {
        let text = b"ab\ncd\n\nefg\nlast".to_vec();
        for size in [1, 2, 5, 100] {
            let from_bytes = chunks_of(&mut Data::Bytes(&text), size).concat();
            let mut s = crate::model::Trickle::new(&text, 3);
            let from_stream = chunks_of(&mut Data::Stream(&mut s), size).concat();
            assert_eq!(from_bytes, from_stream);
            assert_eq!(from_stream, "ab\ncd\n\nefg\nlast");
        }
        let mut giant = vec![b'x'; MAX_LINE + 10];
        giant.extend_from_slice(b"\nnext\n");
        let mut s = crate::model::Trickle::new(&giant, 3);
        let kept = chunks_of(&mut Data::Stream(&mut s), 1 << 16).concat();
        assert_eq!(kept.len(), MAX_LINE + "\nnext\n".len());
        assert!(kept.ends_with("x\nnext\n"));
    }
}
