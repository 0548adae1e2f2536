//! Places not read because an earlier place held the same bytes, and the check that finds them.

use serde::Serialize;

use super::{Format, Source};

/// The BLAKE3 hash of a content.
pub type ContentId = [u8; 32];

/// A place that holds the same bytes as an earlier one and was therefore not read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Duplicate {
    pub path: String,
    /// The place that was read.
    pub of: String,
    /// `None` for the same file reached by two paths (nothing was hashed).
    #[serde(skip)]
    pub id: Option<ContentId>,
}

/// Tells whether a source's bytes were met at an earlier place of the run
/// (the dispatcher's `input::contents::Contents` keeps the claims).
pub trait SeenBefore: Send + Sync + std::fmt::Debug {
    /// The earlier place when `src` is a copy that is not to be read, else `None`.
    fn duplicate(&self, src: &Source<'_>, format: Format) -> Option<Duplicate>;
    /// A member streamed out of its archive, read whole, of `len` bytes hashing to `id`: the
    /// earlier place when it turns out a copy (its items were handed on already; the check keeps
    /// the run's result right, see `input::contents`).
    fn streamed(&self, path: &str, format: Format, len: u64, id: ContentId) -> Option<Duplicate> {
        let _ = (path, format, len, id);
        None
    }
}
