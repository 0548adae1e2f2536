//! From a component of linked evidence to systems: which FMCs it holds (an HA pair gives two),
//! which evidence belongs to which FMC, and each FMC's InternalCAs.

use std::sync::Arc;

use super::devices::Registry;
use super::fmcs::{by_ca, fmcs_of, FmcSeen};
use super::group::Component;
use super::keys::{bundle_of, ca_key, Member};
use super::{CaInfo, Fmc, HaRole, Inputs, State, System, Tunnels};
use crate::firepower::is_internal_ca;
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

/// The InternalCAs of a set of members: certificate files and certificates on the wire, each
/// with whether it is the FMC's own `/etc/sf/ca_root/cacert.pem`.
fn cas_of(
    members: &[Member],
    inputs: &Inputs<'_>,
    certs: &CertIndex<'_>,
    own_bundle: Option<&str>,
) -> Vec<(Arc<CertSummary>, bool)> {
    let mut out: Vec<(Arc<CertSummary>, bool)> = Vec::new();
    let mut at: std::collections::HashMap<CertId, usize> = std::collections::HashMap::new();
    let mut add = |c: &Arc<CertSummary>, own: bool| {
        if !c.is_ca || !is_internal_ca(&c.subject) {
            return;
        }
        match at.get(&c.id()) {
            Some(&i) => out[i].1 |= own,
            None => {
                at.insert(c.id(), out.len());
                out.push((c.clone(), own));
            }
        }
    };
    for m in members {
        match m {
            Member::Fact(i) => {
                if let Fact::CertFile { evidence, certs } = &inputs.facts[*i] {
                    let own = evidence.path.ends_with("ca_root/cacert.pem")
                        && (own_bundle.is_none() || bundle_of(&evidence.path) == own_bundle);
                    certs.iter().for_each(|c| add(c, own));
                }
            }
            Member::Handshake(i) => {
                for hc in &inputs.handshakes[*i].certificates {
                    if let Some(c) = certs.by_sha.get(&hc.sha256) {
                        add(c, false);
                    }
                }
            }
            Member::Finding(_) => {}
        }
    }
    out
}

/// The current CA (own `ca_root` first, then the newest) and the one it replaced.
fn current_and_previous(cas: &[(Arc<CertSummary>, bool)]) -> (Option<Arc<CertSummary>>, Option<Arc<CertSummary>>) {
    let newest = |it: &mut dyn Iterator<Item = &Arc<CertSummary>>| it.max_by_key(|c| (c.not_before, c.sha256)).cloned();
    let current = newest(&mut cas.iter().filter(|(_, own)| *own).map(|(c, _)| c))
        .or_else(|| newest(&mut cas.iter().map(|(c, _)| c)));
    // generate_certs.pl keeps the CA's name: an older CA of the same name is the one it replaced.
    let previous = current.as_ref().and_then(|cur| {
        let key = ca_key(&cur.subject);
        newest(
            &mut cas
                .iter()
                .map(|(c, _)| c)
                .filter(|c| c.id() != cur.id() && c.not_before < cur.not_before && ca_key(&c.subject) == key),
        )
    });
    (current, previous)
}

/// Which FMC a member belongs to when a component holds several: evidence inside a peer
/// folder named after an FMC is that FMC's; the rest goes with the bundle's own FMC, else the
/// first (primary) one.
fn home(m: &Member, inputs: &Inputs<'_>, fmcs: &[FmcSeen]) -> usize {
    let paths: Vec<&str> = match m {
        Member::Fact(i) => vec![inputs.facts[*i].evidence().path.as_str()],
        Member::Finding(i) => inputs.findings[*i].evidence.iter().map(|e| e.path.as_str()).collect(),
        Member::Handshake(_) => vec![],
    };
    let by_uuid = |u: Uuid| fmcs.iter().position(|f| f.fmc.uuid == Some(u));
    let by_bundle = |p: &str| fmcs.iter().position(|f| f.bundle.is_some() && f.bundle.as_deref() == bundle_of(p));
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
        if let Some(at) = fmcs.iter().position(|f| f.bundle.is_some() && f.bundle.as_deref() == bundle_of(p)) {
            return at;
        }
    }
    0
}

/// The systems of one component.
pub(super) fn systems(c: &Component, inputs: &Inputs<'_>, certs: &CertIndex<'_>) -> Vec<System> {
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

fn system(
    seen: FmcSeen,
    members: &[Member],
    inputs: &Inputs<'_>,
    certs: &CertIndex<'_>,
    all: &[Fmc],
) -> Option<System> {
    let mut cas = cas_of(members, inputs, certs, seen.bundle.as_deref());
    if let Some(k) = &seen.ca {
        cas.retain(|(c, _)| ca_key(&c.subject).as_ref() == Some(k));
    }
    let (current, previous) = current_and_previous(&cas);
    let mut fmc = seen.fmc;
    let own = fmc.clone();
    let mut registry = Registry::new(&own, all);
    registry.collect(members, inputs);
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
    let internal_ca =
        current.as_deref().map(|c| CaInfo::from_cert(c, inputs.now)).or_else(|| named_ca(members, inputs));
    let has_sftunnel = registry.has_devices() || internal_ca.is_some() || fmc != Fmc::default();
    if !has_sftunnel {
        return None;
    }
    let findings: Vec<usize> =
        members.iter().filter_map(|m| if let Member::Finding(i) = m { Some(*i) } else { None }).collect();
    let mut inputs_used: Vec<String> = Vec::new();
    let mut seen_inputs = std::collections::HashSet::new();
    for m in members {
        let path = match m {
            Member::Fact(i) => inputs.facts[*i].evidence().path.as_str(),
            Member::Finding(i) => inputs.findings[*i].evidence.first().map_or("", |e| e.path.as_str()),
            Member::Handshake(i) => inputs.handshakes[*i].evidence.first().map_or("", |e| e.path.as_str()),
        };
        let outer = super::outer_path(path).to_string();
        if !outer.is_empty() && seen_inputs.insert(outer.clone()) {
            inputs_used.push(outer);
        }
    }
    let id = system_id(&fmc, internal_ca.as_ref(), &registry);
    let (devices, push) = registry.finish(previous.as_deref(), current.as_deref());
    notes.extend(push.notes);
    Some(System {
        id,
        fmc,
        internal_ca,
        previous_ca: previous.as_deref().map(|c| CaInfo::from_cert(c, inputs.now)),
        state: State::Unknown,
        tunnels: Tunnels::Unknown,
        renewed_at: push.generated,
        devices,
        next_steps: Vec::new(),
        collect: Vec::new(),
        notes,
        findings,
        inputs: inputs_used,
        push_inputs: push.inputs,
    })
}

/// The CA when only logs name it: the InternalCA subject of the system's `expired-ca` findings.
fn named_ca(members: &[Member], inputs: &Inputs<'_>) -> Option<CaInfo> {
    members.iter().find_map(|m| {
        let Member::Finding(i) = m else { return None };
        let f = &inputs.findings[*i];
        let cert = &f.shared.cert;
        let subject = cert.ca_subject.as_ref().or(f.certificate.subject.as_ref()).filter(|s| is_internal_ca(s))?;
        (f.kind == crate::diagnose::Kind::ExpiredCa).then(|| CaInfo {
            subject: subject.clone(),
            not_after: cert.ca_not_after,
            ..Default::default()
        })
    })
}

fn system_id(fmc: &Fmc, ca: Option<&CaInfo>, registry: &Registry) -> String {
    let slug = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c.to_ascii_lowercase() } else { '-' })
            .collect()
    };
    if let Some(n) = &fmc.name {
        return slug(n);
    }
    if let Some(u) = &fmc.uuid {
        return format!("fmc-{}", slug(u.as_str()));
    }
    if let Some(k) = ca.and_then(|c| ca_key(&c.subject)).filter(|k| crate::firepower::peers::is_uuid(k)) {
        return format!("ca-{k}");
    }
    if let Some(ip) = &fmc.ip {
        return format!("fmc-{}", slug(&ip.to_string()));
    }
    match registry.first_device_label() {
        Some(d) => format!("managing-{}", slug(&d)),
        None => "system".to_string(),
    }
}
