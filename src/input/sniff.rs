//! What an input is, from its content (the name is only a tie-breaker): an archive the
//! dispatcher opens itself, a format of the reader registry, or nothing tlstriage reads.

use super::readers::{self, Reader};
use crate::model::{Format, Head};

/// What sniffing an input found.
#[derive(Clone, Copy)]
pub enum Sniffed {
    Empty,
    /// A gzip stream or a tar file.
    Archive(Format),
    Reader(&'static Reader),
    /// Something tlstriage knows but does not read, and what to do with it (`foreign`).
    Foreign(&'static str),
    Unknown,
}

impl Sniffed {
    pub fn format(self) -> Format {
        match self {
            Sniffed::Empty => Format::Empty,
            Sniffed::Archive(f) => f,
            Sniffed::Reader(r) => r.format,
            Sniffed::Foreign(_) | Sniffed::Unknown => Format::Unknown,
        }
    }
}

/// What `data` (whose display path is `path`) is; `data` is the whole input.
pub fn sniff(path: &str, data: &[u8]) -> Sniffed {
    sniff_head(&Head::new(path, data, true, crate::logs::line_kind))
}

/// What an input is whose first bytes (or all of them) `head` holds.
pub fn sniff_head(head: &Head<'_>) -> Sniffed {
    if head.bytes.is_empty() {
        return Sniffed::Empty;
    }
    if head.bytes.starts_with(&[0x1f, 0x8b]) {
        return Sniffed::Archive(Format::Gzip);
    }
    if head.bytes.get(257..262) == Some(b"ustar".as_slice()) {
        return Sniffed::Archive(Format::Tar);
    }
    if let Some(what) = super::foreign::recognise(head) {
        return Sniffed::Foreign(what);
    }
    let found = readers::sniff(head).map_or(Sniffed::Unknown, Sniffed::Reader);
    let text = match found {
        Sniffed::Unknown => true,
        Sniffed::Reader(r) => r.text,
        _ => false,
    };
    if !text || !super::line_ends::has_lone_cr(head.bytes) {
        return found;
    }
    // Lines ended by a carriage return alone: the head as the text readers will see it.
    let fixed = super::line_ends::to_lf(head.bytes);
    match readers::sniff(&Head::new(
        head.path,
        &fixed,
        head.all.is_some_and(|a| a.len() == fixed.len()),
        crate::logs::line_kind,
    )) {
        Some(r) if r.text => Sniffed::Reader(r),
        _ => found,
    }
}

/// The format of `data`, by name.
pub fn format_of(path: &str, data: &[u8]) -> Format {
    sniff(path, data).format()
}

#[cfg(test)]
#[path = "sniff_tests.rs"]
mod tests;
