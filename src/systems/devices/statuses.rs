//! Status outputs that disagree about one device's tunnel: with the log or with each other.
//!
//! Two status outputs about the same tunnel, one showing it up and one down, are a conflict
//! (each with where it was read and when it was taken); the newer by the times they print still
//! gives the tunnel's state, as for every piece of evidence; when one of them prints no time
//! that can be read, neither is newer and the tunnel is unknown. A status taken after the last
//! failure a log shows, and saying the opposite, is said in a note, so that what the newer
//! output shows is never dropped silently; so is a status taken on a device outside any
//! device's tree whose peer is no device of the system.

use jiff::Timestamp;

use super::{Dev, Registry};
use crate::model::Evidence;
use crate::systems::provenance::{quiet, Conflict, ConflictOn, Said};

/// `path, line N`.
fn place(e: &Evidence) -> String {
    match e.line {
        Some(n) => format!("{}, line {n}", quiet(&e.path)),
        None => quiet(&e.path),
    }
}

fn when(t: Option<Timestamp>) -> String {
    match t {
        Some(t) => format!("taken {}", t.strftime("%Y-%m-%d %H:%M:%S UTC")),
        None => "no time read".to_string(),
    }
}

fn word(up: bool) -> &'static str {
    if up {
        "up"
    } else {
        "down"
    }
}

impl Registry<'_> {
    /// Status outputs taken on a device outside any device's tree: one whose peer is a device of
    /// the system is the other end's view of that device's tunnel; any other that says the
    /// opposite of a device's newest evidence, and is newer, is said in a note.
    pub(super) fn place_statuses(&mut self) {
        for u in std::mem::take(&mut self.unplaced) {
            if let Some(at) = self.devs.iter().position(|d| d.device.ip == Some(u.peer)) {
                self.status(at, u.up, u.at, u.evidence);
                continue;
            }
            let Some(t) = u.at else { continue };
            let newest = |d: &Dev| match (&d.up, &d.down) {
                (Some((a, _)), Some((b, _))) => Some(a >= b).map(|up| (up, if up { *a } else { *b })),
                (Some((a, _)), None) => Some((true, *a)),
                (None, Some((b, _))) => Some((false, *b)),
                (None, None) => None,
            };
            let against = self.devs.iter().find_map(|d| {
                let (up, seen) = newest(d)?;
                (up != u.up && seen.is_some_and(|s| s < t)).then(|| (d.device.label(), up, seen))
            });
            if let Some((label, up, seen)) = against {
                self.push.notes.push(format!(
                    "a status output ({}, {}) shows the tunnel to {} {}, after {label} was last seen {} ({}); it was \
taken on a device outside any device's bundle, so which device's tunnel it shows is not known and it is not used",
                    place(&u.evidence),
                    when(u.at),
                    u.peer,
                    word(u.up),
                    word(up),
                    when(seen).replace("taken ", "at "),
                ));
            }
        }
    }
}

/// What a device's status outputs say against each other (a conflict) and against the newest
/// evidence of another kind (a note). Two outputs that disagree, one of them without a time,
/// cannot be ordered: the tunnel is then unknown (`true`).
pub(super) fn disagreement(dev: &Dev) -> (Option<Conflict>, Option<String>, bool) {
    let label = dev.device.label();
    let up = dev.statuses.iter().find(|s| s.0);
    let down = dev.statuses.iter().find(|s| !s.0);
    let unordered = matches!((up, down), (Some(u), Some(d)) if u.1.is_none() || d.1.is_none());
    let conflict = match (up, down) {
        (Some(u), Some(d)) => {
            let mut both = [u, d];
            both.sort_by_key(|s| (s.1.is_none(), s.1));
            let values = both.iter().map(|s| Said::new(word(s.0), format!("{}, {}", place(&s.2), when(s.1)))).collect();
            let device = format!("the tunnel of {label}");
            Some(Conflict { on: ConflictOn::Tunnel { device }, values })
        }
        _ => None,
    };
    // A status newer than the last failure a log shows, saying the tunnel is up again.
    let is_status = |e: &Evidence| dev.statuses.iter().any(|s| s.2 == *e);
    let note = match (&dev.up, &dev.down) {
        (Some((Some(u), ue)), Some((Some(d), de))) if u >= d && is_status(ue) && !is_status(de) => Some(format!(
            "{label}: the status output ({}, {}) shows the tunnel up, after the last failure its log shows ({}, at {}): \
the tunnel is taken as up",
            place(ue),
            when(Some(*u)),
            place(de),
            d.strftime("%Y-%m-%d %H:%M:%S UTC"),
        )),
        _ => None,
    };
    (conflict, note, unordered)
}
