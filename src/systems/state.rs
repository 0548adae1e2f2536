//! The state of a system, following the source's decision tree: is the current InternalCA
//! valid, expiring or expired; is a renewal visible (a newer CA, or a FAILED_PUSH written after
//! the expiry); which devices still lack the new files; are the tunnels up.

use super::{State, System, Tunnel, Tunnels};
use crate::diagnose::rules::expiring_soon::EXPIRY_WINDOW;

/// What to read from the FMC when its CA is not in the inputs. A loose `cacert.pem` does not
/// count (`provenance`): the file is asked for where the FMC keeps it.
pub const COLLECT_CA: &str =
    "a troubleshoot bundle of the FMC (or its /etc/sf/ca_root/cacert.pem and /etc/sf/ims.conf \
kept under those paths in one folder), to read the InternalCA's dates";
/// What to read when every device known is disconnected but nothing from the FMC's side lists
/// its devices: whether all of them are down decides whether an upgrade costs a tunnel.
pub const COLLECT_DEVICE_LIST: &str = "the FMC's list of its devices and their tunnels (`sftunnel_status.pl` run \
on the FMC, or its troubleshoot bundle), to know whether every device is disconnected";
/// What to read when the FMC's version is not known.
pub const COLLECT_VERSION: &str =
    "a troubleshoot bundle of the FMC (or its /etc/sf/ims.conf kept under that path in a \
folder), to read SWVERSION and pick the hotfix for its version";

pub(super) fn tunnels(s: &System) -> Tunnels {
    let n = s.devices.len();
    let up = s.devices.iter().filter(|d| d.tunnel == Tunnel::Up).count();
    let down = s.devices.iter().filter(|d| d.tunnel == Tunnel::Down).count();
    if n == 0 {
        Tunnels::Unknown
    } else if down == n {
        Tunnels::AllDown
    } else if up == n {
        Tunnels::AllUp
    } else if down > 0 {
        Tunnels::SomeDown
    } else {
        Tunnels::Unknown
    }
}

/// Set `state`, `tunnels` and `collect` of a system, at `now`.
pub(super) fn judge(s: &mut System, now: jiff::Timestamp) {
    s.tunnels = tunnels(s);
    let pending = s.devices.iter().any(|d| d.needs_push);
    let renewal = s.previous_ca.is_some() || s.renewed_at.is_some();
    s.state = match &s.internal_ca {
        Some(ca) => match (ca.not_after, ca.days_left) {
            (Some(end), _) if end < now => {
                // A FAILED_PUSH written after this CA's end means generate_certs.pl already ran
                // and made a CA that is not in the inputs.
                if s.renewed_at.is_some_and(|t| t > end) {
                    s.collect.push(COLLECT_CA.into());
                    renewed(pending)
                } else {
                    State::Expired
                }
            }
            (Some(_), _) if renewal => renewed(pending),
            // The window `expiring-soon` warns in: both say "expiring" from the same day on.
            (Some(_), Some(days)) if EXPIRY_WINDOW.warns(days) => State::Expiring,
            (Some(_), _) => State::Healthy,
            (None, _) => {
                // Only the devices' logs name the CA, as expired.
                s.collect.push(COLLECT_CA.into());
                if s.renewed_at.is_some() {
                    renewed(pending)
                } else {
                    State::Expired
                }
            }
        },
        None if s.renewed_at.is_some() => {
            s.collect.push(COLLECT_CA.into());
            renewed(pending)
        }
        None => {
            s.collect.push(COLLECT_CA.into());
            State::Unknown
        }
    };
    if s.state == State::Expired && s.tunnels == Tunnels::AllDown && s.device_list.is_none() {
        s.collect.push(COLLECT_DEVICE_LIST.into());
    }
    let needs_version = matches!(s.state, State::Expiring | State::Expired);
    let in_conflict = s.conflicts.iter().any(|c| c.on == super::ConflictOn::FmcVersion);
    if needs_version && s.fmc.version.is_none() && !in_conflict {
        s.collect.push(COLLECT_VERSION.into());
    }
}

fn renewed(pending: bool) -> State {
    if pending {
        State::RenewedPushPending
    } else {
        State::Renewed
    }
}
