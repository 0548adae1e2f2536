//! Unit tests of identities, the comparison by parts and the baseline file reader.

use super::*;
use crate::diagnose::Kind;
use crate::model::{Context, Evidence};

fn finding(kind: Kind, peer: &str, sha: Option<&str>) -> Finding {
    let mut f = Finding::new(kind, Context::Sftunnel, format!("{kind} at {peer}"));
    f.peer = Some(crate::model::Endpoint::parse(peer));
    f.certificate.subject = Some("/CN=fmc".into());
    // A short made-up fingerprint, written out to its 64 hex digits.
    f.certificate.sha256 = sha.map(|s| crate::model::Sha256::from_hex(&format!("{s:0>64}")).expect("hex digits"));
    f
}

#[test]
fn identity_ignores_lines_times_counts_and_evidence() {
    let a = finding(Kind::ExpiredCa, "10.0.0.1", Some("ab"));
    let mut b = a.clone();
    b.count = 40;
    b.title = "another wording".into();
    b.severity = Severity::Warning;
    b.add_evidence(Evidence::line("elsewhere/messages", 99, Some("2030-01-01T00:00:00Z".parse().unwrap()), "x"));
    assert_eq!(Identity::of(&a), Identity::of(&b));
    assert_eq!(Identity::of(&a).fingerprint(), Identity::of(&b).fingerprint());
    assert_eq!(Identity::of(&a).fingerprint().len(), 32);
    let other_cert = finding(Kind::ExpiredCa, "10.0.0.1", Some("cd"));
    assert_ne!(Identity::of(&a), Identity::of(&other_cert));
    let other_peer = finding(Kind::ExpiredCa, "10.0.0.2", Some("ab"));
    assert_ne!(Identity::of(&a).fingerprint(), Identity::of(&other_peer).fingerprint());
    assert_eq!(Identity::of(&a).context, "sftunnel");
}

#[test]
fn comparison_matches_by_identity() {
    let accepted: Vec<Accepted> = [
        finding(Kind::ExpiredCa, "10.0.0.1", Some("ab")),
        finding(Kind::CipherMismatch, "10.0.0.9", None),
        finding(Kind::UnknownCa, "10.0.0.3", None),
    ]
    .iter()
    .map(Accepted::of)
    .collect();
    let now = [
        finding(Kind::ExpiredCa, "10.0.0.1", Some("ab")),
        finding(Kind::ExpiredCa, "10.0.0.1", Some("ab")),
        finding(Kind::CipherMismatch, "10.0.0.9", None),
    ];
    let c = compare("accepted.json", &now, &accepted);
    // One accepted finding may match several of the run.
    assert_eq!(c.status, [Status::Unchanged, Status::Unchanged, Status::Unchanged]);
    assert_eq!((c.new_count(), c.unchanged_count()), (0, 3));
    assert_eq!(c.resolved.len(), 1);
    assert_eq!(c.resolved[0].identity.kind, "unknown-ca");
    assert_eq!(c.resolved[0].title.as_deref(), Some("unknown-ca at 10.0.0.3"));
    assert_eq!(c.status_of(3), None);
}

#[test]
fn a_folded_finding_matches_each_of_its_parts() {
    // The log names the CA by subject at depth 1; the CA file adds the fingerprint.
    let mut log = finding(Kind::ExpiredCa, "10.0.0.1", None);
    log.depth = Some(1);
    let file = finding(Kind::ExpiredCa, "10.0.0.1", Some("ab"));
    let mut rejected = finding(Kind::PeerRejectedCertificate, "10.0.0.7", None);
    rejected.severity = Severity::Error;
    let mut both = file.clone();
    both.merge(log.clone());
    both.merge(rejected.clone());
    // Superset accepted, subset run: every part of the subset is unchanged.
    let c = compare("b", &[log.clone(), rejected.clone()], &[Accepted::of(&both)]);
    assert_eq!(c.status, [Status::Unchanged, Status::Unchanged]);
    assert!(c.resolved.is_empty());
    // Subset accepted, superset run: the folded finding is unchanged and nothing is resolved.
    let c = compare("b", std::slice::from_ref(&both), &[Accepted::of(&log), Accepted::of(&rejected)]);
    assert_eq!(c.status, [Status::Unchanged]);
    assert!(c.resolved.is_empty());
    // The parts travel through the baseline file.
    let back: Vec<Accepted> = serde_json::from_str::<serde_json::Value>(&render(std::slice::from_ref(&both)))
        .map(|d| serde_json::from_value(d["findings"].clone()).unwrap())
        .unwrap();
    assert_eq!(back[0].parts.len(), 2);
    assert_eq!(compare("b", &[log], &back).status, [Status::Unchanged]);
}

#[test]
fn a_severity_change_is_changed_and_fails_only_when_it_rose() {
    let mut warn = finding(Kind::ExpiringSoon, "10.0.0.1", Some("ab"));
    warn.severity = Severity::Warning;
    let mut err = warn.clone();
    err.severity = Severity::Error;
    let c = compare("b", std::slice::from_ref(&err), &[Accepted::of(&warn)]);
    assert_eq!(c.status, [Status::Changed]);
    assert_eq!(c.accepted_severity_of(0), Some("warning"));
    assert_eq!(c.label(0).as_deref(), Some("changed (was warning)"));
    assert_eq!(c.changed_count(), 1);
    assert!(fails(std::slice::from_ref(&err), Some(Severity::Error), Some(&c)));
    let c = compare("b", std::slice::from_ref(&warn), &[Accepted::of(&err)]);
    assert_eq!(c.status, [Status::Changed]);
    assert!(!fails(std::slice::from_ref(&warn), Some(Severity::Warning), Some(&c)));
}

#[test]
fn fail_on_counts_only_new_findings_with_a_baseline() {
    let mut warn = finding(Kind::ExpiringSoon, "10.0.0.1", Some("ab"));
    warn.severity = Severity::Warning;
    let crit = finding(Kind::ExpiredCa, "10.0.0.2", Some("cd"));
    let findings = [warn.clone(), crit.clone()];
    assert!(fails(&findings, Some(Severity::Critical), None));
    assert!(!fails(&findings, None, None));
    let c = compare("b", &findings, &[Accepted::of(&crit)]);
    assert!(!fails(&findings, Some(Severity::Error), Some(&c)));
    assert!(fails(&findings, Some(Severity::Warning), Some(&c)));
}

#[test]
fn written_baseline_reads_back_sorted() {
    let findings = [finding(Kind::UnknownCa, "10.0.0.3", None), finding(Kind::ExpiredCa, "10.0.0.1", Some("ab"))];
    let text = render(&findings);
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["findings"][0]["kind"], "expired-ca");
    assert_eq!(doc["findings"][1]["kind"], "unknown-ca");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.json");
    std::fs::write(&path, &text).unwrap();
    let back = load(&path).unwrap();
    assert_eq!(back.len(), 2);
    assert_eq!(back[0].identity, Identity::of(&findings[1]));
    assert_eq!(back[1].severity.as_deref(), Some("error"));
    let c = compare("b.json", &findings, &back);
    assert_eq!(c.status, [Status::Unchanged, Status::Unchanged]);
}

#[test]
fn a_report_finding_takes_its_certificate_from_the_certificate_object() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.json");
    let doc = r#"{"schema_version": 1, "findings": [{"kind": "expired-ca", "context": "sftunnel",
        "peer": "10.0.0.1", "certificate": {"subject": "/CN=fmc", "sha256": "00000000000000000000000000000000000000000000000000000000000000ab"}, "count": 3}]}"#;
    std::fs::write(&path, doc).unwrap();
    let back = load(&path).unwrap();
    assert_eq!(back[0].identity, Identity::of(&finding(Kind::ExpiredCa, "10.0.0.1", Some("ab"))));
}
