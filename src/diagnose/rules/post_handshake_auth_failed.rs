//! `post-handshake-auth-failed`: the TLS 1.3 sftunnel (7.6 and later) failed after the
//! handshake: post-handshake client authentication, reloading credentials or adding services,
//! what a device holding certificates of another InternalCA than the FMC's current one shows.

use super::data::{gaps, Data};
use super::finding::Finding;
use super::{About, Fix, MinRelease, PushTo, Rule, Verifier};
use crate::diagnose::text::Values;
use crate::diagnose::Severity;
use crate::model::{Attempt, Event, Host, TunnelStep};

pub static RULE: Rule = Rule {
    name: "post-handshake-auth-failed",
    severity: Severity::Error,
    summary: "TLS 1.3 post-handshake client authentication of the sftunnel failed",
    about: About::TunnelCredentials,
    verifier: Verifier::Nobody,
    marks_tunnel_down: true,
    verify: None,
    window: None,
    push_to: PushTo::Reporters,
    fixes: FIXES,
    system: None,
    min_fmc_release: Some(MinRelease { major: 7, minor: 6, shown_by: "TLS 1.3 post-handshake authentication of the sftunnel" }),
};

/// What a `post-handshake-auth-failed` finding carries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PostHandshakeAuthFailed {
    /// `failed_steps`: the steps after the handshake that failed, in the order logged.
    pub failed_steps: Vec<TunnelStep>,
    /// `reconnect_peer`: the peer the log asks to re-connect.
    pub reconnect_peer: Option<Host>,
}

impl Data for PostHandshakeAuthFailed {
    fn values(&self, out: &mut Values) {
        if !self.failed_steps.is_empty() {
            out.set("failed_steps", self.steps_named().join(", "));
        }
        out.set_some("reconnect_peer", self.reconnect_peer.as_ref());
    }
    gaps!(failed_steps, reconnect_peer);
}

impl PostHandshakeAuthFailed {
    fn steps_named(&self) -> Vec<&'static str> {
        self.failed_steps.iter().filter_map(|s| step_name(*s)).collect()
    }
}

/// A failed step in words; `None` for a re-connect, which is routine.
fn step_name(step: TunnelStep) -> Option<&'static str> {
    match step {
        TunnelStep::PostHandshakeAuth => Some("post-handshake authentication (no client certificate received)"),
        TunnelStep::ReloadCredentials => Some("reloading credentials"),
        TunnelStep::AddServices => Some("adding services"),
        TunnelStep::NeedsReconnect => None,
    }
}

/// The finding of an attempt whose log shows a step after the TLS 1.3 handshake failing;
/// `None` when it shows none (a `needs re-connect` alone is routine).
pub(in crate::diagnose) fn on_tunnel_errors(a: &Attempt) -> Option<Finding> {
    let mut data = PostHandshakeAuthFailed::default();
    for o in &a.events {
        if let Event::TunnelError { what, peer } = &o.event {
            match step_name(*what) {
                None => data.reconnect_peer = data.reconnect_peer.take().or_else(|| peer.clone()),
                Some(_) if !data.failed_steps.contains(what) => data.failed_steps.push(*what),
                Some(_) => {}
            }
        }
    }
    if data.failed_steps.is_empty() {
        return None;
    }
    let detail = format!(
        "after the TLS 1.3 handshake the tunnel failed at {}: the client's certificate was not accepted or not sent, \
which is what a device holding sftunnel certificates of another InternalCA than the FMC's current one shows",
        data.steps_named().join(", then ")
    );
    Some(Finding::of_attempt(a, data, "TLS 1.3 post-handshake client authentication failed").detail(detail))
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
        assert_eq!(f.values().get("reconnect_peer"), Some("ftd-branch-07"));
        insta::assert_snapshot!(render(&f));
    }

    #[test]
    fn a_reconnect_alone_is_routine() {
        let a = sftunnel_log().with(step(TunnelStep::NeedsReconnect, Some("ftd-branch-07")));
        assert!(judged(&a).is_empty());
    }
}
