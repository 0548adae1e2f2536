//! `handshake-failed`: the handshake failed and no other rule found why; said only when no other
//! rule found anything in the attempt. What the capture does show of the end is said: an
//! encrypted alert-sized record that ended a TLS 1.3 handshake (which side sent it; not which
//! alert), an empty client Certificate before the server ended it, an answer that is not TLS, an
//! alert that answered the ClientHello (`hello_answer`: the cause it names, or the offer the
//! server refused).

use super::data::{gaps, Data};
use super::finding::Finding;
use super::hello_answer::HelloAnswer;
use super::{About, Fix, PushTo, Rule, Verifier};
use crate::codes::AlertDescription;
use crate::diagnose::text::Values;
use crate::diagnose::Severity;
use crate::model::{Attempt, Event, Outcome, Role};

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
    min_fmc_release: None,
};

/// What a `handshake-failed` finding carries: what the evidence shows of the end, when it
/// shows something.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HandshakeFailed {
    /// `what_ended_it`, `what_to_collect`.
    pub ending: Option<Ending>,
}

/// What a capture shows of how a handshake ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    /// TLS 1.3: `from` answered the other side's flight with one encrypted record of an alert's
    /// size, then the connection closed.
    EncryptedAlert { from: Role },
    /// `from` sent an empty Certificate message; the other side ended the handshake (with
    /// `alert`, when one was sent in the clear).
    NoCertificate { from: Role, alert: Option<AlertDescription> },
    /// `from` answered with bytes that are not TLS, whose first line is `first_line`.
    NotTls { from: Role, first_line: String },
    /// A plaintext alert that answered the ClientHello.
    Hello(Box<HelloAnswer>),
}

impl Ending {
    /// What ended the handshake, in words.
    fn what(&self) -> String {
        match self {
            Ending::EncryptedAlert { from } => {
                let (by, other) = (from.as_str(), from.other().as_str());
                let likely = match from {
                    Role::Client => "the server's certificate",
                    Role::Server => "the client's certificate, or its lack of one",
                };
                format!(
                    "right after the {other}'s flight the {by} sent one encrypted record of an alert's size and the \
connection closed: an encrypted alert from the {by} ended the handshake. TLS 1.3 encrypts the alert and the \
certificates, so the capture cannot show which alert it was or why (most often the {by} refused {likely})"
                )
            }
            Ending::NoCertificate { from, alert } => {
                let (by, other) = (from.as_str(), from.other().as_str());
                let with = alert.map(|a| format!(" with alert {a}")).unwrap_or_default();
                format!(
                    "the {by} sent no certificate (its Certificate message was empty) and the {other} then ended the \
handshake{with}: the {other} requires a certificate from the {by}"
                )
            }
            Ending::NotTls { from, first_line } => {
                // Shown as it is: a value is prose, never a command (`diagnose::step_text`).
                format!(
                    "the {} answered with bytes that are not TLS, beginning \"{first_line}\": that port speaks another \
protocol",
                    from.as_str()
                )
            }
            Ending::Hello(h) => h.what(),
        }
    }
    /// What to collect (or do) next.
    fn collect(&self) -> String {
        match self {
            Ending::EncryptedAlert { from } => format!(
                "Read the {by}'s log for the alert and its reason (OpenSSL prints the verify error and its depth), or \
capture again with the TLS key log of one side (SSLKEYLOGFILE) so that the handshake can be decrypted.",
                by = from.as_str()
            ),
            Ending::NoCertificate { from, .. } => format!(
                "Give the {by} a certificate (with its key) that the {other} trusts, or, if the {other} should not \
require one, turn that requirement off.",
                by = from.as_str(),
                other = from.other().as_str()
            ),
            Ending::NotTls { from, .. } => format!(
                "Check the port: the {} answers with another protocol (plain HTTP, for one). Point the client at the \
TLS port, or turn TLS on for that service.",
                from.as_str()
            ),
            Ending::Hello(h) => h.collect(),
        }
    }
}

impl Data for HandshakeFailed {
    fn values(&self, out: &mut Values) {
        if let Some(e) = &self.ending {
            out.set("what_ended_it", e.what());
            out.set("what_to_collect", e.collect());
        }
    }
    gaps!(ending);
}

/// An attempt that ended failed, or rejected by an encrypted alert.
pub(in crate::diagnose) fn on_outcome(a: &Attempt, outcome: Outcome) -> Option<Finding> {
    let ending = a.events.iter().find_map(|o| match &o.event {
        Event::EncryptedRejection { from } => Some(Ending::EncryptedAlert { from: *from }),
        Event::NotTls { from, first_line } => Some(Ending::NotTls { from: *from, first_line: first_line.clone() }),
        _ => None,
    });
    let named = || {
        a.events.iter().find_map(|o| match o.event {
            Event::Alert { from, description, .. } => HelloAnswer::naming_its_cause(a, from, description),
            _ => None,
        })
    };
    let ending = ending.or_else(|| named().map(|h| Ending::Hello(Box::new(h))));
    match (outcome, ending) {
        (Outcome::Failed | Outcome::RejectedEncrypted, Some(ending)) => Some(with_ending(a, ending)),
        (Outcome::Failed, None) => Some(Finding::of_attempt(a, HandshakeFailed::default(), "TLS handshake failed").detail(
            "the handshake failed and the evidence does not say why; capture the handshake or raise the log level",
        )),
        _ => None,
    }
}

/// A side that sent an empty Certificate message, after which the handshake failed: that is
/// why (whatever alert the other side sent).
pub(in crate::diagnose) fn on_no_certificate(a: &Attempt, outcome: Outcome) -> Option<Finding> {
    if outcome == Outcome::Established {
        return None;
    }
    let from = a.events.iter().find_map(|o| match o.event {
        Event::NoCertificate { from } => Some(from),
        _ => None,
    })?;
    let alert = a.events.iter().find_map(|o| match o.event {
        Event::Alert { from: f, description, .. } if f == from.other() => Some(description),
        _ => None,
    });
    (alert.is_some() || outcome == Outcome::Failed).then(|| with_ending(a, Ending::NoCertificate { from, alert }))
}

/// A handshake_failure or insufficient_security alert from `from` before any ServerHello: the
/// offer refused, no parameter named (see `hello_answer`).
pub(in crate::diagnose) fn on_refused_hello(a: &Attempt, from: Role, d: AlertDescription) -> Finding {
    let mut f = with_ending(a, Ending::Hello(Box::new(HelloAnswer::refusal(a, from, d))));
    f.shared.alert = Some(d);
    f
}

fn with_ending(a: &Attempt, ending: Ending) -> Finding {
    let title = match &ending {
        Ending::EncryptedAlert { from } => format!("Handshake ended by an encrypted alert from the {}", from.as_str()),
        Ending::NoCertificate { from, .. } => format!("The {} sent no certificate", from.as_str()),
        Ending::NotTls { from, .. } => format!("The {} did not answer in TLS", from.as_str()),
        Ending::Hello(h) => h.title(),
    };
    let detail = ending.what();
    Finding::of_attempt(a, HandshakeFailed { ending: Some(ending) }, title).detail(detail)
}

const FIXES: &[Fix] = &[
    Fix {
        id: "investigate-handshake",
        context: None,
        title: "Collect more evidence about the failed handshake",
        steps: &["The handshake with {peer} failed: {what_ended_it}.", "{what_to_collect}"],
    },
];

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::codes::{AlertDescription, CipherSuite, TlsVersion};
    use crate::diagnose::Kind;
    use crate::model::{Context, Event, Outcome, Role};

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

    #[test]
    fn a_handshake_the_capture_missed_is_no_failure() {
        let found = kinds(&judged(&capture(Context::Sftunnel).with(end(Outcome::NotCaptured))));
        assert!(!found.contains(&Kind::HandshakeFailed), "{found:?}");
    }

    #[test]
    fn an_encrypted_alert_after_the_other_sides_flight() {
        let a = capture(Context::Sftunnel)
            .with(Event::EncryptedRejection { from: Role::Server })
            .with(end(Outcome::RejectedEncrypted));
        let f = the(judged(&a), Kind::HandshakeFailed);
        assert_eq!(f.data, super::HandshakeFailed { ending: Some(super::Ending::EncryptedAlert { from: Role::Server }) }.into());
        assert!(f.detail.contains("an encrypted alert from the server ended the handshake"), "{}", f.detail);
        insta::assert_snapshot!(render(&f));
    }

    #[test]
    fn an_empty_client_certificate_explains_the_servers_alert() {
        // Whatever alert the server answers it with (OpenSSL: handshake_failure; some stacks:
        // a certificate alert), the capture shows the client sent no certificate.
        for alert in [AlertDescription::HANDSHAKE_FAILURE, AlertDescription::BAD_CERTIFICATE] {
            let hello = Event::ServerHello { version: TlsVersion::TLS12, suite: CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 };
            let a = capture(Context::Generic)
                .with(hello)
                .with(Event::NoCertificate { from: Role::Client })
                .with(fatal_alert(Role::Server, alert))
                .with(end(Outcome::Failed));
            let f = the(judged(&a), Kind::HandshakeFailed);
            assert_eq!(kinds(&judged(&a)), [Kind::HandshakeFailed]);
            assert_eq!(f.title, "The client sent no certificate");
            assert!(f.detail.contains(&format!("ended the handshake with alert {alert}")), "{}", f.detail);
        }
    }

    #[test]
    fn an_answer_that_is_not_tls() {
        let first_line = "HTTP/1.1 400 `rm -rf` Bad Request".to_string();
        let a = capture(Context::Generic)
            .with(Event::NotTls { from: Role::Server, first_line })
            .with(end(Outcome::Failed));
        let f = the(judged(&a), Kind::HandshakeFailed);
        assert_eq!(
            f.detail,
            "the server answered with bytes that are not TLS, beginning \"HTTP/1.1 400 `rm -rf` Bad Request\": that port \
speaks another protocol"
        );
        // In the step that repeats it, the answer's backticks are prose: no command comes of them.
        let fix = f.kind.rule().fix_for(f.context).unwrap();
        let step = crate::diagnose::text::fill(fix.steps[0], &f.values());
        assert!(step.contains("`rm -rf`") && step.commands().next().is_none(), "{step}");
        assert!(f.values()["what_to_collect"].starts_with("Check the port"));
    }
}
