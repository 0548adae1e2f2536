//! The status lines of a source and of everything read inside it, as the dispatcher returns them
//! to whoever called it, so that a container can add what it met after a member was read (a
//! limit, a broken stream) before the lines go to the sink.

use crate::model::{Duplicate, Format, InputStatus, Sink, Status};

/// Status lines in input order, with the places skipped as copies of earlier ones.
#[derive(Debug, Default)]
pub struct Inputs {
    pub statuses: Vec<InputStatus>,
    pub duplicates: Vec<Duplicate>,
}

impl Inputs {
    /// One status line.
    pub fn one(path: &str, format: Format, status: Status, message: Option<String>, bytes: u64) -> Self {
        Inputs {
            statuses: vec![InputStatus { path: path.to_string(), format, status, message, bytes }],
            ..Default::default()
        }
    }

    pub fn extend(&mut self, other: Inputs) {
        self.statuses.extend(other.statuses);
        self.duplicates.extend(other.duplicates);
    }

    /// Hand the lines and the duplicates to `sink`.
    pub fn hand_to(self, sink: &mut dyn Sink) {
        self.statuses.into_iter().for_each(|s| sink.status(s));
        self.duplicates.into_iter().for_each(|d| sink.duplicate(d));
    }

    /// Mark the status line of `path` (or the first line) with a problem met while reading it:
    /// at least `status`, the reason put in front of the reader's own message.
    pub fn mark(&mut self, path: &str, status: Status, why: &str) {
        let idx = self.statuses.iter().position(|i| i.path == path).unwrap_or(0);
        if let Some(st) = self.statuses.get_mut(idx) {
            st.status = match st.status {
                Status::Ok | Status::Skipped => status,
                s => s.max(status),
            };
            st.message = Some(match st.message.take() {
                Some(m) => format!("{why}; {m}"),
                None => why.to_string(),
            });
        }
    }
}
