//! A log pasted twice into one file (or a copy of its lines appended again) holds every attempt
//! twice: an attempt whose every line is one already read, with the same time and the same text,
//! read again after the times went back (where the second copy starts), is the same attempt,
//! and is handed on once. Identical attempts while time only goes forward are real repeats (a
//! retry within the same second of a syslog stamp), and attempts without times cannot be told
//! apart from one: all of those are handed on.

use std::hash::{BuildHasher, Hash, Hasher, RandomState};

use jiff::Timestamp;

use crate::model::{Attempt, CertSeen, Duplicate, Fact, Handshake, InputStatus, Sink};
use crate::util::fasthash::FastMap;

/// Passes everything on to `inner`, each timed attempt once.
pub struct Distinct<'s> {
    inner: &'s mut dyn Sink,
    /// Keyed SipHash of the attempts seen (a key chosen per run: an input cannot make two
    /// different attempts collide on purpose).
    /// With the stretch of the input (counted in times going back) each was seen in. The keys
    /// are already keyed hashes: the table's own hash only spreads them.
    seen: FastMap<u64, u32>,
    keys: RandomState,
    /// How many times the attempts' start went back, and the last start.
    stretch: u32,
    last: Option<Timestamp>,
}

impl<'s> Distinct<'s> {
    pub fn new(inner: &'s mut dyn Sink) -> Self {
        Distinct { inner, seen: FastMap::default(), keys: RandomState::new(), stretch: 0, last: None }
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
        let start = attempt.events.first().and_then(|o| o.evidence.time);
        if let Some(s) = start {
            if self.last.is_some_and(|l| s < l) {
                self.stretch += 1;
            }
            self.last = Some(s);
        }
        if let Some(k) = self.key(&attempt) {
            match self.seen.get(&k) {
                Some(&stretch) if stretch < self.stretch => return,
                Some(_) => {}
                None => {
                    self.seen.insert(k, self.stretch);
                }
            }
        }
        self.inner.attempt(attempt);
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
