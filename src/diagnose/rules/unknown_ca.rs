//! `unknown-ca`: the chain leads to an issuer the receiver does not trust. A device logs verify
//! code 2, 19, 20, 21 or 27; a capture shows a chain the receiver refused with unknown_ca,
//! bad_certificate or certificate_unknown (or that no `--ca` anchor covers).

use super::data::no_data;
use super::steps::{IMPORT_1, IMPORT_2, IMPORT_3, IMPORT_4, PUSH, VERIFY};
use super::{About, Depth, Fix, PushTo, Rule, VerifyMatch, Verifier};
use super::finding::Finding;
use super::on_wire::{why_no_chain, OnWire};
use super::shared::RejectedBy;
use crate::codes::{AlertDescription, VerifyCode};
use crate::diagnose::Severity;
use crate::model::{Attempt, CertSummary, Context, Role};
use crate::x509::path::PathEnd;

pub static RULE: Rule = Rule {
    name: "unknown-ca",
    severity: Severity::Error,
    summary: "the chain leads to an issuer that is not trusted",
    about: About::CertificateTrust,
    verifier: Verifier::Reporter,
    marks_tunnel_down: true,
    verify: Some(VerifyMatch {
        codes: &[
            VerifyCode::UNABLE_TO_GET_ISSUER_CERT,
            VerifyCode::SELF_SIGNED_CERT_IN_CHAIN,
            VerifyCode::UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
            VerifyCode::UNABLE_TO_VERIFY_LEAF_SIGNATURE,
            VerifyCode::CERT_UNTRUSTED,
        ],
        depth: Depth::Any,
        title: |_, _| "Certificate issuer is not trusted".into(),
        data: |_| UnknownCa.into(),
        on_wire,
    }),
    window: None,
    push_to: PushTo::Reporters,
    fixes: FIXES,
    system: None,
    min_fmc_release: None,
};

no_data!(UnknownCa);

/// A chain on the wire whose path the receiver cannot (or does not) complete to a root it
/// trusts: said by where the path ends.
fn on_wire(w: &OnWire<'_>) -> Finding {
    let (sender, receiver) = (w.sender(), w.receiver());
    let Some(top) = w.top() else {
        return w.finding(UnknownCa, "Certificate issuer is not trusted");
    };
    let (title, detail) = match w.path.end {
        PathEnd::SelfSigned => (
            "Root CA of the chain is not trusted",
            format!("the chain sent by the {sender} ends at the root {} which the {receiver} does not trust{}", top.subject, w.anchors_note()),
        ),
        PathEnd::AnchorWithoutIssuer => (
            "Certificate issuer is not trusted",
            format!(
                "the chain sent by the {sender} leads to {}, which --ca trusts, but its issuer {} is not among the anchors: \
OpenSSL completes a path only up to a self-signed root (error 2)",
                top.subject, top.issuer
            ),
        ),
        PathEnd::Anchored => (
            "The peer does not trust the anchor --ca gives",
            format!(
                "the path of the chain sent by the {sender} reaches {}, which --ca trusts, but the {receiver} does not \
trust it: its own trust store lacks that root",
                top.subject
            ),
        ),
        PathEnd::MissingIssuer | PathEnd::TooLong => (
            "Certificate issuer is not trusted",
            format!(
                "the chain sent by the {sender} ends at {}, whose issuer {} was not sent{}",
                top.subject,
                top.issuer,
                w.anchors_note()
            ),
        ),
    };
    w.finding(UnknownCa, title).detail(detail)
}

/// Said of a leaf sent without its issuer that the receiver accepted: it holds the issuer
/// itself (or does not verify); a peer that trusts only the root refuses the chain.
pub(in crate::diagnose) fn issuer_not_sent_note(leaf: &CertSummary, receiver: Role) -> String {
    format!(
        "; the {} went on, so it holds {} itself (a root it trusts, or an intermediate it was given) or does not \
verify (inferred): nothing is wrong with this connection, but a peer that lacks that certificate refuses the chain \
(OpenSSL error 20) unless the {} sends it too",
        receiver.as_str(),
        leaf.issuer,
        receiver.other().as_str()
    )
}

/// A plaintext unknown_ca alert from `from` when the capture shows no chain of the other side
/// (TLS 1.3 encrypts it): the peer says it does not know the issuer; which one, the capture
/// cannot show.
pub(in crate::diagnose) fn on_alert(a: &Attempt, from: Role, d: AlertDescription, chain_seen: bool) -> Option<Finding> {
    if d != AlertDescription::UNKNOWN_CA || chain_seen || a.observer.is_some() {
        return None;
    }
    let to = from.other();
    let mut f = Finding::of_attempt(a, UnknownCa, format!("The {} does not trust the issuer of the {}'s certificate", from.as_str(), to.as_str()))
        .detail(format!(
            "the {} sent alert unknown_ca: the chain the {} presented does not lead to a CA it trusts; the capture does not \
show the chain ({}), so which issuer is missing is for the {}'s log or its trust store to say",
            from.as_str(),
            to.as_str(),
            why_no_chain(a),
            from.as_str()
        ));
    f.shared.alert = Some(d);
    f.shared.rejected_by = Some(RejectedBy::Side(from));
    Some(f)
}

const FIXES: &[Fix] = &[
    Fix {
        id: "tls-proxy-import-server-cert",
        context: Some(Context::TlsProxy),
        title: "Import the server's certificate (or its CA) into the TLS proxy",
        steps: &[IMPORT_1, IMPORT_2, IMPORT_3, IMPORT_4],
    },
    Fix {
        id: "sftunnel-recopy-certs",
        context: Some(Context::Sftunnel),
        title: "Make both ends hold certificates of the same InternalCA",
        steps: &[
            "The chain from {peer} ends at an issuer[[ ({issuer})]] that is not the InternalCA this side trusts: the two \
ends hold certificates from different generations of the CA.",
            "On the device, check with `openssl verify -CAfile cacert.pem sftunnel-cert.pem` in {peer_folder}.",
            PUSH,
            VERIFY,
        ],
    },
    Fix {
        id: "trust-issuer",
        context: None,
        title: "Install the missing issuer or send the full chain",
        steps: &[
            "The chain from {peer} leads to {issuer}, which the receiving side does not trust.",
            "Configure the server to send its intermediate certificates, and add the root CA to the client's trust \
store (use --ca to judge a capture against it).",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::diagnose::Kind;
    use crate::codes::{AlertDescription, CipherSuite, TlsVersion, VerifyCode};
    use crate::model::{Context, Event, Outcome, Role};

    #[test]
    fn verify_code_20_from_a_log() {
        let a = sftunnel_log()
            .with(verify_error(VerifyCode::UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 0, "/CN=fmc-new", "/title=InternalCA/CN=new"))
            .with(end(Outcome::Failed));
        let f = the(judged(&a), Kind::UnknownCa);
        assert_eq!(f.shared.verify, Some(VerifyCode::UNABLE_TO_GET_ISSUER_CERT_LOCALLY));
        assert_eq!(&f.values()["verify_code"], "20");
        insta::assert_snapshot!(render(&f));
    }

    #[test]
    fn a_chain_whose_issuer_is_missing() {
        let leaf = cert("/CN=www.example.com", "/CN=Example Issuing CA", "2025-01-01T00:00:00Z", "2030-01-01T00:00:00Z");
        let a = capture(Context::Generic)
            .with(chain(Role::Server, &[leaf]))
            .with(fatal_alert(Role::Client, AlertDescription::UNKNOWN_CA));
        let f = the(judged(&a), Kind::UnknownCa);
        assert_eq!((f.title.as_str(), f.depth), ("Certificate issuer is not trusted", Some(0)));
        assert_eq!(f.shared.verify, Some(VerifyCode::UNABLE_TO_GET_ISSUER_CERT_LOCALLY));
    }

    #[test]
    fn another_certificate_alert_is_no_untrusted_issuer_without_ca() {
        // The issuer was not sent, but the client's trust store is unknown: certificate_unknown
        // says nothing about trust, and no check of the chain fails.
        let leaf = cert("/CN=www.example.com", "/CN=Example Issuing CA", "2025-01-01T00:00:00Z", "2030-01-01T00:00:00Z");
        let a = capture(Context::Generic)
            .with(chain(Role::Server, &[leaf]))
            .with(fatal_alert(Role::Client, AlertDescription::CERTIFICATE_UNKNOWN));
        let f = the(judged(&a), Kind::PeerRejectedCertificate);
        assert!(f.detail.contains("the capture shows no reason for it"), "{}", f.detail);
    }

    #[test]
    fn an_unknown_ca_alert_without_a_chain_in_a_capture() {
        let a = capture(Context::Generic)
            .with(Event::ServerHello { version: TlsVersion::TLS13, suite: CipherSuite::TLS_AES_128_GCM_SHA256 })
            .with(fatal_alert(Role::Client, AlertDescription::UNKNOWN_CA));
        let f = the(judged(&a), Kind::UnknownCa);
        assert_eq!(f.depth, None);
        assert!(f.detail.contains("TLS 1.3 encrypts the certificates"), "{}", f.detail);
    }

    #[test]
    fn a_self_signed_leaf_is_not_an_unknown_ca() {
        let a = sftunnel_log().with(verify_error(VerifyCode::DEPTH_ZERO_SELF_SIGNED_CERT, 0, "/CN=x", "/CN=x"));
        assert_eq!(kinds(&judged(&a)), [Kind::SelfSigned]);
    }
}
