//! What the views say about inputs that gave nothing: the stderr message of a run in which no
//! input could be read, and the "N read, M skipped" line put before the findings of a mixed run.
//!
//! Paths and reasons come from the inputs (file names inside archives are anyone's choice), so
//! control characters are shown escaped, never sent to the terminal as they are.

use crate::analyze::Report;
use crate::model::{InputStatus, Status};

/// `text` with control characters (and nothing else) escaped as `\u{..}`, `\n`, `\t`.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// The stderr message of a run in which nothing could be read: each input with why it gave
/// nothing, after a line saying that none was in a known format when some were skipped as
/// unknown (or that there were no files at all).
pub fn nothing_read_message(r: &Report) -> String {
    let mut out = String::new();
    if r.inputs.is_empty() {
        out.push_str("tlstriage: no input could be read: the paths hold no files\n");
        return out;
    }
    if r.unread().any(|i| i.status == Status::Skipped) {
        out.push_str("tlstriage: no input could be read as a format tlstriage knows\n");
    }
    for i in r.unread() {
        out.push_str(&unread_line(i));
    }
    out
}

/// `tlstriage: WHY: PATH` for an input that could not be opened or read, `tlstriage: PATH: WHY
/// (skipped)` for one left out.
pub fn unread_line(i: &InputStatus) -> String {
    let why = printable(i.message.as_deref().unwrap_or(i.status.as_str()));
    match i.status {
        Status::Error => format!("tlstriage: {why}: {}\n", printable(&i.path)),
        _ => format!("tlstriage: {}: {why} ({})\n", printable(&i.path), i.status.as_str()),
    }
}

/// The line of the text views for a run that read nothing: that the paths hold no file, else
/// that each input, listed under Inputs, gave nothing.
pub fn nothing_read_line(r: &Report) -> &'static str {
    if r.inputs.is_empty() {
        "Nothing was read: the paths hold no files.\n"
    } else if r.unread().all(|i| i.status == Status::Error) {
        "Nothing was read: no input could be opened (each is listed under Inputs).\n"
    } else {
        "Nothing was read: no input is in a format tlstriage knows (each is listed under Inputs).\n"
    }
}

/// The inputs' counts ([`InputCounts::words`](crate::model::InputCounts::words)) when some
/// inputs were read and others were not; `None` otherwise.
pub fn mixed_summary(r: &Report) -> Option<String> {
    let c = r.input_counts();
    (c.read > 0 && c.same_content + c.unread() > 0).then(|| format!("{} (listed under Inputs)", c.words()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Format;

    fn input(path: &str, status: Status, message: Option<&str>) -> InputStatus {
        InputStatus { path: path.into(), format: Format::Unknown, status, message: message.map(Into::into), bytes: 0 }
    }

    #[test]
    fn names_each_input_and_escapes_control_characters() {
        let r = Report {
            inputs: vec![
                input("/nonexistent", Status::Error, Some("no such file or directory")),
                input("notes\x1b[2J.txt", Status::Skipped, Some("not a format tlstriage reads")),
            ],
            ..Default::default()
        };
        assert!(r.nothing_readable());
        assert_eq!(
            nothing_read_message(&r),
            "tlstriage: no input could be read as a format tlstriage knows\n\
             tlstriage: no such file or directory: /nonexistent\n\
             tlstriage: notes\\u{1b}[2J.txt: not a format tlstriage reads (skipped)\n"
        );
        assert_eq!(mixed_summary(&r), None);
        let missing = Report {
            inputs: vec![input("/gone", Status::Error, Some("no such file or directory"))],
            ..Default::default()
        };
        assert_eq!(nothing_read_message(&missing), "tlstriage: no such file or directory: /gone\n");
    }

    #[test]
    fn mixed_runs_count_read_and_skipped() {
        let r = Report {
            inputs: vec![
                input("a", Status::Ok, None),
                input("b", Status::Partial, Some("cut")),
                input("c", Status::Skipped, Some("empty file")),
            ],
            ..Default::default()
        };
        assert!(!r.nothing_readable());
        assert_eq!(mixed_summary(&r).as_deref(), Some("2 read (1 partly), 1 skipped (listed under Inputs)"));
        let none = Report::default();
        assert_eq!(nothing_read_message(&none), "tlstriage: no input could be read: the paths hold no files\n");
    }
}
