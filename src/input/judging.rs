//! The pipeline's [`Judge`]: attempts handed over by the readers are judged and folded at once.
//!
//! Each sink folds the attempts of one source (or of one part of it) in the order they come;
//! folding is associative, so combining the sinks' results in input order
//! ([`findings`]) gives the findings of judging every attempt at the end.

use std::sync::Arc;

use crate::diagnose::{self, AttemptFolder, Finding};
use crate::model::{Attempt, AttemptSink, Judge, Judged};

/// Judges with the classifier settings of the run.
#[derive(Debug)]
pub struct Judging {
    opts: Arc<diagnose::Options>,
}

impl Judging {
    pub fn new(opts: Arc<diagnose::Options>) -> Self {
        Judging { opts }
    }
}

impl Judge for Judging {
    fn sink(&self) -> Box<dyn AttemptSink> {
        Box::new(Folding {
            opts: Arc::clone(&self.opts),
            folder: AttemptFolder::new(Arc::clone(&self.opts)),
            restated: None,
        })
    }
}

/// One sink: a bounded folder of the findings so far, judging each shape of log attempt once
/// (see `diagnose::shape`).
struct Folding {
    opts: Arc<diagnose::Options>,
    folder: AttemptFolder,
    /// The inference note the attempts carried and the one their findings are to say instead.
    restated: Option<(String, String)>,
}

impl AttemptSink for Folding {
    fn take(&mut self, attempts: &[Attempt]) {
        // Log attempts one by one (repeats cost little); a batch of others, such as a capture's
        // connections, judged in parallel.
        if attempts.len() == 1 || attempts.iter().all(AttemptFolder::has_shape) {
            attempts.iter().for_each(|a| self.folder.add(a));
        } else {
            self.folder.extend(diagnose::judge_attempts(attempts, &self.opts));
        }
    }

    fn restate_inferred(&mut self, pending: &str, note: &str) {
        self.restated = Some((pending.to_string(), note.to_string()));
    }

    fn finish(self: Box<Self>) -> Judged {
        let mut found = self.folder.into_vec_seen();
        if let Some((pending, note)) = &self.restated {
            for f in &mut found {
                f.detail = f.detail.replace(pending.as_str(), note);
                if let Some(v) = f.shared.inferred.as_mut() {
                    v.clone_from(note);
                }
            }
        }
        Judged::new(found)
    }
}

/// The findings the sinks of a [`Judging`] made, in input order.
pub fn findings(judged: Vec<Judged>) -> Vec<Finding> {
    let mut out = Vec::new();
    for j in judged {
        match j.into_inner::<Vec<Finding>>() {
            Some(found) => out.extend(found),
            None => unreachable!("a Judged of another judge reached the pipeline"),
        }
    }
    out
}
