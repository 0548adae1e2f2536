//! What the plan says about each system's state before the copy commands: push only when the
//! new InternalCA exists (never regenerate again), the steps to take first when
//! `generate_certs.pl` has not run yet, and the devices that lack the new files without being
//! in FAILED_PUSH. Every line is a shell comment (the plan is a script) with its input values
//! escaped for the terminal.

use std::fmt::Write;

use crate::analyze::Report;
use crate::systems::{State, StepId, System};

/// The steps before the push, for a system whose InternalCA still has to be regenerated.
fn before_push(s: &System) -> Vec<String> {
    s.next_steps
        .iter()
        .take_while(|st| !matches!(st.id, StepId::PushWithCopyScript | StepId::VerifyTunnels))
        .map(|st| format!("[{}] {}", st.id.as_str(), crate::remedy::step_line(st)))
        .collect()
}

/// Devices of the system that need the files although no row of the FAILED_PUSH it uses names them.
fn unlisted(s: &System, report: &Report) -> Vec<String> {
    let listed: std::collections::HashSet<&str> = s
        .push_facts
        .iter()
        .filter_map(|&i| report.facts.get(i))
        .filter_map(|f| match f {
            crate::model::Fact::FailedPush { rows, .. } => Some(rows.iter().map(|r| r.device_name.as_str())),
            _ => None,
        })
        .flatten()
        .collect();
    s.devices
        .iter()
        .filter(|d| d.needs_push && !d.name.as_deref().is_some_and(|n| listed.contains(n)))
        .map(|d| d.label())
        .collect()
}

/// One block per system: its summary line and what the state means for the plan.
pub fn state_lines(report: &Report) -> String {
    let mut out = String::new();
    for s in &report.systems {
        let _ = writeln!(out, "{}", crate::systems::summary::line(s));
        for c in &s.conflicts {
            let _ = writeln!(out, "  Conflict: {}", crate::util::printable(&c.text()));
        }
        for l in &s.loose {
            let _ = writeln!(
                out,
                "  Not counted: {}: {}",
                crate::util::printable(&l.path),
                crate::util::printable(&l.reason)
            );
        }
        match s.state {
            State::RenewedPushPending => {
                let _ = writeln!(
                    out,
                    "  Push only: generate_certs.pl has already made the new InternalCA; running it again would make \
another one."
                );
                let extra = unlisted(s, report);
                if extra.len() > 8 {
                    let _ = writeln!(
                        out,
                        "  Also lacking the new files, though FAILED_PUSH does not list them: {} devices (see systems[] in \
--format json). Copy the same three files to them by hand.",
                        extra.len()
                    );
                } else if !extra.is_empty() {
                    let _ = writeln!(
                        out,
                        "  Also lacking the new files, though FAILED_PUSH does not list them: {}. Copy the same three \
files to them by hand (cacert.pem, sftunnel-cert.pem, sftunnel-key.pem).",
                        extra.join(", ")
                    );
                }
            }
            State::Expiring | State::Expired => {
                let _ = writeln!(
                    out,
                    "  generate_certs.pl has not made a new InternalCA yet: do these first, then run tlstriage plan again \
on the FMC's new FAILED_PUSH:"
                );
                for line in before_push(s) {
                    let _ = writeln!(out, "    {}", line);
                }
            }
            State::Renewed => {
                let _ = writeln!(out, "  Nothing to push for this system.");
            }
            State::Healthy | State::Unknown => {}
        }
    }
    if out.is_empty() {
        return out;
    }
    let mut script: String = out.lines().map(|l| format!("# {}\n", crate::util::printable(l))).collect();
    script.push_str("#\n");
    script
}
