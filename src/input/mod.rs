//! Inputs: discovery of files and directories, sniffing, and dispatch to the readers of the
//! registry ([`readers`]).
//!
//! Every input, whether a plain file or an entry inside an archive, becomes a [`Source`] (bytes
//! plus a display path) and is read by [`read`] into the caller's [`Sink`]: the reader pushes
//! what it finds, the dispatcher turns the reader's answer into the input's status line.

mod discover;
mod inputs;
mod open;
pub mod readers;
pub mod sniff;

pub mod archive;
pub mod contents;
pub mod judging;

#[cfg(test)]
#[path = "log_samples_tests.rs"]
mod log_samples_tests;

pub use discover::{discover, Discovered};
pub use inputs::Inputs;
pub use open::{describe, open_regular, OpenError};
pub use readers::{Reader, READERS};
pub use sniff::{format_of, Sniffed};

use crate::model::{Format, IngestContext, InputStatus, Sink, Source, Status};

/// Read one source, whatever it is, into `sink`: its items go there as they are found; the
/// status lines of the source and of everything inside it (archives are read member by member)
/// are returned, for the caller to add what only it knows before handing them on.
pub fn read(src: &Source<'_>, ctx: &IngestContext, sink: &mut dyn Sink) -> Inputs {
    let sniffed = sniff::sniff(&src.path, src.data);
    let format = sniffed.format();
    let len = src.data.len() as u64;
    if let Some(dup) = ctx.contents.as_ref().and_then(|c| c.duplicate(src, format)) {
        let why = contents::message(&dup);
        let mut out = Inputs::one(&src.path, format, Status::Skipped, Some(why), len);
        out.duplicates.push(dup);
        return out;
    }
    match sniffed {
        Sniffed::Archive(format) => archive::read(src, format, &mut archive::Members { ctx, sink, read }),
        Sniffed::Empty => Inputs::one(&src.path, format, Status::Skipped, Some("empty file".into()), 0),
        Sniffed::Unknown => {
            Inputs::one(&src.path, format, Status::Skipped, Some("not a format tlstriage reads".into()), len)
        }
        Sniffed::Reader(reader) => {
            let said = (reader.parse)(src, ctx, sink);
            let mut out = Inputs::one(&src.path, format, said.status, said.message, len);
            if reader.lines_end {
                note_cut_line(&mut out, src);
            }
            out
        }
    }
}

/// [`read`], then hand the status lines to the sink too.
pub fn ingest(src: &Source<'_>, ctx: &IngestContext, sink: &mut dyn Sink) {
    read(src, ctx, sink).hand_to(sink);
}

/// The status line of an input that was not read, for whatever reason.
pub fn not_read(path: &str, status: Status, message: String) -> InputStatus {
    InputStatus { path: path.to_string(), format: Format::Unknown, status, message: Some(message), bytes: 0 }
}

/// Devices end every log line with a newline: a log whose last line has none was cut off (a copy
/// taken while it was written, a truncated transfer). Its status says so; the line still counts.
fn note_cut_line(out: &mut Inputs, src: &Source<'_>) {
    let skipped = out.statuses.iter().any(|i| i.path == src.path && i.status == Status::Skipped);
    if skipped || src.data.last().is_none_or(|&b| b == b'\n') {
        return;
    }
    let line = memchr::memchr_iter(b'\n', src.data).count() + 1;
    let why = format!("line {line}, the last, has no line end: the file looks cut off there");
    out.mark(&src.path, Status::Partial, &why);
}
