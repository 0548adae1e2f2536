//! The pipeline's [`Sink`]: attempts are judged and folded the moment a reader hands them over,
//! everything else is kept for the report.
//!
//! `analyze` makes one per top-level input and reads the input into it; folding is
//! associative, so combining the sinks' findings in input order gives the findings of judging
//! every attempt at the end (`tests/integration/streaming.rs` holds the two equal).

use std::sync::Arc;

use crate::diagnose::{self, AttemptFolder, Finding};
use crate::model::{Attempt, CertSeen, Duplicate, Fact, Handshake, InputStatus, LineKeys, Parsed, Sink};

/// Attempts of other than log events waiting to be judged together (in parallel).
const BATCH: usize = 8192;

/// Judges attempts as they come with the classifier settings of the run: log attempts one by
/// one (each shape once, see `diagnose::shape`), others (a capture's connections) in parallel
/// batches; the order they were handed over is the order they are folded in.
pub struct Judging {
    opts: Arc<diagnose::Options>,
    folder: AttemptFolder,
    waiting: Vec<Attempt>,
    kept: Parsed,
}

/// What a [`Judging`] sink made of one input: the items kept for the report (no attempts) and
/// the findings of the attempts, folded, in the order first seen.
#[derive(Debug, Default)]
pub struct Judged {
    pub parsed: Parsed,
    pub findings: Vec<Finding>,
}

impl Judging {
    pub fn new(opts: Arc<diagnose::Options>) -> Self {
        Judging { folder: AttemptFolder::new(Arc::clone(&opts)), opts, waiting: Vec::new(), kept: Parsed::default() }
    }

    fn judge_waiting(&mut self) {
        if !self.waiting.is_empty() {
            let batch = std::mem::take(&mut self.waiting);
            self.folder.extend(diagnose::judge_attempts(&batch, &self.opts));
        }
    }

    /// Done: what was kept, and the findings.
    pub fn finish(mut self) -> Judged {
        self.judge_waiting();
        Judged { parsed: self.kept, findings: self.folder.into_vec_seen() }
    }
}

impl Sink for Judging {
    fn attempt(&mut self, attempt: Attempt) {
        if AttemptFolder::has_shape(&attempt) {
            self.judge_waiting();
            self.folder.add(&attempt);
        } else {
            // A batch may span much of the input: its texts must not keep the input's blocks.
            let mut attempt = attempt;
            attempt.detach_texts();
            self.waiting.push(attempt);
            if self.waiting.len() >= BATCH {
                self.judge_waiting();
            }
        }
    }
    fn handshake(&mut self, handshake: Handshake) {
        self.kept.handshake(handshake);
    }
    fn fact(&mut self, fact: Fact) {
        self.kept.fact(fact);
    }
    fn certificate(&mut self, cert: CertSeen) {
        self.kept.certificate(cert);
    }
    fn status(&mut self, status: InputStatus) {
        self.kept.status(status);
    }
    fn duplicate(&mut self, duplicate: Duplicate) {
        self.kept.duplicate(duplicate);
    }
    fn line_keys(&mut self, keys: LineKeys) {
        self.kept.line_keys(keys);
    }
}
