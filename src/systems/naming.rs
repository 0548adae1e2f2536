//! The one name of each system, the one every view gives it (the summary, the table's device
//! column, the JSON, the HTML page, `fleet`): what the evidence calls it. The FMC's host name
//! (its `ims.conf`, a device's `sftunnel.json`, a log host that behaves as an FMC); else the
//! host an appliance tree or a log of the system names (an FTD whose FMC no input names); else
//! a device a file names; else the FMC's address; else its UUID (the InternalCA's CN). Two
//! systems of one run that would share a name are told apart by the FMC's UUID.

use std::collections::HashMap;

use super::devices::Registry;
use super::keys::{ip_of, Member};
use super::{Ctx, Fmc, System};

/// The name the evidence gives a system (before two systems of a run are told apart).
pub(super) fn base_name(fmc: &Fmc, members: &[Member], cx: &Ctx<'_>, registry: &Registry<'_>) -> String {
    if let Some(n) = &fmc.name {
        return n.clone();
    }
    let tree_host = members.iter().find_map(|m| {
        let Member::Fact(i) = m else { return None };
        cx.trees.owner_of(&cx.facts[*i].evidence().path).and_then(|d| d.hostname.clone())
    });
    let log_host = || {
        members.iter().find_map(|m| {
            let Member::Finding(i) = m else { return None };
            cx.findings[*i].device.clone().filter(|h| ip_of(h).is_none())
        })
    };
    tree_host
        .or_else(log_host)
        .or_else(|| registry.first_device_name().map(str::to_string))
        .or_else(|| fmc.ip.map(|ip| ip.to_string()))
        .or_else(|| fmc.uuid.map(|u| u.to_string()))
        .or_else(|| registry.first_device_ip().map(|ip| ip.to_string()))
        .unwrap_or_else(|| "system".to_string())
}

/// Make the names of a run's systems unique: systems sharing a name get their FMC's UUID after
/// it (`10.48.79.232 (8f3c2a64-…)`), and whatever still repeats `-2`, `-3`, ...
pub(super) fn name_all(systems: &mut [System]) {
    let mut count: HashMap<String, usize> = HashMap::new();
    for s in systems.iter() {
        *count.entry(s.id.clone()).or_default() += 1;
    }
    for s in systems.iter_mut() {
        if count[&s.id] > 1 {
            if let Some(u) = s.fmc.uuid.filter(|u| u.as_str() != s.id) {
                s.id = format!("{} ({u})", s.id);
            }
        }
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for s in systems.iter_mut() {
        let n = seen.entry(s.id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            s.id = format!("{}-{}", s.id, n);
        }
    }
}
