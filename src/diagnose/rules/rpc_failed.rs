//! `rpc-failed`: `sftunnel_status.pl` polled a peer over the tunnel and the poll failed
//! (`RPC status :Failed`), while the output shows nothing that says the tunnel is down (a paste
//! holding only the RPC status blocks, or channels that look connected). What the tunnel itself
//! does is unknown; the steps check the tunnel process, port 8305 and the certificates.

use super::data::{gaps, Data};
use super::finding::Finding;
use super::{About, Fix, PushTo, Rule, Verifier};
use crate::diagnose::text::Values;
use crate::diagnose::Severity;
use crate::model::{Context, Evidence};
use crate::model::{Fact, TunnelState, TunnelStatus};

pub static RULE: Rule = Rule {
    name: "rpc-failed",
    severity: Severity::Error,
    summary: "a status output shows the RPC poll of a peer over the sftunnel failing, with no channel shown down (tunnel state unknown)",
    about: About::Other,
    verifier: Verifier::Nobody,
    marks_tunnel_down: false,
    verify: None,
    window: None,
    push_to: PushTo::Reporters,
    fixes: FIXES,
    system: None,
    min_fmc_release: None,
};

/// What an `rpc-failed` finding carries: the command and what it says, as written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RpcFailed {
    /// `status_command`, `rpc_status`: the command whose output shows it, and its words.
    pub status_command: Option<String>,
    pub rpc_status: Option<String>,
    /// `tunnel_state`: what the same output says of the channels (`unknown` or `up`).
    pub tunnel_state: Option<TunnelState>,
}

impl Data for RpcFailed {
    fn values(&self, out: &mut Values) {
        out.set_some("status_command", self.status_command.as_ref());
        out.set_some("rpc_status", self.rpc_status.as_ref());
        out.set_some("tunnel_state", self.tunnel_state.map(TunnelState::as_str));
    }
    gaps!(status_command, rpc_status, tunnel_state);
}

/// Whether the output's RPC status is a failure.
fn failed(t: &TunnelStatus) -> bool {
    t.rpc_status.as_deref().is_some_and(|r| r.to_ascii_lowercase().starts_with("fail"))
}

/// A finding for each status output whose RPC poll failed while no channel is shown down (a
/// tunnel shown down is `tunnel-down`, which says the RPC status too).
pub(in crate::diagnose) fn judge(facts: &[Fact]) -> Vec<Finding> {
    facts
        .iter()
        .filter_map(|f| match f {
            Fact::Tunnel { evidence, tunnel } if failed(tunnel) && tunnel.state() != TunnelState::Down => {
                Some(rpc_failed(evidence, tunnel))
            }
            _ => None,
        })
        .collect()
}

fn rpc_failed(evidence: &Evidence, t: &TunnelStatus) -> Finding {
    let state = t.state();
    let data = RpcFailed {
        status_command: Some(t.command.clone()),
        rpc_status: t.rpc_status.clone(),
        tunnel_state: Some(state),
    };
    let channels = match state {
        TunnelState::Up => "both channels are shown connected",
        _ => "the output shows no channel, so the tunnel's state is unknown",
    };
    let rpc = t.rpc_status.as_deref().unwrap_or("Failed");
    let f = Finding::new(data, Context::Sftunnel, format!("RPC status poll of {} failed", t.peer))
        .detail(format!("{} shows RPC status {rpc} for {}; {channels}", t.command, t.peer));
    super::tunnel_down::about_peer(f, evidence, t)
}

const RPC_SEEN: &str = "The status output[[ ({status_command})]] shows the RPC poll of {peer} failing: the peer did \
not answer over the tunnel[[, and the tunnel's channels are {tunnel_state}]].";
const RPC_PROCESS: &str = "Check that sftunnel runs on both sides: `pmtool status | grep -i sftunnel` in expert mode \
on the FMC and on the device; restart it where it is not running (`pmtool restartbyid sftunnel`).";
const RPC_PORT: &str = "Check that TCP port 8305 is reachable in both directions between the FMC and {peer} \
(`nc -vz` from each side's expert mode to the other's management address, port 8305), and that no access rule, NAT \
or proxy between them drops or rewrites it; a management address changed on one side only also looks like this.";
const RPC_CERTS: &str = "Check the certificates the tunnel uses: run `sftunnel_status.pl` again for the channel \
state, and tlstriage on the sftunneld lines of /var/log/messages from both sides and on the files of the peer's folder \
under /var/sf/peers/ (an expired InternalCA or device certificate stops the tunnel the same way).";

const FIXES: &[Fix] = &[Fix {
    id: "sftunnel-rpc-failed",
    context: None,
    title: "Find out why the peer does not answer over the tunnel: the process, port 8305, the certificates",
    steps: &[RPC_SEEN, RPC_PROCESS, RPC_PORT, RPC_CERTS],
}];

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::diagnose::Kind;
    use crate::model::Evidence;
    use crate::model::{Fact, TunnelStatus};

    fn rpc_only(peer: &str) -> Fact {
        Fact::Tunnel {
            evidence: Evidence::file("ftd.txt"),
            tunnel: TunnelStatus {
                command: "sftunnel_status.pl".into(),
                peer: peer.into(),
                rpc_status: Some("Failed".into()),
                ..Default::default()
            },
        }
    }

    #[test]
    fn a_failed_rpc_poll_without_channels_is_its_own_finding() {
        let f = the(classified(&[rpc_only("192.168.45.10")]), Kind::RpcFailed);
        assert_eq!(f.values().get("tunnel_state"), Some("unknown"));
        insta::assert_snapshot!(render(&f));
    }

    #[test]
    fn a_tunnel_shown_down_is_tunnel_down_only() {
        let mut down = rpc_only("192.168.45.10");
        if let Fact::Tunnel { tunnel, .. } = &mut down {
            tunnel.channel_a = Some(false);
        }
        assert_eq!(kinds(&classified(&[down])), [Kind::TunnelDown]);
    }
}
