//! Names the inputs give to addresses and files: which device an IP is (FAILED_PUSH rows,
//! `sftunnel.json` peers), and which device's tree a file sits in (a bundle, extracted or not, or
//! an appliance root, named by its own `ims.conf`). Files that do not count
//! (`systems::provenance`) name nothing.

use std::collections::BTreeMap;

use crate::analyze::Report;
use crate::model::{DeviceRole, Fact, Host};
use std::net::IpAddr;

/// What the inputs say about names.
#[derive(Debug, Default)]
pub struct Names {
    by_ip: BTreeMap<String, String>,
    /// Tree (`bundle.tar.gz`, an extracted folder) → host name and role of its appliance.
    by_bundle: Vec<(String, String, DeviceRole)>,
    /// Host name → role, from the devices' `ims.conf`.
    roles: BTreeMap<String, DeviceRole>,
}

/// The appliance tree of an evidence path, if it lies in one (`a.tar.gz!/results/dir-archives/x`
/// → `a.tar.gz`); the names only hold trees with their own `ims.conf`.
fn bundle_of(path: &str) -> Option<&str> {
    crate::firepower::tree::place(path).map(|p| p.tree)
}

impl Names {
    pub fn of(r: &Report) -> Self {
        let mut n = Names::default();
        let trees = crate::systems::Trees::new(&r.facts);
        for f in &r.facts {
            if crate::systems::provenance::loose_reason(f, &trees).is_some() {
                continue;
            }
            match f {
                Fact::FailedPush { rows, .. } => {
                    for row in rows {
                        n.by_ip.entry(row.device_ip.clone()).or_insert_with(|| row.device_name.clone());
                    }
                }
                Fact::Peer { peer, .. } => {
                    if let (Some(ip), Some(name)) = (&peer.ip, &peer.name) {
                        n.by_ip.entry(ip.clone()).or_insert_with(|| name.clone());
                    }
                }
                Fact::Device { evidence, device } => {
                    if let Some(h) = &device.hostname {
                        n.roles.entry(h.clone()).or_insert(device.role);
                        if let Some(b) = bundle_of(&evidence.path) {
                            if !n.by_bundle.iter().any(|(x, ..)| x == b) {
                                n.by_bundle.push((b.to_string(), h.clone(), device.role));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        // The systems know which names are FMCs and which are their devices (a log's host).
        for s in &r.systems {
            if let Some(name) = &s.fmc.name {
                n.roles.entry(name.clone()).or_insert(DeviceRole::Fmc);
            }
            for d in &s.devices {
                if let Some(name) = &d.name {
                    n.roles.entry(name.clone()).or_insert(if d.fmc { DeviceRole::Fmc } else { DeviceRole::Ftd });
                }
            }
        }
        n
    }

    /// The device name of a host (by its address, or the name itself), when an input names it.
    pub fn host(&self, host: &Host) -> Option<&str> {
        self.by_ip.get(&host.to_string()).map(String::as_str)
    }

    /// The device name of an address, when an input names it.
    pub fn ip(&self, ip: IpAddr) -> Option<&str> {
        self.by_ip.get(&ip.to_string()).map(String::as_str)
    }

    /// The device whose bundle holds `path`.
    pub fn system_of(&self, path: &str) -> Option<&str> {
        let b = bundle_of(path)?;
        self.by_bundle.iter().find(|(x, ..)| x == b).map(|(_, h, _)| h.as_str())
    }

    /// The role of the device whose bundle holds `path`, else of the device named `host`.
    pub fn role_of(&self, path: &str, host: Option<&str>) -> DeviceRole {
        let in_bundle = bundle_of(path).and_then(|b| self.by_bundle.iter().find(|(x, ..)| x == b)).map(|(.., r)| *r);
        in_bundle.or_else(|| host.and_then(|h| self.roles.get(h).copied())).unwrap_or(DeviceRole::Unknown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundles_of_paths() {
        assert_eq!(bundle_of("a.tar.gz!/b/c.pem"), Some("a.tar.gz"));
        assert_eq!(bundle_of("x/results-a/dir-archives/etc/sf/ims.conf"), Some("x/results-a"));
        assert_eq!(bundle_of("c.pem"), None);
    }
}
