//! `verify-failed`: certificate verification failed for a reason no other rule names: a verify
//! code without a rule of its own, or a chain link whose signature does not verify.

use super::data::no_data;
use super::{About, Depth, Fix, PushTo, Rule, VerifyMatch, Verifier};
use crate::diagnose::Severity;
use super::finding::Finding;
use crate::model::{Attempt, ChainLink};

pub static RULE: Rule = Rule {
    name: "verify-failed",
    severity: Severity::Error,
    summary: "certificate verification failed for another reason (see the OpenSSL code)",
    about: About::CertificateVerification,
    verifier: Verifier::Reporter,
    marks_tunnel_down: true,
    // No codes of its own: every code the other rules do not claim lands here.
    verify: Some(VerifyMatch {
        codes: &[],
        depth: Depth::Any,
        title: |_, _| "Certificate verification failed".into(),
        data: |_| VerifyFailed.into(),
    }),
    window: None,
    push_to: PushTo::Reporters,
    fixes: FIXES,
    system: None,
};

no_data!(VerifyFailed);

/// A link of a chain on the wire whose signature does not verify with the next link's key.
pub(in crate::diagnose) fn bad_signature(a: &Attempt, link: &ChainLink) -> Finding {
    Finding::of_attempt(a, VerifyFailed, "Certificate signature does not verify").detail(format!(
        "the signature of {} (depth {}) does not verify with the key of the next certificate in the chain",
        link.cert.subject, link.depth
    ))
}

const FIXES: &[Fix] = &[
    Fix {
        id: "investigate-verification",
        context: None,
        title: "Fix the certificate problem OpenSSL names",
        steps: &[
            "Verification failed with OpenSSL code {verify_code} ({verify_text})[[ for {subject}]].",
            "Check the chain on the verifying side with `openssl verify -CAfile` followed by the CA file it trusts and \
the certificate file it was given.",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::diagnose::Kind;
    use crate::codes::VerifyCode;
    use crate::model::Outcome;

    #[test]
    fn a_code_without_a_rule_of_its_own() {
        let a = sftunnel_log()
            .with(verify_error(VerifyCode::CERT_REVOKED, 0, "/CN=ftd-branch-07", "/title=InternalCA/CN=fmc"))
            .with(end(Outcome::Failed));
        let f = the(judged(&a), Kind::VerifyFailed);
        assert_eq!(&f.values()["verify_text"], "certificate revoked");
        insta::assert_snapshot!(render(&f));
    }

    #[test]
    fn a_code_with_its_own_rule_is_not_generic() {
        let a = sftunnel_log()
            .with(verify_error(VerifyCode::CERT_HAS_EXPIRED, 0, "/CN=ftd-branch-07", "/title=InternalCA/CN=fmc"))
            .with(end(Outcome::Failed));
        assert_eq!(kinds(&judged(&a)), [Kind::ExpiredCert]);
    }
}
