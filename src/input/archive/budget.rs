//! The per-input budget: how many uncompressed bytes and archive entries one top-level input may
//! still produce, shared by all archive levels below it. The expansion ratio is judged here too,
//! over all levels together: the bytes every level produced against the size of the top-level
//! input, so a gzip inside a gzip inside a gzip cannot multiply three ratios that each pass.
//!
//! `crate::input::ingest` carries no budget, so the budget lives in a thread-local slot: the
//! archive reader at depth 0 installs a fresh one and restores the previous slot when done (a
//! stack, so a work-stealing thread that starts another top-level input meanwhile cannot mix
//! them up). Nested readers on the same thread find it there.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::model::Limits;

/// What one top-level input has left.
#[derive(Debug)]
pub struct Budget {
    pub limits: Limits,
    bytes_left: Cell<u64>,
    /// Size of the top-level input the ratio is measured against.
    base: u64,
    /// How much of the top-level input a streaming reader has taken so far (0: not streamed).
    consumed: Cell<u64>,
    produced: Cell<u64>,
    entries: Cell<u64>,
    limit_hit: RefCell<Option<String>>,
}

impl Budget {
    /// The budget of a top-level input of `base` bytes.
    pub fn new(limits: &Limits, base: u64) -> Self {
        Budget {
            limits: limits.clone(),
            bytes_left: Cell::new(limits.max_uncompressed),
            base: base.max(1),
            consumed: Cell::new(0),
            produced: Cell::new(0),
            entries: Cell::new(0),
            limit_hit: RefCell::new(None),
        }
    }

    /// Take `n` uncompressed bytes; `Err` with the reason once the total limit is passed.
    pub fn take_bytes(&self, n: u64) -> Result<(), String> {
        self.charge(n)?;
        let produced = self.produced.get() + n;
        self.produced.set(produced);
        let ratio = self.limits.max_ratio;
        // A top-level gzip is measured as it is read, so a bomb stops early.
        let base = match self.consumed.get() {
            0 => self.base,
            n => n,
        };
        if produced > RATIO_GRACE && produced / base > ratio {
            let msg = format!(
                "stopped after {produced} bytes: the archive levels together expand more than {ratio}:1 (limit max_ratio; a decompression bomb?)"
            );
            self.note_limit(&msg);
            return Err(msg);
        }
        Ok(())
    }

    /// The top-level input's reader took `n` more bytes.
    pub fn consumed(&self, n: u64) {
        self.consumed.set(self.consumed.get() + n);
    }

    fn charge(&self, n: u64) -> Result<(), String> {
        let left = self.bytes_left.get();
        if n > left {
            self.bytes_left.set(0);
            let msg = format!(
                "stopped after {} uncompressed bytes from this input (limit max_uncompressed)",
                self.limits.max_uncompressed
            );
            self.note_limit(&msg);
            return Err(msg);
        }
        self.bytes_left.set(left - n);
        Ok(())
    }

    /// Count one archive entry; `Err` with the reason once the limit is passed.
    pub fn take_entry(&self) -> Result<(), String> {
        let n = self.entries.get() + 1;
        if n > self.limits.max_entries {
            let msg = format!("stopped after {} archive entries (limit max_entries)", self.limits.max_entries);
            self.note_limit(&msg);
            return Err(msg);
        }
        self.entries.set(n);
        Ok(())
    }

    /// Remember the first limit that was hit (reported again at the top-level input).
    pub fn note_limit(&self, msg: &str) {
        let mut hit = self.limit_hit.borrow_mut();
        if hit.is_none() {
            *hit = Some(msg.to_string());
        }
    }

    pub fn limit_hit(&self) -> Option<String> {
        self.limit_hit.borrow().clone()
    }
}

/// Output after which the expansion ratio is checked.
const RATIO_GRACE: u64 = 1 << 20;

thread_local! {
    static CURRENT: RefCell<Option<Rc<Budget>>> = const { RefCell::new(None) };
}

/// The budget of the archive being read, installed for the time this value lives.
pub struct Scope {
    budget: Rc<Budget>,
    /// The slot's previous content, restored on drop; `None` when this scope did not install.
    previous: Option<Option<Rc<Budget>>>,
}

impl Scope {
    pub fn budget(&self) -> &Budget {
        &self.budget
    }
    /// Whether this scope opened the budget (it belongs to the top-level input).
    pub fn is_top(&self) -> bool {
        self.previous.is_some()
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        if let Some(prev) = self.previous.take() {
            CURRENT.with(|c| *c.borrow_mut() = prev);
        }
    }
}

/// Join the current budget, or open a new one at depth 0 (or when none is open) for an input of
/// `base` bytes.
pub fn enter(depth: u32, limits: &Limits, base: u64) -> Scope {
    CURRENT.with(|c| {
        let mut slot = c.borrow_mut();
        match slot.as_ref() {
            Some(b) if depth > 0 => Scope { budget: b.clone(), previous: None },
            _ => {
                let b = Rc::new(Budget::new(limits, base));
                let prev = slot.replace(b.clone());
                Scope { budget: b, previous: Some(prev) }
            }
        }
    })
}
