//! The last pass over a system's devices: the tunnel each is in (the newest evidence wins) and
//! whether it still lacks the current InternalCA's files.

use super::{PushInfo, Registry};
use crate::model::CertSummary;
use crate::systems::{Device, Tunnel};

impl Registry<'_> {
    /// The devices with their tunnel and push state, the secondary FMC first.
    pub fn finish(mut self, previous: Option<&CertSummary>, current: Option<&CertSummary>) -> (Vec<Device>, PushInfo) {
        let renewed_at = self.push.generated.or(previous.and(current).map(|c| c.not_before));
        for (at, e) in std::mem::take(&mut self.pushed) {
            let d = &mut self.devs[at].device;
            d.needs_push = true;
            if !d.evidence.contains(&e) {
                d.evidence.push(e);
            }
        }
        self.place_statuses();
        for dev in &mut self.devs {
            dev.device.tunnel = match (&dev.up, &dev.down) {
                (Some((u, _)), Some((d, _))) if u >= d => Tunnel::Up,
                (Some(_), None) => Tunnel::Up,
                (_, Some(_)) => Tunnel::Down,
                (None, None) => Tunnel::Unknown,
            };
            let (conflict, note, unordered) = super::statuses::disagreement(dev);
            if unordered {
                dev.device.tunnel = Tunnel::Unknown;
            }
            self.push.conflicts.extend(conflict);
            self.push.notes.extend(note);
            if let Some(prev) = previous.filter(|_| current.is_some()) {
                if let Some((_, e)) = dev.holds.iter().find(|(id, _)| *id == prev.id()) {
                    dev.device.needs_push = true;
                    if !dev.device.evidence.contains(e) {
                        dev.device.evidence.push(e.clone());
                    }
                }
            }
            if let (Some(r), Some((Some(t), _))) = (renewed_at, &dev.down) {
                if *t > r && dev.device.tunnel == Tunnel::Down {
                    dev.device.needs_push = true;
                }
            }
        }
        let unsure = self.unsure_notes();
        self.push.notes.extend(unsure);
        let mut devices: Vec<Device> = self.devs.into_iter().map(|d| d.device).collect();
        devices.sort_by_key(|d| !d.fmc);
        (devices, self.push)
    }
}
