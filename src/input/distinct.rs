//! A log pasted twice into one file (or a copy of its lines appended again) holds every attempt
//! twice: an attempt whose every line is one already read, with the same time and the same text,
//! is the same attempt, and is handed on once. Attempts without times cannot be told apart from
//! a real repeat and are all handed on.

use std::collections::HashSet;
use std::hash::{BuildHasher, Hash, Hasher, RandomState};

use crate::model::{Attempt, CertSeen, Duplicate, Fact, Handshake, InputStatus, Sink};

/// Passes everything on to `inner`, each timed attempt once.
pub struct Distinct<'s> {
    inner: &'s mut dyn Sink,
    /// Keyed SipHash of the attempts seen (a key chosen per run: an input cannot make two
    /// different attempts collide on purpose).
    seen: HashSet<u64>,
    keys: RandomState,
}

impl<'s> Distinct<'s> {
    pub fn new(inner: &'s mut dyn Sink) -> Self {
        Distinct { inner, seen: HashSet::new(), keys: RandomState::new() }
    }

    /// The attempt's identity: who wrote it and each line with its time; `None` when a line has
    /// no time.
    fn key(&self, a: &Attempt) -> Option<u64> {
        if a.events.is_empty() || a.events.iter().any(|o| o.evidence.time.is_none()) {
            return None;
        }
        let mut h = self.keys.build_hasher();
        (&a.device, &a.session).hash(&mut h);
        for o in &a.events {
            (o.evidence.time, &o.evidence.text).hash(&mut h);
        }
        Some(h.finish())
    }
}

impl Sink for Distinct<'_> {
    fn attempt(&mut self, attempt: Attempt) {
        match self.key(&attempt) {
            Some(k) if !self.seen.insert(k) => {}
            _ => self.inner.attempt(attempt),
        }
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
}
