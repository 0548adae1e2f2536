//! The classifier: observations in, findings out.
//!
//! One entry point, [`classify`], judges every connection attempt (from logs or captures) and
//! every fact on disk with the same rules, then folds repeated findings together.

mod attempt;
mod chain;
mod consistency;
mod correlate;
mod disk;
mod finding;
mod fold;
mod kind;

use jiff::Timestamp;

pub use correlate::{correlate, Aliases};
pub use finding::{CertRef, Finding, FoldKey, SourceSeen, MAX_EVIDENCE};
pub use fold::{finish, fold};
pub use kind::{Kind, Severity};

use crate::facts::Fact;
use crate::observe::Attempt;
use crate::x509::{CertCache, CertSummary};
use std::sync::Arc;

/// Settings of one classification run.
#[derive(Clone, Debug)]
pub struct Options {
    /// "Today": certificates on disk are judged against it.
    pub now: Timestamp,
    /// Extra trust anchors (`--ca`).
    pub anchors: Vec<Arc<CertSummary>>,
    /// `expiring-soon` as a warning within this many days ...
    pub warn_days: i64,
    /// ... and as an error within this many.
    pub error_days: i64,
    /// Signature checks already made (shared with the readers when the caller has their cache).
    pub certs: Arc<CertCache>,
}

impl Options {
    pub fn new(now: Timestamp) -> Self {
        Options { now, anchors: Vec::new(), warn_days: 90, error_days: 30, certs: Arc::default() }
    }
}

/// Judge attempts and facts; the result is folded, correlated across sources and sorted (most
/// severe first).
pub fn classify(attempts: &[Attempt], facts: &[Fact], opts: &Options) -> Vec<Finding> {
    let mut raw = Vec::new();
    for a in attempts {
        raw.extend(attempt::judge(a, opts));
    }
    raw.extend(disk::judge(facts, opts));
    let aliases = Aliases::from_facts(facts);
    finish(correlate(fold(raw), &aliases))
}
