//! The sessions of a TLS proxy log while it is read. When the run judges attempts as they come
//! ([`crate::input::IngestContext::classify`]), a session is judged and folded as soon as it
//! ends (its `TLS problem` line) and let go, and at most [`MAX_OPEN`] sessions wait for their
//! end: the oldest is judged as it is when one more opens. A log of a million sessions then holds
//! the findings, not the sessions. Otherwise every session is kept and handed on in the order it
//! was first seen.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use crate::diagnose::{Finding, Folder, Options};
use crate::observe::{Attempt, Context, Role};

/// Sessions waiting for their end, at most.
pub const MAX_OPEN: usize = 65_536;

/// Ended sessions judged together.
const BATCH: usize = 2048;

pub struct Sessions {
    open: HashMap<String, Attempt>,
    /// Session ids in the order first seen (ids of sessions already let go are skipped).
    order: VecDeque<String>,
    judge: Option<Arc<Options>>,
    done: Vec<Attempt>,
    folder: Folder,
    /// Sessions judged before their end because too many were open.
    pub judged_early: u64,
}

impl Sessions {
    pub fn new(judge: Option<Arc<Options>>) -> Self {
        Sessions {
            open: HashMap::new(),
            order: VecDeque::new(),
            judge,
            done: Vec::new(),
            folder: Folder::default(),
            judged_early: 0,
        }
    }

    /// The attempt of session `id`, opened when new.
    pub fn attempt(&mut self, id: &str) -> &mut Attempt {
        if !self.open.contains_key(id) {
            if self.judge.is_some() && self.open.len() >= MAX_OPEN {
                self.let_go_oldest();
            }
            self.order.push_back(id.to_string());
            let a = Attempt {
                context: Context::TlsProxy,
                observer: Some(Role::Client),
                session: Some(id.to_string()),
                ..Default::default()
            };
            self.open.insert(id.to_string(), a);
        }
        self.open.get_mut(id).expect("just inserted")
    }

    /// Session `id` ended: judged now when the run judges as it reads.
    pub fn end(&mut self, id: &str) {
        if self.judge.is_none() {
            return;
        }
        if let Some(a) = self.open.remove(id) {
            self.done.push(a);
            self.flush(false);
        }
        while self.order.front().is_some_and(|f| !self.open.contains_key(f)) {
            self.order.pop_front();
        }
    }

    fn let_go_oldest(&mut self) {
        while let Some(id) = self.order.pop_front() {
            if let Some(a) = self.open.remove(&id) {
                self.judged_early += 1;
                self.done.push(a);
                self.flush(false);
                return;
            }
        }
    }

    fn flush(&mut self, all: bool) {
        if let Some(opts) = &self.judge {
            if self.done.len() >= BATCH || (all && !self.done.is_empty()) {
                let batch = std::mem::take(&mut self.done);
                self.folder.extend(crate::diagnose::judge_attempts(&batch, opts));
            }
        }
    }

    /// The sessions not judged yet (all of them when the run does not judge as it reads), in
    /// the order first seen, and the findings of those judged.
    pub fn finish(mut self) -> (Vec<Attempt>, Vec<Finding>) {
        let mut rest = Vec::with_capacity(self.open.len());
        for id in std::mem::take(&mut self.order) {
            if let Some(a) = self.open.remove(&id) {
                rest.push(a);
            }
        }
        if self.judge.is_none() {
            return (rest, Vec::new());
        }
        self.done.extend(rest);
        self.flush(true);
        (Vec::new(), self.folder.into_vec_seen())
    }
}
