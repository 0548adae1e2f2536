//! The devices of one system: who they are (ims.conf, peer files, FAILED_PUSH rows, log hosts,
//! capture ends), whether their tunnel is up, and whether they still lack the current CA.

use std::collections::HashMap;
use std::net::IpAddr;

use jiff::Timestamp;

use super::keys::{ip_of, Member};
use super::provenance::Conflict;
use super::{Ctx, Device, Fmc};
use crate::model::{CertId, DeviceRole, Fact, Uuid};
use crate::model::{Evidence, Outcome};

mod entry;
mod finish;
mod seen;
mod statuses;

use entry::DevKey;

/// At most this many pieces of evidence per device.
const MAX_DEVICE_EVIDENCE: usize = 6;

type Seen = (Option<Timestamp>, Evidence);

#[derive(Default)]
struct Dev {
    device: Device,
    /// Where its address was read, when a file that names devices gave it (FAILED_PUSH, a peer's
    /// `sftunnel.json`).
    ip_at: Option<String>,
    up: Option<Seen>,
    down: Option<Seen>,
    /// The CA in its peer folder, with where it was read.
    holds: Vec<(CertId, Evidence)>,
    /// What each status output about its tunnel says: up (`true`) or down, when it was taken.
    statuses: Vec<(bool, Option<Timestamp>, Evidence)>,
}

/// A status output taken on a device outside any device's tree: the tunnel to `peer`, up or
/// down, when it was taken and where it is.
struct Unplaced {
    peer: IpAddr,
    up: bool,
    at: Option<Timestamp>,
    evidence: Evidence,
}

/// What the newest FAILED_PUSH of a system says, and the sources that disagree on a device.
#[derive(Default)]
pub(super) struct PushInfo {
    pub generated: Option<Timestamp>,
    /// The FAILED_PUSH facts of the newest run, by index.
    pub facts: Vec<usize>,
    pub notes: Vec<String>,
    pub conflicts: Vec<Conflict>,
    /// Where the FMC's own side lists its devices (its tree's peer folders, `sftunnel_status.pl`
    /// run on it); `None` when the inputs only name the devices they happen to show.
    pub listed_by: Option<super::DeviceList>,
}

pub(super) struct Registry<'a> {
    own: &'a Fmc,
    /// The FMC's own tree: a log in it is the FMC's.
    own_tree: Option<&'a str>,
    /// Names (lower-cased) that a file names as a device (an FTD's `ims.conf`, FAILED_PUSH rows,
    /// a managed peer's `sftunnel.json`): a log of such a host connects to its FMC.
    device_names: std::collections::HashSet<String>,
    /// Log hosts of unknown role and the addresses they connect to.
    unsure: Vec<(String, Vec<IpAddr>)>,
    /// Status outputs taken on a device outside any device's tree, placed in `finish`.
    unplaced: Vec<Unplaced>,
    all: &'a [Fmc],
    devs: Vec<Dev>,
    /// The devices by UUID, name and address: lookups stay constant in the number of devices.
    index: HashMap<DevKey, usize>,
    fmc_ips: Vec<(IpAddr, String)>,
    fmc_ip_set: std::collections::HashSet<IpAddr>,
    push: PushInfo,
    /// Devices of the newest FAILED_PUSH, by index.
    pushed: Vec<(usize, Evidence)>,
    pushed_set: std::collections::HashSet<usize>,
}

fn later(a: &Option<Seen>, t: Option<Timestamp>) -> bool {
    a.as_ref().is_none_or(|(old, _)| t >= *old)
}

fn eq(a: &Option<String>, b: Option<&str>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b))
}

/// Whether both values are known and equal.
fn same<T: PartialEq>(a: Option<T>, b: Option<T>) -> bool {
    a.is_some() && a == b
}

impl<'a> Registry<'a> {
    pub fn new(own: &'a Fmc, all: &'a [Fmc], own_tree: Option<&'a str>) -> Self {
        Registry {
            own,
            own_tree,
            device_names: Default::default(),
            unsure: Vec::new(),
            unplaced: Vec::new(),
            all,
            devs: Vec::new(),
            index: HashMap::new(),
            fmc_ips: Vec::new(),
            fmc_ip_set: Default::default(),
            push: PushInfo::default(),
            pushed: Vec::new(),
            pushed_set: Default::default(),
        }
    }

    /// The FMC (of any system in the component) with this name, address or UUID.
    fn fmc_named(&self, name: Option<&str>, ip: Option<IpAddr>, uuid: Option<Uuid>) -> Option<&Fmc> {
        self.all.iter().find(|f| eq(&f.name, name) || same(f.ip, ip) || same(f.uuid, uuid))
    }

    fn is_own(&self, f: &Fmc) -> bool {
        (f.uuid.is_some() && f.uuid == self.own.uuid) || (f.name.is_some() && f.name == self.own.name)
    }

    fn own_ip(&self) -> Option<IpAddr> {
        self.own.ip.or_else(|| (self.fmc_ips.len() == 1).then(|| self.fmc_ips[0].0))
    }

    pub fn collect(&mut self, members: &[Member], inputs: &Ctx<'_>) {
        // The device each tree comes from.
        let mut bundle_device: HashMap<&str, usize> = HashMap::new();
        for m in members {
            let Member::Fact(i) = m else { continue };
            if let Fact::Device { evidence, device } = &inputs.facts[*i] {
                if device.role != DeviceRole::Fmc {
                    let at = self.named_entry(device.hostname.as_deref(), None, device.uuid, &evidence.path);
                    if let (Some(at), Some(b)) = (at, inputs.trees.tree_of(&evidence.path)) {
                        bundle_device.insert(b, at);
                    }
                }
            }
        }
        if self.own_tree.is_some() {
            self.push.listed_by = Some(super::DeviceList::FmcTree);
        }
        for m in members {
            match m {
                Member::Fact(i) => self.fact(*i, inputs, &bundle_device),
                Member::Finding(i) => self.finding(&inputs.findings[*i], inputs),
                Member::Handshake(i) => {
                    let h = &inputs.handshakes[*i];
                    if !inputs.chains.is_sftunnel(*i, h) {
                        continue;
                    }
                    let e = h.evidence.first().cloned().unwrap_or_default();
                    let up = h.outcome == Outcome::Established;
                    let down = h.outcome.is_failure();
                    if let Some(at) = self.capture_device(Some(h.client.ip()), Some(h.server.ip())) {
                        self.mark(at, up, down, h.start, e);
                    }
                }
            }
        }
        for m in members {
            if let Member::Fact(i) = m {
                self.own_peer_folder(&inputs.facts[*i], inputs);
            }
        }
    }

    /// A file under `/var/sf/peers/<UUID>/` of the FMC's own tree: the FMC keeps one such folder
    /// per managed device, so the folder names a device even when nothing else does (read after
    /// every other fact, so that a device already known by its UUID is found by it).
    fn own_peer_folder(&mut self, fact: &Fact, cx: &Ctx<'_>) {
        let path = fact.evidence().path.as_str();
        if self.own_tree.is_none() || cx.trees.tree_of(path) != self.own_tree {
            return;
        }
        if let Some(uuid) = crate::firepower::peers::peer_folder_uuid(path) {
            self.entry(None, None, Some(uuid));
        }
    }

    fn fact(&mut self, index: usize, cx: &Ctx<'_>, bundle_device: &HashMap<&str, usize>) {
        let fact = &cx.facts[index];
        match fact {
            Fact::Peer { peer, evidence } if !super::fmcs::is_manager_role(peer.role.as_deref()) => {
                let ip = peer.ip.as_deref().and_then(ip_of);
                self.named_entry(peer.name.as_deref(), ip, peer.uuid, &evidence.path);
            }
            Fact::FailedPush { evidence, generated, rows } => {
                let newer = self.pushed.is_empty() || *generated > self.push.generated;
                if newer {
                    self.pushed.clear();
                    self.pushed_set.clear();
                    self.push.generated = *generated;
                    self.push.facts.clear();
                }
                for r in rows {
                    let ip = ip_of(&r.device_ip);
                    let uuid = Uuid::parse(&r.device_uuid);
                    let Some(at) = self.named_entry(Some(&r.device_name), ip, uuid, &evidence.path) else {
                        continue;
                    };
                    let mut e = evidence.clone();
                    e.line = r.line;
                    e.time = *generated;
                    self.mark(at, false, true, *generated, e.clone());
                    if newer && self.pushed_set.insert(at) {
                        self.pushed.push((at, e));
                    }
                }
                if newer && !self.push.facts.contains(&index) {
                    self.push.facts.push(index);
                }
            }
            Fact::CertFile { evidence, certs } => {
                let Some(&at) = cx.trees.tree_of(&evidence.path).and_then(|b| bundle_device.get(b)) else { return };
                // A backup beside the live file is what was replaced, not what the device uses.
                let backup = crate::firepower::roles::place_of_path(&evidence.path) == crate::model::Place::Backup;
                if !evidence.path.contains("peers") || backup {
                    return;
                }
                for c in certs.iter().filter(|c| c.is_ca) {
                    self.devs[at].holds.push((c.id(), evidence.clone()));
                }
            }
            Fact::Tunnel { evidence, tunnel } => self.tunnel_fact(evidence, tunnel, cx, bundle_device),
            _ => {}
        }
    }

    /// A status output's view of one tunnel. On a device (its CLI commands, or any output in a
    /// device's bundle) the peer is the FMC and the tunnel is the bundle's device's; on an FMC
    /// (`sftunnel_status.pl` outside a device bundle) the peer is the device.
    fn tunnel_fact(
        &mut self,
        evidence: &Evidence,
        t: &crate::model::TunnelStatus,
        cx: &Ctx<'_>,
        bundle_device: &HashMap<&str, usize>,
    ) {
        let state = t.state();
        if state == crate::model::TunnelState::Unknown {
            return;
        }
        let up = state == crate::model::TunnelState::Up;
        let peer_ip = ip_of(&t.peer);
        let in_device_bundle = cx.trees.tree_of(&evidence.path).and_then(|b| bundle_device.get(b)).copied();
        let on_device = in_device_bundle.is_some() || t.command != "sftunnel_status.pl";
        let at = if on_device {
            if let (Some(ip), None) = (peer_ip, in_device_bundle) {
                // Whose it is shows once every device is known (its peer may be one of them).
                self.unplaced.push(Unplaced { peer: ip, up, at: t.at, evidence: evidence.clone() });
            }
            // A peer known as a device is not the FMC.
            let a_device = |ip: IpAddr| self.devs.iter().any(|d| d.device.ip == Some(ip));
            if let Some(ip) = peer_ip.filter(|ip| !a_device(*ip)) {
                self.note_fmc_ip(ip, format!("the FMC address is the peer of {} on a device", t.command));
            }
            in_device_bundle
        } else {
            // sftunnel_status.pl on the FMC prints every peer it manages.
            self.push.listed_by.get_or_insert(super::DeviceList::FmcStatus);
            self.entry(None, peer_ip, None)
        };
        if let Some(at) = at {
            self.status(at, up, t.at, evidence.clone());
        }
    }

    /// A status output about device `at`'s tunnel.
    fn status(&mut self, at: usize, up: bool, t: Option<Timestamp>, e: Evidence) {
        self.mark(at, up, !up, t, e.clone());
        self.devs[at].statuses.push((up, t, e));
    }

    fn mark(&mut self, at: usize, up: bool, down: bool, t: Option<Timestamp>, e: Evidence) {
        let d = &mut self.devs[at];
        if up && later(&d.up, t) {
            d.up = Some((t, e.clone()));
        }
        if down && later(&d.down, t) {
            d.down = Some((t, e.clone()));
        }
        if d.device.evidence.len() < MAX_DEVICE_EVIDENCE && !d.device.evidence.contains(&e) {
            d.device.evidence.push(e);
        }
    }

    pub fn has_devices(&self) -> bool {
        !self.devs.is_empty()
    }

    /// The first device's name, and the first device's address, when known.
    pub fn first_device_name(&self) -> Option<&str> {
        self.devs.iter().find_map(|d| d.device.name.as_deref())
    }

    pub fn first_device_ip(&self) -> Option<IpAddr> {
        self.devs.iter().find_map(|d| d.device.ip)
    }
}
