//! Folding: repeated attempts with the same failure to the same peer become one finding with a
//! count, first/last seen, and a timeline per source.

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;

use jiff::Timestamp;

use super::overflow::{self, Class};
use super::rules::finding::MAX_EVIDENCE;
use super::rules::merge::per_source;
use super::rules::{Finding, FoldKey};
use crate::model::Evidence;

/// Fold findings with equal [`FoldKey`]s.
pub fn fold(raw: Vec<Finding>) -> Vec<Finding> {
    let mut folder = Folder::default();
    folder.extend(raw);
    folder.into_vec()
}

/// Folding as it goes: findings are added in order, raw (one per attempt) or already folded
/// (from an earlier `Folder`). Folding is associative — adding the folded result of a run of
/// findings gives the same as adding the run itself — so an input can be judged and folded
/// while it is read, and the inputs' folds combined in order, without changing the result.
///
/// A folder bounds the number of peers per kind (see `overflow`) unless made with
/// [`Folder::unbounded`] (for a short batch whose result goes into a bounded one). Handed on
/// with [`Folder::into_vec_seen`], a bounded folder that takes the results of consecutive
/// batches keeps the peers seen first in the input.
#[derive(Debug, Default)]
pub struct Folder {
    groups: BTreeMap<FoldKey, (u64, Finding)>,
    next: u64,
    unbounded: bool,
    /// Peers with a finding of their own, per class (see `overflow`).
    peers: BTreeMap<Class, usize>,
}

impl Folder {
    /// A folder without the bound on peers.
    pub fn unbounded() -> Self {
        Folder { unbounded: true, ..Default::default() }
    }

    pub fn add(&mut self, f: Finding) {
        self.add_keyed(f);
    }

    /// [`Folder::add`], saying which group the finding went into.
    pub(crate) fn add_keyed(&mut self, mut f: Finding) -> FoldKey {
        if let (Some(class), false) = (overflow::class_of(&f), self.unbounded) {
            if !self.groups.contains_key(&f.fold_key()) {
                let n = self.peers.entry(class).or_default();
                if *n >= overflow::MAX_PEERS {
                    f = overflow::into_other_peers(f);
                } else {
                    *n += 1;
                }
            }
        }
        let key = f.fold_key();
        match self.groups.entry(key.clone()) {
            Entry::Occupied(mut g) => g.get_mut().1.merge(f),
            Entry::Vacant(slot) => {
                if f.sources.is_empty() {
                    f.sources = per_source(&f);
                }
                slot.insert((self.next, f));
                self.next += 1;
            }
        }
        key
    }
    /// Fold one more copy of `f` (its group is `key`, its evidence `kept`, its times
    /// `first`..`last`) without building it: the same as [`Folder::add`] of that copy when the
    /// group already holds everything of `f` but counts, times, evidence and sources. `false`,
    /// with nothing changed, when it does not; the caller then adds the copy itself.
    pub(crate) fn add_repeat(
        &mut self,
        key: &FoldKey,
        f: &Finding,
        kept: &[&Evidence],
        first: Option<Timestamp>,
        last: Option<Timestamp>,
    ) -> bool {
        let Some((_, g)) = self.groups.get_mut(key) else { return false };
        let settled = f.sources.is_empty()
            && g.merged.binary_search(key).is_ok()
            && !g.sources.is_empty()
            && (g.first_seen.is_some() || first.is_none())
            && (g.device.is_some() || f.device.is_none())
            && (g.peer.is_some() || f.peer.is_none())
            && (g.certificate.not_after.is_some() || f.certificate.not_after.is_none())
            && g.shared.covers(&f.shared)
            && g.data.covers(&f.data)
            && kept.iter().all(|e| g.sources.iter().any(|s| s.path == e.path));
        if !settled {
            return false;
        }
        for s in g.sources.iter_mut() {
            let mine = kept.iter().filter(|e| e.path == s.path);
            if mine.clone().next().is_none() {
                continue;
            }
            s.count += f.count;
            for t in mine.filter_map(|e| e.time) {
                s.first_seen = Some(s.first_seen.map_or(t, |x| x.min(t)));
                s.last_seen = Some(s.last_seen.map_or(t, |x| x.max(t)));
            }
        }
        g.count += f.count;
        g.severity = g.severity.max(f.severity);
        for t in [first, last].into_iter().flatten() {
            g.first_seen = Some(g.first_seen.map_or(t, |x| x.min(t)));
            g.last_seen = Some(g.last_seen.map_or(t, |x| x.max(t)));
        }
        for e in kept {
            if g.evidence.len() >= MAX_EVIDENCE {
                break;
            }
            if !g.evidence.contains(e) {
                let mut kept = (*e).clone();
                kept.detach();
                g.evidence.push(kept);
            }
        }
        true
    }

    pub fn extend(&mut self, findings: impl IntoIterator<Item = Finding>) {
        for f in findings {
            self.add(f);
        }
    }
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
    /// The folded findings, by fold key.
    pub fn into_vec(self) -> Vec<Finding> {
        self.groups.into_values().map(|(_, f)| f).collect()
    }

    /// The folded findings in the order their groups were first seen: for a result that goes
    /// into a bounded folder, which then keeps the peers seen first.
    pub fn into_vec_seen(self) -> Vec<Finding> {
        let mut v: Vec<(u64, Finding)> = self.groups.into_values().collect();
        v.sort_unstable_by_key(|(seq, _)| *seq);
        v.into_iter().map(|(_, f)| f).collect()
    }
}

/// Final order: severity (worst first), kind, peer, device, first seen; a one-source timeline
/// is dropped (it repeats the finding's own first/last seen).
pub fn finish(mut out: Vec<Finding>) -> Vec<Finding> {
    for f in &mut out {
        if f.sources.len() < 2 {
            f.sources.clear();
        }
    }
    order(&mut out);
    out
}

/// Sort findings in the final order (again after a later stage changed a finding's kind).
pub fn order(out: &mut [Finding]) {
    out.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.kind.cmp(&b.kind))
            .then(a.peer.cmp(&b.peer))
            .then(a.device.cmp(&b.device))
            .then(a.first_seen.cmp(&b.first_seen))
            .then(a.depth.cmp(&b.depth))
    });
}
