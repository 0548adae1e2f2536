//! `unknown-ca`: the chain leads to an issuer the receiver does not trust. A device logs verify
//! code 2, 19, 20, 21 or 27; a capture shows a chain the receiver refused with unknown_ca,
//! bad_certificate or certificate_unknown (or that no `--ca` anchor covers).

use super::data::no_data;
use super::steps::{IMPORT_1, IMPORT_2, IMPORT_3, IMPORT_4, PUSH, VERIFY};
use super::{About, Depth, Fix, PushTo, Rule, VerifyMatch, Verifier};
use crate::codes::VerifyCode;
use crate::diagnose::Severity;
use super::finding::Finding;
use crate::model::{Attempt, ChainLink, Context, Role};

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
    }),
    window: None,
    push_to: PushTo::Reporters,
    fixes: FIXES,
    system: None,
};

no_data!(UnknownCa);

/// The chain `from` sent ends at a certificate whose issuer is neither in it nor trusted.
pub(in crate::diagnose) fn missing_issuer(a: &Attempt, from: Role, top: &ChainLink) -> Finding {
    Finding::of_attempt(a, UnknownCa, "Certificate issuer is not trusted").detail(format!(
        "the chain sent by the {} ends at {}, issued by {} which is neither in the chain nor trusted",
        from.as_str(),
        top.cert.subject,
        top.cert.issuer
    ))
}

/// The chain `from` sent ends at a root the receiver does not trust.
pub(in crate::diagnose) fn untrusted_root(a: &Attempt, from: Role, top: &ChainLink) -> Finding {
    Finding::of_attempt(a, UnknownCa, "Root CA of the chain is not trusted").detail(format!(
        "the chain sent by the {} ends at the root {} which the {} does not trust",
        from.as_str(),
        top.cert.subject,
        from.other().as_str()
    ))
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
            "The chain from {peer} ends at an issuer ({issuer}) that is not the InternalCA this side trusts: the two \
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
    use crate::codes::{AlertDescription, VerifyCode};
    use crate::model::{Context, Outcome, Role};

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
            .with(fatal_alert(Role::Client, AlertDescription::CERTIFICATE_UNKNOWN));
        assert_eq!(the(judged(&a), Kind::UnknownCa).title, "Certificate issuer is not trusted");
    }

    #[test]
    fn a_self_signed_leaf_is_not_an_unknown_ca() {
        let a = sftunnel_log().with(verify_error(VerifyCode::DEPTH_ZERO_SELF_SIGNED_CERT, 0, "/CN=x", "/CN=x"));
        assert_eq!(kinds(&judged(&a)), [Kind::SelfSigned]);
    }
}
