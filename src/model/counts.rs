//! How the inputs of a run went, counted once for every view ([`InputCounts`]).

use serde::Serialize;

use super::duplicate::Duplicate;
use super::status::{InputStatus, Status};

/// How the inputs of a run went, counted one way for every view: the case line ("in 86 inputs
/// read"), the line before the findings and the Inputs footer ("86 read, 2 counted once (same
/// content), 4 skipped"), the HTML page and the JSON `summary`. Each line of `inputs[]` counts
/// once: `read` (ok or partial), `same_content` (a copy of a place read earlier, not read again),
/// `skipped` (not a format tlstriage reads, one of tlstriage's own outputs, empty, not a regular
/// file), `errors` (could not be opened or read); `partial` is the part of `read` that was read
/// up to a problem.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq)]
pub struct InputCounts {
    /// Every line of `inputs[]`.
    pub listed: usize,
    pub read: usize,
    pub partial: usize,
    pub same_content: usize,
    pub skipped: usize,
    pub errors: usize,
}

impl InputCounts {
    /// The counts of `inputs`; `duplicates` are the places counted once (listed as skipped).
    pub fn of(inputs: &[InputStatus], duplicates: &[Duplicate]) -> Self {
        let copies: std::collections::HashSet<&str> = duplicates.iter().map(|d| d.path.as_str()).collect();
        let mut c = InputCounts { listed: inputs.len(), ..Default::default() };
        for i in inputs {
            match i.status {
                Status::Ok => c.read += 1,
                Status::Partial => {
                    c.read += 1;
                    c.partial += 1;
                }
                Status::Skipped if copies.contains(i.path.as_str()) => c.same_content += 1,
                Status::Skipped => c.skipped += 1,
                Status::Error => c.errors += 1,
            }
        }
        c
    }

    /// Inputs that gave nothing and are listed under Inputs with why (skipped or not readable).
    pub fn unread(&self) -> usize {
        self.skipped + self.errors
    }

    /// `85 read (1 partly), 2 counted once (same content), 4 skipped, 1 not readable`: the parts
    /// that are not zero after the first.
    pub fn words(&self) -> String {
        let mut out = format!("{} read", self.read);
        if self.partial > 0 {
            out.push_str(&format!(" ({} partly)", self.partial));
        }
        if self.same_content > 0 {
            out.push_str(&format!(", {} counted once (same content)", self.same_content));
        }
        if self.skipped > 0 {
            out.push_str(&format!(", {} skipped", self.skipped));
        }
        if self.errors > 0 {
            out.push_str(&format!(", {} not readable", self.errors));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Format;

    fn input(path: &str, status: Status) -> InputStatus {
        InputStatus { path: path.into(), format: Format::Unknown, status, message: None, bytes: 0 }
    }

    #[test]
    fn each_input_counts_once_in_one_place() {
        let inputs = [
            input("a", Status::Ok),
            input("b", Status::Partial),
            input("copy-of-a", Status::Skipped),
            input("README", Status::Skipped),
            input("gone", Status::Error),
        ];
        let dup = Duplicate { path: "copy-of-a".into(), of: "a".into(), id: None };
        let c = InputCounts::of(&inputs, &[dup]);
        assert_eq!(c, InputCounts { listed: 5, read: 2, partial: 1, same_content: 1, skipped: 1, errors: 1 });
        assert_eq!(c.read + c.same_content + c.skipped + c.errors, c.listed);
        assert_eq!(c.words(), "2 read (1 partly), 1 counted once (same content), 1 skipped, 1 not readable");
        assert_eq!(InputCounts::of(&inputs[..1], &[]).words(), "1 read");
    }
}
