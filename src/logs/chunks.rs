//! Big text files in chunks: split on line boundaries, scanned in parallel, consumed in order.
//!
//! A log is cut into chunks of about [`CHUNK`] bytes, each ending just after a line end. The
//! chunks of one round are scanned in parallel (the scan sees only its chunk and numbers lines
//! from 1 inside it); the results are then handed, in file order, to a sequential consumer that
//! carries whatever state spans lines (years, open attempts, wrapped lines). While one round is
//! consumed the next is already being scanned. After each round the parser reports the round's
//! bytes as progress and gives the pages back ([`crate::util::mapped::release`]), so that the
//! resident memory stays bounded whatever the size of the file.

use std::ops::Range;

use rayon::prelude::*;

use crate::model::{IngestContext, Source};
use crate::util::mapped;

/// Default chunk size.
pub(crate) const CHUNK: usize = 4 << 20;
/// At least this many chunks per round (more with more threads).
const MIN_ROUND: usize = 4;

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

/// Scan `src` in chunks of about `size` bytes with `scan` (in parallel) and hand the results in
/// file order to `consume`. Progress is reported and pages are released per round.
pub(crate) fn run<'a, T, S, C>(src: &Source<'a>, ctx: &IngestContext, size: usize, scan: S, mut consume: C)
where
    T: Send,
    S: Fn(&'a [u8]) -> T + Sync,
    C: FnMut(T) + Send,
{
    let data = src.data;
    let ranges = split(data, size);
    let per_round = MIN_ROUND.max(2 * rayon::current_num_threads());
    let mut pending: Option<(Range<usize>, Vec<T>)> = None;
    let mut finish = |(span, results): (Range<usize>, Vec<T>)| {
        for r in results {
            consume(r);
        }
        ctx.advance(src, span.len() as u64);
        mapped::release(&data[span]);
    };
    for round in ranges.chunks(per_round) {
        let span = round.first().map_or(0, |r| r.start)..round.last().map_or(0, |r| r.end);
        let prev = pending.take();
        let (_, scanned) = rayon::join(
            || {
                if let Some(p) = prev {
                    finish(p);
                }
            },
            || round.par_iter().map(|r| scan(&data[r.clone()])).collect::<Vec<T>>(),
        );
        pending = Some((span, scanned));
    }
    if let Some(p) = pending {
        finish(p);
    }
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
}
