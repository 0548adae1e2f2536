//! `handshake-incomplete`: the source ends before the handshake finished (a capture stopped, a
//! log cut off); said only when no other rule found anything in the attempt.

use super::data::no_data;
use super::{About, Fix, PushTo, Rule, Verifier};
use crate::diagnose::Severity;
use super::finding::Finding;
use crate::model::{Attempt, Outcome};

pub static RULE: Rule = Rule {
    name: "handshake-incomplete",
    severity: Severity::Info,
    summary: "the handshake was cut off before it finished (end of capture or of log)",
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

no_data!(HandshakeIncomplete);

/// An attempt that ended incomplete.
pub(in crate::diagnose) fn on_outcome(a: &Attempt, outcome: Outcome) -> Option<Finding> {
    (outcome == Outcome::Incomplete).then(|| {
        Finding::of_attempt(a, HandshakeIncomplete, "Handshake cut off").detail("the source ends before the handshake finished")
    })
}

const FIXES: &[Fix] = &[
    Fix {
        id: "capture-longer",
        context: None,
        title: "Capture the whole handshake",
        steps: &["The capture stops before the handshake with {peer} ended: start the capture earlier or let it run \
longer."],
    },
];

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::diagnose::Kind;
    use crate::model::{Context, Outcome};

    #[test]
    fn a_capture_that_stops_mid_handshake() {
        let found = judged(&capture(Context::Generic).with(end(Outcome::Incomplete)));
        assert_eq!(kinds(&found), [Kind::HandshakeIncomplete]);
        insta::assert_snapshot!(render(&found[0]));
    }

    #[test]
    fn a_capture_of_a_whole_handshake_is_complete() {
        assert_eq!(kinds(&judged(&capture(Context::Generic).with(end(Outcome::Established)))), []);
    }
}
