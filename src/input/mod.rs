//! Inputs: discovery of files and directories, sniffing, and dispatch to the readers of the
//! registry ([`readers`]).
//!
//! Every input, whether a plain file ([`file`]) or an entry inside an archive, becomes a
//! [`Source`] (a display path, and bytes held whole or a stream) and is read by [`read`] into the
//! caller's [`Sink`]: the reader pushes what it finds, the dispatcher turns the reader's answer
//! into the input's status line.

mod discover;
mod distinct;
pub mod file;
mod foreign;
mod inputs;
mod line_ends;
mod open;
mod own_report;
pub mod readers;
pub mod sniff;
pub mod stdin;
mod stream;

pub mod archive;
pub mod contents;
pub mod judging;

#[cfg(test)]
#[path = "log_samples_tests.rs"]
mod log_samples_tests;

pub use discover::{discover, is_stdin, Discovered};
pub use inputs::Inputs;
pub use open::{describe, open_regular, OpenError};
pub use readers::{Reader, READERS};
pub use sniff::{format_of, Sniffed};

use std::io::Read;

use crate::model::{Data, Format, Head, IngestContext, InputStatus, Sink, Source, Status};
use stream::{Prefixed, Tail};

/// Read one source, whatever it is, into `sink`: its items go there as they are found; the
/// status lines of the source and of everything inside it (archives are read member by member)
/// are returned, for the caller to add what only it knows before handing them on.
///
/// A stream is sniffed from its first [`Head::LEN`] bytes; a stream no longer than that is read
/// as bytes held in memory.
pub fn read(src: Source<'_>, ctx: &IngestContext, sink: &mut dyn Sink) -> Inputs {
    let Source { path, data, mtime, depth } = src;
    match data {
        Data::Bytes(bytes) => read_bytes(Source { path, data: Data::Bytes(bytes), mtime, depth }, bytes, ctx, sink),
        Data::Stream(stream) => {
            let mut head = Vec::with_capacity(Head::LEN);
            if let Err(e) = Read::take(&mut *stream, Head::LEN as u64).read_to_end(&mut head) {
                let len = stream.len_hint().unwrap_or(head.len() as u64);
                return Inputs::one(&path, Format::Unknown, Status::Error, Some(format!("cannot read: {e}")), len);
            }
            if head.len() < Head::LEN {
                return read_bytes(Source { path, data: Data::Bytes(&head), mtime, depth }, &head, ctx, sink);
            }
            let sniffed = sniff::sniff_head(&Head::new(&path, &head, false, crate::logs::line_kind));
            let len = stream.len_hint().unwrap_or(0);
            let mut rest = Prefixed::new(head, stream);
            let src = Source { path, data: Data::Stream(&mut rest), mtime, depth };
            dispatch(src, sniffed, len, ctx, sink)
        }
    }
}

/// [`read`] of bytes held in memory.
fn read_bytes(src: Source<'_>, bytes: &[u8], ctx: &IngestContext, sink: &mut dyn Sink) -> Inputs {
    let sniffed = sniff::sniff(&src.path, bytes);
    dispatch(src, sniffed, bytes.len() as u64, ctx, sink)
}

/// Hand a sniffed source of `len` bytes to what reads it.
fn dispatch(src: Source<'_>, sniffed: Sniffed, len: u64, ctx: &IngestContext, sink: &mut dyn Sink) -> Inputs {
    let format = sniffed.format();
    // What is known and not read leaves no claim on its content: an editor's auto-save copy of a
    // log holds the log's very bytes, and the log must not be counted as a copy of it.
    let claims = ctx.contents.as_ref().filter(|_| !matches!(sniffed, Sniffed::Foreign(_)));
    if let Some(dup) = claims.and_then(|c| c.duplicate(&src, format)) {
        let why = contents::message(&dup);
        let mut out = Inputs::one(&src.path, format, Status::Skipped, Some(why), len);
        out.duplicates.push(dup);
        return out;
    }
    match sniffed {
        Sniffed::Archive(format) => archive::read(src, format, &mut archive::Members { ctx, sink, read }),
        Sniffed::Empty => Inputs::one(&src.path, format, Status::Skipped, Some("empty file".into()), 0),
        Sniffed::Foreign(what) => Inputs::one(&src.path, format, Status::Skipped, Some(what.into()), len),
        Sniffed::Unknown => {
            Inputs::one(&src.path, format, Status::Skipped, Some("not a format tlstriage reads".into()), len)
        }
        Sniffed::Reader(reader) => read_with(reader, src, len, ctx, sink),
    }
}

/// Read a source with `reader`: its answer becomes the source's status line. A log gives each
/// attempt once: pasted twice into it, or read at another place too (`distinct`).
fn read_with(reader: &Reader, src: Source<'_>, len: u64, ctx: &IngestContext, sink: &mut dyn Sink) -> Inputs {
    if !reader.lines_end {
        return read_each(reader, src, len, ctx, sink);
    }
    let path = src.path.clone();
    let mut once = distinct::Distinct::new(sink, ctx, &path, may_quote(reader.format, &path));
    let mut out = read_each(reader, src, len, ctx, &mut once);
    if let Some(copies) = once.finish() {
        let at = out.statuses.iter_mut().find(|i| i.path == path && i.status != Status::Skipped);
        if let Some(st) = at {
            st.message = Some(match st.message.take() {
                Some(m) => format!("{m}; {copies}"),
                None => copies,
            });
        }
    }
    out
}

/// Whether an input's attempts may quote others in part (`model::line_owners`): an excerpt, or
/// lines kept in a file a log is not named like (a case note, a mail, a paste), whatever their
/// format. A log (`messages`, `messages.1`, `syslog`, `*.log`, `tls_proxy.log.2`) only gives an
/// attempt up for an exact copy.
fn may_quote(format: Format, path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let log_name = name.starts_with("messages") || name.starts_with("syslog") || name.contains(".log");
    format == Format::Excerpt || !log_name
}

/// [`read_with`] once the sink is chosen.
fn read_each(reader: &Reader, src: Source<'_>, len: u64, ctx: &IngestContext, sink: &mut dyn Sink) -> Inputs {
    let Source { path, data, mtime, depth } = src;
    match data {
        Data::Bytes(bytes) => {
            // A text whose lines end in a carriage return alone is read with line feeds there.
            let fixed = (reader.text && line_ends::has_lone_cr(bytes)).then(|| line_ends::to_lf(bytes));
            let bytes = fixed.as_deref().unwrap_or(bytes);
            let said =
                (reader.parse)(&mut Source { path: path.clone(), data: Data::Bytes(bytes), mtime, depth }, ctx, sink);
            let mut out = Inputs::one(&path, reader.format, said.status, said.message, len);
            if reader.lines_end && bytes.last().is_some_and(|&b| b != b'\n') {
                let line_ends = said.line_ends.unwrap_or_else(|| memchr::memchr_iter(b'\n', bytes).count() as u64);
                note_cut_line(&mut out, &path, Some(line_ends));
            }
            out
        }
        Data::Stream(stream) => {
            let mut fixed;
            let stream: &mut dyn crate::model::ByteStream = if reader.text {
                fixed = line_ends::LineEnds::new(stream);
                &mut fixed
            } else {
                stream
            };
            let mut tail = Tail::new(stream, reader.lines_end && !reader.counts_line_ends);
            let said = (reader.parse)(
                &mut Source { path: path.clone(), data: Data::Stream(&mut tail), mtime, depth },
                ctx,
                sink,
            );
            let mut out = Inputs::one(&path, reader.format, said.status, said.message, len);
            // What a log's reader left is read through, so that a cut last line is seen.
            if !reader.lines_end {
                return out;
            }
            // The line ends of the reader's part: its own count, else the tail's. A reader that
            // counts them but stopped early said none: the number is then left unknown.
            let counted = match said.line_ends {
                Some(n) => Some(n),
                None => (!reader.counts_line_ends).then_some(tail.newlines),
            };
            tail.count_lines = true;
            let before_drain = tail.newlines;
            if let Err(e) = tail.drain() {
                out.mark(&path, Status::Partial, &format!("read broken after {} bytes: {e}", tail.bytes));
            } else if tail.last.is_some_and(|b| b != b'\n') {
                let drained = tail.newlines - before_drain;
                note_cut_line(&mut out, &path, counted.map(|n| n + drained));
            }
            out
        }
    }
}

/// [`read`], then hand the status lines to the sink too.
pub fn ingest(src: Source<'_>, ctx: &IngestContext, sink: &mut dyn Sink) {
    read(src, ctx, sink).hand_to(sink);
}

/// The status line of an input that was not read, for whatever reason.
pub fn not_read(path: &str, status: Status, message: String) -> InputStatus {
    InputStatus { path: path.to_string(), format: Format::Unknown, status, message: Some(message), bytes: 0 }
}

/// Devices end every log line with a newline: a log whose last line (after `line_ends` line ends,
/// when known) has none was cut off (a copy taken while it was written, a truncated transfer).
/// Its status says so; the line still counts.
fn note_cut_line(out: &mut Inputs, path: &str, line_ends: Option<u64>) {
    let skipped = out.statuses.iter().any(|i| i.path == path && i.status == Status::Skipped);
    if skipped {
        return;
    }
    let why = match line_ends {
        Some(n) => format!("line {}, the last, has no line end: the file looks cut off there", n + 1),
        None => "the last line has no line end: the file looks cut off there".to_string(),
    };
    out.mark(path, Status::Partial, &why);
}
