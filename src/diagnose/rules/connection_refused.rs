//! `connection-refused`: the TCP connection was refused or reset before TLS began (a log's
//! "Connection refused", a capture's SYN answered by RST). Nothing else is judged for such an
//! attempt.

use super::data::no_data;
use super::steps::VERIFY;
use super::{About, Fix, PushTo, Rule, Verifier};
use crate::diagnose::Severity;
use super::finding::Finding;
use crate::model::{Attempt, Context, Evidence};

pub static RULE: Rule = Rule {
    name: "connection-refused",
    severity: Severity::Error,
    summary: "the TCP connection was refused or reset before TLS began",
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

no_data!(ConnectionRefused);

/// The attempt's connection was refused (`ev` is where that shows).
pub(in crate::diagnose) fn on_refused(a: &Attempt, ev: &Evidence) -> Finding {
    Finding::of_attempt(a, ConnectionRefused, "Connection refused before TLS began").detail(format!(
        "the TCP connection to {} was refused or reset ({})",
        a.peer().map_or_else(|| "the peer".to_string(), |p| p.to_string()),
        ev.location()
    ))
}

const FIXES: &[Fix] = &[
    Fix {
        id: "sftunnel-connection-refused",
        context: Some(Context::Sftunnel),
        title: "Make sftunneld reachable on TCP 8305",
        steps: &[
            "Nothing accepted the connection to {peer}: check that sftunneld runs there (`pmtool status | grep -i \
sftunnel`) and start it with `pmtool restartbyid sftunnel`.",
            "Check that TCP 8305 is open between the devices (access rules, NAT, routing).",
            VERIFY,
        ],
    },
    Fix {
        id: "connection-refused",
        context: None,
        title: "Make the service reachable",
        steps: &["Check that the service on {peer} is running and listening, and that no firewall resets the connection."],
    },
];

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::diagnose::Kind;
    use crate::codes::AlertDescription;
    use crate::model::{Event, Role};

    #[test]
    fn refused_hides_everything_else() {
        let a = sftunnel_log()
            .with(Event::Refused)
            .with(fatal_alert(Role::Server, AlertDescription::HANDSHAKE_FAILURE));
        let found = judged(&a);
        assert_eq!(kinds(&found), [Kind::ConnectionRefused]);
        insta::assert_snapshot!(render(&found[0]));
    }

    #[test]
    fn a_failure_after_connecting_is_not_a_refusal() {
        let a = sftunnel_log().with(fatal_alert(Role::Server, AlertDescription::HANDSHAKE_FAILURE));
        assert!(!kinds(&judged(&a)).contains(&Kind::ConnectionRefused));
    }
}
