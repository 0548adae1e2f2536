//! `self-signed`: the peer presented a self-signed certificate that the receiver does not trust.
//! A device logs verify code 18; a capture shows a one-certificate chain signed by itself that
//! the receiver refused (or that no `--ca` anchor covers).

use super::data::no_data;
use super::steps::{IMPORT_1, IMPORT_2, IMPORT_3, IMPORT_4, PUSH, VERIFY};
use super::{About, Depth, Fix, PushTo, Rule, VerifyMatch, Verifier};
use crate::codes::VerifyCode;
use crate::diagnose::Severity;
use super::finding::Finding;
use super::on_wire::OnWire;
use crate::model::Context;

pub static RULE: Rule = Rule {
    name: "self-signed",
    severity: Severity::Error,
    summary: "the peer presented a self-signed certificate that is not trusted",
    about: About::CertificateTrust,
    verifier: Verifier::Reporter,
    marks_tunnel_down: true,
    verify: Some(VerifyMatch {
        codes: &[VerifyCode::DEPTH_ZERO_SELF_SIGNED_CERT],
        depth: Depth::Any,
        title: |_, _| "Self-signed certificate is not trusted".into(),
        data: |_| SelfSigned.into(),
        on_wire,
    }),
    window: None,
    push_to: PushTo::Reporters,
    fixes: FIXES,
    system: None,
    min_fmc_release: None,
};

no_data!(SelfSigned);

/// The only certificate of a chain on the wire is self-signed, and the receiver does not trust it.
fn on_wire(w: &OnWire<'_>) -> Finding {
    w.finding(SelfSigned, format!("The {} presented a self-signed certificate", w.sender())).detail(format!(
        "{} is self-signed and not trusted by the {}{}",
        w.cert.subject,
        w.receiver(),
        w.anchors_note()
    ))
}

const FIXES: &[Fix] = &[
    Fix {
        id: "tls-proxy-import-server-cert",
        context: Some(Context::TlsProxy),
        title: "Import the server's certificate into the TLS proxy",
        steps: &[IMPORT_1, IMPORT_2, IMPORT_3, IMPORT_4],
    },
    Fix {
        id: "sftunnel-recopy-certs",
        context: Some(Context::Sftunnel),
        title: "Put the InternalCA-signed certificates back on the peer",
        steps: &[
            "{peer} presents {subject}, a self-signed certificate instead of one issued by the FMC InternalCA.",
            PUSH,
            VERIFY,
        ],
    },
    Fix {
        id: "trust-self-signed",
        context: None,
        title: "Trust the self-signed certificate, or replace it",
        steps: &[
            "{peer} presents the self-signed certificate[[ {subject}]].",
            "Either replace it with a certificate from a CA the clients trust, or add exactly this certificate to \
the clients' trust store (pass it with --ca to judge captures against it).",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::diagnose::Kind;
    use crate::codes::{AlertDescription, VerifyCode};
    use crate::model::{Context, Outcome, Role};

    #[test]
    fn tls_proxy_refusing_a_self_signed_server() {
        let srv = cert("/CN=intranet.example.com", "/CN=intranet.example.com", "2025-01-01T00:00:00Z", "2030-01-01T00:00:00Z");
        let a = capture(Context::TlsProxy)
            .with(chain(Role::Server, &[srv]))
            .with(fatal_alert(Role::Client, AlertDescription::UNKNOWN_CA))
            .with(end(Outcome::Failed));
        let found = judged(&a);
        // Self-signed explains the unknown_ca alert: no second finding for it.
        assert_eq!(kinds(&found), [Kind::SelfSigned]);
        insta::assert_snapshot!(render(&found[0]));
    }

    #[test]
    fn verify_code_18_from_a_log() {
        let a = sftunnel_log().with(verify_error(VerifyCode::DEPTH_ZERO_SELF_SIGNED_CERT, 0, "/CN=x", "/CN=x"));
        assert_eq!(the(judged(&a), Kind::SelfSigned).title, "Self-signed certificate is not trusted");
    }

    #[test]
    fn a_self_signed_root_above_the_leaf_is_an_unknown_ca() {
        let root = "/CN=Example Root";
        let a = sftunnel_log().with(verify_error(VerifyCode::SELF_SIGNED_CERT_IN_CHAIN, 1, root, root));
        assert_eq!(kinds(&judged(&a)), [Kind::UnknownCa]);
    }
}
