//! `not-judged`: the source does not show enough of a handshake to say how it went — it began
//! before the capture did, frames cut by the capture's snapshot length hid its messages, or its
//! TLS 1.3 end reads as an orderly close as well as a rejection. Said only when no other rule
//! found anything in the attempt, with what was seen and what to collect; a report that holds
//! nothing else was not judged at all (`Report::nothing_judged`, exit code 2).

use super::data::{gaps, Data};
use super::finding::Finding;
use super::{About, Fix, PushTo, Rule, Verifier};
use crate::diagnose::text::Values;
use crate::diagnose::Severity;
use crate::model::{Attempt, Event, Outcome};

pub static RULE: Rule = Rule {
    name: "not-judged",
    severity: Severity::Warning,
    summary: "the evidence does not show enough of the handshake to judge it (begun before the capture, cut frames, \
a TLS 1.3 close that reads as a refusal too)",
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

/// What a `not-judged` finding carries: why the handshake could not be judged.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NotJudged {
    /// `what_was_seen`, `what_to_collect`.
    pub why: Option<Why>,
}

/// Why a handshake could not be judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    /// The capture starts after the handshake.
    BeganBefore,
    /// Frames cut by the snapshot length hid the handshake's messages: how many, and the most
    /// bytes the capture kept of one (0: not known).
    CutFrames { frames: u32, kept: u32 },
    /// TLS 1.3: the server answered the client's lone Finished with one alert-sized record and
    /// the connection closed.
    CloseOrRejection,
}

impl Why {
    fn of(a: &Attempt, outcome: Outcome) -> Option<Why> {
        match outcome {
            Outcome::NotCaptured => Some(Why::BeganBefore),
            Outcome::Unreadable => {
                let cut = a.events.iter().find_map(|o| match o.event {
                    Event::FramesCut { frames, kept } => Some((frames, kept)),
                    _ => None,
                });
                let (frames, kept) = cut.unwrap_or_default();
                Some(Why::CutFrames { frames, kept })
            }
            Outcome::ClosedOrRejected => Some(Why::CloseOrRejection),
            _ => None,
        }
    }

    fn title(self) -> &'static str {
        match self {
            Why::BeganBefore => "Handshake not in the capture",
            Why::CutFrames { .. } => "Handshake unreadable: frames cut by the snapshot length",
            Why::CloseOrRejection => "Closed by the server right after the handshake: a close or a refusal",
        }
    }

    /// A connection open before the capture is common and says nothing bad: it is only
    /// mentioned; a capture that lost the handshake's bytes, or an end that may be a refusal,
    /// is worth a look.
    fn severity(self) -> Severity {
        match self {
            Why::BeganBefore => Severity::Info,
            Why::CutFrames { .. } | Why::CloseOrRejection => Severity::Warning,
        }
    }

    /// What the capture shows, known and inferred apart.
    fn seen(self) -> String {
        match self {
            Why::BeganBefore => "the connection's first TLS record in the capture is not a handshake message: the \
handshake happened before the capture started, so whether it succeeded, and with which certificates, cannot be told"
                .into(),
            Why::CutFrames { frames, kept } => {
                let which = match frames {
                    0 => "frames of this connection were".to_string(),
                    1 => "1 frame of this connection was".to_string(),
                    n => format!("{n} frames of this connection were"),
                };
                let at = if kept > 0 { format!(" at {kept} bytes") } else { String::new() };
                format!(
                    "{which} cut{at} by the capture's snapshot length (the capture kept fewer bytes than were sent), \
so the handshake's messages are missing and how it went cannot be told; nothing here says it failed or succeeded"
                )
            }
            Why::CloseOrRejection => "TLS 1.3: the client sent its Finished alone (no certificate, no data), then \
the server sent one encrypted record of an alert's size and the connection closed. A server closing at once after a \
good handshake (close_notify) and a server refusing it send the same; since the client sent no certificate, no \
refusal of one is in question (inferred from the record sizes)"
                .into(),
        }
    }

    fn collect(self) -> &'static str {
        match self {
            Why::BeganBefore => {
                "Capture from before the connection starts (start the capture, then open the connection or restart \
the service that opens it), and run tlstriage on that capture."
            }
            Why::CutFrames { .. } => {
                "Capture again keeping whole frames: `tcpdump -s 0` (or a snapshot length above the interface's MTU), \
and run tlstriage on that capture."
            }
            Why::CloseOrRejection => {
                "Read the server's log for that connection (a refusal is logged with its reason, a close is not), or \
capture again with the TLS key log of one side (SSLKEYLOGFILE) so that the alert can be decrypted."
            }
        }
    }
}

impl Data for NotJudged {
    fn values(&self, out: &mut Values) {
        if let Some(w) = self.why {
            out.set("what_was_seen", w.seen());
            out.set("what_to_collect", w.collect().to_string());
        }
    }
    gaps!(why);
}

/// An attempt whose outcome the source could not tell.
pub(in crate::diagnose) fn on_outcome(a: &Attempt, outcome: Outcome) -> Option<Finding> {
    let why = Why::of(a, outcome)?;
    let mut f = Finding::of_attempt(a, NotJudged { why: Some(why) }, why.title()).detail(why.seen());
    f.severity = why.severity();
    Some(f)
}

const FIXES: &[Fix] = &[Fix {
    id: "collect-the-handshake",
    context: None,
    title: "Collect evidence that shows the handshake",
    steps: &["The handshake with {peer} could not be judged: {what_was_seen}.", "{what_to_collect}"],
}];

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::diagnose::{Kind, Severity};
    use crate::model::{Context, Event, Outcome};

    #[test]
    fn what_cannot_be_judged_is_said_never_as_a_failure() {
        for (outcome, severity) in [
            (Outcome::NotCaptured, Severity::Info),
            (Outcome::Unreadable, Severity::Warning),
            (Outcome::ClosedOrRejected, Severity::Warning),
        ] {
            let found = judged(&capture(Context::Generic).with(end(outcome)));
            assert_eq!(kinds(&found), [Kind::NotJudged], "{outcome:?}");
            assert_eq!(found[0].severity, severity, "{outcome:?}");
        }
        let cut = capture(Context::Generic).with(Event::FramesCut { frames: 9, kept: 96 }).with(end(Outcome::Unreadable));
        let found = judged(&cut);
        assert!(found[0].values()["what_to_collect"].contains("tcpdump -s 0"));
        assert!(found[0].detail.starts_with("9 frames of this connection were cut at 96 bytes"), "{}", found[0].detail);
    }

    #[test]
    fn a_judged_handshake_is_not_this() {
        for outcome in [Outcome::Established, Outcome::Failed, Outcome::Incomplete] {
            assert!(!kinds(&judged(&capture(Context::Generic).with(end(outcome)))).contains(&Kind::NotJudged));
        }
    }
}
