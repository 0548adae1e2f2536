//! Merging one finding into another (folding repeats, correlating sources): counts, evidence,
//! the timeline per source, the values the first lacks, a fuller certificate.

use super::data::Gap;
use super::finding::{Finding, SourceSeen, MAX_MERGED};

impl Finding {
    /// Add `f` to this finding: counts, evidence, per-source timeline, values this one lacks
    /// (its kind's data only when `f` is of the same kind), a fuller certificate.
    pub fn merge(&mut self, mut f: Finding) {
        let g = self;
        let mut parts = g.parts();
        for k in f.parts() {
            if parts.len() < MAX_MERGED && !parts.contains(&k) {
                parts.push(k);
            }
        }
        parts.sort();
        g.merged = parts;
        let sources = if f.sources.is_empty() { per_source(&f) } else { std::mem::take(&mut f.sources) };
        if g.sources.is_empty() {
            g.sources = per_source(g);
        }
        g.count += f.count;
        g.severity = g.severity.max(f.severity);
        // A failure seen in a log or a capture describes the problem better than a file on disk.
        if g.first_seen.is_none() && f.first_seen.is_some() {
            g.title = f.title.clone();
            g.detail = f.detail.clone();
        }
        // `f` may be folded already: its times cover evidence that was not kept.
        for t in [f.first_seen, f.last_seen].into_iter().flatten() {
            g.first_seen = Some(g.first_seen.map_or(t, |x| x.min(t)));
            g.last_seen = Some(g.last_seen.map_or(t, |x| x.max(t)));
        }
        g.device.fill_gap(f.device.clone());
        g.peer.fill_gap(f.peer.clone());
        for e in f.evidence {
            g.add_evidence(e);
        }
        merge_sources(&mut g.sources, sources);
        g.shared.fill_gaps(*f.shared);
        g.data.fill_gaps(f.data);
        if g.certificate.not_after.is_none() && f.certificate.not_after.is_some() {
            let subject = g.certificate.subject.clone();
            g.certificate = f.certificate;
            if g.certificate.subject.is_none() {
                g.certificate.subject = subject;
            }
        }
    }
}

/// The timeline of a finding not folded yet: one entry per path of its evidence.
pub(crate) fn per_source(f: &Finding) -> Vec<SourceSeen> {
    if !f.sources.is_empty() {
        return f.sources.clone();
    }
    let mut by_path: std::collections::BTreeMap<&str, SourceSeen> = std::collections::BTreeMap::new();
    for e in &f.evidence {
        let s = by_path.entry(&e.path).or_insert_with(|| SourceSeen {
            path: e.path.clone(),
            count: f.count,
            first_seen: None,
            last_seen: None,
        });
        if let Some(t) = e.time {
            s.first_seen = Some(s.first_seen.map_or(t, |x| x.min(t)));
            s.last_seen = Some(s.last_seen.map_or(t, |x| x.max(t)));
        }
    }
    by_path.into_values().collect()
}

fn merge_sources(into: &mut Vec<SourceSeen>, from: Vec<SourceSeen>) {
    for s in from {
        match into.iter_mut().find(|x| x.path == s.path) {
            Some(x) => {
                x.count += s.count;
                x.first_seen = match (x.first_seen, s.first_seen) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                x.last_seen = match (x.last_seen, s.last_seen) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
            }
            None => into.push(s),
        }
    }
    into.sort_by(|a, b| a.path.cmp(&b.path));
}
