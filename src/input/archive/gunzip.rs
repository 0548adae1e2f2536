//! Gzip streams (all members, as in rotated `messages.1.gz`), decompressed through a guard that
//! enforces the byte budget and the expansion ratio. A stream that holds a tar goes straight into
//! the tar reader; anything else is read into memory (up to `max_entry`) and ingested.

use std::cell::Cell;
use std::io::{self, Cursor, Read};
use std::rc::Rc;

use flate2::read::MultiGzDecoder;
use jiff::Timestamp;

use super::budget::Budget;
use super::{join, mark, untar, Tally};
use crate::input::{Format, IngestContext, Parsed, Source, Status};

/// Output after which the expansion ratio is checked.
const RATIO_GRACE: u64 = 1 << 20;

/// The compressed input, counting how much of it the decoder has taken.
struct Counted<'a> {
    data: &'a [u8],
    pos: Rc<Cell<u64>>,
}

impl Read for Counted<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.data.read(buf)?;
        self.pos.set(self.pos.get() + n as u64);
        Ok(n)
    }
}

/// The decompressed output, stopped when a limit is passed.
struct Guard<'a, 'b> {
    inner: MultiGzDecoder<Counted<'a>>,
    budget: &'b Budget,
    consumed: Rc<Cell<u64>>,
    produced: u64,
    /// The limit that stopped the stream, if one did.
    stopped: Option<String>,
}

impl Read for Guard<'_, '_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(msg) = &self.stopped {
            return Err(io::Error::other(msg.clone()));
        }
        let n = self.inner.read(buf)?;
        self.produced += n as u64;
        let ratio = self.budget.limits.max_ratio;
        let check = self.budget.take_bytes(n as u64).and_then(|()| {
            let consumed = self.consumed.get().max(1);
            if self.produced > RATIO_GRACE && self.produced / consumed > ratio {
                let msg = format!(
                    "stopped after {} bytes: gzip stream expands more than {ratio}:1 (limit max_ratio; a decompression bomb?)",
                    self.produced
                );
                self.budget.note_limit(&msg);
                Err(msg)
            } else {
                Ok(())
            }
        });
        match check {
            Ok(()) => Ok(n),
            Err(msg) => {
                self.stopped = Some(msg.clone());
                Err(io::Error::other(msg))
            }
        }
    }
}

/// Read a gzip source.
pub fn read(src: &Source<'_>, ctx: &IngestContext, budget: &Budget) -> Parsed {
    let consumed = Rc::new(Cell::new(0));
    let decoder = MultiGzDecoder::new(Counted { data: src.data, pos: consumed.clone() });
    let mut guard = Guard { inner: decoder, budget, consumed, produced: 0, stopped: None };
    let mut head = Vec::with_capacity(512);
    let head_res = (&mut guard).take(512).read_to_end(&mut head);
    let mtime = guard
        .inner
        .header()
        .map(|h| h.mtime())
        .filter(|&t| t > 0)
        .and_then(|t| Timestamp::from_second(i64::from(t)).ok())
        .or(src.mtime);
    if head_res.is_ok() && head.get(257..262) == Some(b"ustar".as_slice()) {
        let mut tally = Tally::default();
        let mut out = Parsed::default();
        let stream = Cursor::new(head).chain(&mut guard);
        let input = untar::TarInput { path: &src.path, depth: src.depth, charge: false };
        untar::read_stream(&input, stream, ctx, budget, &mut tally, &mut out);
        if tally.problem.is_none() {
            // The tar ended; read the rest of the stream so a broken tail is still noticed.
            if let Err(e) = io::copy(&mut guard, &mut io::sink()) {
                tally.stop(Status::Partial, format!("gzip stream broken after the tar ended: {e}"));
            }
        }
        if let Some(msg) = guard.stopped.take() {
            tally.problem = Some(msg);
            tally.status = Some(tally.status.unwrap_or(Status::Partial).max(Status::Partial));
        }
        out.inputs.insert(0, tally.into_status(&src.path, Format::Tar, src.data.len() as u64));
        return out;
    }
    let mut buf = head;
    let cap = budget.limits.max_entry;
    let res = head_res.and_then(|_| (&mut guard).take(cap.saturating_sub(buf.len() as u64)).read_to_end(&mut buf));
    let problem = match (res, guard.stopped.take()) {
        (_, Some(limit)) => Some(limit),
        (Err(e), None) => Some(format!("gzip stream broken after {} bytes: {e}", buf.len())),
        (Ok(_), None) if buf.len() as u64 >= cap && more(&mut guard) => {
            let msg = format!("only the first {cap} bytes read (limit max_entry)");
            budget.note_limit(&format!("{}: {msg}", src.path));
            Some(msg)
        }
        (Ok(_), None) => None,
    };
    if buf.is_empty() {
        let (status, msg) = match problem {
            Some(p) => (Status::Error, p),
            None => (Status::Skipped, "gzip stream holds nothing".to_string()),
        };
        return Parsed::status(&src.path, Format::Gzip, status, Some(msg), src.data.len() as u64);
    }
    let inner_path = inner_name(&src.path);
    let inner = Source { path: inner_path, data: &buf, mtime, depth: src.depth + 1 };
    let mut out = crate::input::ingest(&inner, ctx);
    if let Some(why) = problem {
        mark(&mut out, &inner.path, Status::Partial, &format!("gzip: {why}"));
    }
    out
}

/// Whether the stream has more output (after the entry cap was reached).
fn more(guard: &mut Guard<'_, '_>) -> bool {
    let mut one = [0u8; 1];
    matches!(guard.read(&mut one), Ok(1))
}

/// The name of what a plain `.gz` holds, as an archive level of its own so the path names the
/// file on disk: `messages.1.gz` → `messages.1.gz!/messages.1`, `x.tgz` → `x.tgz!/x.tar`.
fn inner_name(path: &str) -> String {
    let base = path.rsplit(['/', '!']).next().unwrap_or(path);
    let inner = if let Some(s) = base.strip_suffix(".tgz") {
        format!("{s}.tar")
    } else {
        [".gz", ".GZ", ".gzip", ".z"]
            .iter()
            .find_map(|suffix| base.strip_suffix(suffix).filter(|s| !s.is_empty()).map(str::to_string))
            .unwrap_or_else(|| base.to_string())
    };
    join(path, inner.as_bytes())
}
