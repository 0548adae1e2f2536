//! Where an observation comes from: a path, a line or frame, a time and the raw text, the text
//! made only through `EvidenceText`, which removes private key material.

use jiff::Timestamp;
use serde::Serialize;

use super::evidence_text::EvidenceText;

/// Where an observation comes from: a path (inside archives `outer.tar.gz!/dir/file`), a line or
/// a frame number, a time, and the raw text (never key material: see `EvidenceText`).
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Evidence {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frame: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<EvidenceText>,
}

impl Evidence {
    pub fn line(path: &str, line: u64, time: Option<Timestamp>, text: &str) -> Self {
        Evidence { path: path.to_string(), line: Some(line), frame: None, time, text: Some(EvidenceText::new(text)) }
    }
    /// A line whose text is already made (see `EvidenceText::new`).
    pub fn line_with(path: &str, line: u64, time: Option<Timestamp>, text: EvidenceText) -> Self {
        Evidence { path: path.to_string(), line: Some(line), frame: None, time, text: Some(text) }
    }
    /// Hold the text on its own (see `EvidenceText::detach`): for evidence kept for long.
    pub fn detach(&mut self) {
        if let Some(t) = self.text.as_mut() {
            t.detach();
        }
    }
    pub fn frame(path: &str, frame: u64, time: Option<Timestamp>) -> Self {
        Evidence { path: path.to_string(), line: None, frame: Some(frame), time, text: None }
    }
    pub fn file(path: &str) -> Self {
        Evidence { path: path.to_string(), ..Default::default() }
    }
    /// `path:line`, `path#frame` or `path`.
    pub fn location(&self) -> String {
        match (self.line, self.frame) {
            (Some(l), _) => format!("{}:{}", self.path, l),
            (None, Some(f)) => format!("{}#{}", self.path, f),
            _ => self.path.clone(),
        }
    }
}
