//! The sessions of a TLS proxy log while it is read. When the run judges attempts as they come
//! ([`crate::model::IngestContext::judge`]), at most [`MAX_OPEN`] sessions are held: when one
//! more opens, the oldest is judged and folded as it is and let go (a line of a session can come
//! after its `TLS problem` line, so a session is not let go at that line). A log of a million
//! sessions then holds what the sink keeps and the newest sessions only; a smaller log gives the same
//! result as judging every session at the end. Otherwise every session is kept and handed on in
//! the order it was first seen.

use crate::model::{Attempt, AttemptSink, Context, Judged, Role};
use std::collections::{HashMap, VecDeque};

/// Sessions waiting for their end, at most.
pub const MAX_OPEN: usize = 65_536;

/// Ended sessions judged together.
const BATCH: usize = 2048;

pub struct Sessions {
    open: HashMap<String, Attempt>,
    /// Session ids in the order first seen (ids of sessions already let go are skipped).
    order: VecDeque<String>,
    /// Where ended sessions go when the run judges as it reads.
    sink: Option<Box<dyn AttemptSink>>,
    done: Vec<Attempt>,
    /// Sessions judged before the end of the log because too many were open.
    pub judged_early: u64,
}

impl Sessions {
    pub fn new(sink: Option<Box<dyn AttemptSink>>) -> Self {
        Sessions { open: HashMap::new(), order: VecDeque::new(), sink, done: Vec::new(), judged_early: 0 }
    }

    /// The attempt of session `id`, opened when new.
    pub fn attempt(&mut self, id: &str) -> &mut Attempt {
        if !self.open.contains_key(id) {
            if self.sink.is_some() && self.open.len() >= MAX_OPEN {
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
        if let Some(sink) = &mut self.sink {
            if self.done.len() >= BATCH || (all && !self.done.is_empty()) {
                sink.take(&std::mem::take(&mut self.done));
            }
        }
    }

    /// The sessions still held, in the order first seen (they are judged by the caller, as
    /// every session of a smaller log), and what the sink made of those let go before.
    pub fn finish(mut self) -> (Vec<Attempt>, Option<Judged>) {
        let mut rest = Vec::with_capacity(self.open.len());
        for id in std::mem::take(&mut self.order) {
            if let Some(a) = self.open.remove(&id) {
                rest.push(a);
            }
        }
        self.flush(true);
        (rest, self.sink.map(|s| s.finish()))
    }
}
