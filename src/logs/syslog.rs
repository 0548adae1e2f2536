//! Parser for syslog sources (to be built).

use crate::input::{Format, IngestContext, Parsed, Source, Status};

/// Whether one line looks like this format (used by content sniffing).
pub fn looks_like(line: &str) -> bool {
    let _ = line;
    false
}

/// Parse a source into attempts / facts.
pub fn parse(src: &Source<'_>, ctx: &IngestContext) -> Parsed {
    let _ = ctx;
    Parsed::status(
        &src.path,
        Format::Unknown,
        Status::Skipped,
        Some("parser not built yet".into()),
        src.data.len() as u64,
    )
}
