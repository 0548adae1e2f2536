//! What links a piece of evidence to others: the keys (bundle, UUID, host name, address,
//! InternalCA) a fact, a finding or a captured handshake names, strong or weak (`group` joins
//! the pieces by them).

use super::keys::{ca_key, ip_of, Key, Member};
use super::trees::Trees;
use super::Ctx;
use crate::diagnose::rules::shared::RejectedBy;
use crate::diagnose::Finding;
use crate::firepower::is_internal_ca;
use crate::firepower::peers::{peer_folder_uuid, uuid_from_path};
use crate::model::Fact;
use crate::model::{Context, Endpoint, Host, Uuid};

/// The keys a piece of evidence names: strong ones join groups, a weak one (a CA named only by
/// a log line) joins two only when at most one of them knows an address.
#[derive(Default)]
pub(super) struct Links {
    pub strong: Vec<Key>,
    pub weak: Vec<Key>,
}

/// A device name as a key: an address when the name is one.
fn name_or_ip(v: &str) -> Key {
    match ip_of(v) {
        Some(ip) => Key::Ip(ip),
        None => Key::Name(v.trim().to_ascii_lowercase()),
    }
}

/// A peer as a key: its address, else its name.
fn endpoint_key(e: &Endpoint) -> Key {
    match e.host() {
        Host::Ip(ip) => Key::Ip(*ip),
        Host::Name(n) => name_or_ip(n),
    }
}

/// The tree `path` lies in: one appliance's, so everything in it belongs together.
fn push_bundle(keys: &mut Vec<Key>, trees: &Trees<'_>, path: &str) {
    if let Some(t) = trees.tree_of(path) {
        keys.push(Key::Bundle(t.to_string()));
    }
}

/// The keys of fact `i`; none for a fact that does not count (it joins nothing).
pub(super) fn fact_links(i: usize, cx: &Ctx<'_>) -> Links {
    let mut l = Links::default();
    if !cx.counts(i) {
        return l;
    }
    let (f, trees) = (&cx.facts[i], &cx.trees);
    let path = f.evidence().path.as_str();
    let folder = peer_folder_uuid(path);
    match f {
        Fact::Device { device, .. } => {
            push_bundle(&mut l.strong, trees, path);
            l.strong.extend(device.uuid.map(Key::Uuid));
            l.strong.extend(device.hostname.iter().map(|n| Key::Name(n.to_ascii_lowercase())));
        }
        Fact::Peer { peer, .. } => {
            push_bundle(&mut l.strong, trees, path);
            l.strong.extend(peer.uuid.map(Key::Uuid));
            l.strong.extend(peer.name.iter().map(|n| Key::Name(n.to_ascii_lowercase())));
            l.strong.extend(peer.ip.iter().filter_map(|ip| ip_of(ip)).map(Key::Ip));
        }
        Fact::CertFile { certs, .. } => {
            let cas: Vec<Key> = certs.iter().filter_map(|c| ca_key(&c.subject)).map(Key::Ca).collect();
            let firepower = path.contains("ca_root") || path.contains("peers") || path.contains("sftunnel");
            if cas.is_empty() && !firepower {
                return l;
            }
            push_bundle(&mut l.strong, trees, path);
            l.strong.extend(folder.map(Key::Uuid));
            l.strong.extend(cas);
        }
        Fact::FailedPush { rows, .. } => {
            push_bundle(&mut l.strong, trees, path);
            for r in rows {
                l.strong.extend(Uuid::parse(&r.device_uuid).map(Key::Uuid));
                l.strong.push(Key::Name(r.device_name.to_ascii_lowercase()));
                l.strong.extend(ip_of(&r.device_ip).map(Key::Ip));
                l.strong.extend(uuid_from_path(&r.destination).map(Key::Uuid));
            }
        }
        Fact::TunnelConf { .. } => push_bundle(&mut l.strong, trees, path),
        Fact::Tunnel { tunnel, .. } => {
            // The peers of one status output belong to the one system it was run in.
            let at = trees.tree_of(path).unwrap_or(path);
            l.strong.push(Key::Bundle(at.to_string()));
            l.strong.extend(ip_of(&tunnel.peer).map(Key::Ip));
        }
        Fact::KeyFile { .. } => {}
    }
    l
}

pub(super) fn finding_links(f: &Finding, trees: &Trees<'_>) -> Links {
    let mut l = Links::default();
    if !matches!(f.context, Context::Sftunnel | Context::FmcHa) {
        return l;
    }
    for e in &f.evidence {
        push_bundle(&mut l.strong, trees, &e.path);
    }
    l.strong.extend(f.device.iter().map(|d| name_or_ip(d)));
    l.strong.extend(f.peer.iter().map(endpoint_key));
    let s = &f.shared;
    let rejecter = match &s.rejected_by {
        Some(RejectedBy::Device(h)) => Some(h),
        Some(RejectedBy::Side(_)) | None => None,
    };
    for host in [s.peer_ip.as_ref(), s.client.as_ref(), s.server.as_ref(), rejecter].into_iter().flatten() {
        l.strong.extend(host.ip().map(Key::Ip));
    }
    let named = f.data.identifiers();
    l.strong.extend(named.addresses.iter().filter_map(|a| ip_of(a)).map(Key::Ip));
    l.strong.extend(named.uuids.iter().map(|u| Key::Uuid(*u)));
    l.strong.extend(named.names.iter().map(|n| Key::Name(n.to_ascii_lowercase())));
    let subject = f.certificate.subject.as_deref().filter(|s| is_internal_ca(s));
    match (subject.and_then(ca_key), f.certificate.sha256.is_some()) {
        (Some(k), true) => l.strong.push(Key::Ca(k)),
        (Some(k), false) => l.weak.push(Key::Ca(k)),
        (None, _) => {}
    }
    let ca_subjects = s.cert.ca_subject.as_deref().into_iter().chain(named.ca_subjects.iter().copied());
    l.weak.extend(ca_subjects.filter_map(ca_key).map(Key::Ca));
    l
}

/// The keys of handshake `i`: its two addresses and what its chain names (read once per
/// distinct chain, [`Chains`](super::chains::Chains)).
pub(super) fn handshake_links(i: usize, cx: &Ctx<'_>) -> Links {
    let mut l = Links::default();
    let h = &cx.handshakes[i];
    if !cx.chains.is_sftunnel(i, h) {
        return l;
    }
    l.strong.push(Key::Ip(h.client.ip()));
    l.strong.push(Key::Ip(h.server.ip()));
    l.strong.extend(cx.chains.of(i).keys.iter().cloned());
    l
}

/// The InternalCAs of handshake `i`'s chain (by key): its only [`Key::Ca`] links, without
/// reading its addresses.
fn handshake_ca_keys(i: usize, cx: &Ctx<'_>) -> Vec<String> {
    if cx.chains.is_sftunnel(i, &cx.handshakes[i]) {
        cx.chains.of(i).ca_keys.clone()
    } else {
        Vec::new()
    }
}

/// The InternalCAs a piece of evidence names (by key).
pub(super) fn ca_keys_of(m: &Member, cx: &Ctx<'_>) -> Vec<String> {
    let links = match m {
        Member::Fact(i) => fact_links(*i, cx),
        Member::Finding(i) => finding_links(&cx.findings[*i], &cx.trees),
        Member::Handshake(i) => return handshake_ca_keys(*i, cx),
    };
    let mut out: Vec<String> = Vec::new();
    for k in links.strong.into_iter().chain(links.weak) {
        if let Key::Ca(c) = k {
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out
}
