//! Gzip streams (all members, as in rotated `messages.1.gz`), decompressed through a guard that
//! charges every byte to the input's budget (total and ratio, see [`Budget`]).
//!
//! What a stream holds is sniffed from its first bytes before anything more is kept: a tar goes
//! straight into the tar reader, a gzip inside it is decompressed as a stream of its own (never
//! held), a format tlstriage does not read is passed over without being held, and a known format
//! is streamed to its reader (up to `max_entry`, see [`member`](super::member)): a log is parsed
//! while it inflates. A top-level stream is inflated on a thread of its own while it is parsed
//! ([`inflate`](super::inflate)).

use std::io::{self, Cursor, Read};

use flate2::read::MultiGzDecoder;
use jiff::Timestamp;

use super::budget::Budget;
use super::inflate::{self, Inflate, Told};
use super::member;
use super::members::Members;
use super::tally::Tally;
use super::untar;
use crate::input::inputs::Inputs;
use crate::input::sniff::format_of;
use crate::model::{DisplayPath, Head};
use crate::model::{Format, Source, Status};

/// How much of a stream is read before its format is decided (what the sniffers look at).
const SNIFF_PREFIX: u64 = Head::LEN as u64;

/// The decompressed output, stopped when a limit is passed.
struct Guard<'a, 'b> {
    inner: &'a mut dyn Inflate,
    budget: &'b Budget,
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
        match self.budget.take_bytes(n as u64) {
            Ok(()) => {
                self.produced += n as u64;
                Ok(n)
            }
            Err(msg) => {
                self.stopped = Some(msg.clone());
                Err(io::Error::other(msg))
            }
        }
    }
}

/// Read a gzip source. A top-level stream is inflated on a thread of its own when the machine
/// has a core the caller's pool leaves free ([`inflate::core_to_spare`]) and its input can cross
/// threads (a file, bytes in memory).
pub fn read(src: &mut Source<'_>, members: &mut Members<'_>, budget: &Budget) -> Inputs {
    let at = Place { path: &src.path, depth: src.depth, mtime: src.mtime, bytes: src.len_hint().unwrap_or(0) };
    if src.depth == 0 && inflate::core_to_spare() {
        if let Some(input) = src.data.sendable() {
            return inflate::beside(input, budget, |inflated| read_from(&at, inflated, members, budget));
        }
    }
    let data = src.data.reader();
    if src.depth == 0 {
        read_from(&at, &mut MultiGzDecoder::new(Told { inner: data, budget }), members, budget)
    } else {
        read_from(&at, &mut MultiGzDecoder::new(data), members, budget)
    }
}

/// Where a gzip stream is: its display path, nesting depth, the mtime to fall back on, and its
/// compressed size when known (for the status line).
struct Place<'a> {
    path: &'a str,
    depth: u32,
    mtime: Option<Timestamp>,
    bytes: u64,
}

fn read_from(at: &Place<'_>, inflated: &mut dyn Inflate, members: &mut Members<'_>, budget: &Budget) -> Inputs {
    let mut guard = Guard { inner: inflated, budget, produced: 0, stopped: None };
    // A tar is known from its first block; anything else from a longer prefix.
    let mut head = Vec::with_capacity(SNIFF_PREFIX as usize);
    let mut head_res = (&mut guard).take(512).read_to_end(&mut head);
    let mtime =
        guard.inner.mtime().filter(|&t| t > 0).and_then(|t| Timestamp::from_second(i64::from(t)).ok()).or(at.mtime);
    if head_res.is_ok() && head.get(257..262) == Some(b"ustar".as_slice()) {
        return tar_inside(at, head, guard, members);
    }
    if head_res.is_ok() {
        head_res = (&mut guard).take(SNIFF_PREFIX - head.len() as u64).read_to_end(&mut head);
    }
    let inner_path = inner_name(at.path);
    let format = format_of(&inner_path, &head);
    if head_res.is_ok() && format == Format::Gzip {
        return gzip_inside(at, &inner_path, mtime, head, guard, members);
    }
    if head_res.is_ok() && format == Format::Unknown {
        return pass_over(&inner_path, head.len() as u64, guard);
    }
    // A stream broken within its first bytes: what came before it is still read.
    let broken_head = head_res
        .err()
        .map(|e| guard.stopped.take().unwrap_or_else(|| format!("gzip stream broken after {} bytes: {e}", head.len())));
    if head.is_empty() {
        let (status, msg) = match broken_head {
            Some(p) => (Status::Error, p),
            None => (Status::Skipped, "gzip stream holds nothing".to_string()),
        };
        return Inputs::one(at.path, Format::Gzip, status, Some(msg), at.bytes);
    }
    // A format tlstriage reads: streamed to its reader, never held.
    let cap = budget.limits.max_entry;
    let place = member::Place { path: &inner_path, depth: at.depth + 1, mtime };
    let head_len = head.len() as u64;
    let read = if broken_head.is_some() {
        member::read(members, &place, &mut Cursor::new(head), None, cap)
    } else {
        member::read(members, &place, &mut Cursor::new(head).chain(&mut guard), None, cap)
    };
    let problem = match (broken_head, guard.stopped.take(), read.broken) {
        (Some(p), _, _) | (None, Some(p), _) => Some(p),
        (None, None, Some(e)) => Some(format!("gzip stream broken after {} bytes: {e}", read.got.max(head_len))),
        (None, None, None) if read.more => {
            let msg = format!("only the first {cap} bytes read (limit max_entry)");
            budget.note_limit(&format!("{}: {msg}", at.path));
            Some(msg)
        }
        (None, None, None) => None,
    };
    let mut out = read.out;
    if let Some(why) = problem {
        out.mark(&inner_path, Status::Partial, &format!("gzip: {why}"));
    }
    out
}

/// A tar in the stream: entries read one at a time, straight from the decompressor.
fn tar_inside(at: &Place<'_>, head: Vec<u8>, mut guard: Guard<'_, '_>, members: &mut Members<'_>) -> Inputs {
    let (budget, mut tally, mut out) = (guard.budget, Tally::default(), Inputs::default());
    let input = untar::TarInput { path: at.path, depth: at.depth };
    untar::read_stream(&input, Cursor::new(head).chain(&mut guard), members, budget, &mut tally, &mut out);
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
    out.statuses.insert(0, tally.into_status(at.path, Format::Tar, at.bytes));
    out
}

/// A gzip inside the stream: decompressed as a stream of its own, one level deeper, without
/// holding the compressed bytes.
fn gzip_inside(
    at: &Place<'_>,
    inner_path: &str,
    mtime: Option<Timestamp>,
    head: Vec<u8>,
    mut guard: Guard<'_, '_>,
    members: &mut Members<'_>,
) -> Inputs {
    let budget = guard.budget;
    let depth = at.depth + 1;
    if depth >= budget.limits.max_depth {
        let msg =
            format!("archive nested deeper than {} levels; not opened (limit max_depth)", budget.limits.max_depth);
        budget.note_limit(&msg);
        return Inputs::one(inner_path, Format::Gzip, Status::Error, Some(msg), 0);
    }
    let place = Place { path: inner_path, depth, mtime, bytes: 0 };
    let mut inner = MultiGzDecoder::new(Cursor::new(head).chain(&mut guard));
    let mut out = read_from(&place, &mut inner, members, budget);
    if let Some(st) = out.statuses.iter_mut().find(|i| i.path == inner_path) {
        st.bytes = guard.produced;
    }
    if let Some(why) = guard.stopped.take() {
        out.mark(inner_path, Status::Partial, &format!("gzip: {why}"));
    }
    out
}

/// A stream of no known format: read through to the end (it is charged, and a broken one is
/// noticed) without being held.
fn pass_over(inner_path: &str, head_len: u64, mut guard: Guard<'_, '_>) -> Inputs {
    let rest = io::copy(&mut guard, &mut io::sink());
    let total = head_len + *rest.as_ref().unwrap_or(&0);
    let msg = "not a format tlstriage reads".to_string();
    let mut out = Inputs::one(inner_path, Format::Unknown, Status::Skipped, Some(msg), guard.produced.max(total));
    let problem = match (rest, guard.stopped.take()) {
        (_, Some(limit)) => Some(limit),
        (Err(e), None) => Some(format!("gzip stream broken after {} bytes: {e}", guard.produced)),
        (Ok(_), None) => None,
    };
    if let Some(why) = problem {
        out.mark(inner_path, Status::Partial, &format!("gzip: {why}"));
    }
    out
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
    DisplayPath::join(path, inner.as_bytes())
}
