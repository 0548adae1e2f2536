//! How reading one input went: what a reader says ([`ReadStatus`]) and the lines of the
//! `inputs` array the dispatcher makes of it.

use serde::Serialize;

use super::Format;

/// How reading an input went.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    /// Read up to a problem (a truncated capture, a corrupt gzip tail); what came before counts.
    Partial,
    Error,
    /// Not a format tlstriage reads.
    Skipped,
}

impl Status {
    /// The name used in the JSON and the views.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Partial => "partial",
            Status::Error => "error",
            Status::Skipped => "skipped",
        }
    }
}

/// One line of the `inputs` array.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct InputStatus {
    pub path: String,
    pub format: Format,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub bytes: u64,
}

/// What a reader says about the input it read; the dispatcher turns it into the input's
/// [`InputStatus`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadStatus {
    pub status: Status,
    pub message: Option<String>,
    /// The line ends in everything the reader took from the input, from a reader that counts
    /// them anyway (so that the caller does not count them a second time).
    pub line_ends: Option<u64>,
}

impl ReadStatus {
    /// Read, nothing to say.
    pub fn ok() -> Self {
        ReadStatus { status: Status::Ok, message: None, line_ends: None }
    }

    pub fn new(status: Status, message: impl Into<Option<String>>) -> Self {
        ReadStatus { status, message: message.into(), line_ends: None }
    }

    /// The same, saying that the reader's input held `n` line ends.
    pub fn with_line_ends(self, n: u64) -> Self {
        ReadStatus { line_ends: Some(n), ..self }
    }
}
