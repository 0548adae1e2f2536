//! From the common options to the analysis settings: `--now` parsed strictly, and the analysis
//! run shared by the subcommands that read inputs into one report.

use std::io::IsTerminal;

use super::args::CommonArgs;
use super::error::Error;
use crate::analyze::{analyze, Options, Report};

/// Parse `--now`: a date `YYYY-MM-DD` (midnight UTC) or an RFC 3339 time with its offset
/// (`2026-11-23T08:00:00Z`, `2026-11-23T09:00:00+01:00`). Nothing else is guessed at.
pub fn parse_now(s: &str) -> Result<jiff::Timestamp, String> {
    let wrong = || {
        format!("--now '{}': give a date YYYY-MM-DD or an RFC 3339 time such as 2026-11-23T08:00:00Z", s.escape_debug())
    };
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let date_shape = b.len() >= 10 && digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10);
    if !date_shape {
        return Err(wrong());
    }
    // A date of the right shape that is no day says which part is wrong.
    let number = |r: std::ops::Range<usize>| s[r].parse::<i16>().unwrap_or(0);
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    if !(1..=12).contains(&month) {
        return Err(format!("--now '{}': month {month} is invalid (1 to 12)", s.escape_debug()));
    }
    let days = jiff::civil::Date::new(year, month as i8, 1).map(|d| d.days_in_month()).unwrap_or(31);
    if day < 1 || day > i16::from(days) {
        return Err(format!(
            "--now '{}': day {day} is invalid for {year:04}-{month:02} (it has {days} days)",
            s.escape_debug()
        ));
    }
    if b.len() == 10 {
        let d: jiff::civil::Date = s.parse().map_err(|_| wrong())?;
        return d.to_zoned(jiff::tz::TimeZone::UTC).map(|z| z.timestamp()).map_err(|_| wrong());
    }
    // RFC 3339: `T` (or a space) between date and time, seconds, and an offset (`Z` or ±hh:mm).
    let sep_ok = matches!(b[10], b'T' | b't' | b' ');
    let time_ok = b.len() >= 19 && digits(11..13) && b[13] == b':' && digits(14..16) && b[16] == b':' && digits(17..19);
    let tail = &s[19.min(s.len())..];
    let tail = tail.strip_prefix('.').map_or(tail, |t| t.trim_start_matches(|c: char| c.is_ascii_digit()));
    let offset_ok = matches!(tail, "Z" | "z")
        || (tail.len() == 6
            && matches!(tail.as_bytes()[0], b'+' | b'-')
            && tail.as_bytes()[3] == b':'
            && tail.bytes().enumerate().all(|(i, c)| i == 0 || i == 3 || c.is_ascii_digit()));
    if !(sep_ok && time_ok && offset_ok) {
        return Err(wrong());
    }
    s.parse::<jiff::Timestamp>().map_err(|_| wrong())
}

/// The analysis settings of the common options (`--now` parsed).
pub fn options(c: &CommonArgs) -> Result<Options, String> {
    let mut o = Options::new(c.paths.clone());
    o.year = c.year;
    o.ca_files = c.ca.clone();
    o.threads = c.threads;
    o.progress = !c.quiet && std::io::stderr().is_terminal();
    if c.mmap {
        o.mmap = crate::input::file::MmapChoice::WhereSafe;
    }
    if let Some(n) = &c.now {
        o.now = parse_now(n)?;
    }
    if c.paths.iter().any(|p| crate::input::is_stdin(p)) {
        // A paste, a pipe or a redirected file, streamed like a file (bounded memory).
        o.stdin = Some(crate::analyze::StdinInput::Process);
    }
    Ok(o)
}

/// Analyse the inputs of `c`. A bad option or an unusable `--ca` file is an error; a run in
/// which no input could be read says why on stderr and still gives its (empty) report, which
/// the caller renders before exiting with 2.
pub fn run_analysis(c: &CommonArgs) -> Result<Report, Error> {
    let report = analyze(&options(c)?);
    if !report.ca_errors.is_empty() {
        let lines = report.ca_errors.iter().map(|e| format!("--ca {}", crate::report::unread::printable(e)));
        return Err(Error::Messages(lines.collect()));
    }
    if report.nothing_readable() {
        // A notice, not the error: the report of the run is still written after it.
        super::error::notice(&nothing_read(&report, &c.paths));
    } else {
        // An input that could not be opened or read beside others that were: said on stderr
        // too, not only in the report.
        for i in report.inputs.iter().filter(|i| i.status == crate::model::Status::Error) {
            super::error::notice(&crate::report::unread::unread_line(i));
        }
    }
    Ok(report)
}

/// Why nothing was read: each input's reason, or for paths that hold no file, each such folder
/// named as empty.
pub fn nothing_read(report: &Report, paths: &[std::path::PathBuf]) -> String {
    if !report.inputs.is_empty() {
        return crate::report::unread::nothing_read_message(report);
    }
    let mut out = String::new();
    for p in paths {
        let what = if p.is_dir() { "the folder is empty (no file in it or below it)" } else { "holds no file" };
        out.push_str(&format!("tlstriage: {}: {what}\n", crate::util::printable(&p.display().to_string())));
    }
    if out.is_empty() {
        out = crate::report::unread::nothing_read_message(report);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::parse_now;

    #[test]
    fn now_takes_a_date_or_an_rfc3339_time_and_nothing_else() {
        assert_eq!(parse_now("2026-11-23").expect("date").to_string(), "2026-11-23T00:00:00Z");
        assert_eq!(parse_now("2026-11-23T09:00:00+01:00").expect("offset").to_string(), "2026-11-23T08:00:00Z");
        assert_eq!(parse_now("2026-11-23 08:00:00.5Z").expect("space").to_string(), "2026-11-23T08:00:00.5Z");
        assert_eq!(parse_now("2026-13-45").expect_err("month"), "--now '2026-13-45': month 13 is invalid (1 to 12)");
        assert_eq!(
            parse_now("2026-02-30").expect_err("day"),
            "--now '2026-02-30': day 30 is invalid for 2026-02 (it has 28 days)"
        );
        for bad in ["yesterday", "2026-11-23T08:00", "2026-11-23T08:00:00", "2026-13-01", "2026-11-23T08:00:00+1"] {
            let e = parse_now(bad).expect_err(bad);
            assert!(e.starts_with(&format!("--now '{bad}'")), "{e}");
        }
    }
}
