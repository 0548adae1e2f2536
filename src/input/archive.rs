//! Archives read in place: gzip members and tar files (nested), never extracted to disk, with
//! limits against hostile inputs.

use std::io::Read;

use super::sniff::Format;
use super::{IngestContext, Parsed, Source, Status};

/// Limits against decompression bombs and endless archives.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Most bytes one gzip stream may expand to.
    pub max_uncompressed: u64,
    /// Most expansion ratio of one gzip stream (after the first MiB).
    pub max_ratio: u64,
    /// Deepest archive nesting.
    pub max_depth: u32,
    /// Most entries in one tar.
    pub max_entries: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_uncompressed: 4 << 30, max_ratio: 1000, max_depth: 8, max_entries: 200_000 }
    }
}

/// Read a gzip or tar source and ingest what is inside.
pub fn ingest(src: &Source<'_>, format: Format, ctx: &IngestContext) -> Parsed {
    if src.depth >= ctx.limits.max_depth {
        return Parsed::status(
            &src.path,
            format,
            Status::Error,
            Some(format!("archive nested deeper than {} levels; not opened", ctx.limits.max_depth)),
            src.data.len() as u64,
        );
    }
    match format {
        Format::Gzip => gunzip(src, ctx),
        _ => Parsed::status(
            &src.path,
            format,
            Status::Skipped,
            Some("tar archives not read yet".into()),
            src.data.len() as u64,
        ),
    }
}

fn gunzip(src: &Source<'_>, ctx: &IngestContext) -> Parsed {
    let limit = ctx.limits.max_uncompressed;
    let mut dec = flate2::read::MultiGzDecoder::new(src.data).take(limit + 1);
    let mut buf = Vec::new();
    let (status, message) = match dec.read_to_end(&mut buf) {
        Ok(_) if buf.len() as u64 > limit => {
            buf.truncate(limit as usize);
            (Status::Partial, Some(format!("stopped after {limit} uncompressed bytes (limit)")))
        }
        Ok(_) => (Status::Ok, None),
        Err(e) => (Status::Partial, Some(format!("gzip stream broken after {} bytes: {e}", buf.len()))),
    };
    let inner_name = src.path.strip_suffix(".gz").or_else(|| src.path.strip_suffix(".tgz")).unwrap_or(&src.path);
    let inner = Source { path: inner_name.to_string(), data: &buf, mtime: src.mtime, depth: src.depth + 1 };
    let mut out = super::ingest(&inner, ctx);
    if status != Status::Ok {
        if let Some(first) = out.inputs.first_mut() {
            first.status = first.status.max(status);
            first.message = message;
        }
    }
    out
}
