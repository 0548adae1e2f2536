//! The years of syslog time stamps, which carry none, and their UTC times.
//!
//! Times are taken as UTC (devices of this family log in UTC by default); the year comes from,
//! in this order:
//! - `--year` (`ctx.year`): the year of the first line, counted up when the month falls back by
//!   six or more (a December → January rollover);
//! - the file's modification time: a line dated more than a day after it belongs to the year
//!   before (which also places both halves of a rollover inside one file);
//! - otherwise "now" (`ctx.now`) with the same rule as the modification time.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// Assigns years to month/day pairs (see the module header).
#[derive(Debug)]
pub(crate) enum YearRule {
    Fixed { year: i16, last_month: Option<i8> },
    Before(Date),
}

impl YearRule {
    pub(crate) fn new(ctx_year: Option<i16>, mtime: Option<Timestamp>, now: Timestamp) -> YearRule {
        match (ctx_year, mtime) {
            (Some(year), _) => YearRule::Fixed { year, last_month: None },
            (None, Some(t)) => YearRule::Before(t.to_zoned(TimeZone::UTC).date()),
            (None, None) => YearRule::Before(now.to_zoned(TimeZone::UTC).date()),
        }
    }

    pub(crate) fn year(&mut self, month: i8, day: i8) -> i16 {
        match self {
            YearRule::Fixed { year, last_month } => {
                if let Some(prev) = *last_month {
                    if month + 6 <= prev {
                        *year = year.saturating_add(1);
                    }
                }
                *last_month = Some(month);
                *year
            }
            YearRule::Before(anchor) => {
                let y = anchor.year();
                let limit = anchor.tomorrow().unwrap_or(*anchor);
                match Date::new(y, month, day) {
                    Ok(d) if d <= limit => y,
                    _ => y.saturating_sub(1),
                }
            }
        }
    }

    /// The UTC time of a syslog stamp (month, day, hour, minute, second), `None` when the date
    /// does not exist in the year this rule gives it.
    pub(crate) fn time(&mut self, (month, day, hour, minute, second): (i8, i8, i8, i8, i8)) -> Option<Timestamp> {
        let y = self.year(month, day);
        utc((y, month, day, hour, minute, second))
    }
}

/// Year, month, day, hour, minute, second.
pub(crate) type Civil = (i16, i8, i8, i8, i8, i8);

/// The UTC time of a civil time (a leap second counts as :59).
pub(crate) fn utc((y, mo, d, h, mi, s): Civil) -> Option<Timestamp> {
    let dt = DateTime::new(y, mo, d, h, mi, s.min(59), 0).ok()?;
    dt.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;
    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    #[test]
    fn fixed_year_rolls_over_once() {
        let mut r = YearRule::new(Some(2023), None, ts("2030-01-01T00:00:00Z"));
        assert_eq!(r.year(12, 31), 2023);
        assert_eq!(r.year(11, 30), 2023);
        assert_eq!(r.year(12, 31), 2023);
        assert_eq!(r.year(1, 1), 2024);
        assert_eq!(r.year(1, 2), 2024);
    }

    #[test]
    fn mtime_places_lines_in_the_year_before() {
        let mut r = YearRule::new(None, Some(ts("2024-01-05T10:00:00Z")), ts("2030-01-01T00:00:00Z"));
        assert_eq!(r.year(12, 30), 2023);
        assert_eq!(r.year(1, 2), 2024);
        assert_eq!(r.year(1, 6), 2024);
        assert_eq!(r.year(1, 7), 2023);
        let mut r = YearRule::new(None, None, ts("2025-03-01T00:00:00Z"));
        assert_eq!(r.year(2, 28), 2025);
        assert_eq!(r.year(9, 20), 2024);
    }

    #[test]
    fn times_are_utc_and_bad_dates_give_none() {
        let mut r = YearRule::new(Some(2023), None, ts("2030-01-01T00:00:00Z"));
        assert_eq!(r.time((2, 29, 1, 2, 3)), None);
        assert_eq!(r.time((3, 1, 1, 2, 3)), Some(ts("2023-03-01T01:02:03Z")));
    }
}
