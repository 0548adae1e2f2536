//! How a system's devices are found and merged: by UUID, name or address, an FMC of the
//! component left out; and the address a file that names devices gives one, with a conflict
//! when two such files disagree.

use std::net::IpAddr;

use super::{Dev, Registry};
use crate::model::Uuid;
use crate::systems::provenance::{Conflict, ConflictOn, Said};
use crate::systems::HaRole;

/// What a device is found by: its UUID (either case), its name (lower-cased), its address.
#[derive(PartialEq, Eq, Hash)]
pub(super) enum DevKey {
    Uuid(Uuid),
    Name(String),
    Ip(IpAddr),
}

impl DevKey {
    fn name(n: &str) -> Self {
        DevKey::Name(n.to_ascii_lowercase())
    }
}

impl Registry<'_> {
    /// The device with any of these values (filling in the others); `None` for an FMC that is
    /// not a managed peer of this one.
    pub(super) fn entry(&mut self, name: Option<&str>, ip: Option<IpAddr>, uuid: Option<Uuid>) -> Option<usize> {
        let mut is_fmc = false;
        if let Some(f) = self.fmc_named(name, ip, uuid) {
            let managed_secondary = f.ha_role == Some(HaRole::Secondary) && self.own.ha_role == Some(HaRole::Primary);
            if self.is_own(f) || !managed_secondary {
                return None;
            }
            is_fmc = true;
        }
        let by = |k: Option<DevKey>| k.and_then(|k| self.index.get(&k).copied());
        // Same UUID or name; same address only when one of the two has no name.
        let by_ip = by(ip.map(DevKey::Ip)).filter(|&i| self.devs[i].device.name.is_none() || name.is_none());
        let at = by(uuid.map(DevKey::Uuid)).or_else(|| by(name.map(DevKey::name))).or(by_ip).unwrap_or_else(|| {
            self.devs.push(Dev::default());
            self.devs.len() - 1
        });
        let d = &mut self.devs[at].device;
        d.fmc |= is_fmc;
        d.name = d.name.take().or(name.map(str::to_string));
        d.ip = d.ip.or(ip);
        d.uuid = d.uuid.or(uuid);
        let keys = [d.uuid.map(DevKey::Uuid), d.name.as_deref().map(DevKey::name), d.ip.map(DevKey::Ip)];
        for k in keys.into_iter().flatten() {
            self.index.entry(k).or_insert(at);
        }
        Some(at)
    }

    /// [`entry`](Self::entry) for a file that names devices: its address is noted with where it
    /// was read, and an address another such file gives the same device is a conflict.
    pub(super) fn named_entry(
        &mut self,
        name: Option<&str>,
        ip: Option<IpAddr>,
        uuid: Option<Uuid>,
        at: &str,
    ) -> Option<usize> {
        if let Some(n) = name {
            self.device_names.insert(n.to_ascii_lowercase());
        }
        let i = self.entry(name, ip, uuid)?;
        let dev = &mut self.devs[i];
        match (dev.device.ip, ip, &dev.ip_at) {
            (Some(known), Some(new), Some(known_at)) if known != new => {
                let device =
                    dev.device.name.clone().or_else(|| uuid.map(|u| u.to_string())).unwrap_or(known.to_string());
                let on = ConflictOn::DeviceAddress { device, name: dev.device.name.clone(), uuid: dev.device.uuid };
                let values = vec![Said::new(known.to_string(), known_at.clone()), Said::new(new.to_string(), at)];
                match self.push.conflicts.iter_mut().find(|c| c.on == on) {
                    Some(c) if !c.values.iter().any(|s| s.value == new.to_string() && s.at == at) => {
                        c.values.push(Said::new(new.to_string(), at))
                    }
                    Some(_) => {}
                    None => self.push.conflicts.push(Conflict { on, values }),
                }
            }
            (_, Some(_), None) => dev.ip_at = Some(at.to_string()),
            _ => {}
        }
        Some(i)
    }
}
