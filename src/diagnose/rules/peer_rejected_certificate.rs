//! `peer-rejected-certificate`: the other side refused the certificate it was sent (a fatal
//! certificate alert such as bad_certificate or unknown_ca) and nothing in the attempt says why.
//! Across sources, the rejection folds into what the rejecting device reported about us
//! (`precedence`). Regenerated sftunnel files go to the rejecting device.

use super::data::no_data;
use super::steps::{CHECK_CA, PUSH, VERIFY};
use super::shared::RejectedBy;
use super::{About, Fix, FromSystem, InSystem, PushTo, Rule, SystemFix, Verifier};
use crate::diagnose::text::fill;
use crate::codes::AlertDescription;
use crate::diagnose::{Severity, StepText};
use super::finding::Finding;
use crate::model::{Attempt, Context, Role};

pub static RULE: Rule = Rule {
    name: "peer-rejected-certificate",
    severity: Severity::Error,
    summary: "the other side refused the certificate it was sent",
    about: About::TunnelCredentials,
    verifier: Verifier::Peer,
    marks_tunnel_down: true,
    verify: None,
    window: None,
    push_to: PushTo::Peer,
    fixes: FIXES,
    system: Some(SystemFix { when: FromSystem::Always, about: in_system }),
    min_fmc_release: None,
};

no_data!(PeerRejectedCertificate);

/// What the evidence shows of the certificate a side refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// Not the chain itself (a log, or a TLS 1.3 capture, which encrypts it).
    Unseen,
    /// A chain that passes every check tlstriage makes.
    Passes,
    /// What the attempt shows explains the refusal (a verify error, a failed check, no
    /// certificate at all): no finding of this kind.
    Explained,
}

/// A certificate alert `from` one side, unless the attempt's own findings explain it.
pub(in crate::diagnose) fn on_alert(a: &Attempt, from: Role, d: AlertDescription, refused: Refused) -> Option<Finding> {
    if !d.is_certificate_rejection() || refused == Refused::Explained {
        return None;
    }
    let (by, to) = (from.as_str(), from.other().as_str());
    let title = format!("The {by} rejected the {to}'s certificate");
    let detail = match refused {
        Refused::Passes => format!(
            "the {by} sent alert {d} about the certificate the {to} presented, and the capture shows no reason for it: the \
chain passes every check tlstriage can make (dates, keys and signature digests, key usage, the server name asked for); \
what the {by} refused (a CA its trust store lacks, a revocation, a policy of its own) is for its log or its trust store \
to say"
        ),
        Refused::Unseen if a.observer.is_none() => format!(
            "the {by} sent alert {d}: it does not accept the certificate the {to} presented; the capture does not show that \
certificate ({}), so why is for the {by}'s log (or its trust store) to say",
            super::on_wire::why_no_chain(a)
        ),
        _ => format!("the {by} sent alert {d}: it does not accept the certificate the {to} presented"),
    };
    let mut f = Finding::of_attempt(a, PeerRejectedCertificate, title).detail(detail);
    f.shared.alert = Some(d);
    f.shared.rejected_by = Some(RejectedBy::Side(from));
    Some(f)
}

/// The line before its system's steps: the peer is a device of the system that still holds
/// the old InternalCA (and may still lack the new files), else only the peer and its alert.
fn in_system(f: &Finding, s: &InSystem<'_>) -> StepText {
    let values = f.values();
    match s.peer_device {
        Some((name, pending)) => {
            let ip = f.peer.as_ref().map(|p| p.host().to_string()).unwrap_or_default();
            let pending = if pending { " Its push is pending: it is one of the devices below." } else { "" };
            // Input values are prose: only `fill` and `compose` place them.
            let alert = fill("[[ (alert {alert})]]", &values);
            StepText::compose(
                "{ip} is {name}: it refuses the certificate the FMC sends{alert}, because it still holds the old \
InternalCA.{pending}",
                &[
                    ("ip", StepText::prose(ip)),
                    ("name", StepText::prose(name)),
                    ("alert", alert),
                    ("pending", StepText::ours(pending)),
                ],
            )
        }
        None => fill("The {rejected_by}[[ ({rejected_by_host})]] refuses the certificate it was sent[[ (alert {alert})]].", &values),
    }
}

const FIXES: &[Fix] = &[
    Fix {
        id: "sftunnel-peer-rejects-cert",
        context: Some(Context::Sftunnel),
        title: "The peer refuses this side's sftunnel certificate: check the InternalCA and the copies on the peer",
        steps: &[
            "The {rejected_by}[[ ({rejected_by_host})]] answered with alert {alert}: it does not accept the certificate (or \
the InternalCA behind it) that the other side sends.",
            CHECK_CA,
            "If the CA has expired, follow `tlstriage explain expired-ca`: back up the FMC, install its hotfix, run \
generate_certs.pl, and push the files to {push_to}.",
            PUSH,
            VERIFY,
        ],
    },
    Fix {
        id: "peer-rejects-cert",
        context: None,
        title: "Find out why the peer refuses the certificate",
        steps: &[
            "The {rejected_by}[[ ({rejected_by_host})]] sent alert {alert} about the certificate it was given.",
            "Check that certificate's dates and chain (`openssl x509 -dates -issuer -noout`), and the peer's trust \
store and clock; the peer's own log names the exact reason.",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::diagnose::Kind;
    use crate::codes::{AlertDescription, CipherSuite, TlsVersion, VerifyCode};
    use crate::diagnose::text::fill;
    use crate::model::{Context, Event, Outcome, Role};

    #[test]
    fn the_fmc_refused_our_certificate() {
        let a = sftunnel_log()
            .with(fatal_alert(Role::Server, AlertDescription::BAD_CERTIFICATE))
            .with(end(Outcome::Failed));
        let f = the(judged(&a), Kind::PeerRejectedCertificate);
        assert_eq!(f.shared.rejected_by, Some(super::RejectedBy::Side(Role::Server)));
        insta::assert_snapshot!(render(&f));
    }

    #[test]
    fn a_client_refusing_in_plain_text_in_tls13_is_named_as_the_sender() {
        // OpenSSL's TLS 1.3 client sends its alert in the clear; the certificates are encrypted.
        let a = capture(Context::Sftunnel)
            .with(Event::ServerHello { version: TlsVersion::TLS13, suite: CipherSuite::TLS_AES_128_GCM_SHA256 })
            .with(fatal_alert(Role::Client, AlertDescription::CERTIFICATE_EXPIRED))
            .with(end(Outcome::Failed));
        let f = the(judged(&a), Kind::PeerRejectedCertificate);
        assert!(f.detail.contains("(TLS 1.3 encrypts the certificates), so why is for the client's log"), "{}", f.detail);
        let fix = f.kind.rule().fix_for(f.context).unwrap();
        assert_eq!(
            fill(fix.steps[0], &f.values()),
            "The client (10.1.1.5) answered with alert certificate_expired: it does not accept the certificate (or the \
InternalCA behind it) that the other side sends."
        );
    }

    #[test]
    fn a_verify_error_explains_the_rejection() {
        let a = sftunnel_log()
            .with(verify_error(VerifyCode::CERT_HAS_EXPIRED, 1, "/title=InternalCA/CN=x", "/title=InternalCA/CN=x"))
            .with(fatal_alert(Role::Server, AlertDescription::CERTIFICATE_UNKNOWN));
        assert_eq!(kinds(&judged(&a)), [Kind::ExpiredCa]);
    }
}
