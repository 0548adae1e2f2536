//! The systems' answer about each finding of a run, which the findings themselves never carry:
//! the system it belongs to, and the box it was seen on, named as the systems name it (the
//! table's device column, the JSON `facts.device`, the HTML card).

use super::keys::ip_of;
use super::{Ctx, System};
use crate::diagnose::Finding;
use crate::model::Host;

/// Which system each finding belongs to, and where it was seen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FindingSystems {
    /// By finding index: the index of its system.
    by_finding: Vec<Option<usize>>,
    /// By finding index: the box it was seen on.
    seen_on: Vec<Option<String>>,
}

impl FindingSystems {
    /// The systems' membership turned around (finding → system), and where each finding was seen.
    pub(super) fn of(systems: &[System], cx: &Ctx<'_>) -> Self {
        let mut by_finding = vec![None; cx.findings.len()];
        for (at, s) in systems.iter().enumerate() {
            for &i in &s.findings {
                if let Some(slot) = by_finding.get_mut(i) {
                    *slot = Some(at);
                }
            }
        }
        let seen_on = cx
            .findings
            .iter()
            .zip(&by_finding)
            .map(|(f, at)| seen_on(f, at.and_then(|at| systems.get(at)), cx))
            .collect();
        FindingSystems { by_finding, seen_on }
    }

    /// The index of the system finding `i` belongs to.
    pub fn of_finding(&self, i: usize) -> Option<usize> {
        self.by_finding.get(i).copied().flatten()
    }

    /// The box finding `i` was seen on.
    pub fn seen_on(&self, i: usize) -> Option<&str> {
        self.seen_on.get(i).and_then(|s| s.as_deref())
    }
}

/// The box a finding was seen on: the host its log names; else the appliance whose tree holds
/// its file; else, for a capture, the end that is not the peer (the device, by its name in the
/// system when known); else, in a system, its FMC when the peer is one of its devices. A device
/// no input names stays unnamed (its peer, the FMC, is named instead: [`System::name_of_peer`]).
fn seen_on(f: &Finding, system: Option<&System>, cx: &Ctx<'_>) -> Option<String> {
    if let Some(d) = &f.device {
        return Some(d.clone());
    }
    let host = f.evidence.iter().find_map(|e| cx.trees.owner_of(&e.path).and_then(|d| d.hostname.clone()));
    if host.is_some() {
        return host;
    }
    let peer_ip = f.peer.as_ref().and_then(|p| p.ip());
    let ends = [f.shared.client.as_ref(), f.shared.server.as_ref()];
    if let Some(end) = ends.into_iter().flatten().find(|h| h.ip().is_some() && h.ip() != peer_ip) {
        let ip = end.ip();
        let named =
            system.and_then(|s| s.devices.iter().find(|d| d.ip.is_some() && d.ip == ip)).and_then(|d| d.name.clone());
        return Some(named.unwrap_or_else(|| host_text(end)));
    }
    let s = system?;
    let peer_is_device = peer_ip.is_some_and(|ip| s.devices.iter().any(|d| d.ip == Some(ip) && !d.fmc))
        || f.peer.as_ref().is_some_and(|p| s.devices.iter().any(|d| d.name.as_deref() == Some(p.to_string().as_str())));
    peer_is_device.then(|| s.fmc.name.clone().or_else(|| s.fmc.ip.map(|i| i.to_string()))).flatten()
}

fn host_text(h: &Host) -> String {
    match h {
        Host::Ip(ip) => ip.to_string(),
        Host::Name(n) => ip_of(n).map_or_else(|| n.clone(), |ip| ip.to_string()),
    }
}
