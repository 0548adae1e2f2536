//! Judging by shape must give exactly what judging every attempt gives: the same findings,
//! counts, times, evidence, per-source timelines and merged fold keys, also past the bound on
//! peers, for attempts without times, and across several files.

use std::sync::Arc;

use jiff::Timestamp;

use super::{attempt, overflow, AttemptFolder, Folder, Options};
use crate::codes::{AlertDescription, AlertLevel, VerifyCode};
use crate::model::{Attempt, Context, Event, Evidence, Outcome, Role, TunnelStep};

fn opts() -> Arc<Options> {
    Arc::new(Options::new("2026-11-23T00:00:00Z".parse().expect("now")))
}

/// A client-side log attempt of failure `kind` (0..6) to `peer`, its lines from `line` in `path`.
fn log_attempt(path: &str, line: u64, time: Option<Timestamp>, peer: &str, kind: u32) -> Attempt {
    let mut a = Attempt {
        context: Context::Sftunnel,
        observer: Some(Role::Client),
        device: Some("FTD-lab".into()),
        server: Some(crate::model::Endpoint::parse(peer)),
        ..Default::default()
    };
    let ev = |n: u64| Evidence::line(path, line + n, time, &format!("line {} of an attempt to {peer}", line + n));
    a.push(Event::Connecting, ev(0));
    match kind {
        0 => a.push(
            Event::VerifyError { by: Role::Client, code: VerifyCode(10), depth: Some(1), subject: None, issuer: None },
            ev(1),
        ),
        1 => a.push(
            Event::VerifyError {
                by: Role::Client,
                code: VerifyCode(20),
                depth: Some(0),
                subject: Some("CN=ftd".into()),
                issuer: Some("CN=internal-ca".into()),
            },
            ev(1),
        ),
        2 => a.push(
            Event::Alert {
                from: Role::Server,
                level: AlertLevel::FATAL,
                description: AlertDescription::BAD_CERTIFICATE,
            },
            ev(1),
        ),
        3 => a.push(
            Event::SslError {
                by: Role::Client,
                code: "1408F10B".into(),
                function: Some("ssl3_get_record".into()),
                reason: "wrong version number".into(),
            },
            ev(1),
        ),
        4 => a.push(
            Event::TunnelError { what: TunnelStep::ReloadCredentials, peer: Some(crate::model::Host::parse(peer)) },
            ev(1),
        ),
        _ => {}
    }
    a.push(Event::End { outcome: Outcome::Failed }, ev(2));
    a
}

/// Many attempts: few shapes repeated, two files, some without times, and more peers than a
/// folder keeps findings for.
fn attempts() -> Vec<Attempt> {
    let mut out = Vec::new();
    for i in 0..9000u64 {
        let path = if i % 7 == 3 { "b/messages" } else { "a/messages" };
        let time = (i % 11 != 5).then(|| Timestamp::from_second(1_790_000_000 + (i * 37 % 5000) as i64).expect("t"));
        let peer = if i % 3 == 0 { format!("10.1.{}.{}", i / 250, i % 250) } else { format!("10.0.0.{}", i % 4) };
        out.push(log_attempt(path, 1 + 3 * i, time, &peer, (i % 6) as u32));
    }
    out
}

fn judged_one_by_one(attempts: &[Attempt], o: &Options, bounded: bool) -> String {
    let mut folder = if bounded { Folder::default() } else { Folder::unbounded() };
    for a in attempts {
        folder.extend(attempt::judge(a, o));
    }
    format!("{:#?}", folder.into_vec_seen())
}

#[test]
fn same_findings_as_judging_every_attempt() {
    let (all, o) = (attempts(), opts());
    let mut by_shape = AttemptFolder::new(o.clone());
    for a in &all {
        by_shape.add(a);
    }
    let got = format!("{:#?}", by_shape.into_vec_seen());
    assert_eq!(got, judged_one_by_one(&all, &o, true));
    // The bound on peers was reached: the overflow finding is part of what was compared.
    assert!(got.contains(overflow::OTHER_PEERS));
}

#[test]
fn repeats_are_not_judged_again() {
    let o = opts();
    let mut f = AttemptFolder::new(o.clone());
    for i in 0..100 {
        f.add(&log_attempt("m", 1 + 3 * i, None, "10.0.0.1", 0));
    }
    assert_eq!(f.remembered, 1);
    let findings = f.into_vec();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].count, 100);
    assert_eq!(findings[0].evidence.len(), super::MAX_EVIDENCE);
}

#[test]
fn a_rule_reading_the_evidence_turns_memoising_off() {
    // The refusal's detail names its evidence's line: such attempts have no shape at all.
    let o = opts();
    let mut all = Vec::new();
    for i in 0..5u64 {
        let mut a = log_attempt("m", 1 + 3 * i, None, "10.0.0.9", 5);
        a.events.clear();
        a.push(Event::Refused, Evidence::line("m", 1 + 3 * i, None, "refused"));
        all.push(a);
    }
    let mut f = AttemptFolder::new(o.clone());
    for a in &all {
        f.add(a);
    }
    assert_eq!(f.remembered, 0);
    assert_eq!(format!("{:#?}", f.into_vec_seen()), judged_one_by_one(&all, &o, true));
}

#[test]
fn big_shapes_are_bounded_by_bytes() {
    // Attempts of 250 verification errors with long names, each to its own peer: a few dozen
    // shapes fill the bytes a folder may keep; the rest are judged one by one, with the same result.
    let o = opts();
    let name = "x".repeat(500);
    let mut all = Vec::new();
    for i in 0..120u64 {
        let mut a = log_attempt("m", 1 + 300 * i, None, &format!("10.9.0.{i}"), 5);
        for d in 0..250u32 {
            let event = Event::VerifyError {
                by: Role::Client,
                code: VerifyCode(20),
                depth: Some(d),
                subject: Some(name.clone()),
                issuer: Some(name.clone()),
            };
            a.push(event, Evidence::line("m", 1 + 300 * i + u64::from(d), None, "verify"));
        }
        all.push(a.clone());
        all.push(a);
    }
    let mut f = AttemptFolder::new(o.clone());
    for a in &all {
        f.add(a);
    }
    assert!(f.remembered > 10 && f.remembered < 100, "{} shapes remembered", f.remembered);
    assert_eq!(format!("{:#?}", f.into_vec_seen()), judged_one_by_one(&all, &o, true));
}
