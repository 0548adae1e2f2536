//! Tests of the judgement of chains on the wire (`chain/`) with hand-built attempts: the path
//! in issuer order whatever the order sent, the failure a refusal names with the others listed,
//! a chain the receiver accepted, a failure without a certificate alert, and `expiring-soon`.
//! Their certificates carry no DER, so only names, dates and trust are judged here; keys,
//! digests, usages and names are held to real stacks by the corpus (`tests/data/real-stacks`).

use crate::codes::{AlertDescription, VerifyCode};
use crate::diagnose::rules::fixtures::*;
use crate::diagnose::{Kind, Severity};
use crate::model::{Context, Outcome, Role};

const ROOT: &str = "/CN=Test Root CA";
const INT: &str = "/CN=Test Issuing CA";
const LEAF: &str = "/CN=www.example.net";

#[test]
fn a_chain_sent_out_of_order_is_judged_in_issuer_order() {
    let root = cert(ROOT, ROOT, "2020-01-01T00:00:00Z", "2040-01-01T00:00:00Z");
    let int = cert(INT, ROOT, "2020-01-01T00:00:00Z", "2025-01-01T00:00:00Z");
    let leaf = cert(LEAF, INT, "2024-01-01T00:00:00Z", "2030-01-01T00:00:00Z");
    let a = capture(Context::Generic)
        .with(chain(Role::Server, &[leaf, root, int]))
        .with(fatal_alert(Role::Client, AlertDescription::CERTIFICATE_EXPIRED))
        .with(end(Outcome::Failed));
    let found = judged(&a);
    assert_eq!(kinds(&found), [Kind::ExpiredCa]);
    let f = &found[0];
    // Depth 1 in the path (the message had it third), as OpenSSL reports it.
    assert_eq!((f.depth, f.certificate.subject.as_deref()), (Some(1), Some(INT)));
    assert_eq!(f.shared.verify, Some(VerifyCode::CERT_HAS_EXPIRED));
    assert!(f
        .detail
        .ends_with("the client answered with alert certificate_expired, the alert OpenSSL sends for this check"));
}

#[test]
fn a_refusal_names_the_check_its_alert_stands_for_and_lists_the_others() {
    let int = cert(INT, ROOT, "2026-12-01T00:00:00Z", "2035-01-01T00:00:00Z");
    let leaf = cert(LEAF, INT, "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z");
    let a = capture(Context::Generic)
        .with(chain(Role::Server, &[leaf, int]))
        .with(fatal_alert(Role::Client, AlertDescription::CERTIFICATE_EXPIRED))
        .with(end(Outcome::Failed));
    let f = the(judged(&a), Kind::ExpiredCert);
    // OpenSSL meets the CA's start date first, but answers it with bad_certificate.
    assert_eq!(f.shared.also_fails.len(), 1);
    assert_eq!(f.shared.also_fails[0].code, VerifyCode::CERT_NOT_YET_VALID);
    assert!(f.values()["also_fails"].starts_with("certificate is not yet valid (OpenSSL 9) at depth 1"));
    assert!(f.detail.contains("this check, not the ones OpenSSL makes earlier, is the one the alert names"));
}

#[test]
fn an_unknown_ca_alert_is_the_end_of_the_path() {
    let int = cert(INT, ROOT, "2020-01-01T00:00:00Z", "2035-01-01T00:00:00Z");
    let leaf = cert(LEAF, INT, "2024-01-01T00:00:00Z", "2030-01-01T00:00:00Z");
    let a = capture(Context::Generic)
        .with(chain(Role::Server, &[leaf, int]))
        .with(fatal_alert(Role::Client, AlertDescription::UNKNOWN_CA))
        .with(end(Outcome::Failed));
    let f = the(judged(&a), Kind::UnknownCa);
    assert_eq!((f.depth, f.shared.verify), (Some(1), Some(VerifyCode::UNABLE_TO_GET_ISSUER_CERT_LOCALLY)));
}

#[test]
fn without_ca_another_alert_says_nothing_of_trust() {
    // The chain stops below its root (as chains do) and nothing else fails: the capture shows
    // no reason, and no `unknown-ca` is guessed.
    let int = cert(INT, ROOT, "2020-01-01T00:00:00Z", "2035-01-01T00:00:00Z");
    let leaf = cert(LEAF, INT, "2024-01-01T00:00:00Z", "2030-01-01T00:00:00Z");
    let a = capture(Context::Generic)
        .with(chain(Role::Server, &[leaf, int]))
        .with(fatal_alert(Role::Client, AlertDescription::BAD_CERTIFICATE))
        .with(end(Outcome::Failed));
    assert_eq!(kinds(&judged(&a)), [Kind::PeerRejectedCertificate]);
}

#[test]
fn a_chain_the_receiver_accepted_gives_warnings_only() {
    let leaf = cert(LEAF, INT, "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z");
    let a = capture(Context::Generic).with(chain(Role::Server, &[leaf])).with(end(Outcome::Established));
    let found = judged(&a);
    assert_eq!(kinds(&found), [Kind::ExpiredCert, Kind::UnknownCa]);
    assert_eq!(found[0].severity, Severity::Warning);
    assert!(found[0].detail.ends_with("the client accepted the chain all the same"));
    // The leaf came without its issuer and was accepted: the client holds the issuer (a root, say)
    // or does not verify; only a peer that lacks it refuses the chain, so it is only mentioned.
    assert_eq!(found[1].severity, Severity::Info);
    assert!(found[1].detail.contains("a peer that lacks that certificate refuses the chain"), "{}", found[1].detail);
}

#[test]
fn a_chain_whose_receiver_went_on_was_accepted() {
    // Mutual TLS: the client sent its own certificate after the server's, the server refused it.
    let server = cert(LEAF, INT, "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z");
    let int = cert(INT, ROOT, "2020-01-01T00:00:00Z", "2035-01-01T00:00:00Z");
    let client = cert("/CN=client.example.net", INT, "2024-01-01T00:00:00Z", "2030-01-01T00:00:00Z");
    let a = capture(Context::Generic)
        .with(chain(Role::Server, &[server, int.clone()]))
        .with(chain(Role::Client, &[client, int]))
        .with(fatal_alert(Role::Server, AlertDescription::UNKNOWN_CA))
        .with(end(Outcome::Failed));
    let found = judged(&a);
    let expired = found.iter().find(|f| f.kind == Kind::ExpiredCert).unwrap();
    assert_eq!((expired.severity, expired.shared.sent_by), (Severity::Warning, Some(Role::Server)));
    let untrusted = the(found, Kind::UnknownCa);
    assert_eq!((untrusted.severity, untrusted.shared.sent_by), (Severity::Error, Some(Role::Client)));
}

#[test]
fn a_failure_without_a_certificate_alert_is_inferred() {
    let leaf = cert(LEAF, INT, "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z");
    let a = capture(Context::Generic).with(chain(Role::Server, &[leaf])).with(end(Outcome::Failed));
    let f = the(judged(&a), Kind::ExpiredCert);
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(
        f.shared.inferred.as_deref(),
        Some("the client sent no certificate alert: that this check ended the handshake is inferred")
    );
}

#[test]
fn with_ca_a_path_that_does_not_reach_it_is_untrusted() {
    let leaf = cert(LEAF, INT, "2024-01-01T00:00:00Z", "2030-01-01T00:00:00Z");
    let other_root = cert("/CN=Other Root", "/CN=Other Root", "2020-01-01T00:00:00Z", "2040-01-01T00:00:00Z");
    let a = capture(Context::Generic)
        .with(chain(Role::Server, &[leaf]))
        .with(fatal_alert(Role::Client, AlertDescription::BAD_CERTIFICATE))
        .with(end(Outcome::Failed));
    let mut o = opts();
    o.anchors = vec![other_root];
    let found = crate::diagnose::judge_attempt(&a, &o);
    let f = the(found, Kind::UnknownCa);
    assert!(f.detail.contains("(it is not among the --ca anchors either)"), "{}", f.detail);
}

#[test]
fn a_captured_certificate_close_to_its_end_is_expiring() {
    // 19 days left at the handshake (2026-11-20): an error, whatever the handshake's outcome.
    let leaf = cert(LEAF, INT, "2024-01-01T00:00:00Z", "2026-12-10T00:00:00Z");
    let a = capture(Context::Generic).with(chain(Role::Server, &[leaf])).with(end(Outcome::Established));
    let found = judged(&a);
    let f = found.iter().find(|f| f.kind == Kind::ExpiringSoon).unwrap();
    assert_eq!((f.severity, f.title.as_str()), (Severity::Error, "Certificate had 19 days left at the handshake"));
    assert_eq!((f.shared.days_left, f.depth), (Some(17), Some(0)));
    assert_eq!(&f.values()["days_at_handshake"], "19");
}

#[test]
fn expiring_is_also_counted_from_now_when_that_is_later() {
    let leaf = cert(LEAF, INT, "2024-01-01T00:00:00Z", "2027-04-01T00:00:00Z");
    let a = capture(Context::Generic).with(chain(Role::Server, &[leaf])).with(end(Outcome::Established));
    let at = |now: &str| {
        let mut o = opts();
        o.now = ts(now);
        crate::diagnose::judge_attempt(&a, &o).into_iter().filter(|f| f.kind == Kind::ExpiringSoon).collect::<Vec<_>>()
    };
    // 132 days left at the handshake; 31 left at a later --now: a warning (the capture does not
    // show the certificate still in use).
    let later = at("2027-03-01T00:00:00Z");
    assert_eq!(later.len(), 1);
    assert_eq!((later[0].severity, later[0].shared.days_left), (Severity::Warning, Some(31)));
    assert_eq!(later[0].title, "Certificate seen in a capture expires in 31 days");
    // Expired by --now: no longer expiring, and the capture cannot say it is still used.
    assert!(at("2027-06-01T00:00:00Z").is_empty());
    // --now before the handshake counts nothing.
    assert!(at("2026-01-01T00:00:00Z").is_empty());
}
