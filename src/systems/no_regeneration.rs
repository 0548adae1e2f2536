//! A finding's own step that runs generate_certs.pl gives way when its system forbids another
//! run: once the InternalCA was renewed, a second run makes yet another CA and leaves every device
//! with the files of the first one, so the finding points to the system's push instead.

use super::steps::fmc_label;
use super::{State, StepId, System};
use crate::diagnose::StepText;

fn prose(text: impl AsRef<str>) -> StepText {
    StepText::prose(text)
}

/// What replaces a finding's own step that runs generate_certs.pl when its system forbids
/// another run (its InternalCA was renewed already: a second run would make yet another CA and
/// leave every device with the files of the first one): the system's own next step instead.
/// `None` when the system's state allows generate_certs.pl.
pub fn instead_of_regenerating(s: &System) -> Option<StepText> {
    if !matches!(s.state, State::RenewedPushPending | State::Renewed) {
        return None;
    }
    let fmc = fmc_label(s);
    let when = s.renewed_at.map(|t| format!(" ({})", t.strftime("%Y-%m-%d %H:%M"))).unwrap_or_default();
    let mut text = StepText::compose(
        "{fmc}'s InternalCA was renewed already{when}: do not run generate_certs.pl again, it would make yet another \
InternalCA. ",
        &[("fmc", prose(&fmc)), ("when", prose(when))],
    );
    let next = s.next_steps.iter().find(|st| !st.optional && st.id != StepId::VerifyTunnels);
    match next {
        Some(st) => {
            text.push_ours("Push the current InternalCA's files to the devices that lack them instead, as ")
                .push_prose(&fmc)
                .push_ours("'s steps say");
            match &st.command {
                Some(c) => text
                    .push_ours(" (")
                    .push_ours("on ")
                    .push_prose(&st.on)
                    .push_ours(": ")
                    .push_command(c.clone())
                    .push_ours(")."),
                None => text.push_ours("."),
            };
        }
        None => {
            text.push_ours(
                "If this device still holds files of the old InternalCA, copy the current ones to it from the FMC \
(`copy_sftunnel_certs.py devices.csv`, or by hand into the FMC's folder under /var/sf/peers/) and run `pmtool \
restartbyid sftunnel` on the device.",
            );
        }
    }
    Some(text)
}
