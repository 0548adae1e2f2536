//! From a component of linked evidence to systems: which FMCs it holds (an HA pair gives two),
//! which evidence belongs to which FMC, and each FMC's InternalCAs.

use std::sync::Arc;

use super::devices::Registry;
use super::fmcs::{by_ca, fmcs_of, FmcSeen};
use super::group::Component;
use super::keys::{ca_key, cn_of, Member};
use super::provenance::{Conflict, ConflictOn, Said};
use super::{CaInfo, Ctx, Fmc, HaRole, State, System, Tunnels};
use crate::firepower::is_internal_ca;
use crate::firepower::tree::{is_fmc_ca_file, Layout};
use crate::model::Fact;
use crate::model::{CertId, CertSummary, Sha256, Uuid};

/// The run's certificates by SHA-256, and the newest start of each InternalCA (by key): built
/// once, so grouping stays linear in the number of certificates.
pub(super) struct CertIndex<'a> {
    by_sha: std::collections::HashMap<Sha256, &'a Arc<CertSummary>>,
    pub newest_by_ca: std::collections::HashMap<String, jiff::Timestamp>,
}

impl<'a> CertIndex<'a> {
    pub fn new(certificates: &'a [crate::model::CertEntry]) -> Self {
        let mut by_sha = std::collections::HashMap::new();
        let mut newest_by_ca: std::collections::HashMap<String, jiff::Timestamp> = std::collections::HashMap::new();
        for e in certificates {
            if let Some(sha) = e.cert.sha256 {
                by_sha.insert(sha, &e.cert);
            }
            if let Some(k) = ca_key(&e.cert.subject) {
                let t = newest_by_ca.entry(k).or_insert(e.cert.not_before);
                *t = (*t).max(e.cert.not_before);
            }
        }
        CertIndex { by_sha, newest_by_ca }
    }
}

/// An InternalCA of a system, with whether it is the FMC's own (at `/etc/sf/ca_root/cacert.pem`
/// of the FMC's tree, its CN the FMC's UUID) and the trees it was found in.
pub(super) struct SeenCa {
    pub cert: Arc<CertSummary>,
    pub own: Option<String>,
    pub trees: Vec<String>,
}

/// The InternalCAs of a set of members: certificate files and certificates on the wire.
fn cas_of(members: &[Member], cx: &Ctx<'_>, certs: &CertIndex<'_>, fmc: &FmcSeen) -> Vec<SeenCa> {
    let mut out: Vec<SeenCa> = Vec::new();
    let mut at: std::collections::HashMap<CertId, usize> = std::collections::HashMap::new();
    let mut add = |c: &Arc<CertSummary>, own: Option<&str>, tree: Option<&str>| {
        if !c.is_ca || !is_internal_ca(&c.subject) {
            return;
        }
        let i = *at.entry(c.id()).or_insert_with(|| {
            out.push(SeenCa { cert: c.clone(), own: None, trees: Vec::new() });
            out.len() - 1
        });
        let seen = &mut out[i];
        if seen.own.is_none() {
            seen.own = own.map(str::to_string);
        }
        if let Some(t) = tree.filter(|t| !seen.trees.iter().any(|x| x == t)) {
            seen.trees.push(t.to_string());
        }
    };
    let names_fmc = |c: &CertSummary| match (fmc.fmc.uuid, cn_of(&c.subject).and_then(Uuid::parse)) {
        (Some(own), Some(cn)) => own == cn,
        _ => true,
    };
    // A chain adds nothing the second time: its certificates are already there.
    let mut chains_done = std::collections::HashSet::new();
    for m in members {
        match m {
            Member::Fact(i) => {
                if let Fact::CertFile { evidence, certs } = &cx.facts[*i] {
                    let placed = cx.trees.place(&evidence.path);
                    let tree = placed.as_ref().map(|p| p.tree);
                    let in_own_tree = tree.is_some_and(|t| fmc.trees.iter().any(|x| x == t));
                    let at_ca_root = placed.as_ref().is_some_and(|p| is_fmc_ca_file(&p.on_box));
                    for c in certs.iter() {
                        let own = (in_own_tree && at_ca_root && names_fmc(c)).then_some(evidence.path.as_str());
                        add(c, own, tree);
                    }
                }
            }
            Member::Handshake(i) if chains_done.insert(cx.chains.index_of(*i)) => {
                for hc in &cx.handshakes[*i].certificates {
                    if let Some(c) = certs.by_sha.get(&hc.sha256) {
                        add(c, None, None);
                    }
                }
            }
            Member::Handshake(_) | Member::Finding(_) => {}
        }
    }
    out
}

/// The current CA (the FMC's own `ca_root` first, then the newest) and the one it replaced; and
/// a conflict when two of the FMC's own trees hold different CAs and the newer one does not
/// show the older: then the current CA is the one that ends first (the worse evidence wins).
fn current_and_previous(cas: &[SeenCa]) -> (Option<Arc<CertSummary>>, Option<Arc<CertSummary>>, Option<Conflict>) {
    let newest = |it: &mut dyn Iterator<Item = &Arc<CertSummary>>| it.max_by_key(|c| (c.not_before, c.sha256)).cloned();
    let own: Vec<&SeenCa> = cas.iter().filter(|c| c.own.is_some()).collect();
    let mut conflict = None;
    let mut current = newest(&mut own.iter().map(|c| &c.cert));
    if let Some(cur) = current.clone() {
        let holder = own.iter().find(|c| c.cert.id() == cur.id()).map(|c| c.trees.clone()).unwrap_or_default();
        let unexplained: Vec<&&SeenCa> =
            own.iter().filter(|o| o.cert.id() != cur.id() && !o.trees.iter().any(|t| holder.contains(t))).collect();
        if !unexplained.is_empty() {
            let shown = |c: &SeenCa| {
                let at = c.own.clone().unwrap_or_default();
                Said::new(
                    format!("serial {}, valid until {}", c.cert.serial, c.cert.not_after.strftime("%Y-%m-%d")),
                    at,
                )
            };
            let mut values: Vec<Said> = own.iter().filter(|c| c.cert.id() == cur.id()).map(|c| shown(c)).collect();
            values.extend(unexplained.iter().map(|c| shown(c)));
            conflict = Some(Conflict { on: ConflictOn::InternalCa, values });
            current = own.iter().map(|c| &c.cert).min_by_key(|c| (c.not_after, c.sha256)).cloned();
        }
    }
    let current = current.or_else(|| newest(&mut cas.iter().map(|c| &c.cert)));
    // generate_certs.pl keeps the CA's name: an older CA of the same name is the one it replaced.
    let previous = current.as_ref().and_then(|cur| {
        let key = ca_key(&cur.subject);
        newest(
            &mut cas
                .iter()
                .map(|c| &c.cert)
                .filter(|c| c.id() != cur.id() && c.not_before < cur.not_before && ca_key(&c.subject) == key),
        )
    });
    (current, previous, conflict)
}

/// Which FMC a member belongs to when a component holds several: evidence inside a peer
/// folder named after an FMC is that FMC's; the rest goes with the bundle's own FMC, else the
/// first (primary) one.
fn home(m: &Member, inputs: &Ctx<'_>, fmcs: &[FmcSeen]) -> usize {
    let paths: Vec<&str> = match m {
        Member::Fact(i) => vec![inputs.facts[*i].evidence().path.as_str()],
        Member::Finding(i) => inputs.findings[*i].evidence.iter().map(|e| e.path.as_str()).collect(),
        Member::Handshake(_) => vec![],
    };
    let by_uuid = |u: Uuid| fmcs.iter().position(|f| f.fmc.uuid == Some(u));
    let by_bundle = |p: &str| {
        let tree = inputs.trees.tree_of(p);
        fmcs.iter().position(|f| f.bundle.is_some() && f.bundle.as_deref() == tree)
    };
    for p in &paths {
        let folder = crate::firepower::peers::peer_folder_uuid(p);
        if let Some(at) = folder.and_then(by_uuid) {
            // One FMC's folder for the other: the pair's business is the primary's.
            return match by_bundle(p) {
                Some(own) if own != at && fmcs[own].fmc.ha_role == Some(HaRole::Primary) => own,
                _ => at,
            };
        }
    }
    for p in &paths {
        if let Some(at) = by_bundle(p) {
            return at;
        }
    }
    0
}

/// The systems of one component.
pub(super) fn systems(c: &Component, inputs: &Ctx<'_>, certs: &CertIndex<'_>) -> Vec<System> {
    let mut fmcs = fmcs_of(c, inputs);
    // Primary first.
    fmcs.sort_by_key(|f| f.fmc.ha_role != Some(HaRole::Primary));
    if fmcs.is_empty() {
        fmcs = by_ca(c, inputs, &certs.newest_by_ca);
    }
    let by_ca: std::collections::HashMap<&str, usize> =
        fmcs.iter().enumerate().filter_map(|(i, f)| f.ca.as_deref().map(|k| (k, i))).collect();
    let mut parts: Vec<Vec<Member>> = vec![Vec::new(); fmcs.len()];
    for m in &c.members {
        let at = if fmcs.len() == 1 {
            0
        } else if !by_ca.is_empty() {
            // Evidence that names no CA goes with the newest one.
            super::links::ca_keys_of(m, inputs).iter().find_map(|k| by_ca.get(k.as_str()).copied()).unwrap_or(0)
        } else {
            home(m, inputs, &fmcs)
        };
        parts[at].push(*m);
    }
    let all: Vec<Fmc> = fmcs.iter().map(|f| f.fmc.clone()).collect();
    let mut out = Vec::new();
    for (seen, members) in fmcs.into_iter().zip(parts) {
        if let Some(s) = system(seen, &members, inputs, certs, &all) {
            out.push(s);
        }
    }
    out
}

fn system(seen: FmcSeen, members: &[Member], cx: &Ctx<'_>, certs: &CertIndex<'_>, all: &[Fmc]) -> Option<System> {
    let mut cas = cas_of(members, cx, certs, &seen);
    if let Some(k) = &seen.ca {
        cas.retain(|c| ca_key(&c.cert.subject).as_ref() == Some(k));
    }
    let (current, previous, ca_conflict) = current_and_previous(&cas);
    let mut fmc = seen.fmc;
    fmc.version_at = fmc.version.as_ref().and(seen.version_at.clone());
    let own = fmc.clone();
    let own_tree = seen.bundle.clone();
    let mut registry = Registry::new(&own, all, own_tree.as_deref());
    registry.collect(members, cx);
    let mut notes: Vec<String> = seen.inferred.into_iter().collect();
    if fmc.ip.is_none() {
        match registry.inferred_fmc_ip() {
            Ok((ip, why)) => {
                fmc.ip = Some(ip);
                notes.push(why);
            }
            Err(Some(why)) => notes.push(why),
            Err(None) => {}
        }
    }
    let internal_ca = current.as_deref().map(|c| CaInfo::from_cert(c, cx.now)).or_else(|| named_ca(members, cx));
    let has_sftunnel = registry.has_devices() || internal_ca.is_some() || fmc != Fmc::default();
    if !has_sftunnel {
        return None;
    }
    // The InternalCA's CN is the FMC's UUID (the peer folder on its devices is named after it),
    // unless the FMC's own ims.conf gives two.
    let uuid_in_conflict = seen.conflicts.iter().any(|c| c.on == super::ConflictOn::FmcUuid);
    if fmc.uuid.is_none() && !uuid_in_conflict {
        fmc.uuid = internal_ca.as_ref().and_then(|c| cn_of(&c.subject)).and_then(Uuid::parse);
    }
    let findings: Vec<usize> =
        members.iter().filter_map(|m| if let Member::Finding(i) = m { Some(*i) } else { None }).collect();
    let name = super::naming::base_name(&fmc, members, cx, &registry);
    let (devices, push) = registry.finish(previous.as_deref(), current.as_deref());
    notes.extend(push.notes);
    let mut conflicts = seen.conflicts;
    if let Some(c) = super::versions::version_shown_older(&fmc, seen.version_at.as_deref(), members, cx) {
        // A version in conflict is not used (`provenance`).
        fmc.version = None;
        conflicts.push(c);
    }
    conflicts.extend(ca_conflict);
    conflicts.extend(push.conflicts);
    conflicts.extend(devices_disputed(members, cx));
    Some(System {
        id: name,
        fmc,
        internal_ca,
        previous_ca: previous.as_deref().map(|c| CaInfo::from_cert(c, cx.now)),
        state: State::Unknown,
        tunnels: Tunnels::Unknown,
        renewed_at: push.generated,
        devices,
        device_list: push.listed_by,
        next_steps: Vec::new(),
        collect: Vec::new(),
        notes,
        findings,
        loose: Vec::new(),
        conflicts,
        inputs: inputs_of(members, cx),
        plan_inputs: plan_inputs(own_tree.as_deref(), &push.facts, cx),
        push_facts: push.facts,
    })
}

/// What the counted `ims.conf` of the system's other appliances (not an FMC) give twice with
/// different values.
fn devices_disputed(members: &[Member], cx: &Ctx<'_>) -> Vec<super::Conflict> {
    let mut out = Vec::new();
    for m in members {
        let Member::Fact(i) = m else { continue };
        let Fact::Device { evidence, device } = &cx.facts[*i] else { continue };
        if device.role != crate::model::DeviceRole::Fmc && cx.counts(*i) {
            let who = device.hostname.as_deref().or_else(|| cx.trees.tree_of(&evidence.path)).unwrap_or("a device");
            out.extend(super::provenance::disputed(device, &evidence.path, who));
        }
    }
    out
}

/// The top-level inputs that hold the system's evidence, in order.
fn inputs_of(members: &[Member], cx: &Ctx<'_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in members {
        let path = match m {
            Member::Fact(i) => cx.facts[*i].evidence().path.as_str(),
            Member::Finding(i) => cx.findings[*i].evidence.first().map_or("", |e| e.path.as_str()),
            Member::Handshake(i) => cx.handshakes[*i].evidence.first().map_or("", |e| e.path.as_str()),
        };
        let top = super::outer_path(path);
        if !top.is_empty() && !out.iter().any(|x| x == top) {
            out.push(top.to_string());
        }
    }
    out
}

/// What `tlstriage plan` is run on: the FMC's own tree, then the FAILED_PUSH lists the system
/// uses that lie outside it (a copy given on its own while no tree of the FMC is in the inputs).
/// An appliance's root (`check` on the FMC itself reads `/`) is no input to read whole: the
/// lists it holds are named instead.
fn plan_inputs(own_tree: Option<&str>, push_facts: &[usize], cx: &Ctx<'_>) -> Vec<String> {
    let is_root = |t: &str| {
        push_facts
            .iter()
            .filter_map(|&i| cx.trees.place(&cx.facts[i].evidence().path))
            .any(|p| p.tree == t && p.layout == Layout::Root)
    };
    let own_tree = own_tree.filter(|t| !is_root(t));
    let mut out: Vec<String> = own_tree.map(|t| super::outer_path(t).to_string()).into_iter().collect();
    for &i in push_facts {
        let path = cx.facts[i].evidence().path.as_str();
        if own_tree.is_some() && cx.trees.tree_of(path) == own_tree {
            continue;
        }
        let top = super::outer_path(path);
        if !out.iter().any(|x| x == top) {
            out.push(top.to_string());
        }
    }
    out
}

/// The CA when no file or capture shows it: the InternalCA its devices report expired (an
/// `expired-ca` finding about depth 1 or more, or naming an InternalCA), with the subject and
/// end the reports give, if any.
fn named_ca(members: &[Member], cx: &Ctx<'_>) -> Option<CaInfo> {
    members.iter().find_map(|m| {
        let Member::Finding(i) = m else { return None };
        let f = &cx.findings[*i];
        // Reports of the devices (their logs, a capture, a verify error printed on one), not a
        // file judged on disk alone: a report names the depth of the chain it was at.
        let reported = f.shared.file.is_none() || f.depth.is_some();
        if f.kind != crate::diagnose::Kind::ExpiredCa || !reported {
            return None;
        }
        let cert = &f.shared.cert;
        let subject = cert.ca_subject.as_ref().or(f.certificate.subject.as_ref()).filter(|s| is_internal_ca(s));
        let chain_ca = f.depth.is_some_and(|d| d >= 1);
        (subject.is_some() || chain_ca).then(|| CaInfo {
            subject: subject.cloned().unwrap_or_default(),
            not_after: cert.ca_not_after,
            reported: true,
            ..Default::default()
        })
    })
}
