//! The monitoring-plugin line of `check --nagios` (Nagios, Icinga, Zabbix, a cron job): one
//! line `TLSTRIAGE <STATUS> - <what> | days_left=<n>;90;30`, a line per system after it, and
//! the exit code of the status.
//!
//! - CRITICAL (2): an InternalCA has ended or ends within 30 days.
//! - WARNING (1): one ends within 90 days, or a renewed InternalCA still has to reach devices
//!   (state `renewed-push-pending`).
//! - UNKNOWN (3): nothing could be read, or no InternalCA's end is known.
//! - OK (0): otherwise.
//!
//! The thresholds of the performance data are the days at or below which the status changes
//! (as certificate plugins write them). Text from the inputs is escaped for a terminal and a
//! `|` in it (which would start the performance data) is written `¦`.

use std::io;

use super::CheckView;
use crate::appliance::Check;
use crate::report::Exporter;
use crate::systems::{State, System};

/// Days left at or below which the status is WARNING.
pub const WARNING_DAYS: i64 = 90;
/// Days left at or below which the status is CRITICAL.
pub const CRITICAL_DAYS: i64 = 30;

/// A plugin status, declared (and so ordered) as its exit code. UNKNOWN is last, yet it is not
/// the worst: the result is the worst status among the systems whose InternalCA's end is known,
/// and UNKNOWN only when no system's is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Code {
    Ok = 0,
    Warning = 1,
    Critical = 2,
    Unknown = 3,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Ok => "OK",
            Code::Warning => "WARNING",
            Code::Critical => "CRITICAL",
            Code::Unknown => "UNKNOWN",
        }
    }
}

/// The plugin's output and exit code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plugin {
    pub code: Code,
    /// The first line, the long output lines after it; ends with a line break.
    pub text: String,
}

/// Text from the inputs for the plugin line.
fn clean(s: &str) -> String {
    crate::util::printable(s).replace('|', "¦")
}

/// The status of one system and its words.
fn judge(s: &System) -> (Code, String) {
    let Some(ca) = s.internal_ca.as_ref() else {
        return (Code::Unknown, format!("{}: no InternalCA read", clean(&s.id)));
    };
    let Some(days) = ca.days_left else {
        return (Code::Unknown, format!("{}: the InternalCA's end is not known (only a log names it)", clean(&s.id)));
    };
    let end = ca.not_after.map(|t| t.strftime("%Y-%m-%d").to_string()).unwrap_or_default();
    let expired = s.state == State::Expired || days < 0;
    let words = if expired {
        format!("InternalCA ended {end} ({} days ago)", (-days).max(0))
    } else {
        format!("InternalCA ends {end} ({days} days left)")
    };
    let code = if expired || days <= CRITICAL_DAYS {
        Code::Critical
    } else if days <= WARNING_DAYS || s.state == State::RenewedPushPending {
        Code::Warning
    } else {
        Code::Ok
    };
    let pending = s.devices.iter().filter(|d| d.needs_push).count();
    let more = match (s.state, pending) {
        (State::RenewedPushPending, 1) => "; 1 device still lacks the new files".to_string(),
        (State::RenewedPushPending, n) => format!("; {n} devices still lack the new files"),
        _ => String::new(),
    };
    (code, format!("{}: {words}{more}", clean(&s.id)))
}

/// A perfdata label from a system id: letters, digits, `.`, `_`, `-` (others become `_`).
fn perf_label(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' }).collect()
}

/// `check --nagios`: the plugin's lines (its exit code is the command line's, from the same
/// [`CheckView::plugin`]).
pub struct Nagios<'a>(pub &'a CheckView<'a>);

impl Exporter for Nagios<'_> {
    fn write(&self, out: &mut dyn io::Write) -> io::Result<()> {
        out.write_all(self.0.plugin().text.as_bytes())
    }
}

/// The plugin result of `c`.
pub fn of(c: &Check) -> Plugin {
    let root = c.discovery.root.display().to_string();
    plugin(c.systems(), c.nothing_read(), &root, &missing(c))
}

/// Why the tree could not be told apart, and each place that gave nothing (after the UNKNOWN
/// line).
fn missing(c: &Check) -> Vec<String> {
    let mut lines = c.discovery.why.clone();
    lines.extend(c.missing().map(|l| l.absence()));
    lines
}

/// The plugin result of a check. When nothing can be judged, `root` names the tree in the line
/// and `missing` (the places that gave nothing) follow it.
fn plugin(systems: &[System], nothing_read: bool, root: &str, missing: &[String]) -> Plugin {
    let judged: Vec<(Code, String, &System)> = systems
        .iter()
        .map(|s| {
            let (c, w) = judge(s);
            (c, w, s)
        })
        .collect();
    let known: Vec<&(Code, String, &System)> = judged.iter().filter(|j| j.0 != Code::Unknown).collect();
    if nothing_read || known.is_empty() {
        let why = if nothing_read { "nothing could be read" } else { "no InternalCA's end is known" };
        let mut text = format!("TLSTRIAGE UNKNOWN - {why} under {}\n", clean(root));
        for (_, words, _) in &judged {
            text.push_str(&format!("{words}\n"));
        }
        for m in missing {
            text.push_str(&format!("{}\n", clean(m)));
        }
        return Plugin { code: Code::Unknown, text };
    }
    let days = |s: &System| s.internal_ca.as_ref().and_then(|c| c.days_left).unwrap_or(0);
    // Among known statuses (none UNKNOWN) the derived order is the severity; of equals, the
    // system with the fewest days left speaks.
    let worst = known.iter().max_by_key(|j| (j.0, -days(j.2))).copied();
    let (code, words, system) = worst.expect("at least one known system");
    let mut perf = format!("days_left={};{WARNING_DAYS};{CRITICAL_DAYS}", days(system));
    if known.len() > 1 {
        for (_, _, s) in &known {
            perf.push_str(&format!(" days_left_{}={};{WARNING_DAYS};{CRITICAL_DAYS}", perf_label(&s.id), days(s)));
        }
    }
    let others = judged.len() - 1;
    let more = match others {
        0 => String::new(),
        1 => "; 1 more system below".to_string(),
        n => format!("; {n} more systems below"),
    };
    let mut text = format!("TLSTRIAGE {} - {words}{more} | {perf}\n", code.as_str());
    if others > 0 {
        for (_, w, _) in &judged {
            text.push_str(&format!("{w}\n"));
        }
    }
    Plugin { code: *code, text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfdata_labels_and_text_cannot_be_forged_from_inputs() {
        assert_eq!(perf_label("fmc-hq-01"), "fmc-hq-01");
        assert_eq!(perf_label("a'b=c d|e"), "a_b_c_d_e");
        assert_eq!(clean("ftd|x=1\nOK"), "ftd¦x=1\\x0aOK");
    }

    /// A system of `state` whose InternalCA has `days` left (`None`: only a log names it).
    fn system(id: &str, state: State, days: Option<i64>) -> System {
        let (_, mut s) = crate::systems::examples::all().swap_remove(0);
        s.id = id.to_string();
        s.state = state;
        s.internal_ca.as_mut().expect("an InternalCA").days_left = days;
        s
    }

    #[test]
    fn the_worst_known_status_speaks_and_unknown_only_when_nothing_is_known() {
        let ok = system("a", State::Healthy, Some(400));
        let warn = system("b", State::Expiring, Some(80));
        let crit = system("c", State::Expiring, Some(20));
        let unknown = system("d", State::Unknown, None);
        let code = |systems: &[System]| plugin(systems, false, "/", &[]).code;
        assert_eq!(code(&[ok.clone(), warn.clone()]), Code::Warning);
        assert_eq!(code(&[crit.clone(), warn.clone(), ok.clone()]), Code::Critical);
        assert_eq!(code(&[unknown.clone(), ok.clone()]), Code::Ok, "a system not judged does not hide the others");
        assert_eq!(code(std::slice::from_ref(&unknown)), Code::Unknown);
        assert_eq!(plugin(std::slice::from_ref(&ok), true, "/", &[]).code, Code::Unknown, "nothing read");
        let two_warnings = plugin(&[system("e", State::Expiring, Some(85)), warn], false, "/", &[]);
        assert!(two_warnings.text.starts_with("TLSTRIAGE WARNING - b: "), "fewest days speak: {}", two_warnings.text);
        assert!(two_warnings.text.contains("| days_left=80;90;30 "), "{}", two_warnings.text);
    }
}
