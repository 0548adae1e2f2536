//! `handshake-failed`: the handshake failed and the evidence does not say why; said only when no
//! other rule found anything in the attempt.

use super::data::no_data;
use super::{About, Fix, PushTo, Rule, Verifier};
use crate::diagnose::Severity;
use super::finding::Finding;
use crate::model::{Attempt, Outcome};

pub static RULE: Rule = Rule {
    name: "handshake-failed",
    severity: Severity::Error,
    summary: "the TLS handshake failed for a reason the evidence does not pin down",
    about: About::Other,
    verifier: Verifier::Nobody,
    marks_tunnel_down: true,
    verify: None,
    window: None,
    push_to: PushTo::Reporters,
    fixes: FIXES,
    system: None,
};

no_data!(HandshakeFailed);

/// An attempt that ended failed.
pub(in crate::diagnose) fn on_outcome(a: &Attempt, outcome: Outcome) -> Option<Finding> {
    (outcome == Outcome::Failed).then(|| {
        Finding::of_attempt(a, HandshakeFailed, "TLS handshake failed").detail(
            "the handshake failed and the evidence does not say why; capture the handshake or raise the log level",
        )
    })
}

const FIXES: &[Fix] = &[
    Fix {
        id: "investigate-handshake",
        context: None,
        title: "Collect more evidence about the failed handshake",
        steps: &[
            "The handshake with {peer} failed and the evidence does not say why.",
            "Capture the handshake (`capture-traffic` or tcpdump on the device, port 8305 for sftunnel) and run \
tlstriage on the pcap together with both sides' logs.",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::diagnose::Kind;
    use crate::model::Outcome;

    #[test]
    fn a_failure_without_a_reason() {
        let found = judged(&sftunnel_log().with(end(Outcome::Failed)));
        assert_eq!(kinds(&found), [Kind::HandshakeFailed]);
        insta::assert_snapshot!(render(&found[0]));
    }

    #[test]
    fn a_failure_with_a_reason_is_that_reason() {
        let a = sftunnel_log()
            .with(verify_error(crate::codes::VerifyCode::CERT_REVOKED, 0, "/CN=ftd-branch-07", "/CN=fmc"))
            .with(end(Outcome::Failed));
        assert_eq!(kinds(&judged(&a)), [Kind::VerifyFailed]);
    }

    #[test]
    fn an_established_tunnel_is_no_failure() {
        assert_eq!(kinds(&judged(&sftunnel_log().with(end(Outcome::Established)))), []);
    }
}
