//! Certificate and key files: PEM (several blocks per file) and DER.

use crate::input::{Format, IngestContext, Parsed, Source, Status};

/// Whether `data` parses as one DER certificate.
pub fn looks_like_der(data: &[u8]) -> bool {
    let _ = data;
    false
}

/// Parse a PEM or DER file into certificate / key facts.
pub fn parse(src: &Source<'_>, format: Format, ctx: &IngestContext) -> Parsed {
    let _ = ctx;
    Parsed::status(
        &src.path,
        format,
        Status::Skipped,
        Some("certificate files not read yet".into()),
        src.data.len() as u64,
    )
}
