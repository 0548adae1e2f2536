//! Copies of attempts, within one input and across inputs.
//!
//! Within one input: a log pasted twice into one file (or a copy of its lines appended again)
//! holds every attempt twice: an attempt whose every line is one already read, with the same
//! time and the same text, read again after the times went back (where the second copy starts),
//! is the same attempt, and is handed on once. Identical attempts while time only goes forward
//! are real repeats (a retry within the same second of a syslog stamp), and attempts without
//! times cannot be told apart from one: all of those are handed on.
//!
//! Across inputs (`model::line_owners`): the hashes of each timed attempt's lines are handed to
//! the sink at the end of the input; on a second reading, an attempt whose every line another
//! input owns is left out, and the input's status says where it was counted.

use std::hash::{BuildHasher, Hash, Hasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use jiff::Timestamp;

use crate::model::{
    Attempt, CertSeen, Duplicate, Fact, Handshake, IngestContext, InputStatus, LineKeys, LineOwners, Sink,
};
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
    path: String,
    /// The hashes of the lines of the attempts handed on; `None` when the run records none or
    /// its budget ran out.
    lines: Option<LineKeys>,
    budget: Option<Arc<AtomicU64>>,
    /// Whether lines are hashed one by one (recorded, or compared with other inputs'), and the
    /// hashes of the last attempt's lines.
    per_line: bool,
    lines_of_last: Vec<u64>,
    owners: Option<Arc<LineOwners>>,
    /// Attempts left out as copies of another input's, the first input they were counted in,
    /// and whether some were counted in another one.
    left_out: u64,
    counted_in: Option<String>,
    elsewhere_too: bool,
}

impl<'s> Distinct<'s> {
    /// For the input at `path`, read with `ctx`; `quotes`: an excerpt, whose attempts may quote
    /// others in part (`model::line_owners`).
    pub fn new(inner: &'s mut dyn Sink, ctx: &IngestContext, path: &str, quotes: bool) -> Self {
        Distinct {
            inner,
            seen: FastMap::default(),
            keys: ctx.line_hash.clone(),
            stretch: 0,
            last: None,
            path: path.to_string(),
            lines: ctx.line_budget.as_ref().map(|_| LineKeys { path: path.to_string(), quotes, ..LineKeys::default() }),
            budget: ctx.line_budget.clone(),
            per_line: ctx.line_budget.is_some() || ctx.line_owners.is_some(),
            lines_of_last: Vec::new(),
            owners: ctx.line_owners.clone(),
            left_out: 0,
            counted_in: None,
            elsewhere_too: false,
        }
    }

    /// The attempt's identity: who wrote it and each line with its time; `None` when a line has
    /// no time. Where lines are compared with other inputs', the hash of each line is left in
    /// `self.lines_of_last`; else the attempt is hashed in one pass.
    fn key(&mut self, a: &Attempt) -> Option<u64> {
        if a.events.is_empty() || a.events.iter().any(|o| o.evidence.time.is_none()) {
            return None;
        }
        if !self.per_line {
            let mut h = self.keys.build_hasher();
            (&a.device, &a.session).hash(&mut h);
            for o in &a.events {
                (o.evidence.time, &o.evidence.text).hash(&mut h);
            }
            return Some(h.finish());
        }
        let keys = &self.keys;
        self.lines_of_last.clear();
        self.lines_of_last.extend(a.events.iter().map(|o| keys.hash_one((o.evidence.time, &o.evidence.text))));
        Some(keys.hash_one((&a.device, &a.session, &self.lines_of_last)))
    }

    /// Done with the input: its lines go to the sink; what the status should say of the attempts
    /// left out as copies, if any.
    pub fn finish(mut self) -> Option<String> {
        if let Some(lines) = self.lines.take().filter(|l| !l.keys.is_empty()) {
            self.inner.line_keys(lines);
        }
        let counted_in = self.counted_in?;
        let more = if self.elsewhere_too { " and other inputs" } else { "" };
        Some(format!(
            "{} also read in {counted_in}{more}: counted there",
            crate::wording::counted(self.left_out, "attempt")
        ))
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
            let lines = &self.lines_of_last;
            match self.seen.get(&k) {
                Some(&stretch) if stretch < self.stretch => return,
                Some(_) => {}
                None => {
                    self.seen.insert(k, self.stretch);
                }
            }
            if let Some(counted) = self.owners.as_ref().and_then(|o| o.owner_of_copy(&self.path, lines)) {
                self.left_out += 1;
                match &self.counted_in {
                    None => self.counted_in = Some(counted.to_string()),
                    Some(first) => self.elsewhere_too |= first != counted,
                }
                return;
            }
            if let (Some(keys), Some(budget)) = (self.lines.as_mut(), &self.budget) {
                let n = lines.len() as u64;
                match budget.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| left.checked_sub(n)) {
                    Ok(_) => keys.push(lines),
                    // Kept so far, still handed on; the rest of the input is not recorded.
                    Err(_) => self.budget = None,
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
    fn line_keys(&mut self, keys: LineKeys) {
        self.inner.line_keys(keys);
    }
}
