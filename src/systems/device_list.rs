//! Whether the inputs show every device of an FMC: only the FMC's own side lists them (its tree's
//! peer folders, `sftunnel_status.pl` run on it). A device's bundle names its FMC, not the FMC's
//! other devices, so its one device being down says nothing of the others; the source allows an
//! upgrade that costs no tunnel only when every device is disconnected.

use super::{System, Tunnels};
use crate::diagnose::StepText;

/// Where the inputs list an FMC's devices from the FMC's own side, so that the devices known are
/// all it manages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeviceList {
    /// The FMC's own tree (a troubleshoot bundle or its root): one folder per managed device
    /// under /var/sf/peers/.
    FmcTree,
    /// `sftunnel_status.pl` run on the FMC, which prints every peer.
    FmcStatus,
}

fn prose(text: impl AsRef<str>) -> StepText {
    StepText::prose(text)
}

/// Whether every device of the FMC is known to be disconnected: each known device is down and
/// the FMC's own side lists them all (the source's condition for an upgrade that costs no
/// tunnel). A device's bundle alone names its FMC, not the FMC's other devices.
pub(super) fn every_device_down(s: &System) -> bool {
    s.tunnels == Tunnels::AllDown && s.device_list.is_some()
}

/// The known devices are all down, but nothing from the FMC's side lists its devices.
pub(super) fn known_down_list_missing(s: &System) -> bool {
    s.tunnels == Tunnels::AllDown && s.device_list.is_none()
}

/// The tunnel check when every known device is down but the inputs hold nothing from the FMC's
/// side that lists its devices: say how many are known, and what tells whether all are down.
pub(super) fn partial_list_check(s: &System, fmc: &str) -> StepText {
    let labels: Vec<String> = s.devices.iter().map(|d| d.label()).collect();
    let known = match labels.len() {
        1 => format!("Only 1 device of {fmc} is known from the inputs ({}), and it is disconnected", labels[0]),
        n => format!(
            "Only {n} devices of {fmc} are known from the inputs ({}), all disconnected",
            super::step::list(&labels)
        ),
    };
    StepText::compose(
        "{known}; nothing in them lists the FMC's devices (its troubleshoot bundle, or `sftunnel_status.pl` run on \
it). On {fmc}, list every device it manages and which are connected now. Only if every one is disconnected does \
upgrading {fmc} cost no tunnel (an option instead of the hotfix); while any is connected, an upgrade or a reboot of \
the FMC closes every sftunnel connection, and they do not come back with the expired CA.",
        &[("known", prose(known)), ("fmc", prose(fmc))],
    )
}
