//! Remediation of the InternalCA findings drawn from their system's next steps, so a finding
//! and its system never disagree: the rule's line about the finding (its `SystemFix`, given the
//! system's values), then the system's steps in order.

use super::Remediation;
use crate::diagnose::rules::InSystem;
use crate::diagnose::{Finding, StepText};
use crate::systems::{State, Step, System};

/// A system step as one line of a finding's remediation.
pub fn step_line(st: &Step) -> StepText {
    let mut line = StepText::default();
    if st.optional {
        line.push_ours("Option: ");
    }
    line.push(st.text.clone());
    if let Some(c) = &st.command {
        if st.text.contains(&st.on) {
            line.push_ours(" Command: ").push_command(c.clone());
        } else {
            line.push_ours(" (on ").push_prose(&st.on).push_ours(": ").push_command(c.clone()).push_ours(")");
        }
    }
    line
}

fn title(s: &System) -> String {
    let fmc = crate::systems::steps::fmc_label(s);
    match s.state {
        State::Expiring => format!("Renew the InternalCA of {fmc} before it expires"),
        State::Expired => format!("Renew the expired InternalCA of {fmc}"),
        State::RenewedPushPending => format!("Push {fmc}'s new InternalCA files to the devices that lack them"),
        State::Renewed => format!("Check that every device of {fmc} uses the renewed InternalCA"),
        State::Healthy | State::Unknown => format!("Check the InternalCA of {fmc}"),
    }
}

/// What the system says that a rule's line about the finding uses.
fn in_system<'a>(f: &Finding, s: &'a System) -> InSystem<'a> {
    let renewing = matches!(s.state, State::Expiring | State::Expired | State::RenewedPushPending);
    let renewed = matches!(s.state, State::Renewed | State::RenewedPushPending);
    // The CA the finding is about is the one the system's renewal replaced.
    let replaced = s.previous_ca.as_ref().is_some_and(|p| {
        p.sha256.is_some() && p.sha256 == f.certificate.sha256 || Some(&p.subject) == f.certificate.subject.as_ref()
    });
    let peer_device = f.peer.as_ref().and_then(|p| s.device_at(p));
    InSystem {
        renewing,
        ca_replaced: replaced || renewed,
        current_ca: s.internal_ca.as_ref().map(|c| (c.serial.as_deref(), c.not_after)),
        ca_dates_known: s.internal_ca.as_ref().is_some_and(|c| c.not_after.is_some()),
        peer_device: peer_device.and_then(|d| Some((d.name.as_deref()?, d.needs_push))),
    }
}

/// The remediation of an InternalCA finding from its system; `None` when its rule has no
/// system fix, it does not apply, or the system has no steps (the rule's entry speaks then).
pub(super) fn remediation(f: &Finding, s: &System) -> Option<Remediation> {
    let fix = f.kind.rule().system.as_ref()?;
    let values = in_system(f, s);
    if !fix.applies(f, values.renewing) || s.next_steps.is_empty() {
        return None;
    }
    let mut steps = vec![(fix.about)(f, &values)];
    steps.extend(s.next_steps.iter().map(step_line));
    Some(Remediation { id: format!("sftunnel-{}", s.state.as_str()), title: title(s), steps })
}
