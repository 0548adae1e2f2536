//! Where a reader puts what it finds: the caller's [`Sink`] (ripgrep's push model).
//!
//! The caller makes the sink and passes it to `parse(src, ctx, sink)`; the reader pushes each
//! typed item the moment it has it (an attempt once the log's thread moved on or the proxy
//! session ended, a handshake once its connection is finished, a certificate or a fact as soon
//! as it is read) and never learns what the sink does with it. The pipeline's sink judges and
//! folds attempts as they come (`input::judging`), so that a big input never holds all of them;
//! [`Parsed`](super::Parsed) keeps everything (tests, the reference run). A reader that must let
//! something go early (a cap on open sessions or threads) pushes it first: nothing it read is
//! dropped on the way.
//!
//! The status line of an input is the reader's answer, returned as a [`ReadStatus`](super::ReadStatus): the
//! dispatcher adds what only it knows (the path, the format, a file cut or shrunk, a limit a
//! container hit) and hands the finished [`InputStatus`] to the sink.

use super::{Attempt, CertSeen, Duplicate, Fact, Handshake, InputStatus, LineKeys};

/// Takes the typed items of the inputs a reader reads, in the order it finds them.
pub trait Sink: Send {
    /// A connection attempt the reader has finished with.
    fn attempt(&mut self, attempt: Attempt);
    /// A handshake reconstructed from a capture.
    fn handshake(&mut self, handshake: Handshake);
    /// Something found on disk (a certificate or key file, a FAILED_PUSH list, configuration,
    /// a tunnel status).
    fn fact(&mut self, fact: Fact);
    /// A certificate and where it was seen.
    fn certificate(&mut self, cert: CertSeen);
    /// How reading one input went (one per input, archive members included).
    fn status(&mut self, status: InputStatus);
    /// A place not read because an earlier place held the same bytes.
    fn duplicate(&mut self, duplicate: Duplicate);
    /// The hashes of the lines of an input's timed attempts (see `line_owners`): kept by the
    /// sinks of a run, which tells copies of lines read at two places apart.
    fn line_keys(&mut self, keys: LineKeys) {
        let _ = keys;
    }
}

/// A sink that passes everything on to `inner` after `map` had its say about each attempt (a
/// reader that reads through another reader's parser and rewrites what it finds, such as the
/// excerpt's TLS proxy lines).
pub struct MapAttempts<'s, F> {
    pub inner: &'s mut dyn Sink,
    pub map: F,
}

impl<F: FnMut(Attempt) -> Attempt + Send> Sink for MapAttempts<'_, F> {
    fn attempt(&mut self, attempt: Attempt) {
        let a = (self.map)(attempt);
        self.inner.attempt(a);
    }
    fn handshake(&mut self, handshake: Handshake) {
        self.inner.handshake(handshake);
    }
    fn fact(&mut self, fact: Fact) {
        self.inner.fact(fact);
    }
    fn certificate(&mut self, cert: CertSeen) {
        self.inner.certificate(cert);
    }
    fn status(&mut self, status: InputStatus) {
        self.inner.status(status);
    }
    fn duplicate(&mut self, duplicate: Duplicate) {
        self.inner.duplicate(duplicate);
    }
    fn line_keys(&mut self, keys: LineKeys) {
        self.inner.line_keys(keys);
    }
}
