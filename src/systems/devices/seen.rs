//! What findings and captured handshakes show about a system's devices: a device's tunnel down
//! at a time, and the addresses the devices connect to (the FMC's, when they all agree).

use std::net::IpAddr;

use super::{eq, Registry};
use crate::diagnose::Finding;
use crate::model::Host;
use crate::systems::Ctx;

/// The hosts whose logs a finding was folded from: its own device, then the others it lists as
/// `affected` by name.
fn log_hosts(f: &Finding) -> impl Iterator<Item = String> + '_ {
    let mut seen: Vec<String> = Vec::new();
    f.device.iter().cloned().chain(f.shared.affected.iter().filter_map(|a| a.name.clone())).filter(move |h| {
        let new = !seen.iter().any(|s| s.eq_ignore_ascii_case(h));
        if new {
            seen.push(h.clone());
        }
        new
    })
}

/// The time and line of a host's last timed line among a folded finding's evidence (a syslog
/// line names its host as its fourth word).
fn own_lines(f: &Finding, host: &str) -> Option<(Option<jiff::Timestamp>, crate::model::Evidence)> {
    let names = |e: &&crate::model::Evidence| {
        e.text.as_deref().is_some_and(|t| t.split_whitespace().nth(3).is_some_and(|w| w.eq_ignore_ascii_case(host)))
    };
    let e = f.evidence.iter().rev().filter(|e| e.time.is_some()).find(names)?;
    Some((e.time, e.clone()))
}

/// At most this many candidate FMC addresses are named in a note.
const ADDRESSES_NAMED: usize = 8;

impl Registry<'_> {
    /// A finding seen at a time marks the tunnel of the device it concerns down then, unless
    /// its kind has no such moment (a file, a copy that failed, an expiry to come).
    pub(super) fn finding(&mut self, f: &Finding, cx: &Ctx<'_>) {
        if f.last_seen.is_none() || !f.kind.rule().marks_tunnel_down {
            return;
        }
        let e = f.evidence.iter().rev().find(|e| e.time.is_some()).cloned().unwrap_or_default();
        // A log in the FMC's own tree is the FMC's, whatever host name its lines show: every
        // line of the finding lies there (a folded finding also holds other devices' lines).
        let mut lines = f.evidence.iter().filter(|e| e.text.is_some()).peekable();
        let in_own_tree = self.own_tree.is_some()
            && lines.peek().is_some()
            && lines.all(|e| cx.trees.tree_of(&e.path) == self.own_tree);
        let at = match (&f.device, &f.peer) {
            (Some(host), peer) if eq(&self.own.name, Some(host)) || in_own_tree => {
                let ip = peer.as_ref().and_then(|p| p.ip());
                let name = peer.as_ref().filter(|_| ip.is_none()).map(|p| p.to_string());
                self.entry(name.as_deref(), ip, None)
            }
            (Some(_), peer) if log_hosts(f).nth(1).is_some() => {
                // A finding folded from the logs of several devices (one expired CA they all
                // report) concerns each of them: each is a device of the system, down when its
                // own lines say so.
                let hosts: Vec<String> = log_hosts(f).collect();
                for h in &hosts {
                    if let Some(at) = self.log_host(h, peer.as_ref()) {
                        let (t, e) = own_lines(f, h).unwrap_or((f.last_seen, e.clone()));
                        self.mark(at, false, true, t, e);
                    }
                }
                None
            }
            (Some(host), peer) => self.log_host(host, peer.as_ref()),
            (None, _) => {
                let (client, server) = (&f.shared.client, &f.shared.server);
                self.capture_device(client.as_ref().and_then(Host::ip), server.as_ref().and_then(Host::ip))
            }
        };
        if let Some(at) = at {
            self.mark(at, false, true, f.last_seen, e);
        }
    }

    /// The device a log's host is; where its log connects to is noted (the FMC's address when a
    /// file names the host as a device).
    fn log_host(&mut self, host: &str, peer: Option<&crate::model::Endpoint>) -> Option<usize> {
        // Either end may open the sftunnel: where a log connects to is its FMC only when
        // a file names the log's host as a device.
        let is_device = self.device_names.contains(&host.to_ascii_lowercase());
        match peer.and_then(|p| p.ip()) {
            Some(ip) if is_device => self.note_fmc_ip(ip, format!("the FMC address is where {host}'s log connects to")),
            Some(ip) => {
                let at = match self.unsure.iter().position(|(h, _)| h == host) {
                    Some(at) => at,
                    None => {
                        self.unsure.push((host.to_string(), Vec::new()));
                        self.unsure.len() - 1
                    }
                };
                if !self.unsure[at].1.contains(&ip) {
                    self.unsure[at].1.push(ip);
                }
            }
            None => {}
        }
        self.entry(Some(host), None, None)
    }

    /// What the logs of hosts of unknown role connect to, said as it is.
    pub(super) fn unsure_notes(&self) -> Vec<String> {
        self.unsure
            .iter()
            .map(|(host, ips)| {
                let named: Vec<String> = ips.iter().take(ADDRESSES_NAMED).map(|ip| ip.to_string()).collect();
                let more = ips.len().saturating_sub(ADDRESSES_NAMED);
                let more = if more > 0 { format!(" and {more} more") } else { String::new() };
                let what = if ips.len() == 1 { "which of the two" } else { "which of them" };
                format!(
                    "{host}'s log connects to {}{more}; no input says {what} is the FMC (either end may open the \
sftunnel)",
                    named.join(", ")
                )
            })
            .collect()
    }

    pub(super) fn note_fmc_ip(&mut self, ip: IpAddr, why: String) {
        if self.fmc_ip_set.insert(ip) {
            self.fmc_ips.push((ip, why));
        }
    }

    /// The device end of a captured sftunnel connection: the end that is not the FMC; when
    /// the FMC's address is not known, the server is taken as the FMC.
    pub(super) fn capture_device(&mut self, client: Option<IpAddr>, server: Option<IpAddr>) -> Option<usize> {
        let (c, s) = (client?, server?);
        let fmc_is_client = self.own_ip() == Some(c);
        let (dev, fmc) = if fmc_is_client { (s, c) } else { (c, s) };
        if !fmc_is_client && self.own.ip.is_none() {
            self.note_fmc_ip(fmc, "the FMC address is taken as the server end of the sftunnel captures".into());
        }
        self.entry(None, Some(dev), None)
    }

    /// The FMC's address when the evidence points at exactly one, with how it was inferred;
    /// else a note that says why none was chosen.
    pub fn inferred_fmc_ip(&self) -> Result<(IpAddr, String), Option<String>> {
        match self.fmc_ips.as_slice() {
            [] => Err(None),
            [one] => Ok(one.clone()),
            many => {
                let named: Vec<String> = many.iter().take(ADDRESSES_NAMED).map(|(ip, _)| ip.to_string()).collect();
                let more = many.len().saturating_sub(ADDRESSES_NAMED);
                let more = if more > 0 { format!(" and {more} more") } else { String::new() };
                Err(Some(format!(
                    "the devices connect to {} different addresses ({}{more}); none is known as the FMC",
                    many.len(),
                    named.join(", ")
                )))
            }
        }
    }
}
