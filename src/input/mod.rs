//! Inputs: discovery of files and directories, content sniffing, and dispatch to the parsers.
//!
//! Every input, whether a plain file or an entry inside an archive, becomes a
//! [`Source`] (bytes plus a display path) and is turned by [`ingest`] into a
//! [`Parsed`] result. Attempts a reader did not hand to the run's sink
//! itself are handed to it here ([`judging`]).

mod discover;
mod open;
mod sniff;

pub mod archive;
pub mod contents;
pub mod judging;

#[cfg(test)]
#[path = "log_samples_tests.rs"]
mod log_samples_tests;

pub use discover::{discover, is_stdin, Discovered};
pub use open::{describe, open_regular, OpenError};
pub use sniff::sniff;

use crate::model::{Format, IngestContext, InputStatus, Parsed, Source, Status};

/// Parse one source, whatever it is; archives recurse into their entries.
pub fn ingest(src: &Source<'_>, ctx: &IngestContext) -> Parsed {
    let format = sniff(&src.path, src.data);
    let len = src.data.len() as u64;
    if let Some(dup) = ctx.contents.as_ref().and_then(|c| c.duplicate(src, format)) {
        let why = contents::message(&dup);
        let mut out = Parsed::status(&src.path, format, Status::Skipped, Some(why), len);
        out.duplicates.push(dup);
        return out;
    }
    let mut out = match format {
        Format::Gzip | Format::Tar => return archive::ingest(src, format, ctx),
        Format::Syslog => crate::logs::syslog::parse(src, ctx),
        Format::TlsProxyLog => crate::logs::tls_proxy::parse(src, ctx),
        Format::FailedPush => crate::logs::failed_push::parse(src, ctx),
        Format::Excerpt | Format::TunnelStatus => crate::logs::excerpt::parse(src, format, ctx),
        Format::SftunnelConf | Format::ImsConf | Format::PeerJson => crate::logs::conf::parse(src, format, ctx),
        Format::Pcap | Format::Pcapng => crate::capture::parse(src, format, ctx),
        Format::Pem | Format::Der => crate::x509::files::parse(src, format, ctx),
        Format::Empty => Parsed::status(&src.path, format, Status::Skipped, Some("empty file".into()), 0),
        Format::Unknown => {
            Parsed::status(&src.path, format, Status::Skipped, Some("not a format tlstriage reads".into()), len)
        }
    };
    if out.inputs.is_empty() {
        out.inputs.push(InputStatus { path: src.path.clone(), format, status: Status::Ok, message: None, bytes: len });
    }
    if matches!(format, Format::Syslog | Format::TlsProxyLog | Format::Excerpt | Format::TunnelStatus) {
        note_cut_line(&mut out, src);
    }
    if let Some(judge) = &ctx.judge {
        if !out.attempts.is_empty() {
            let mut sink = judge.sink();
            sink.take(&std::mem::take(&mut out.attempts));
            out.judged.push(sink.finish());
        }
    }
    out
}

/// Devices end every log line with a newline: a log whose last line has none was cut off (a copy
/// taken while it was written, a truncated transfer). Its status says so; the line still counts.
fn note_cut_line(out: &mut Parsed, src: &Source<'_>) {
    let skipped = out.inputs.iter().any(|i| i.path == src.path && i.status == Status::Skipped);
    if skipped || src.data.last().is_none_or(|&b| b == b'\n') {
        return;
    }
    let line = memchr::memchr_iter(b'\n', src.data).count() + 1;
    let why = format!("line {line}, the last, has no line end: the file looks cut off there");
    archive::mark(out, &src.path, Status::Partial, &why);
}
