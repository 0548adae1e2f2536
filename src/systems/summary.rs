//! The case summary: one line per system saying its state and the first thing to do, e.g.
//! "fmc-hq-01 (7.4.1): InternalCA renewed 2026-03-14 09:20; 2 devices still hold the old one →
//! push them: `tlstriage plan …`". Kept apart so every view (wide table, narrow terminal, HTML)
//! words it the same way.

use super::{State, Step, StepId, System, Tunnel};
use crate::diagnose::StepText;

fn day(t: Option<jiff::Timestamp>) -> Option<String> {
    t.map(|t| t.strftime("%Y-%m-%d").to_string())
}

fn minute(t: Option<jiff::Timestamp>) -> Option<String> {
    t.map(|t| t.strftime("%Y-%m-%d %H:%M").to_string())
}

fn devices(n: usize) -> String {
    if n == 1 {
        "1 device".to_string()
    } else {
        format!("{n} devices")
    }
}

/// Short words for the first step of a system.
fn action(step: &Step) -> StepText {
    let verb = match step.id {
        StepId::BackupFmc => "back up the FMC, then renew the InternalCA",
        StepId::InstallHotfix => "install the hotfix",
        StepId::UpgradeFmc => "upgrade the FMC",
        StepId::ContactTac => "check the release for the fix, else ask TAC",
        StepId::CheckTunnels => "check the tunnels",
        StepId::RunGenerateCerts => "run generate_certs.pl",
        StepId::PushWithCopyScript => "push them",
        StepId::CopyByHand => "copy the files by hand",
        StepId::RestartSftunnel => "restart sftunnel on the devices",
        StepId::VerifyTunnels => "verify the tunnels",
        StepId::RegenerateOnSecondary => "regenerate on the secondary FMC",
        StepId::SwitchHaActive => "consider switching the active FMC",
    };
    let mut out = StepText::ours(verb);
    if let Some(c) = &step.command {
        out.push_ours(": ").push_command(c.clone());
    }
    out
}

/// What the state says, without the step.
fn state_words(s: &System) -> String {
    let ca = s.internal_ca.as_ref();
    let until = ca.and_then(|c| day(c.not_after));
    let down = s.devices.iter().filter(|d| d.tunnel == Tunnel::Down).count();
    let pending = s.devices.iter().filter(|d| d.needs_push).count();
    match s.state {
        State::Healthy => match (until, ca.and_then(|c| c.days_left)) {
            (Some(u), Some(d)) => format!("InternalCA valid until {u} ({d} days left)"),
            _ => "InternalCA valid".to_string(),
        },
        State::Expiring => match (until, ca.and_then(|c| c.days_left)) {
            (Some(u), Some(d)) => format!("InternalCA expires {u} ({d} days left)"),
            _ => "InternalCA expires within 90 days".to_string(),
        },
        State::Expired => {
            let mut when = until.map(|u| format!(" {u}")).unwrap_or_default();
            if ca.is_some_and(|c| c.reported) {
                when.push_str(" (reported by the devices; the CA file was not in the inputs)");
            }
            // Status outputs that disagree on a tunnel leave it unknown: said, not counted as up.
            let disputed = s.conflicts.iter().filter(|c| matches!(c.on, super::ConflictOn::Tunnel { .. })).count();
            let tunnels = match (s.devices.len(), down) {
                (0, _) => String::new(),
                (n, 0) if disputed > 0 => {
                    format!("; the status outputs disagree on the tunnel of {disputed} of {}", devices(n))
                }
                (n, 0) => format!("; no tunnel of {} known to be down", devices(n)),
                (1, 1) => "; its only known device is disconnected".to_string(),
                (n, d) if d == n => format!("; all {} disconnected", devices(n)),
                (n, d) => format!("; {d} of {} disconnected", devices(n)),
            };
            format!("InternalCA expired{when}{tunnels}")
        }
        State::RenewedPushPending => {
            let when = minute(s.renewed_at).map(|t| format!(" {t}")).unwrap_or_default();
            let hold = if pending == 1 { "still holds" } else { "still hold" };
            format!("InternalCA renewed{when}; {} {hold} the old one", devices(pending))
        }
        State::Renewed => {
            let when = minute(s.renewed_at).or_else(|| day(ca.and_then(|c| c.not_before)));
            let when = when.map(|t| format!(" {t}")).unwrap_or_default();
            format!("InternalCA renewed{when}; no device is known to lack the new files")
        }
        State::Unknown => "not enough evidence to judge the InternalCA".to_string(),
    }
}

/// The summary line of one system (no trailing newline), for the terminal.
pub fn line(s: &System) -> String {
    crate::util::printable(&format!("{}: {}", s.label(), words(s))).into_owned()
}

/// The summary line of one system without its label: its state, then its first step (with its
/// command) or what to collect.
pub fn words(s: &System) -> StepText {
    let mut out = StepText::prose(state_words(s));
    match (s.next_steps.iter().find(|st| !st.optional), s.collect.first()) {
        (Some(step), _) => {
            out.push_ours(" → ").push(action(step));
        }
        (None, Some(c)) if s.state == State::Unknown => {
            out.push_prose(&format!(" → collect {c}"));
        }
        _ => match (down_count(s), s.findings.len()) {
            (0, 0) => {
                out.push_ours("; nothing to do");
            }
            (down, found) => {
                out.push_prose(&format!("; not the cause of {} → see the findings below", trouble(down, found)));
            }
        },
    }
    out
}

fn down_count(s: &System) -> usize {
    s.devices.iter().filter(|d| d.tunnel == Tunnel::Down).count()
}

/// What is wrong in a system whose InternalCA is fine: its devices down and its findings.
fn trouble(down: usize, found: usize) -> String {
    use crate::wording::counted;
    match (down, found) {
        (0, f) => counted(f as u64, "finding"),
        (d, 0) => format!("{} down", devices(d)),
        (d, f) => format!("{} down ({})", devices(d), counted(f as u64, "finding")),
    }
}

/// The summary block: a heading and one line per system; empty when the run has none.
pub fn block(systems: &[System]) -> String {
    if systems.is_empty() {
        return String::new();
    }
    let mut out = String::from("Case summary:\n");
    for s in systems {
        out.push_str("  ");
        out.push_str(&line(s));
        out.push('\n');
    }
    out
}
