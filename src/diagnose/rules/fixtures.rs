//! Hand-built attempts, certificates and facts for the rules' tests, and the text form of a
//! finding with its remediation entry that the rules' snapshots hold.

use std::fmt::Write;
use std::sync::Arc;

use jiff::Timestamp;

use super::Kind;
use crate::codes::{AlertDescription, AlertLevel, VerifyCode};
use crate::diagnose::{Finding, Options};
use crate::model::Fact;
use crate::model::{Attempt, ChainLink, Context, Event, Evidence, Outcome, Role};
use crate::model::{CertSummary, Endpoint, Sha256};

/// "Today" of every rule test.
pub const NOW: &str = "2026-11-23T00:00:00Z";
/// When the attempts of the tests took place.
pub const AT: &str = "2026-11-20T08:15:00Z";

pub fn ts(s: &str) -> Timestamp {
    s.parse().expect("a test timestamp")
}

pub fn opts() -> Options {
    Options::new(ts(NOW))
}

/// An attempt as an FTD's sftunneld log shows it: the FTD connects to its FMC on 8305.
pub fn sftunnel_log() -> Attempt {
    Attempt {
        context: Context::Sftunnel,
        observer: Some(Role::Client),
        device: Some("ftd-branch-07".into()),
        client: Some(Endpoint::parse("192.168.45.21")),
        server: Some(Endpoint::parse("192.168.45.10:8305")),
        ..Default::default()
    }
    .with(Event::Connecting)
}

/// An attempt as a capture shows it (both sides seen).
pub fn capture(context: Context) -> Attempt {
    Attempt {
        context,
        client: Some(Endpoint::parse("10.1.1.5:50412")),
        server: Some(Endpoint::parse("10.2.2.2:443")),
        ..Default::default()
    }
}

/// Building an attempt event by event, each on the next line of a made-up source.
pub trait Events {
    fn with(self, event: Event) -> Self;
}

impl Events for Attempt {
    fn with(mut self, event: Event) -> Self {
        let line = self.events.len() as u64 + 1;
        let time = Some(ts(AT));
        self.push(event, Evidence { path: "messages".into(), line: Some(line), frame: None, time, text: None });
        self
    }
}

pub fn verify_error(code: VerifyCode, depth: u32, subject: &str, issuer: &str) -> Event {
    Event::VerifyError {
        by: Role::Client,
        code,
        depth: Some(depth),
        subject: Some(subject.into()),
        issuer: Some(issuer.into()),
    }
}

pub fn fatal_alert(from: Role, description: AlertDescription) -> Event {
    Event::Alert { from, level: AlertLevel::FATAL, description }
}

pub fn end(outcome: Outcome) -> Event {
    Event::End { outcome }
}

/// A certificate valid between two dates.
pub fn cert(subject: &str, issuer: &str, not_before: &str, not_after: &str) -> Arc<CertSummary> {
    Arc::new(CertSummary {
        subject: subject.into(),
        issuer: issuer.into(),
        serial: "01".into(),
        not_before: ts(not_before),
        not_after: ts(not_after),
        is_ca: subject.contains("InternalCA") || subject.contains("Root"),
        self_signed: subject == issuer,
        key: "RSA 2048".into(),
        signature_algorithm: "sha256WithRSAEncryption".into(),
        san: Vec::new(),
        sha256: Some(numbered(subject.len() as u64)),
        public_key_sha256: Some(Sha256::of(format!("pk-{subject}").as_bytes())),
        der: Arc::from(Vec::new()),
    })
}

/// A made-up fingerprint that is `n` written as 64 hex digits.
pub fn numbered(n: u64) -> Sha256 {
    let mut bytes = [0u8; 32];
    bytes[24..].copy_from_slice(&n.to_be_bytes());
    Sha256(bytes)
}

/// A chain sent by `from`, leaf first.
pub fn chain(from: Role, certs: &[Arc<CertSummary>]) -> Event {
    let links = certs
        .iter()
        .enumerate()
        .map(|(i, c)| ChainLink { depth: i as u32, cert: c.clone(), signature_ok: None })
        .collect();
    Event::Chain { from, links }
}

pub fn cert_file(path: &str, certs: Vec<Arc<CertSummary>>) -> Fact {
    Fact::CertFile { evidence: Evidence::file(path), certs }
}

/// The attempt judged as the pipeline judges it.
pub fn judged(a: &Attempt) -> Vec<Finding> {
    crate::diagnose::judge_attempt(a, &opts())
}

/// The facts classified as the pipeline classifies them.
pub fn classified(facts: &[Fact]) -> Vec<Finding> {
    crate::diagnose::classify(&[], facts, &opts())
}

pub fn kinds(findings: &[Finding]) -> Vec<Kind> {
    findings.iter().map(|f| f.kind).collect()
}

/// The one finding of `kind` (the test fails when there is none or more than one).
pub fn the(findings: Vec<Finding>, kind: Kind) -> Finding {
    let mut of_kind: Vec<Finding> = findings.into_iter().filter(|f| f.kind == kind).collect();
    assert_eq!(of_kind.len(), 1, "expected one {kind} finding");
    of_kind.remove(0)
}

/// A finding and the remediation entry its kind gives for its context, as the snapshots hold
/// them (step templates unfilled: filling them with the finding's values is `remedy`'s work).
pub fn render(f: &Finding) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "kind: {}\nseverity: {}\ncontext: {:?}", f.kind, f.severity, f.context);
    let _ = writeln!(out, "title: {}\ndetail: {}", f.title, f.detail);
    let peer = f.peer.as_ref().map(|p| p.to_string());
    for (name, value) in [("device", &f.device), ("peer", &peer), ("subject", &f.certificate.subject)] {
        if let Some(v) = value {
            let _ = writeln!(out, "{name}: {v}");
        }
    }
    if let Some(d) = f.depth {
        let _ = writeln!(out, "depth: {d}");
    }
    let _ = writeln!(out, "evidence: {}", f.evidence.iter().map(Evidence::location).collect::<Vec<_>>().join(", "));
    let _ = writeln!(out, "facts:");
    for (k, v) in f.values().iter() {
        let _ = writeln!(out, "  {k}: {}", v.replace('\n', "\n    "));
    }
    match f.kind.rule().fix_for(f.context) {
        Some(fix) => {
            let _ = writeln!(out, "fix [{}]: {}", fix.id, fix.title);
            for (i, s) in fix.steps.iter().enumerate() {
                let _ = writeln!(out, "  {}. {s}", i + 1);
            }
        }
        None => out.push_str("fix: none\n"),
    }
    out
}
