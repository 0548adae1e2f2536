//! `verify-failed`: certificate verification failed for a reason no other rule names: a verify
//! code without a rule of its own, or a chain link whose signature does not verify.

use super::data::no_data;
use super::{About, Depth, Fix, PushTo, Rule, VerifyMatch, Verifier};
use super::finding::Finding;
use super::on_wire::OnWire;
use crate::codes::VerifyCode;
use crate::diagnose::Severity;

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
        on_wire,
    }),
    window: None,
    push_to: PushTo::Reporters,
    fixes: FIXES,
    system: None,
    min_fmc_release: None,
};

no_data!(VerifyFailed);

/// A chain on the wire that fails a check no other rule claims, said by its code.
fn on_wire(w: &OnWire<'_>) -> Finding {
    let (subject, depth) = (&w.cert.subject, w.depth);
    let names = || {
        let p = w.path.at(0).and_then(|c| c.profile.as_deref());
        let mut names: Vec<String> = p.map(|p| p.dns_names.clone()).unwrap_or_default();
        names.extend(p.into_iter().flat_map(|p| p.ip_addresses.iter().map(|ip| ip.to_string())));
        if names.is_empty() {
            names.extend(p.into_iter().flat_map(|p| p.common_names.iter().cloned()));
        }
        if names.is_empty() {
            "no name".to_string()
        } else {
            names.join(", ")
        }
    };
    let asked = w.host.unwrap_or("the name it asked for");
    let (title, detail) = match w.code {
        VerifyCode::CERT_SIGNATURE_FAILURE => (
            "Certificate signature does not verify".to_string(),
            format!("the signature of {subject} (depth {depth}) does not verify with the key of its issuer in the chain"),
        ),
        VerifyCode::HOSTNAME_MISMATCH | VerifyCode::IP_ADDRESS_MISMATCH => (
            format!("The {}'s certificate does not match the name the client asked for", w.sender()),
            format!("{subject} is issued for {} but the client asked for {asked} (server name indication)", names()),
        ),
        VerifyCode::UNHANDLED_CRITICAL_EXTENSION => (
            "Certificate carries a critical extension the verifier does not know".to_string(),
            format!("{} is marked with a critical extension that OpenSSL does not handle, so it must refuse it", w.certificate_words()),
        ),
        VerifyCode::INVALID_CA => (
            "A certificate of the chain is not a CA".to_string(),
            format!("{} issues the certificate below it but is not a CA (basicConstraints, keyUsage)", w.certificate_words()),
        ),
        code => (
            "Certificate verification failed".to_string(),
            format!("{} fails OpenSSL's check {code}", w.certificate_words()),
        ),
    };
    w.finding(VerifyFailed, title).detail(detail)
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
