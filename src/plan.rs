//! The recovery plan after `generate_certs.pl` could not push new sftunnel certificates: a
//! `devices.csv` for `copy_sftunnel_certs.py`, and the manual commands for each device, with the
//! UUIDs, paths and names of the inputs filled in.
//!
//! Built from the `cert-push-failed` findings (one per device of a FAILED_PUSH list) and from
//! what the bundles say about devices (`ims.conf`) and peers (`sftunnel.json`).

use jiff::Timestamp;
use std::collections::HashMap;

use crate::analyze::Report;
use crate::diagnose::Kind;
use crate::facts::{DeviceRole, Fact};
use crate::logs::conf::uuid_from_path;

mod render;

/// A device by what is known of it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Target {
    pub name: Option<String>,
    pub uuid: Option<String>,
    pub ip: Option<String>,
}

/// One device that did not get its files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DevicePlan {
    pub name: String,
    /// Empty when the source (a console line) did not say.
    pub uuid: String,
    pub ip: String,
    /// `Fmc` for the secondary FMC of an HA pair, else `Ftd`.
    pub role: DeviceRole,
    /// The peer folder of the FMC on the device (`/var/sf/peers/<FMC-UUID>`).
    pub dir: String,
    /// `(path on the FMC, path on the device)`; the FMC path is empty when unknown.
    pub files: Vec<(String, String)>,
}

/// The whole plan.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// When the FAILED_PUSH list was written.
    pub generated: Option<Timestamp>,
    /// The FMC that ran `generate_certs.pl` (its UUID names the peer folder on the devices).
    pub primary: Target,
    /// Secondary FMC first, then the FTDs in the order of the list.
    pub devices: Vec<DevicePlan>,
}

/// Build the plan of a report.
pub fn plan(report: &Report) -> Plan {
    let mut plan = Plan::default();
    // Position of each device in the FAILED_PUSH lists (first seen wins), and of each planned
    // device by name and UUID: lookups stay linear in the number of rows.
    let mut order: HashMap<&str, usize> = HashMap::new();
    let mut planned: HashMap<(String, String), usize> = HashMap::new();
    for f in &report.facts {
        if let Fact::FailedPush { generated, rows, .. } = f {
            plan.generated = plan.generated.max(*generated);
            for r in rows {
                let next = order.len();
                order.entry(r.device_name.as_str()).or_insert(next);
            }
        }
    }
    for f in report.findings.iter().filter(|f| f.kind == Kind::CertPushFailed) {
        let get = |k: &str| f.facts.get(k).cloned().unwrap_or_default();
        let files: Vec<(String, String)> = get("files")
            .lines()
            .filter_map(|l| l.split_once(" -> "))
            .map(|(s, d)| (s.trim().to_string(), d.trim().to_string()))
            .collect();
        let dir = f
            .facts
            .get("destination_dir")
            .cloned()
            .or_else(|| files.first().and_then(|(_, d)| d.rsplit_once('/')).map(|(d, _)| d.to_string()));
        let dir = dir.unwrap_or_default();
        if plan.primary.uuid.is_none() {
            plan.primary.uuid = uuid_from_path(&format!("{dir}/"));
        }
        let uuid = get("device_uuid");
        let role = role_of(report, &uuid);
        let name = get("device_name");
        if let Some(&i) = planned.get(&(name.clone(), uuid.clone())) {
            let d = &mut plan.devices[i];
            for x in files {
                if !d.files.contains(&x) {
                    d.files.push(x);
                }
            }
            continue;
        }
        planned.insert((name.clone(), uuid.clone()), plan.devices.len());
        plan.devices.push(DevicePlan { name, ip: get("peer_ip"), uuid, role, dir, files });
    }
    let rank = |d: &DevicePlan| {
        let pos = order.get(d.name.as_str()).copied().unwrap_or(usize::MAX);
        (d.role != DeviceRole::Fmc, pos, d.name.clone())
    };
    plan.devices.sort_by_key(rank);
    fill_primary(report, &mut plan.primary);
    plan
}

/// FMC or FTD for the device with this UUID: its own `ims.conf`, else a peer folder's
/// `sftunnel.json`; a FAILED_PUSH row is an FTD unless one of them says otherwise.
fn role_of(report: &Report, uuid: &str) -> DeviceRole {
    if uuid.is_empty() {
        return DeviceRole::Ftd;
    }
    for f in &report.facts {
        match f {
            Fact::Device { device, .. }
                if device.uuid.as_deref() == Some(uuid) && device.role != DeviceRole::Unknown =>
            {
                return device.role;
            }
            Fact::Peer { peer, .. } if peer.uuid.as_deref() == Some(uuid) => {
                let role = crate::logs::conf::role_of(peer.role.as_deref(), None, peer.role.as_deref());
                if role != DeviceRole::Unknown {
                    return role;
                }
            }
            _ => {}
        }
    }
    DeviceRole::Ftd
}

/// Name and address of the primary FMC from the facts that carry its UUID.
fn fill_primary(report: &Report, primary: &mut Target) {
    let Some(uuid) = primary.uuid.clone() else { return };
    for f in &report.facts {
        match f {
            Fact::Device { device, .. } if device.uuid.as_deref() == Some(uuid.as_str()) => {
                primary.name = primary.name.take().or_else(|| device.hostname.clone());
            }
            Fact::Peer { peer, .. } if peer.uuid.as_deref() == Some(uuid.as_str()) => {
                primary.name = primary.name.take().or_else(|| peer.name.clone());
                primary.ip = primary.ip.take().or_else(|| peer.ip.clone());
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
