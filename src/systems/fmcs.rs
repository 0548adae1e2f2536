//! Which FMCs a component of evidence names: its own `ims.conf`, a managing peer's
//! `sftunnel.json`, the destination folder of FAILED_PUSH rows; an FMC bundle that holds a
//! managing peer is the secondary of an HA pair. When none is named, each InternalCA stands for
//! one.

use super::group::Component;
use super::keys::Member;
use super::provenance::{Conflict, ConflictOn, Said};
use super::{Ctx, Fmc, HaRole};
use crate::model::{DeviceRole, Endpoint, Fact, Uuid};

/// An FMC as the evidence names it, with its own tree (when one was read).
#[derive(Clone, Debug, Default)]
pub(super) struct FmcSeen {
    pub fmc: Fmc,
    /// Its appliance tree: the bundle (or root) whose own `ims.conf` is the FMC's.
    pub bundle: Option<String>,
    /// Every tree whose own `ims.conf` is this FMC's (two bundles of one FMC, taken at two times).
    pub trees: Vec<String>,
    /// Where its version was read.
    pub version_at: Option<String>,
    /// Two of its own `ims.conf` that disagree on its version (which is then not used), or one
    /// that gives its UUID or version twice with different values.
    pub conflicts: Vec<Conflict>,
    /// When no FMC is named, the InternalCA (key) that stands for it.
    pub ca: Option<String>,
    /// How the FMC was recognised when no file of it says so.
    pub inferred: Option<String>,
}

/// Log hosts that behave as an FMC: two or more peers refuse their certificate while they
/// themselves report no verification error (a device talks to one FMC, or two in HA; an FMC
/// to all its devices).
fn fmc_like_hosts(c: &Component, inputs: &Ctx<'_>) -> Vec<(String, String, Vec<String>)> {
    use crate::diagnose::rules::Verifier;
    use std::collections::{BTreeMap, HashSet};
    // Host -> the peers that refuse it (a BTreeMap: the order of the notes is stable).
    let mut rejecting: BTreeMap<String, HashSet<Option<Endpoint>>> = BTreeMap::new();
    let mut verifying: HashSet<String> = HashSet::new();
    // The trees each host's log lies in.
    let mut trees: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for m in &c.members {
        let Member::Finding(i) = m else { continue };
        let f = &inputs.findings[*i];
        let Some(host) = f.device.as_ref().map(|h| h.to_ascii_lowercase()) else { continue };
        let in_trees = trees.entry(host.clone()).or_default();
        for t in f.evidence.iter().filter(|e| e.text.is_some()).filter_map(|e| inputs.trees.tree_of(&e.path)) {
            if !in_trees.iter().any(|x| x == t) {
                in_trees.push(t.to_string());
            }
        }
        match f.kind.rule().verifier {
            Verifier::Peer => {
                rejecting.entry(host).or_default().insert(f.peer.clone());
            }
            Verifier::Reporter => {
                verifying.insert(host);
            }
            Verifier::Nobody => {}
        }
    }
    rejecting
        .into_iter()
        .filter(|(h, peers)| peers.len() >= 2 && !verifying.contains(h))
        .map(|(h, peers)| {
            let why = format!(
                "{h} is taken as an FMC: {} peers refuse its certificate and it reports no verification error",
                peers.len()
            );
            let in_trees = trees.remove(&h).unwrap_or_default();
            (h, why, in_trees)
        })
        .collect()
}

fn same_fmc(a: &Fmc, b: &Fmc) -> bool {
    let eq = |x: &Option<String>, y: &Option<String>| matches!((x, y), (Some(x), Some(y)) if x.eq_ignore_ascii_case(y));
    (a.uuid.is_some() && a.uuid == b.uuid) || (a.uuid.is_none() || b.uuid.is_none()) && eq(&a.name, &b.name)
}

fn add_fmc(list: &mut Vec<FmcSeen>, mut seen: FmcSeen) {
    // What lies in one FMC's own tree is that FMC's, whatever UUID it names.
    let same_tree = |f: &FmcSeen| f.bundle.is_some() && f.bundle == seen.bundle;
    if let Some(f) = list.iter_mut().find(|f| same_fmc(&f.fmc, &seen.fmc) || same_tree(f)) {
        for c in std::mem::take(&mut seen.conflicts) {
            if !f.conflicts.contains(&c) {
                f.conflicts.push(c);
            }
        }
        let conflict = f.conflicts.iter().any(|c| c.on == ConflictOn::FmcVersion);
        match (&f.fmc.version, &seen.fmc.version, &f.version_at, &seen.version_at) {
            (Some(x), Some(y), Some(at_x), Some(at_y)) if x != y && !conflict => {
                f.conflicts.push(Conflict {
                    on: ConflictOn::FmcVersion,
                    values: vec![Said::new(x, at_x), Said::new(y, at_y)],
                });
                f.fmc.version = None;
            }
            (None, Some(_), _, _) if !conflict => {
                f.fmc.version = seen.fmc.version.clone();
                f.version_at = seen.version_at.clone();
            }
            _ => {}
        }
        let (a, b) = (&mut f.fmc, seen.fmc);
        a.name = a.name.take().or(b.name);
        a.uuid = a.uuid.take().or(b.uuid);
        if conflict {
            a.version = None;
        }
        a.ip = a.ip.take().or(b.ip);
        a.ha_role = a.ha_role.or(b.ha_role);
        for t in seen.trees {
            if !f.trees.contains(&t) {
                f.trees.push(t);
            }
        }
        f.bundle = f.bundle.take().or(seen.bundle);
    } else {
        list.push(seen);
    }
    for f in list.iter_mut().filter(|f| f.conflicts.iter().any(|c| c.on == ConflictOn::FmcUuid)) {
        // A UUID in conflict is used by no step, whatever other source names one.
        f.fmc.uuid = None;
    }
}

/// Whether a `sftunnel.json` role names the managing FMC.
pub(super) fn is_manager_role(role: Option<&str>) -> bool {
    let r = role.unwrap_or("").to_ascii_lowercase();
    ["manager", "fmc", "console", "primary", "management"].iter().any(|w| r.contains(w))
}

/// The trees of a component whose own appliance is an FMC.
fn fmc_bundles(c: &Component, inputs: &Ctx<'_>) -> Vec<(String, Option<Uuid>)> {
    let mut out = Vec::new();
    for m in &c.members {
        if let Member::Fact(i) = m {
            if let Fact::Device { evidence, device } = &inputs.facts[*i] {
                if device.role == DeviceRole::Fmc {
                    if let Some(b) = inputs.trees.tree_of(&evidence.path) {
                        out.push((b.to_string(), device.uuid));
                    }
                }
            }
        }
    }
    out
}

/// Every FMC the component names: its own `ims.conf`, a managing peer's `sftunnel.json`, the
/// destination folder of FAILED_PUSH rows. A bundle of an FMC that holds a manager peer is
/// the secondary of an HA pair; the peer is the primary.
pub(super) fn fmcs_of(c: &Component, inputs: &Ctx<'_>) -> Vec<FmcSeen> {
    let own = fmc_bundles(c, inputs);
    let mut list: Vec<FmcSeen> = Vec::new();
    for m in &c.members {
        let Member::Fact(i) = m else { continue };
        let fact = &inputs.facts[*i];
        let bundle = inputs.trees.tree_of(&fact.evidence().path).map(str::to_string);
        match fact {
            Fact::Device { device, evidence } if device.role == DeviceRole::Fmc => {
                let fmc = Fmc {
                    name: device.hostname.clone(),
                    uuid: device.uuid,
                    version: device.version.clone(),
                    ..Default::default()
                };
                let version_at = device.version.as_ref().map(|_| evidence.path.clone());
                let trees = bundle.iter().cloned().collect();
                let who = device.hostname.as_deref().unwrap_or("the FMC");
                let conflicts = super::provenance::disputed(device, &evidence.path, who);
                add_fmc(&mut list, FmcSeen { fmc, bundle, trees, version_at, conflicts, ..Default::default() });
            }
            Fact::Peer { peer, .. } if is_manager_role(peer.role.as_deref()) => {
                let in_fmc_bundle = own.iter().any(|(b, _)| Some(b) == bundle.as_ref());
                let fmc = Fmc {
                    name: peer.name.clone(),
                    uuid: peer.uuid,
                    ip: peer.ip.as_deref().and_then(super::keys::ip_of),
                    ha_role: in_fmc_bundle.then_some(HaRole::Primary),
                    ..Default::default()
                };
                add_fmc(&mut list, FmcSeen { fmc, ..Default::default() });
                if let Some((_, uuid)) = own.iter().find(|(b, _)| Some(b) == bundle.as_ref()) {
                    let secondary = Fmc { uuid: *uuid, ha_role: Some(HaRole::Secondary), ..Default::default() };
                    add_fmc(&mut list, FmcSeen { fmc: secondary, ..Default::default() });
                }
            }
            Fact::FailedPush { rows, .. } => {
                if let Some(u) = rows.iter().find_map(|r| crate::firepower::peers::uuid_from_path(&r.destination)) {
                    // A FAILED_PUSH lies in its FMC's own tree, or in none.
                    let bundle = bundle.filter(|t| own.iter().any(|(b, _)| b == t));
                    let fmc = Fmc { uuid: Some(u), ..Default::default() };
                    add_fmc(&mut list, FmcSeen { fmc, bundle, ..Default::default() });
                }
            }
            _ => {}
        }
    }
    // A peer file elsewhere may give an FMC's address or name (the primary's record of its
    // secondary).
    for m in &c.members {
        let Member::Fact(i) = m else { continue };
        let Fact::Peer { peer, .. } = &inputs.facts[*i] else { continue };
        let Some(uuid) = peer.uuid else { continue };
        if let Some(f) = list.iter_mut().find(|f| f.fmc.uuid == Some(uuid)) {
            f.fmc.ip = f.fmc.ip.take().or_else(|| peer.ip.as_deref().and_then(super::keys::ip_of));
            f.fmc.name = f.fmc.name.take().or_else(|| peer.name.clone());
        }
    }
    for (host, why, in_trees) in fmc_like_hosts(c, inputs) {
        // A log in an FMC's own tree is that FMC's, whatever host name its lines show.
        let own_log = list.iter().any(|x| x.bundle.as_ref().is_some_and(|b| in_trees.contains(b)));
        let named = list.iter().any(|x| x.fmc.name.as_ref().is_some_and(|n| n.eq_ignore_ascii_case(&host)));
        // The one FMC the component knows only by its UUID (a FAILED_PUSH given on its own) and
        // the one log host that behaves as an FMC, linked by the same devices: one FMC.
        let unnamed: Vec<usize> = (0..list.len())
            .filter(|&i| list[i].fmc.name.is_none() && list[i].bundle.is_none() && list[i].fmc.ha_role.is_none())
            .collect();
        if !own_log && !named && unnamed.len() == 1 && list.len() == 1 {
            let f = &mut list[unnamed[0]];
            f.fmc.name = Some(host);
            f.inferred = Some(why);
            continue;
        }
        if !own_log && !named {
            let fmc = Fmc { name: Some(host), ..Default::default() };
            list.push(FmcSeen { fmc, inferred: Some(why), ..Default::default() });
        }
    }
    list
}

/// When no FMC is named: one system per InternalCA the evidence shows, the newest CA first
/// (evidence that names no CA goes with it).
pub(super) fn by_ca(
    c: &Component,
    inputs: &Ctx<'_>,
    newest_by_ca: &std::collections::HashMap<String, jiff::Timestamp>,
) -> Vec<FmcSeen> {
    let mut keys: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for m in &c.members {
        for k in super::links::ca_keys_of(m, inputs) {
            if seen.insert(k.clone()) {
                keys.push(k);
            }
        }
    }
    if keys.len() < 2 {
        return vec![FmcSeen::default()];
    }
    keys.sort_by_key(|k| std::cmp::Reverse(newest_by_ca.get(k).copied()));
    keys.into_iter().map(|k| FmcSeen { ca: Some(k), ..Default::default() }).collect()
}
