//! `tunnel-down`: a status output (`sftunnel_status.pl`, `sftunnel-status`) shows the tunnel to
//! a peer down. Once every finding of the run is known, the rule says whether certificate
//! findings explain it, else the fix looks outside TLS first.

use super::data::{gaps, Data};
use super::finding::Finding;
use super::precedence;
use super::{About, Fix, Kind, KindData, PushTo, Rule, Verifier};
use crate::diagnose::text::Values;
use crate::diagnose::Severity;
use crate::model::{Context, Endpoint, Evidence};
use crate::model::{Fact, TunnelState, TunnelStatus};

pub static RULE: Rule = Rule {
    name: "tunnel-down",
    severity: Severity::Error,
    summary: "a status output shows the sftunnel to a peer down (a channel not connected, registration not complete)",
    about: About::Other,
    verifier: Verifier::Nobody,
    marks_tunnel_down: true,
    verify: None,
    window: None,
    push_to: PushTo::Reporters,
    fixes: FIXES,
    system: None,
    min_fmc_release: None,
};

/// What a `tunnel-down` finding carries: what the status output says, as written, and which
/// certificate findings of the run can explain it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TunnelDown {
    /// `status_command`: the command whose output shows it.
    pub status_command: Option<String>,
    /// `last_disconnect_reason`, `last_disconnect_time`, `rpc_status`, `peer_version`,
    /// `registration`: what the output says, when it says it.
    pub last_disconnect_reason: Option<String>,
    pub last_disconnect_time: Option<String>,
    pub rpc_status: Option<String>,
    pub peer_version: Option<String>,
    pub registration: Option<String>,
    /// `explained_by`, `tls_explanation`: the kinds of the run's certificate findings that can
    /// explain it (empty: none), once every finding is known.
    pub explained_by: Option<Vec<Kind>>,
}

impl Data for TunnelDown {
    fn values(&self, out: &mut Values) {
        out.set_some("status_command", self.status_command.as_ref());
        out.set_some("last_disconnect_reason", self.last_disconnect_reason.as_ref());
        out.set_some("last_disconnect_time", self.last_disconnect_time.as_ref());
        out.set_some("rpc_status", self.rpc_status.as_ref());
        out.set_some("peer_version", self.peer_version.as_ref());
        out.set_some("registration", self.registration.as_ref());
        match self.explained_by.as_deref() {
            None => {}
            Some([]) => {
                out.set("tls_explanation", "No certificate evidence in these inputs explains it, so look outside TLS first.");
                out.set("explained_by", "none");
            }
            Some(kinds) => {
                let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
                let names = names.join(", ");
                out.set(
                    "tls_explanation",
                    format!("The certificate findings of this run ({names}) can explain it: fix those first."),
                );
                out.set("explained_by", names);
            }
        }
    }
    gaps!(
        status_command,
        last_disconnect_reason,
        last_disconnect_time,
        rpc_status,
        peer_version,
        registration,
        explained_by,
    );
}

/// A finding for each status output that shows a tunnel down.
pub(in crate::diagnose) fn judge(facts: &[Fact]) -> Vec<Finding> {
    facts
        .iter()
        .filter_map(|f| match f {
            Fact::Tunnel { evidence, tunnel } if tunnel.state() == TunnelState::Down => Some(down(evidence, tunnel)),
            _ => None,
        })
        .collect()
}

/// What the output shows about the tunnel, in words.
fn shown(t: &TunnelStatus) -> Vec<String> {
    let mut shown: Vec<String> = Vec::new();
    for (name, up) in [("channel A (control)", t.channel_a), ("channel B (events)", t.channel_b)] {
        match up {
            Some(true) => shown.push(format!("{name} connected")),
            Some(false) => shown.push(format!("{name} not connected")),
            None => {}
        }
    }
    if t.attempting && t.channel_a.is_none() && t.channel_b.is_none() {
        shown.push("only a connection attempt, no channel up".into());
    }
    if let Some(r) = &t.registration {
        shown.push(format!("registration {r}"));
    }
    if let Some(r) = &t.rpc_status {
        shown.push(format!("RPC status {r}"));
    }
    if let Some(r) = &t.last_disconnect_reason {
        let when = t.last_disconnect_time.as_deref().map(|w| format!(" ({w})")).unwrap_or_default();
        shown.push(format!("last disconnect{when}: {r}"));
    }
    shown
}

fn down(evidence: &Evidence, t: &TunnelStatus) -> Finding {
    let data = TunnelDown {
        status_command: Some(t.command.clone()),
        last_disconnect_reason: t.last_disconnect_reason.clone(),
        last_disconnect_time: t.last_disconnect_time.clone(),
        rpc_status: t.rpc_status.clone(),
        peer_version: t.peer_version.clone(),
        registration: t.registration.clone(),
        explained_by: None,
    };
    let mut detail = format!("{} shows {}", t.command, shown(t).join("; "));
    // Earlier runs pasted in the same input: what each showed, in the order of the input.
    for e in &t.earlier {
        let when = e.time.as_deref().map(|w| format!(" ({w})")).unwrap_or_default();
        let at = e.evidence.line.map(|l| format!(" at line {l}")).unwrap_or_default();
        detail.push_str(&format!("; an earlier run{at}{when} showed it {}", e.state.as_str()));
    }
    let f = Finding::new(data, Context::Sftunnel, format!("sftunnel to {} is down", t.peer)).detail(detail);
    about_peer(f, evidence, t)
}

/// `f` about the peer a status output names, with the output's runs as its evidence.
pub(super) fn about_peer(mut f: Finding, evidence: &Evidence, t: &TunnelStatus) -> Finding {
    // The output names the peer as written: an address (perhaps with its port) or a name.
    let peer = Endpoint::parse(&t.peer);
    f.shared.peer_ip = Some(peer.host().clone());
    f.shared.attempt_peer = Some(peer.clone());
    f.peer = Some(peer);
    f.add_evidence(evidence.clone());
    for e in &t.earlier {
        f.add_evidence(e.evidence.clone());
    }
    f
}

/// Whether the certificate findings of the run (about the same peer, or about no peer) explain
/// each tunnel that is down.
pub(in crate::diagnose) fn explain(findings: &mut [Finding]) {
    let evidence: Vec<(Kind, Option<Endpoint>)> = findings
        .iter()
        .filter(|f| precedence::explains_tunnel_down(f.kind))
        .map(|f| (f.kind, f.peer.clone().or_else(|| f.device.as_deref().map(Endpoint::named))))
        .collect();
    for f in findings.iter_mut() {
        let KindData::TunnelDown(data) = &mut f.data else { continue };
        let peer = f.peer.clone();
        let mut kinds: Vec<Kind> = evidence.iter().filter(|(_, p)| p.is_none() || *p == peer).map(|(k, _)| *k).collect();
        // By name: the list reads in alphabetical order.
        kinds.sort_unstable_by_key(|k| k.as_str());
        kinds.dedup();
        data.explained_by = Some(kinds);
    }
}

const TUNNEL_SEEN: &str = "[[{tls_explanation} ]]The status output[[ ({status_command})]] shows the tunnel to {peer} \
down[[; the last disconnect reason given is: {last_disconnect_reason}]].";
const TUNNEL_PORT: &str = "Check that TCP port 8305 is reachable in both directions between the FMC and {peer} \
(`nc -vz` from each side's expert mode to the other's management address, port 8305); look for access rules, NAT or a \
proxy between them that drop or rewrite the connection.";
const TUNNEL_ADDRESS: &str = "Check whether a management address changed: `show managers` on the device shows the \
address it uses for the FMC, and the FMC keeps the device's address in its device settings. Correct the side that \
still has the old one (`configure manager edit` on the device, or the device's Host on the FMC).";
const TUNNEL_BOTH_SIDES: &str = "Run `sftunnel_status.pl` on the FMC and `sftunnel-status` (or `sftunnel_status.pl` \
in expert mode) on the device, and compare: which side sees which channel down, and the last disconnect reason of \
each.";
const TUNNEL_LOGS: &str = "If it stays down, restart the tunnel on the device with `pmtool restartbyid sftunnel` and \
run tlstriage on the sftunneld lines of /var/log/messages from both sides.";

const FIXES: &[Fix] = &[
    Fix {
        id: "sftunnel-tunnel-down",
        context: None,
        title: "Find out why the tunnel is down, outside TLS first when no certificate explains it",
        steps: &[TUNNEL_SEEN, TUNNEL_PORT, TUNNEL_ADDRESS, TUNNEL_BOTH_SIDES, TUNNEL_LOGS],
    },
];

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::diagnose::Kind;
    use crate::model::{Fact, TunnelStatus};
    use crate::model::Evidence;

    fn down_to(peer: &str) -> Fact {
        Fact::Tunnel {
            evidence: Evidence::file("fmc.tgz!/command-outputs/sftunnel_status.pl.output"),
            tunnel: TunnelStatus {
                command: "sftunnel_status.pl".into(),
                peer: peer.into(),
                channel_a: Some(false),
                channel_b: Some(false),
                registration: Some("Completed".into()),
                last_disconnect_time: Some("Mon Nov 16 09:12:44 2026".into()),
                last_disconnect_reason: Some("Both control and event channel connections showed as down".into()),
                rpc_status: None,
                cipher: None,
                peer_version: Some("7.4.1".into()),
                attempting: false,
                earlier: Vec::new(),
                at: None,
            },
        }
    }

    #[test]
    fn down_without_certificate_evidence_looks_outside_tls() {
        let f = the(classified(&[down_to("192.168.45.21")]), Kind::TunnelDown);
        assert_eq!(f.values().get("explained_by"), Some("none"));
        insta::assert_snapshot!(render(&f));
    }

    #[test]
    fn a_tunnel_with_both_channels_up_is_not_down() {
        let mut up = down_to("192.168.45.21");
        if let Fact::Tunnel { tunnel, .. } = &mut up {
            (tunnel.channel_a, tunnel.channel_b) = (Some(true), Some(true));
        }
        assert_eq!(kinds(&classified(&[up])), []);
    }
}
