//! The hand-over of finished connection attempts from a reader to whoever judges them.
//!
//! A reader that can tell when an attempt is complete (a log whose thread moved on, a proxy
//! session that closed) hands it to an [`AttemptSink`] at once instead of keeping it, so that a
//! big input never holds all its attempts: memory stays bounded by what the sink keeps. The
//! reader does not know what the sink does; the pipeline (`input::judging`) judges and
//! folds. Without a [`Judge`] in the read context, readers keep their attempts in
//! [`Parsed::attempts`](super::Parsed::attempts).

use std::any::Any;
use std::fmt;

use super::Attempt;

/// Takes the finished attempts of one source (or of one part of it), in input order.
pub trait AttemptSink: Send {
    /// Attempts the reader has finished with.
    fn take(&mut self, attempts: &[Attempt]);
    /// The attempts taken so far carried `pending` as their [`Attempt::inferred`] note while
    /// the reader could not yet say more; what the sink made of them should say `note` instead.
    fn restate_inferred(&mut self, pending: &str, note: &str);
    /// Done: what the sink made of everything it took, for the pipeline.
    fn finish(self: Box<Self>) -> Judged;
}

/// Makes the sinks of one run: one per source, or per part of a source read on its own thread.
pub trait Judge: Send + Sync + fmt::Debug {
    fn sink(&self) -> Box<dyn AttemptSink>;
}

/// What a sink made of its attempts. Readers only carry it, in input order, in
/// [`Parsed::judged`](super::Parsed::judged); the [`Judge`] that made the sink reads it back.
pub struct Judged(Box<dyn Any + Send>);

impl Judged {
    pub fn new<T: Any + Send>(value: T) -> Self {
        Judged(Box::new(value))
    }

    /// The value, when it is a `T` (it always is for the judge that made the sink).
    pub fn into_inner<T: Any>(self) -> Option<T> {
        self.0.downcast::<T>().ok().map(|b| *b)
    }
}

impl fmt::Debug for Judged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Judged(..)")
    }
}

/// A sink for a reader that may or may not have a judge: with none, the attempts are kept for
/// the caller.
pub enum Handover {
    Sink(Box<dyn AttemptSink>),
    Keep(Vec<Attempt>),
}

impl Handover {
    /// A sink of `judge`, else keep the attempts.
    pub fn new(judge: Option<&dyn Judge>) -> Self {
        match judge {
            Some(j) => Handover::Sink(j.sink()),
            None => Handover::Keep(Vec::new()),
        }
    }

    pub fn take(&mut self, attempts: Vec<Attempt>) {
        match self {
            Handover::Sink(s) => s.take(&attempts),
            Handover::Keep(kept) => kept.extend(attempts),
        }
    }

    /// The attempts kept (none when a sink took them) and what the sink made of the others.
    pub fn finish(self) -> (Vec<Attempt>, Option<Judged>) {
        match self {
            Handover::Sink(s) => (Vec::new(), Some(s.finish())),
            Handover::Keep(kept) => (kept, None),
        }
    }
}
