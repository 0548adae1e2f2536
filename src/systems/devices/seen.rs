//! What findings and captured handshakes show about a system's devices: a device's tunnel down
//! at a time, and the addresses the devices connect to (the FMC's, when they all agree).

use std::net::IpAddr;

use super::{eq, Registry};
use crate::diagnose::Finding;
use crate::model::Host;

/// At most this many candidate FMC addresses are named in a note.
const ADDRESSES_NAMED: usize = 8;

impl Registry<'_> {
    /// A finding seen at a time marks the tunnel of the device it concerns down then, unless
    /// its kind has no such moment (a file, a copy that failed, an expiry to come).
    pub(super) fn finding(&mut self, f: &Finding) {
        if f.last_seen.is_none() || !f.kind.rule().marks_tunnel_down {
            return;
        }
        let e = f.evidence.iter().rev().find(|e| e.time.is_some()).cloned().unwrap_or_default();
        let at = match (&f.device, &f.peer) {
            (Some(host), peer) if eq(&self.own.name, Some(host)) => {
                let ip = peer.as_ref().and_then(|p| p.ip());
                let name = peer.as_ref().filter(|_| ip.is_none()).map(|p| p.to_string());
                self.entry(name.as_deref(), ip, None)
            }
            (Some(host), peer) => {
                if let Some(ip) = peer.as_ref().and_then(|p| p.ip()) {
                    self.note_fmc_ip(ip, format!("the FMC address is where {host}'s log connects to"));
                }
                self.entry(Some(host), None, None)
            }
            (None, _) => {
                let (client, server) = (&f.shared.client, &f.shared.server);
                self.capture_device(client.as_ref().and_then(Host::ip), server.as_ref().and_then(Host::ip))
            }
        };
        if let Some(at) = at {
            self.mark(at, false, true, f.last_seen, e);
        }
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
