//! Linking the evidence of a run into components: two pieces belong together when they name
//! the same bundle, UUID, host name, address or InternalCA.
//!
//! A CA named only by a log line (no certificate bytes) is a weak link: it joins two groups
//! only when at most one of them knows any address, so an FTD of another lab whose log happens
//! to quote a CA name is not pulled into a system it never talked to.

use std::collections::HashMap;
use std::net::IpAddr;

use rayon::prelude::*;

use super::Inputs;
use crate::diagnose::rules::shared::RejectedBy;
use crate::diagnose::Finding;
use crate::firepower::peers::{peer_folder_uuid, uuid_from_path};
use crate::model::DisplayPath;
use crate::model::Fact;
use crate::model::{Context, Endpoint, Handshake, Host, Uuid};

/// What links evidence.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Key {
    /// The outer archive a piece of evidence was read from.
    Bundle(String),
    Uuid(Uuid),
    /// A host name, lower-cased.
    Name(String),
    Ip(IpAddr),
    /// An InternalCA: the UUID of its CN, else its subject.
    Ca(String),
}

/// One piece of evidence, by its index in the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Member {
    Fact(usize),
    Finding(usize),
    Handshake(usize),
}

/// Evidence that belongs together, in the order of the report.
#[derive(Clone, Debug, Default)]
pub(super) struct Component {
    pub members: Vec<Member>,
}

#[derive(Default)]
struct Links {
    strong: Vec<Key>,
    weak: Vec<Key>,
}

/// The archive of an evidence path, when it was read from one.
pub(super) fn bundle_of(path: &str) -> Option<&str> {
    DisplayPath::new(path).outermost_archive()
}

/// The address of a value kept as its source wrote it (a peer file's `ip`, a FAILED_PUSH row, a
/// status output's peer): `ip`, `ip:port` or `[v6]:port`; `None` when it is not an address.
/// Values the readers type (attempts, handshakes, findings) are never read this way.
pub(super) fn ip_of(addr: &str) -> Option<IpAddr> {
    let a = addr.trim();
    if let Ok(ip) = a.parse() {
        return Some(ip);
    }
    if let Some(rest) = a.strip_prefix('[') {
        return rest.split_once(']').and_then(|(ip, _)| ip.parse().ok());
    }
    a.rsplit_once(':').and_then(|(ip, _)| ip.parse().ok())
}

/// The value of `CN=` in a subject written `/A=b/CN=c` or `A=b, CN=c`.
pub(super) fn cn_of(subject: &str) -> Option<&str> {
    // The parts between separators, found with memchr: this runs for every certificate of
    // every handshake of a capture.
    let ends = memchr::memchr2_iter(b'/', b',', subject.as_bytes()).chain(std::iter::once(subject.len()));
    let mut start = 0;
    for end in ends {
        let part = subject.get(start..end).unwrap_or("").trim();
        if let Some(cn) = part.strip_prefix("CN=") {
            return Some(cn);
        }
        start = end + 1;
    }
    None
}

use crate::firepower::is_internal_ca;

/// The key of an InternalCA subject.
pub(super) fn ca_key(subject: &str) -> Option<String> {
    if !is_internal_ca(subject) {
        return None;
    }
    Some(match cn_of(subject) {
        Some(cn) if crate::firepower::peers::is_uuid(cn) => cn.to_ascii_lowercase(),
        _ => subject.to_string(),
    })
}

/// A handshake of sftunnel: TCP 8305, or an InternalCA in the chain.
pub(super) fn is_sftunnel(h: &Handshake) -> bool {
    h.server.port() == crate::firepower::SFTUNNEL_PORT || h.certificates.iter().any(|c| is_internal_ca(&c.subject))
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
    match &e.host {
        Host::Ip(ip) => Key::Ip(*ip),
        Host::Name(n) => name_or_ip(n),
    }
}

fn push_bundle(keys: &mut Vec<Key>, path: &str) {
    if let Some(b) = bundle_of(path) {
        keys.push(Key::Bundle(b.to_string()));
    }
}

fn fact_links(f: &Fact) -> Links {
    let mut l = Links::default();
    let path = f.evidence().path.as_str();
    let folder = peer_folder_uuid(path);
    match f {
        Fact::Device { device, .. } => {
            push_bundle(&mut l.strong, path);
            l.strong.extend(device.uuid.map(Key::Uuid));
            l.strong.extend(device.hostname.iter().map(|n| Key::Name(n.to_ascii_lowercase())));
        }
        Fact::Peer { peer, .. } => {
            push_bundle(&mut l.strong, path);
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
            push_bundle(&mut l.strong, path);
            l.strong.extend(folder.map(Key::Uuid));
            l.strong.extend(cas);
        }
        Fact::FailedPush { rows, .. } => {
            push_bundle(&mut l.strong, path);
            for r in rows {
                l.strong.extend(Uuid::parse(&r.device_uuid).map(Key::Uuid));
                l.strong.push(Key::Name(r.device_name.to_ascii_lowercase()));
                l.strong.extend(ip_of(&r.device_ip).map(Key::Ip));
                l.strong.extend(uuid_from_path(&r.destination).map(Key::Uuid));
            }
        }
        Fact::TunnelConf { .. } => push_bundle(&mut l.strong, path),
        Fact::Tunnel { tunnel, .. } => {
            // The peers of one status output belong to the one system it was run in.
            match bundle_of(path) {
                Some(b) => l.strong.push(Key::Bundle(b.to_string())),
                None => l.strong.push(Key::Bundle(path.to_string())),
            }
            l.strong.extend(ip_of(&tunnel.peer).map(Key::Ip));
        }
        Fact::KeyFile { .. } => {}
    }
    l
}

fn finding_links(f: &Finding) -> Links {
    let mut l = Links::default();
    if !matches!(f.context, Context::Sftunnel | Context::FmcHa) {
        return l;
    }
    for e in &f.evidence {
        push_bundle(&mut l.strong, &e.path);
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

fn handshake_links(h: &Handshake) -> Links {
    let mut l = Links::default();
    if !is_sftunnel(h) {
        return l;
    }
    l.strong.push(Key::Ip(h.client.ip()));
    l.strong.push(Key::Ip(h.server.ip()));
    for c in &h.certificates {
        if let Some(k) = ca_key(&c.subject) {
            l.strong.push(Key::Ca(k));
        } else if let Some(u) = cn_of(&c.subject).and_then(Uuid::parse) {
            l.strong.push(Key::Uuid(u));
        }
    }
    l
}

/// The InternalCAs of a handshake's chains (by key): its only [`Key::Ca`] links, without
/// reading its addresses.
fn handshake_ca_keys(h: &Handshake) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if is_sftunnel(h) {
        for k in h.certificates.iter().filter_map(|c| ca_key(&c.subject)) {
            if !out.contains(&k) {
                out.push(k);
            }
        }
    }
    out
}

/// The InternalCAs a piece of evidence names (by key).
pub(super) fn ca_keys_of(m: &Member, inputs: &Inputs<'_>) -> Vec<String> {
    let links = match m {
        Member::Fact(i) => fact_links(&inputs.facts[*i]),
        Member::Finding(i) => finding_links(&inputs.findings[*i]),
        Member::Handshake(i) => return handshake_ca_keys(&inputs.handshakes[*i]),
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

/// Union-find over keys; each root knows whether its group holds an address.
#[derive(Default)]
struct Sets {
    ids: HashMap<Key, usize>,
    parent: Vec<usize>,
    has_ip: Vec<bool>,
}

impl Sets {
    fn id(&mut self, k: &Key) -> usize {
        if let Some(&i) = self.ids.get(k) {
            return i;
        }
        let i = self.parent.len();
        self.parent.push(i);
        self.has_ip.push(matches!(k, Key::Ip(_)));
        self.ids.insert(k.clone(), i);
        i
    }
    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }
    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.parent[b] = a;
            self.has_ip[a] |= self.has_ip[b];
        }
    }
}

/// The components of a run's sftunnel evidence, in the order of their first member.
pub(super) fn components(inputs: &Inputs<'_>) -> Vec<Component> {
    let mut members: Vec<(Member, Links)> = Vec::new();
    members.extend(inputs.facts.iter().enumerate().map(|(i, f)| (Member::Fact(i), fact_links(f))));
    members.extend(inputs.findings.iter().enumerate().map(|(i, f)| (Member::Finding(i), finding_links(f))));
    // A capture brings thousands of handshakes: their links are read in parallel.
    let handshakes: Vec<Links> = inputs.handshakes.par_iter().map(handshake_links).collect();
    members.extend(handshakes.into_iter().enumerate().map(|(i, l)| (Member::Handshake(i), l)));
    let mut sets = Sets::default();
    let mut anchor: Vec<Option<usize>> = Vec::with_capacity(members.len());
    for (_, links) in &members {
        let ids: Vec<usize> = links.strong.iter().map(|k| sets.id(k)).collect();
        for w in ids.windows(2) {
            sets.union(w[0], w[1]);
        }
        anchor.push(ids.first().copied());
    }
    for (n, (_, links)) in members.iter().enumerate() {
        for k in &links.weak {
            let target = sets.id(k);
            match anchor[n] {
                None => anchor[n] = Some(target),
                Some(a) => {
                    let (ra, rt) = (sets.find(a), sets.find(target));
                    if ra != rt && !(sets.has_ip[ra] && sets.has_ip[rt]) {
                        sets.union(ra, rt);
                    }
                }
            }
        }
    }
    let mut by_root: HashMap<usize, usize> = HashMap::new();
    let mut out: Vec<Component> = Vec::new();
    for (n, (member, _)) in members.iter().enumerate() {
        let Some(a) = anchor[n] else { continue };
        let root = sets.find(a);
        let at = *by_root.entry(root).or_insert_with(|| {
            out.push(Component::default());
            out.len() - 1
        });
        out[at].members.push(*member);
    }
    out
}
