//! The recovery plan after `generate_certs.pl` could not push new sftunnel certificates: a
//! `devices.csv` for `copy_sftunnel_certs.py`, and the manual commands for each device, with the
//! UUIDs, paths and names of the inputs filled in.
//!
//! Built from the FAILED_PUSH lists the systems use (each system's newest run, read where the FMC
//! keeps it: `systems::provenance`), one `cert-push-failed` judgement per device, and from what
//! the bundles say about devices (`ims.conf`) and peers (`sftunnel.json`). A device whose address
//! the sources disagree on gets no row: the conflict is said instead.

use jiff::Timestamp;
use std::collections::HashMap;

use crate::analyze::Report;
use crate::diagnose::KindData;
use crate::firepower::peers::uuid_from_path;
use crate::firepower::shape;
use crate::model::{DeviceRole, Fact, Uuid};
use crate::systems::System;

mod render;
pub mod write;

mod state;
pub use state::state_lines;

/// A device by what is known of it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Target {
    pub name: Option<String>,
    pub uuid: Option<Uuid>,
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
    /// `(path on the FMC, path on the device)`; the FMC path is empty when unknown. Only pairs
    /// whose values have their shape ([`shape`]).
    pub files: Vec<(String, String)>,
    /// Why rows of this device are not in the plan (a value without its shape).
    pub refused: Vec<String>,
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
    /// Values about the primary FMC that were left out, with the reason.
    pub refused: Vec<String>,
    /// What the user should know about a value taken from elsewhere than a file (the FMC's
    /// address as the systems found it).
    pub notes: Vec<String>,
}

/// Build the plan of a report.
pub fn plan(report: &Report) -> Plan {
    let mut plan = Plan::default();
    // Position of each device in the FAILED_PUSH lists (first seen wins), and of each planned
    // device by name and UUID: lookups stay linear in the number of rows.
    let mut order: HashMap<&str, usize> = HashMap::new();
    let mut planned: HashMap<(String, String), usize> = HashMap::new();
    // The lists the systems use, each with its system.
    let used: Vec<(&Fact, &System)> = report
        .systems
        .iter()
        .flat_map(|s| s.push_facts.iter().filter_map(|&i| report.facts.get(i)).map(move |f| (f, s)))
        .collect();
    let mut judged = Vec::new();
    for (f, s) in &used {
        if let Fact::FailedPush { evidence, generated, rows } = f {
            plan.generated = plan.generated.max(*generated);
            for r in rows {
                let next = order.len();
                order.entry(r.device_name.as_str()).or_insert(next);
            }
            judged.extend(crate::diagnose::rules::cert_push_failed::judge(evidence, rows).into_iter().map(|j| (j, *s)));
        }
    }
    for (f, system) in &judged {
        let KindData::CertPushFailed(push) = &f.data else { continue };
        let (name, uuid) = (push.device_name.clone(), push.device_uuid.clone());
        let ip = push.device_ip.clone().unwrap_or_default();
        let mut refused = push.refused.clone();
        let mut files = Vec::new();
        let mut dir = String::new();
        // The finding keeps only checked rows; they are checked again here, where they become
        // commands.
        let device = shape::check_device(&name, &uuid, &ip);
        if let (Err(e), false) = (&device, push.files.is_empty()) {
            refused.push(e.clone());
        }
        // Sources that disagree on its address: no row, whichever is right.
        let conflict = system.address_in_conflict(&name, Uuid::parse(&uuid));
        if let Some(c) = conflict {
            refused.push(format!("{}; no row is written for it", crate::util::printable(&c.text())));
        }
        let device = if conflict.is_some() { Err(String::new()) } else { device };
        let pairs = push.files.iter().map(|p| (p.source.as_str(), p.destination.as_str()));
        for (src, dst) in pairs.filter(|_| device.is_ok()) {
            match shape::check_files(src, dst) {
                Ok(d) if dir.is_empty() || dir == d => {
                    dir = d.to_string();
                    files.push((src.to_string(), dst.to_string()));
                }
                Ok(d) => refused.push(format!("{} is not in the peer folder {dir} of the other rows", shape::shown(d))),
                Err(e) => refused.push(e),
            }
        }
        if plan.primary.uuid.is_none() {
            plan.primary.uuid = uuid_from_path(&format!("{dir}/"));
        }
        let role = role_of(report, &uuid);
        if let Some(&i) = planned.get(&(name.clone(), uuid.clone())) {
            let d = &mut plan.devices[i];
            for x in files {
                if !d.files.contains(&x) {
                    d.files.push(x);
                }
            }
            d.refused.extend(refused);
            continue;
        }
        planned.insert((name.clone(), uuid.clone()), plan.devices.len());
        plan.devices.push(DevicePlan { name, ip, uuid, role, dir, files, refused });
    }
    let rank = |d: &DevicePlan| {
        let pos = order.get(d.name.as_str()).copied().unwrap_or(usize::MAX);
        (d.role != DeviceRole::Fmc, pos, d.name.clone())
    };
    plan.devices.sort_by_key(rank);
    fill_primary(report, &mut plan);
    if let Some((_, s)) = used.first() {
        primary_ip_of_system(s, &mut plan);
    }
    plan
}

/// The FMC's address when no file that names the FMC gives it: the one its system took (where
/// its devices connect to, a status output's peer), said so in the plan.
fn primary_ip_of_system(s: &System, plan: &mut Plan) {
    let Some(ip) = s.fmc.ip.filter(|_| plan.primary.ip.is_none()) else { return };
    let same_fmc = plan.primary.uuid.is_none() || s.fmc.uuid.is_none() || plan.primary.uuid == s.fmc.uuid;
    if !same_fmc || shape::check_ip("FMC address", &ip.to_string()).is_err() {
        return;
    }
    plan.primary.ip = Some(ip.to_string());
    plan.notes.push(format!(
        "The address {ip} of the FMC is not read from a file that names the FMC: it is where the other evidence \
points (`tlstriage analyze` says how in its notes). Check it before running the script."
    ));
}

/// FMC or FTD for the device with this UUID: its own `ims.conf`, else a peer folder's
/// `sftunnel.json`; a FAILED_PUSH row is an FTD unless one of them says otherwise.
fn role_of(report: &Report, uuid: &str) -> DeviceRole {
    let Some(uuid) = Uuid::parse(uuid) else { return DeviceRole::Ftd };
    for f in &report.facts {
        match f {
            Fact::Device { device, .. } if device.uuid == Some(uuid) && device.role != DeviceRole::Unknown => {
                return device.role;
            }
            Fact::Peer { peer, .. } if peer.uuid == Some(uuid) => {
                let role = crate::firepower::role_of(peer.role.as_deref(), None, peer.role.as_deref());
                if role != DeviceRole::Unknown {
                    return role;
                }
            }
            _ => {}
        }
    }
    DeviceRole::Ftd
}

/// Name and address of the primary FMC from the facts that carry its UUID and count (a loose
/// `ims.conf` names nobody); a value without its shape is left out and said so.
fn fill_primary(report: &Report, plan: &mut Plan) {
    let Some(uuid) = plan.primary.uuid else { return };
    // The primary FMC only when an HA peer is among the devices.
    let role = if plan.devices.iter().any(|d| d.role == DeviceRole::Fmc) { "primary FMC" } else { "FMC" };
    let (name_of, address_of) = (format!("{role} name"), format!("{role} address"));
    let mut take = |slot: &mut Option<String>, value: &Option<String>, what: &str, at: &str| {
        let Some(v) = value.as_deref().filter(|_| slot.is_none()) else { return };
        let checked = if what.ends_with("address") { shape::check_ip(what, v) } else { shape::check_name(what, v) };
        match checked {
            Ok(()) => *slot = Some(v.to_string()),
            Err(e) => plan.refused.push(format!("{e} (in {})", crate::util::printable(at))),
        }
    };
    let trees = crate::systems::Trees::new(&report.facts);
    let counted = report.facts.iter().filter(|f| crate::systems::provenance::loose_reason(f, &trees).is_none());
    for f in counted {
        match f {
            Fact::Device { device, evidence } if device.uuid == Some(uuid) => {
                take(&mut plan.primary.name, &device.hostname, &name_of, &evidence.path);
            }
            Fact::Peer { peer, evidence } if peer.uuid == Some(uuid) => {
                take(&mut plan.primary.name, &peer.name, &name_of, &evidence.path);
                take(&mut plan.primary.ip, &peer.ip, &address_of, &evidence.path);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
