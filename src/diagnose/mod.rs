//! The classifier: observations in, findings out.
//!
//! One entry point, [`classify`], judges every connection attempt (from logs or captures) and
//! every fact on disk with the same rules, then folds repeated findings together.

mod attempt;
mod chain;
mod consistency;
mod correlate;
mod disk;
mod fold;
pub mod overflow;
pub mod rules;
mod severity;
mod shape;
#[cfg(test)]
mod shape_tests;
pub mod step_text;
pub mod text;

use jiff::Timestamp;

pub use correlate::{correlate, Aliases};
pub use fold::{finish, fold, order, Folder};
pub use rules::{CertRef, Finding, FoldKey, Kind, KindData, SourceSeen, Window, MAX_EVIDENCE};
pub use severity::Severity;
pub use shape::AttemptFolder;
pub use step_text::{Command, Piece, StepText};

use crate::model::Attempt;
use crate::model::CertSummary;
use crate::model::Fact;
use crate::x509::CertCache;
use std::sync::Arc;

/// Settings of one classification run.
#[derive(Clone, Debug)]
pub struct Options {
    /// "Today": certificates on disk are judged against it.
    pub now: Timestamp,
    /// Extra trust anchors (`--ca`).
    pub anchors: Vec<Arc<CertSummary>>,
    /// The days before an expiry `expiring-soon` warns in, and errs in.
    pub window: Window,
    /// Signature checks already made (shared with the readers when the caller has their cache).
    pub certs: Arc<CertCache>,
}

impl Options {
    pub fn new(now: Timestamp) -> Self {
        Options { now, anchors: Vec::new(), window: rules::expiring_soon::EXPIRY_WINDOW, certs: Arc::default() }
    }
}

/// Judge attempts and facts; the result is folded, correlated across sources and sorted (most
/// severe first).
pub fn classify(attempts: &[Attempt], facts: &[Fact], opts: &Options) -> Vec<Finding> {
    classify_folded(Vec::new(), attempts, facts, opts)
}

/// [`classify`] for a run whose attempts were partly judged and folded already while they were
/// read ([`judge_attempts`]): `folded` first, in input order, then `attempts`, then the facts.
/// The result is the same as classifying all the attempts at once.
pub fn classify_folded(folded: Vec<Finding>, attempts: &[Attempt], facts: &[Fact], opts: &Options) -> Vec<Finding> {
    let mut folder = Folder::default();
    folder.extend(folded);
    folder.extend(judge_attempts(attempts, opts));
    folder.extend(disk::judge(facts, opts));
    folder.extend(rules::tunnel_down::judge(facts));
    folder.extend(rules::rpc_failed::judge(facts));
    let aliases = Aliases::from_facts(facts);
    let mut findings = finish(correlate(folder.into_vec(), &aliases));
    // Work that needs every finding and fact of the run.
    rules::not_yet_valid::refine_from_files(&mut findings, facts);
    rules::tunnel_down::explain(&mut findings);
    findings
}

/// One attempt judged (not folded): feed the result to a [`Folder`].
pub fn judge_attempt(a: &Attempt, opts: &Options) -> Vec<Finding> {
    attempt::judge(a, opts)
}

/// Attempts judged and folded, in parallel batches when there are many (the result does not
/// depend on the batching: folding is associative).
pub fn judge_attempts(attempts: &[Attempt], opts: &Options) -> Vec<Finding> {
    use rayon::prelude::*;
    const BATCH: usize = 2048;
    let judge_batch = |batch: &[Attempt]| {
        let mut folder = Folder::unbounded();
        for a in batch {
            folder.extend(attempt::judge(a, opts));
        }
        folder.into_vec_seen()
    };
    if attempts.len() <= BATCH {
        return judge_batch(attempts);
    }
    let parts: Vec<Vec<Finding>> = attempts.par_chunks(BATCH).map(judge_batch).collect();
    let mut folder = Folder::default();
    for p in parts {
        folder.extend(p);
    }
    folder.into_vec_seen()
}
