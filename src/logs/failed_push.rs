//! `FAILED_PUSH` lists written by `generate_certs.pl` under `/var/tmp/certs/<unix time>/`: one
//! row per file that could not be copied to a device,
//! `FTD_UUID FTD_NAME FTD_IP SOURCE_PATH_ON_FMC DESTINATION_PATH_ON_FTD`.
//!
//! Text copied from a terminal is often wrapped at the screen width, in the middle of a path; a
//! row that is not complete yet is joined with the lines that continue it. The script's console
//! lines `Failed to push to NAME = PATH` are read too, as rows without UUID, address or source.

use jiff::Timestamp;

use super::text::each_line;
use crate::firepower::peers::is_uuid;
use crate::model::Evidence;
use crate::model::{Fact, PushRow};
use crate::model::{Head, IngestContext, ReadStatus, Sink, Source, Status};

/// Problems listed in the input's message; the rest are counted.
const MAX_PROBLEMS: usize = 10;

/// Longest row kept (a wrapped row included); longer text is not a FAILED_PUSH row.
const MAX_ROW: usize = 4096;
/// Most rows read from one source.
const MAX_ROWS: usize = 100_000;

/// Most words a device name is read as (a name with blanks or vertical tabs in it is still one
/// row's name, which the rules then refuse by its shape).
const MAX_NAME_WORDS: usize = 8;

const CONSOLE: &str = "Failed to push to ";

/// Whether one line looks like a FAILED_PUSH row (or its start) or a console line of the script.
pub fn looks_like(line: &str) -> bool {
    if console_row(line).is_some() {
        return true;
    }
    let w: Vec<&str> = line.split_whitespace().take(MAX_NAME_WORDS + 3).collect();
    // The UUID, a name of one word or more, the address and the source path.
    w.first().is_some_and(|u| is_uuid(u))
        && (2..w.len().saturating_sub(1)).any(|i| looks_like_ip(w[i]) && w[i + 1].starts_with('/'))
}

fn looks_like_ip(s: &str) -> bool {
    s.parse::<std::net::IpAddr>().is_ok()
        || (s.contains('.') && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-'))
}

/// `Failed to push to NAME = PATH` → (name, path).
fn console_row(line: &str) -> Option<(&str, &str)> {
    let rest = &line[line.find(CONSOLE)? + CONSOLE.len()..];
    let (name, path) = rest.split_once(" = ")?;
    let (name, path) = (name.trim(), path.trim());
    (!name.is_empty() && !name.contains(' ') && path.starts_with('/') && !path.contains(' ')).then_some((name, path))
}

/// Whether `line` starts a row: its first word is a UUID.
fn starts_row(line: &str) -> bool {
    line.split_whitespace().next().is_some_and(is_uuid) && line.starts_with(|c: char| c.is_ascii_hexdigit())
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// A row is complete with five words or more (a name may hold blanks) whose destination ends in
/// the file name of the source.
fn complete(row: &str) -> bool {
    let w: Vec<&str> = row.split_whitespace().collect();
    let n = w.len();
    (5..=MAX_NAME_WORDS + 4).contains(&n)
        && file_name(w[n - 2]) == file_name(w[n - 1])
        && !file_name(w[n - 1]).is_empty()
}

/// Whether `line` may be the rest of a wrapped row: one or two words, no prompt characters.
fn continues(row: &str, line: &str) -> bool {
    let words = line.split_whitespace().count();
    !line.is_empty()
        && !line.starts_with(char::is_whitespace)
        && !line.contains(['@', '#', '$', '='])
        && !starts_row(line)
        && row.split_whitespace().count() + words <= 6
        && row.len() + line.len() < MAX_ROW
}

/// Join a continuation to a row: without a space (a wrap inside a word), unless the row ends
/// with a finished path and the continuation starts a new one.
fn join(row: &mut String, line: &str) {
    let last = row.split_whitespace().last().unwrap_or("");
    if row.split_whitespace().count() < 5 && line.starts_with('/') && file_name(last).contains('.') {
        row.push(' ');
    }
    row.push_str(line);
}

/// The `<unix time>` of a `/var/tmp/certs/<unix time>/FAILED_PUSH` path in `text`.
pub fn generated_from(text: &str) -> Option<Timestamp> {
    let mut rest = text;
    while let Some(at) = rest.find("certs/") {
        rest = &rest[at + 6..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if (9..=12).contains(&digits) && rest[digits..].starts_with("/FAILED_PUSH") {
            return Timestamp::from_second(rest[..digits].parse().ok()?).ok();
        }
    }
    None
}

/// Whether the head holds FAILED_PUSH rows (and no log lines, whose readers are asked first).
pub fn sniff(head: &Head<'_>) -> bool {
    head.line_counts().push > 0
}

/// Parse a FAILED_PUSH list (or a console transcript holding one), line by line as it is read;
/// its rows go to `sink` as one fact.
pub fn parse(src: &mut Source<'_>, _: &IngestContext, sink: &mut dyn Sink) -> ReadStatus {
    let mut rows = Rows::default();
    let mut generated = generated_from(&src.path);
    // A line longer than a row can be is read up to there: it says no more to a FAILED_PUSH.
    let read = each_line(&mut src.data, 2 * MAX_ROW, |n, bytes, _| {
        let line = String::from_utf8_lossy(bytes);
        generated = generated.or_else(|| generated_from(&line));
        rows.line(n, &line);
    });
    let (rows, first_line, mut problems) = rows.finish();
    if let Err(e) = read {
        problems.push(format!("reading stopped: {e}"));
    }
    let (status, message) = match (rows.is_empty(), problems.is_empty()) {
        (true, true) => (Status::Partial, Some("no complete FAILED_PUSH row found".to_string())),
        (true, false) => (Status::Partial, Some(format!("no complete FAILED_PUSH row found; {}", problems.join("; ")))),
        (false, true) => (Status::Ok, None),
        (false, false) => (Status::Partial, Some(problems.join("; "))),
    };
    if !rows.is_empty() {
        let mut evidence = Evidence::file(&src.path);
        evidence.line = Some(first_line);
        sink.fact(Fact::FailedPush { evidence, generated, rows });
    }
    ReadStatus::new(status, message)
}

/// The rows of `text`, the line of the first one, and what could not be read (with lines).
pub fn parse_rows(text: &str) -> (Vec<PushRow>, u64, Vec<String>) {
    let mut rows = Rows::default();
    for (i, line) in text.lines().enumerate() {
        rows.line(i as u64 + 1, line);
    }
    rows.finish()
}

/// The rows of a list as its lines come.
#[derive(Default)]
struct Rows {
    rows: Vec<PushRow>,
    console: Vec<PushRow>,
    problems: Vec<String>,
    /// A row that may go on in the next line, with the line it starts on.
    pending: Option<(u64, String)>,
    first: u64,
    full: bool,
}

impl Rows {
    /// Line `n` (or its first bytes, for a line far longer than a row).
    fn line(&mut self, n: u64, raw: &str) {
        if self.full {
            return;
        }
        let line = raw.trim_end();
        if self.rows.len() >= MAX_ROWS {
            self.problems.push(format!("stopped after {MAX_ROWS} rows"));
            self.pending = None;
            self.full = true;
            return;
        }
        if let Some((_, row)) = self.pending.as_mut() {
            if !complete(row) && continues(row, line) {
                join(row, line);
                return;
            }
        }
        if let Some((at, row)) = self.pending.take() {
            finish(at, &row, &mut self.rows, &mut self.problems, &mut self.first);
        }
        if starts_row(line) && line.len() >= MAX_ROW {
            self.problems.push(format!("line {n}: row longer than {MAX_ROW} bytes, not read"));
        } else if starts_row(line) {
            self.pending = Some((n, line.to_string()));
        } else if let (Some((name, path)), true) = (console_row(line), self.console.len() < MAX_ROWS) {
            if self.first == 0 {
                self.first = n;
            }
            self.console.push(PushRow {
                device_uuid: String::new(),
                device_name: name.to_string(),
                device_ip: String::new(),
                source: String::new(),
                destination: path.to_string(),
                line: Some(n),
            });
        }
    }

    /// The rows, the line of the first one, and what could not be read.
    fn finish(mut self) -> (Vec<PushRow>, u64, Vec<String>) {
        if let Some((at, row)) = self.pending.take() {
            finish(at, &row, &mut self.rows, &mut self.problems, &mut self.first);
        }
        let (mut rows, mut problems) = (self.rows, self.problems);
        // Console lines only add what the list itself does not say.
        let mut known: std::collections::HashSet<(String, String)> =
            rows.iter().map(|r| (r.device_name.clone(), r.destination.clone())).collect();
        for c in self.console {
            if known.insert((c.device_name.clone(), c.destination.clone())) {
                rows.push(c);
            }
        }
        if problems.len() > MAX_PROBLEMS {
            let more = problems.len() - MAX_PROBLEMS;
            problems.truncate(MAX_PROBLEMS);
            problems.push(format!("and {more} more"));
        }
        (rows, self.first, problems)
    }
}

/// The text of a row between its first word and the word at `upto` (both words of `row`, as
/// `split_whitespace` gave them): a name with blanks or other whitespace in it, as written.
fn between<'a>(row: &'a str, first: &str, upto: &str) -> &'a str {
    let offset = |w: &str| w.as_ptr() as usize - row.as_ptr() as usize;
    row[offset(first) + first.len()..offset(upto)].trim()
}

fn finish(at: u64, row: &str, rows: &mut Vec<PushRow>, problems: &mut Vec<String>, first: &mut u64) {
    let w: Vec<&str> = row.split_whitespace().collect();
    match w[..] {
        // Values are kept as written (a name of several words too): the rules check their shapes
        // and refuse the row, so the refusal is reported instead of the row vanishing.
        [uuid, _, .., ip, source, destination]
            if source.starts_with('/') && destination.starts_with('/') && w.len() <= MAX_NAME_WORDS + 4 =>
        {
            let name = between(row, uuid, ip);
            if *first == 0 {
                *first = at;
            }
            rows.push(PushRow {
                device_uuid: uuid.to_string(),
                device_name: name.to_string(),
                device_ip: ip.to_string(),
                source: source.to_string(),
                destination: destination.to_string(),
                line: Some(at),
            });
        }
        _ => problems.push(format!("line {at}: incomplete row ({} fields, 5 expected)", w.len())),
    }
}

#[cfg(test)]
#[path = "failed_push_tests.rs"]
mod tests;
