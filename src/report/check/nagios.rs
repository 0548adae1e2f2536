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

/// A plugin status, worst last.
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

    /// How bad it is: UNKNOWN ranks between WARNING and CRITICAL only for the whole result,
    /// which is UNKNOWN just when nothing could be judged.
    fn rank(self) -> u8 {
        match self {
            Code::Ok => 0,
            Code::Warning => 1,
            Code::Critical => 2,
            Code::Unknown => 0,
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

/// `check --nagios`: the plugin's lines (its exit code is the command line's, from [`of`]).
pub struct Nagios<'a>(pub &'a CheckView<'a>);

impl Exporter for Nagios<'_> {
    fn write(&self, out: &mut dyn io::Write) -> io::Result<()> {
        out.write_all(of(self.0.check).text.as_bytes())
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
    let worst = known
        .iter()
        .max_by_key(|j| (j.0.rank(), -j.2.internal_ca.as_ref().and_then(|c| c.days_left).unwrap_or(0)))
        .copied();
    let (code, words, system) = worst.expect("at least one known system");
    let days = |s: &System| s.internal_ca.as_ref().and_then(|c| c.days_left).unwrap_or(0);
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
}
