//! Judging attempts by their shape: a big log repeats the same failure thousands of times, and
//! every repeat would be judged to the same findings again, only with other evidence.
//!
//! The *shape* of an attempt is everything but its evidence and start time: context, observer,
//! device, ends, session, the inference note and the events with their codes, depths, alerts,
//! errors and names. Only attempts made of log events (no chains or hellos, which are judged
//! against times, and no refusal, whose detail names the evidence's location) have a shape.
//!
//! An [`AttemptFolder`] judges each distinct shape once and keeps the findings without their
//! evidence. A repeat adds only its count, times, evidence and per-source timeline to the folded
//! groups ([`Folder::add_repeat`]), or, where that would change more, the finding rebuilt from
//! the kept one with the repeat's evidence. The second attempt of a shape is judged in full as
//! well and compared: a rule that reads the evidence turns memoising off for that shape, so the
//! result is always the one of judging every attempt.

use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Arc;

use super::fold::Folder;
use super::rules::{Finding, FoldKey};
use super::{attempt, overflow, Options};
use crate::model::{Attempt, Event, Evidence, Observed};
use crate::util::fasthash::{FastBuild, FastMap};

/// Distinct shapes remembered per folder, and about how many bytes they may take (an attempt
/// holds up to 256 events, each with names of up to 512 bytes); attempts of further shapes are
/// judged one by one.
const MAX_SHAPES: usize = 4096;
const MAX_SHAPE_BYTES: usize = 16 << 20;

/// One finding of a shape, as judged, without evidence or times.
struct Judged {
    /// As the rules made it (what a rebuilt copy starts from).
    finding: Finding,
    /// The group it was folded into, and the finding as that group saw it (the overflow group
    /// of `overflow` rewrites peer and facts).
    group: FoldKey,
    resolved: Finding,
}

struct Shape {
    /// The first attempt of the shape with its evidence and start cleared.
    attempt: Attempt,
    judged: Vec<Judged>,
    /// Whether a second attempt was judged in full and gave the same findings.
    confirmed: bool,
    /// Whether the findings turned out to depend on the evidence: judge every attempt.
    judge_each: bool,
}

/// A [`Folder`] fed with attempts, judging each shape once.
pub struct AttemptFolder {
    opts: Arc<Options>,
    folder: Folder,
    /// Shapes come from inputs: a keyed hash, and a bucket compares the shapes themselves.
    hasher: FastBuild,
    shapes: FastMap<u64, Vec<Shape>>,
    pub(super) remembered: usize,
    /// What the remembered shapes take, roughly.
    bytes: usize,
}

impl AttemptFolder {
    pub fn new(opts: Arc<Options>) -> Self {
        AttemptFolder {
            opts,
            folder: Folder::default(),
            hasher: FastBuild::default(),
            shapes: FastMap::default(),
            remembered: 0,
            bytes: 0,
        }
    }

    /// Judge `a` (or reuse the judgement of its shape) and fold the findings.
    pub fn add(&mut self, a: &Attempt) {
        if !has_shape(a) {
            self.folder.extend(attempt::judge(a, &self.opts));
            return;
        }
        let mut h = self.hasher.build_hasher();
        hash_shape(a, &mut h);
        let bucket = self.shapes.entry(h.finish()).or_default();
        let Some(shape) = bucket.iter_mut().find(|s| same_shape(&s.attempt, a)) else {
            let findings = attempt::judge(a, &self.opts);
            let full = self.remembered >= MAX_SHAPES;
            let size = if full { 0 } else { shape_bytes(a, &findings) };
            if full || self.bytes + size > MAX_SHAPE_BYTES || !evidence_is_all(a, &findings) {
                self.folder.extend(findings);
                return;
            }
            let mut judged = Vec::with_capacity(findings.len());
            for f in findings {
                let finding = without_evidence(&f);
                let group = self.folder.add_keyed(f);
                let resolved = if group == finding.fold_key() {
                    finding.clone()
                } else {
                    overflow::into_other_peers(finding.clone())
                };
                judged.push(Judged { finding, group, resolved });
            }
            let attempt = stripped(a);
            bucket.push(Shape { attempt, judged, confirmed: false, judge_each: false });
            self.remembered += 1;
            self.bytes += size;
            return;
        };
        if !shape.confirmed && !shape.judge_each {
            let findings = attempt::judge(a, &self.opts);
            shape.confirmed = true;
            shape.judge_each = !same_findings(&shape.judged, &findings);
            self.folder.extend(findings);
            return;
        }
        if shape.judge_each {
            self.folder.extend(attempt::judge(a, &self.opts));
            return;
        }
        let kept = kept_evidence(a);
        let (first, last) = span(a);
        for j in &shape.judged {
            if !self.folder.add_repeat(&j.group, &j.resolved, &kept, first, last) {
                self.folder.add(rebuilt(&j.finding, a));
            }
        }
    }

    /// Fold findings judged elsewhere (raw or folded, see [`Folder`]).
    pub fn extend(&mut self, findings: Vec<Finding>) {
        self.folder.extend(findings);
    }

    /// Whether an attempt is judged once per shape: made of log events only (see the module
    /// header); others are judged one by one.
    pub fn has_shape(a: &Attempt) -> bool {
        has_shape(a)
    }

    /// The folded findings in the order their groups were first seen.
    pub fn into_vec_seen(self) -> Vec<Finding> {
        self.folder.into_vec_seen()
    }

    /// The folded findings, by fold key.
    pub fn into_vec(self) -> Vec<Finding> {
        self.folder.into_vec()
    }
}

/// Whether the attempt is made of log events only (see the module header).
fn has_shape(a: &Attempt) -> bool {
    a.events.iter().all(|o| {
        matches!(
            o.event,
            Event::Connecting
                | Event::Connected
                | Event::VerifyError { .. }
                | Event::Alert { .. }
                | Event::SslError { .. }
                | Event::TunnelError { .. }
                | Event::End { .. }
        )
    })
}

fn hash_shape(a: &Attempt, h: &mut impl Hasher) {
    (a.context, a.observer, &a.device, &a.client, &a.server, &a.session, &a.inferred).hash(h);
    a.events.len().hash(h);
    for o in &a.events {
        std::mem::discriminant(&o.event).hash(h);
        match &o.event {
            Event::VerifyError { by, code, depth, subject, issuer } => (by, code, depth, subject, issuer).hash(h),
            Event::Alert { from, level, description } => (from, level, description).hash(h),
            Event::SslError { by, code, function, reason } => (by, code, function, reason).hash(h),
            Event::TunnelError { what, peer } => (what, peer).hash(h),
            Event::End { outcome } => outcome.hash(h),
            _ => {}
        }
    }
}

fn same_shape(kept: &Attempt, a: &Attempt) -> bool {
    kept.context == a.context
        && kept.observer == a.observer
        && kept.device == a.device
        && kept.client == a.client
        && kept.server == a.server
        && kept.session == a.session
        && kept.inferred == a.inferred
        && kept.events.len() == a.events.len()
        && kept.events.iter().zip(&a.events).all(|(x, y)| same_event(&x.event, &y.event))
}

fn same_event(x: &Event, y: &Event) -> bool {
    match (x, y) {
        (Event::Connecting, Event::Connecting) | (Event::Connected, Event::Connected) => true,
        (
            Event::VerifyError { by, code, depth, subject, issuer },
            Event::VerifyError { by: b2, code: c2, depth: d2, subject: s2, issuer: i2 },
        ) => by == b2 && code == c2 && depth == d2 && subject == s2 && issuer == i2,
        (Event::Alert { from, level, description }, Event::Alert { from: f2, level: l2, description: d2 }) => {
            from == f2 && level == l2 && description == d2
        }
        (
            Event::SslError { by, code, function, reason },
            Event::SslError { by: b2, code: c2, function: f2, reason: r2 },
        ) => by == b2 && code == c2 && function == f2 && reason == r2,
        (Event::TunnelError { what, peer }, Event::TunnelError { what: w2, peer: p2 }) => what == w2 && peer == p2,
        (Event::End { outcome }, Event::End { outcome: o2 }) => outcome == o2,
        _ => false,
    }
}

/// About how many bytes a shape of `a` with these findings takes.
fn shape_bytes(a: &Attempt, findings: &[Finding]) -> usize {
    let text = |s: &Option<String>| s.as_ref().map_or(0, String::len);
    let events: usize = a
        .events
        .iter()
        .map(|o| {
            64 + match &o.event {
                Event::VerifyError { subject, issuer, .. } => text(subject) + text(issuer),
                Event::SslError { code, function, reason, .. } => code.len() + text(function) + reason.len(),
                Event::TunnelError { peer, .. } => peer.as_ref().map_or(0, |p| p.to_string().len()),
                _ => 0,
            }
        })
        .sum();
    let ends = [&a.client, &a.server].into_iter().flatten().map(|e| e.to_string().len()).sum::<usize>();
    let own = ends + [&a.device, &a.session, &a.inferred].into_iter().map(text).sum::<usize>();
    // Each finding is kept twice (as judged and as its group saw it).
    let found: usize = findings
        .iter()
        .map(|f| {
            // The finding, its shared values and their text (a few hundred bytes at most).
            let values = std::mem::size_of::<super::rules::shared::Shared>() + 512;
            2 * (std::mem::size_of::<Finding>() + values + f.title.len() + f.detail.len())
        })
        .sum();
    256 + own + events + found
}

/// The attempt without evidence or start: what a shape keeps to compare with.
fn stripped(a: &Attempt) -> Attempt {
    let events = a.events.iter().map(|o| Observed { event: o.event.clone(), evidence: Evidence::default() }).collect();
    Attempt { start: None, events, ..a.clone() }
}

fn without_evidence(f: &Finding) -> Finding {
    let mut f = f.clone();
    f.evidence.clear();
    f.first_seen = None;
    f.last_seen = None;
    f
}

/// The finding `template` would be for attempt `a`: the rules put every event's evidence into
/// each finding of an attempt, and its start when no evidence has a time.
fn rebuilt(template: &Finding, a: &Attempt) -> Finding {
    let mut f = template.clone();
    for o in &a.events {
        f.add_evidence(o.evidence.clone());
    }
    if f.first_seen.is_none() {
        f.first_seen = a.start;
        f.last_seen = a.start;
    }
    f
}

/// Whether every finding carries exactly the attempt's evidence and times (what [`rebuilt`]
/// assumes); a rule that does otherwise keeps its shape from being memoised.
fn evidence_is_all(a: &Attempt, findings: &[Finding]) -> bool {
    findings.iter().all(|f| {
        let r = rebuilt(&without_evidence(f), a);
        r.evidence == f.evidence && r.first_seen == f.first_seen && r.last_seen == f.last_seen && f.count == 1
    })
}

/// Whether a second attempt's findings are the kept ones but for evidence and times (every
/// field compared, through their debug form: this runs once per shape).
fn same_findings(judged: &[Judged], findings: &[Finding]) -> bool {
    judged.len() == findings.len()
        && judged.iter().zip(findings).all(|(j, f)| format!("{:?}", j.finding) == format!("{:?}", without_evidence(f)))
}

/// The evidence a finding of `a` keeps: the first distinct pieces, as
/// [`Finding::add_evidence`] keeps them.
fn kept_evidence(a: &Attempt) -> Vec<&Evidence> {
    let mut kept: Vec<&Evidence> = Vec::new();
    for o in &a.events {
        if kept.len() < super::MAX_EVIDENCE && !kept.contains(&&o.evidence) {
            kept.push(&o.evidence);
        }
    }
    kept
}

/// First and last time of the attempt's evidence, else its start.
fn span(a: &Attempt) -> (Option<jiff::Timestamp>, Option<jiff::Timestamp>) {
    let times = a.events.iter().filter_map(|o| o.evidence.time);
    let first = times.clone().min();
    let last = times.max();
    match first {
        Some(_) => (first, last),
        None => (a.start, a.start),
    }
}
