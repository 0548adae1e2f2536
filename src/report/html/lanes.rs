//! The lanes of the HTML timeline, one per peer or device: the failures of every finding at
//! its peer, the captured handshakes that succeeded at their server, and the systems' own
//! moments: the end (notAfter) of an InternalCA that has ended or ends within
//! [`CA_END_HORIZON_DAYS`] of the last event or of now, the renewal (`generate_certs.pl`), and
//! each push that FAILED_PUSH lists (at the time the file was written), each on the lane of the
//! device it concerns. A lane is named as the systems name its device: name, then address.

use std::collections::BTreeMap;
use std::net::IpAddr;

use jiff::Timestamp;

use super::sources::{SourceKind, Sources};
use crate::analyze::Report;
use crate::model::{Fact, Outcome};
use crate::report::findings_grid;
use crate::report::names::Names;

/// The lane of findings that name neither a peer nor a device.
pub const NO_PEER: &str = "no peer named";
/// Marks kept per lane at most (a lane says how many more there were).
const MARKS_PER_LANE: usize = 300;
/// A mark's tooltip stops growing past this many bytes.
const MAX_TOOLTIP: usize = 600;
/// An InternalCA's end is marked when it comes no later than this after the last event (or now).
pub const CA_END_HORIZON_DAYS: i64 = 90;

/// What a mark stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    /// An attempt from a source: `failed` filled, else a handshake that succeeded (hollow).
    Attempt { source: SourceKind, failed: bool },
    /// An InternalCA's notAfter.
    CaEnd,
    /// The InternalCA renewed (`generate_certs.pl` ran).
    Renewal,
    /// A push of the new files to a device (listed in FAILED_PUSH: it failed).
    Push,
}

/// One mark on a lane.
#[derive(Clone, Debug)]
pub struct Mark {
    pub time: Option<Timestamp>,
    pub what: What,
    pub text: String,
}

/// Which attribute keys a lane: a peer of the findings, or a device only the systems name.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Keyed {
    #[default]
    Peer,
    Device,
}

/// One lane.
#[derive(Clone, Debug, Default)]
pub struct Lane {
    pub key: String,
    pub keyed: Keyed,
    pub ip: Option<IpAddr>,
    /// The device's name, and its address (or the peer's text) under it.
    pub name: Option<String>,
    pub address: String,
    pub marks: Vec<Mark>,
    pub dropped: usize,
    /// The keys of the lanes merged into this one (a device's own findings, on the lane of its
    /// address).
    pub also: Vec<String>,
}

/// The name the systems (else the inputs) give to the device at `ip`.
pub fn device_name(r: &Report, names: &Names, ip: IpAddr) -> Option<String> {
    for s in &r.systems {
        if s.fmc.ip == Some(ip) {
            if let Some(n) = &s.fmc.name {
                return Some(n.clone());
            }
        }
        if let Some(n) = s.devices.iter().rev().find(|d| d.ip == Some(ip)).and_then(|d| d.name.clone()) {
            return Some(n);
        }
    }
    names.ip(ip).map(str::to_string)
}

struct Builder<'a> {
    r: &'a Report,
    names: &'a Names,
    lanes: BTreeMap<String, Lane>,
}

impl Builder<'_> {
    fn lane(&mut self, key: String, keyed: Keyed, ip: Option<IpAddr>, address: String) -> &mut Lane {
        let name = ip.and_then(|ip| device_name(self.r, self.names, ip));
        self.lanes.entry(key.clone()).or_insert_with(|| Lane { key, keyed, ip, name, address, ..Default::default() })
    }

    /// The lane of the device at `ip`, else of the one named `name`, made when there is none.
    fn device_lane(&mut self, ip: Option<IpAddr>, name: &str) -> &mut Lane {
        let found = self.lanes.iter().find(|(_, l)| (ip.is_some() && l.ip == ip) || l.name.as_deref() == Some(name));
        let key = found.map(|(k, _)| k.clone());
        match key {
            Some(k) => {
                let lane = self.lanes.get_mut(&k).expect("found above");
                if let (None, Some(ip)) = (lane.ip, ip) {
                    lane.ip = Some(ip);
                    lane.address = ip.to_string();
                }
                lane
            }
            None => {
                let lane =
                    self.lane(name.to_string(), Keyed::Device, ip, ip.map(|i| i.to_string()).unwrap_or_default());
                lane.name.get_or_insert_with(|| name.to_string());
                lane
            }
        }
    }
}

fn push(lane: &mut Lane, mark: Mark) {
    // The lines of one attempt share its time: one mark for them, its tooltip lists them all.
    let same = |m: &Mark| m.time.is_some() && m.time == mark.time && m.what == mark.what;
    if let Some(m) = lane.marks.iter_mut().rev().take(8).find(|m| same(m)) {
        if m.text.len() < MAX_TOOLTIP {
            m.text.push_str("; ");
            m.text.push_str(&mark.text);
        }
    } else if lane.marks.len() < MARKS_PER_LANE {
        lane.marks.push(mark);
    } else {
        lane.dropped += 1;
    }
}

/// The lanes of `r`.
pub fn lanes(r: &Report, names: &Names, sources: &Sources, now: Timestamp) -> Vec<Lane> {
    let mut b = Builder { r, names, lanes: BTreeMap::new() };
    for f in &r.findings {
        let peer = findings_grid::peer(f);
        let (key, address) = match (peer.as_str(), &f.device) {
            ("-", Some(_)) => (findings_grid::device(f), String::new()),
            ("-", None) => (NO_PEER.to_string(), String::new()),
            // A peer known by its name only (FAILED_PUSH) has no address.
            _ => (peer, f.peer.as_ref().filter(|p| p.ip().is_some()).map_or_else(String::new, |p| p.to_string())),
        };
        let ip = f.peer.as_ref().and_then(|p| p.ip());
        let lane = b.lane(key.clone(), Keyed::Peer, ip, address);
        if lane.name.is_none() {
            let peer_text = f.peer.as_ref().filter(|p| p.ip().is_none()).map(|p| p.to_string());
            lane.name = f
                .peer_name()
                .map(str::to_string)
                .or(peer_text)
                .or_else(|| f.device.clone().filter(|_| f.peer.is_none()));
        }
        for e in &f.evidence {
            let what = What::Attempt { source: sources.kind(e, f), failed: true };
            push(lane, Mark { time: e.time, what, text: format!("{} {}: {}", f.severity, f.kind, e.location()) });
        }
    }
    for h in r.handshakes.iter().filter(|h| h.outcome == Outcome::Established) {
        let at = h.evidence.first().map(|e| e.location()).unwrap_or_default();
        let lane = b.lane(h.server.to_string(), Keyed::Peer, Some(h.server.ip()), h.server.to_string());
        let what = What::Attempt { source: SourceKind::Capture, failed: false };
        push(lane, Mark { time: h.start, what, text: format!("handshake established: {at}") });
    }
    let last = b.lanes.values().flat_map(|l| l.marks.iter().filter_map(|m| m.time)).max().map_or(now, |t| t.max(now));
    let horizon = last.as_second() + CA_END_HORIZON_DAYS * 86_400;
    for s in &r.systems {
        let mut moments: Vec<(Timestamp, What, String)> = Vec::new();
        for (label, ca) in [("previous InternalCA", &s.previous_ca), ("InternalCA", &s.internal_ca)] {
            if let Some((t, ca)) = ca.as_ref().and_then(|c| c.not_after.map(|t| (t, c))) {
                if t.as_second() <= horizon {
                    moments.push((t, What::CaEnd, format!("{label} ends (notAfter): {}", ca.subject)));
                }
            }
        }
        if let Some(t) = s.renewed_at {
            moments.push((t, What::Renewal, "InternalCA renewed (generate_certs.pl ran)".to_string()));
        }
        if moments.is_empty() {
            continue;
        }
        let name = s.fmc.name.clone().unwrap_or_else(|| s.label());
        let lane = b.device_lane(s.fmc.ip, &name);
        for (t, what, text) in moments {
            push(lane, Mark { time: Some(t), what, text: format!("{}: {text}", s.label()) });
        }
    }
    for f in &r.facts {
        if let Fact::FailedPush { generated: Some(t), rows, .. } = f {
            for row in rows {
                let lane = b.device_lane(row.device_ip.parse().ok(), &row.device_name);
                let text = format!("push of the new InternalCA files failed ({} → {})", row.source, row.destination);
                push(lane, Mark { time: Some(*t), what: What::Push, text });
            }
        }
    }
    merged(b.lanes.into_values().collect())
}

/// The lanes with a device's lane without an address (its own log's findings) merged into the
/// lane of the same device with an address; named lanes first, by name.
fn merged(mut lanes: Vec<Lane>) -> Vec<Lane> {
    let mut i = 0;
    while i < lanes.len() {
        let l = &lanes[i];
        let target = match (&l.name, l.address.is_empty()) {
            (Some(n), true) => lanes.iter().position(|o| o.name.as_ref() == Some(n) && !o.address.is_empty()),
            _ => None,
        };
        match target {
            Some(t) => {
                let from = lanes.remove(i);
                let t = if t > i { t - 1 } else { t };
                let into = &mut lanes[t];
                into.also.push(from.key);
                into.dropped += from.dropped;
                for m in from.marks {
                    push(into, m);
                }
                into.marks.sort_by_key(|m| m.time.is_none());
            }
            None => i += 1,
        }
    }
    lanes.sort_by(|a, b| {
        (a.name.is_none(), &a.name, &a.address, &a.key).cmp(&(b.name.is_none(), &b.name, &b.address, &b.key))
    });
    lanes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lane(key: &str, name: Option<&str>, address: &str, marks: usize) -> Lane {
        let mark = Mark { time: None, what: What::CaEnd, text: key.to_string() };
        Lane {
            key: key.into(),
            name: name.map(str::to_string),
            address: address.into(),
            marks: vec![mark; marks],
            ..Default::default()
        }
    }

    #[test]
    fn a_device_is_one_lane_named_lanes_first() {
        let lanes = merged(vec![
            lane("10.0.0.9", None, "10.0.0.9", 1),
            lane("ftd-b", Some("ftd-b"), "", 2),
            lane("10.0.0.2 (ftd-b)", Some("ftd-b"), "10.0.0.2", 1),
            lane("fmc-a", Some("fmc-a"), "", 1),
        ]);
        let keys: Vec<&str> = lanes.iter().map(|l| l.key.as_str()).collect();
        assert_eq!(keys, ["fmc-a", "10.0.0.2 (ftd-b)", "10.0.0.9"]);
        assert_eq!(lanes[1].also, ["ftd-b"]);
        assert_eq!(lanes[1].marks.len(), 3, "every mark moves over");
    }
}
