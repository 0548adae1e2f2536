//! `post-handshake-auth-failed`: the TLS 1.3 sftunnel (7.6 and later) failed after the
//! handshake: post-handshake client authentication, reloading credentials or adding services,
//! what a device holding certificates of another InternalCA than the FMC's current one shows.

use super::{About, Fix, PushTo, Rule};
use crate::diagnose::attempt::base;
use crate::diagnose::kind::{Kind, Severity};
use crate::diagnose::Finding;
use crate::model::{Attempt, Event, Host, TunnelStep};

pub static RULE: Rule = Rule {
    name: "post-handshake-auth-failed",
    severity: Severity::Error,
    summary: "TLS 1.3 post-handshake client authentication of the sftunnel failed",
    about: About::TunnelCredentials,
    verify: None,
    push_to: PushTo::Reporters,
    fixes: FIXES,
};

/// The finding of an attempt whose log shows a step after the TLS 1.3 handshake failing;
/// `None` when it shows none (a `needs re-connect` alone is routine).
pub(in crate::diagnose) fn on_tunnel_errors(a: &Attempt) -> Option<Finding> {
    let mut failed: Vec<&str> = Vec::new();
    let mut reconnect: Option<&Host> = None;
    for o in &a.events {
        if let Event::TunnelError { what, peer } = &o.event {
            let name = match what {
                TunnelStep::PostHandshakeAuth => "post-handshake authentication (no client certificate received)",
                TunnelStep::ReloadCredentials => "reloading credentials",
                TunnelStep::AddServices => "adding services",
                TunnelStep::NeedsReconnect => {
                    reconnect = reconnect.or(peer.as_ref());
                    continue;
                }
            };
            if !failed.contains(&name) {
                failed.push(name);
            }
        }
    }
    if failed.is_empty() {
        return None;
    }
    let mut f = base(a, Kind::PostHandshakeAuthFailed, "TLS 1.3 post-handshake client authentication failed")
        .detail(format!(
            "after the TLS 1.3 handshake the tunnel failed at {}: the client's certificate was not accepted or not sent, \
which is what a device holding sftunnel certificates of another InternalCA than the FMC's current one shows",
            failed.join(", then ")
        ))
        .fact("failed_steps", failed.join(", "));
    if let Some(p) = reconnect {
        f.facts.insert("reconnect_peer".into(), p.to_string());
    }
    Some(f)
}

const PHA_SEEN: &str = "The client's certificate was not accepted after the TLS 1.3 handshake[[ (the tunnel failed \
at {failed_steps})]][[; the log asks to re-connect {reconnect_peer}]].";
const PHA_CA: &str = "Compare the InternalCA each side holds: `openssl x509 -noout -subject -enddate -fingerprint \
-sha256 -in /etc/sf/ca_root/cacert.pem` on the FMC, and the same command on the cacert.pem in the FMC's folder under \
/var/sf/peers/ on the device. The fingerprints must be equal.";
const PHA_ISSUER: &str = "Check that the device's sftunnel certificate comes from the FMC's current CA: copy its \
sftunnel-cert.pem to the FMC and run `openssl verify -CAfile /etc/sf/ca_root/cacert.pem sftunnel-cert.pem` there.";
const PHA_REPUSH: &str = "If the CAs differ or the verify fails, push the device's certificates again from the FMC \
(`generate_certs.pl`, then `copy_sftunnel_certs.py` for the devices it could not reach; `tlstriage explain expired-ca` \
has the order), or register the device again; then run `pmtool restartbyid sftunnel` on the device.";
const PHA_VERSION: &str =
    "Compare the TLS version set in the proxyssl block of /etc/sf/sftunnel.conf on both sides: a \
device whose settings were left behind by an upgrade (seen after 7.2 to 7.6) cannot answer the post-handshake \
authentication the FMC asks for.";

const FIXES: &[Fix] = &[
    Fix {
        id: "sftunnel-post-handshake-auth",
        context: None,
        title: "Give the device an sftunnel certificate from the FMC's current InternalCA",
        steps: &[PHA_SEEN, PHA_CA, PHA_ISSUER, PHA_REPUSH, PHA_VERSION],
    },
];

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::diagnose::Kind;
    use crate::model::{Event, Host, TunnelStep};

    fn step(what: TunnelStep, peer: Option<&str>) -> Event {
        Event::TunnelError { what, peer: peer.map(Host::parse) }
    }

    #[test]
    fn auth_then_reload_failing() {
        let a = sftunnel_log()
            .with(step(TunnelStep::PostHandshakeAuth, None))
            .with(step(TunnelStep::ReloadCredentials, None))
            .with(step(TunnelStep::NeedsReconnect, Some("ftd-branch-07")));
        let f = the(judged(&a), Kind::PostHandshakeAuthFailed);
        assert_eq!(f.facts["reconnect_peer"], "ftd-branch-07");
        insta::assert_snapshot!(render(&f));
    }

    #[test]
    fn a_reconnect_alone_is_routine() {
        let a = sftunnel_log().with(step(TunnelStep::NeedsReconnect, Some("ftd-branch-07")));
        assert!(judged(&a).is_empty());
    }
}
