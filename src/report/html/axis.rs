//! The time axis of the HTML timeline: the times are grouped into a few stretches (a quiet
//! stretch of months between two bursts is cut out, the cut drawn), and each stretch gets
//! ticks in the unit its span calls for (hours, days, weeks, months or years), as many as fit
//! with their labels side by side. Labels are placed left to right and one that would touch
//! the previous is left out, so no two overlap.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

/// Stretches drawn at most: the closest ones are merged until there are no more.
pub const MAX_STRETCHES: usize = 4;
/// Two times closer than this are always in one stretch.
const MIN_GAP_SECS: i64 = 6 * 3_600;
/// Width of one character of an axis label, in SVG units (11 px digits are about 6.2).
pub const CHAR_W: f64 = 7.0;
/// Room kept between two labels.
const LABEL_GAP: f64 = 10.0;

/// `(first, last)` of each group of `times`: groups closer than [`MIN_GAP_SECS`] are one, and
/// the closest are merged until at most [`MAX_STRETCHES`] are left.
pub fn stretches(times: &mut Vec<Timestamp>) -> Vec<(Timestamp, Timestamp)> {
    times.sort_unstable();
    times.dedup();
    let mut out: Vec<(Timestamp, Timestamp)> = Vec::new();
    for &t in times.iter() {
        match out.last_mut() {
            Some((_, last)) if t.as_second() - last.as_second() <= MIN_GAP_SECS => *last = t,
            _ => out.push((t, t)),
        }
    }
    while out.len() > MAX_STRETCHES {
        let i = (1..out.len()).min_by_key(|&i| out[i].0.as_second() - out[i - 1].1.as_second()).unwrap_or(1);
        out[i - 1].1 = out[i].1;
        out.remove(i);
    }
    out
}

/// A tick unit and how many of it between two ticks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Hours(i64),
    Days(i64),
    Weeks(i64),
    Months(i64),
    Years(i64),
}

impl Unit {
    fn approx_secs(self) -> i64 {
        match self {
            Unit::Hours(n) => n * 3_600,
            Unit::Days(n) => n * 86_400,
            Unit::Weeks(n) => n * 7 * 86_400,
            Unit::Months(n) => n * 2_629_746,
            Unit::Years(n) => n * 31_556_952,
        }
    }

    /// The label of a tick at `t`.
    /// The label of a tick at `t`: the day at midnight, the year in January.
    pub fn label(self, t: Timestamp) -> String {
        let z = t.to_zoned(TimeZone::UTC);
        let f = match self {
            Unit::Hours(_) if z.hour() != 0 => "%H:%M",
            Unit::Hours(_) | Unit::Days(_) | Unit::Weeks(_) if z.month() != 1 || z.day() != 1 => "%b %d",
            Unit::Months(_) if z.month() != 1 => "%b",
            _ => "%Y",
        };
        t.strftime(f).to_string()
    }

    /// The first tick at or after `t`.
    fn first(self, t: Timestamp) -> Option<DateTime> {
        let dt = t.to_zoned(TimeZone::UTC).datetime();
        let d = dt.date();
        let start = match self {
            Unit::Hours(n) => d.at(((i64::from(dt.hour()) / n) * n) as i8, 0, 0, 0),
            Unit::Days(_) => d.at(0, 0, 0, 0),
            Unit::Weeks(_) => {
                d.checked_sub((i64::from(d.weekday().to_monday_zero_offset())).days()).ok()?.at(0, 0, 0, 0)
            }
            Unit::Months(n) => {
                Date::new(d.year(), (((i64::from(d.month()) - 1) / n) * n + 1) as i8, 1).ok()?.at(0, 0, 0, 0)
            }
            Unit::Years(n) => Date::new(((i64::from(d.year()) / n) * n) as i16, 1, 1).ok()?.at(0, 0, 0, 0),
        };
        let mut s = start;
        while s < dt {
            s = self.next(s)?;
        }
        Some(s)
    }

    fn next(self, dt: DateTime) -> Option<DateTime> {
        let span = match self {
            Unit::Hours(n) => n.hours(),
            Unit::Days(n) => n.days(),
            Unit::Weeks(n) => n.weeks(),
            Unit::Months(n) => n.months(),
            Unit::Years(n) => n.years(),
        };
        dt.checked_add(span).ok()
    }
}

const UNITS: [Unit; 17] = [
    Unit::Hours(1),
    Unit::Hours(3),
    Unit::Hours(6),
    Unit::Hours(12),
    Unit::Days(1),
    Unit::Days(2),
    Unit::Weeks(1),
    Unit::Weeks(2),
    Unit::Months(1),
    Unit::Months(2),
    Unit::Months(3),
    Unit::Months(6),
    Unit::Years(1),
    Unit::Years(2),
    Unit::Years(5),
    Unit::Years(10),
    Unit::Years(50),
];

/// The ticks of a stretch from `a` to `b` drawn `width` units wide: the finest unit whose
/// labels fit side by side, and the times of its ticks within the stretch.
pub fn ticks(a: Timestamp, b: Timestamp, width: f64) -> (Unit, Vec<Timestamp>) {
    let span = (b.as_second() - a.as_second()).max(1) as f64;
    let unit = UNITS
        .into_iter()
        .find(|u| {
            let room = width * u.approx_secs() as f64 / span;
            room >= CHAR_W * u.label(a).chars().count() as f64 + LABEL_GAP
        })
        .unwrap_or(Unit::Years(100));
    let mut out = Vec::new();
    let mut at = unit.first(a);
    while let Some(dt) = at {
        let Ok(t) = dt.to_zoned(TimeZone::UTC).map(|z| z.timestamp()) else { break };
        if t > b || out.len() > 40 {
            break;
        }
        out.push(t);
        at = unit.next(dt);
    }
    (unit, out)
}

/// Keep the labels `(x, text)` (sorted by x, centred on x) that do not touch the one kept
/// before them, nor run out of `[lo, hi]`.
pub fn without_overlap(labels: Vec<(f64, String)>, lo: f64, hi: f64) -> Vec<(f64, String)> {
    let mut kept: Vec<(f64, String)> = Vec::new();
    let mut right = lo;
    for (x, text) in labels {
        let half = CHAR_W * text.chars().count() as f64 / 2.0;
        if x - half >= right && x + half <= hi {
            right = x + half + LABEL_GAP;
            kept.push((x, text));
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().expect("time")
    }

    #[test]
    fn the_unit_follows_the_span() {
        let (u, ts) = ticks(t("2026-03-07T10:00:00Z"), t("2026-03-07T20:00:00Z"), 300.0);
        assert_eq!(u, Unit::Hours(3));
        assert_eq!(ts.first(), Some(&t("2026-03-07T12:00:00Z")));
        let (u, ts) = ticks(t("2026-03-01T00:00:00Z"), t("2026-11-20T00:00:00Z"), 300.0);
        assert_eq!(u, Unit::Months(1));
        let labels: Vec<String> = ts.iter().map(|x| u.label(*x)).collect();
        assert_eq!(labels, ["Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov"]);
        let (u, ts) = ticks(t("2026-11-01T00:00:00Z"), t("2026-12-10T00:00:00Z"), 300.0);
        assert_eq!(u, Unit::Weeks(1));
        assert_eq!(u.label(ts[0]), "Nov 02");
        let (u, ts) = ticks(t("2026-09-01T00:00:00Z"), t("2027-02-20T00:00:00Z"), 200.0);
        assert_eq!((u, u.label(ts[4])), (Unit::Months(1), "2027".to_string()));
        let (u, _) = ticks(t("2014-05-06T00:00:00Z"), t("2036-05-26T00:00:00Z"), 300.0);
        assert_eq!(u, Unit::Years(5));
        let (u, ts) = ticks(t("2026-03-02T00:00:00Z"), t("2026-03-30T00:00:00Z"), 300.0);
        assert_eq!(u, Unit::Weeks(1));
        assert_eq!(ts[0], t("2026-03-02T00:00:00Z"), "a Monday");
    }

    #[test]
    fn quiet_stretches_are_cut_and_few() {
        let mut times: Vec<Timestamp> =
            ["2015-06-11T09:15:00Z", "2015-06-11T10:00:00Z", "2020-01-01T00:00:00Z", "2025-06-12T09:30:00Z"]
                .into_iter()
                .chain(["2026-03-07T00:00:00Z", "2026-03-14T00:00:00Z", "2026-11-20T00:00:00Z"])
                .map(t)
                .collect();
        let s = stretches(&mut times);
        assert_eq!(s.len(), MAX_STRETCHES, "{s:?}");
        assert_eq!(s[0], (t("2015-06-11T09:15:00Z"), t("2015-06-11T10:00:00Z")));
        assert_eq!(s[3], (t("2026-03-07T00:00:00Z"), t("2026-11-20T00:00:00Z")));
    }

    #[test]
    fn labels_that_would_touch_are_left_out() {
        let kept = without_overlap(
            vec![(10.0, "2026".into()), (50.0, "2027".into()), (60.0, "2028".into()), (200.0, "2029".into())],
            0.0,
            300.0,
        );
        let xs: Vec<f64> = kept.iter().map(|k| k.0).collect();
        assert_eq!(xs, [50.0, 200.0], "the first runs out of the left end, the third touches the second");
    }
}
