//! The sessions of a TLS proxy log while it is read. At most `Limits::max_open_sessions`
//! sessions wait for their end: when one more opens, the oldest is handed to the sink as it is and let go (a line
//! of a session can come after its `TLS problem` line, so a session is not let go at that
//! line). A log of a million sessions then holds the newest sessions only, and nothing is lost:
//! every session reaches the sink, the ones let go early first, the rest at the end in the order
//! they were first seen.

use std::collections::{HashMap, VecDeque};

use crate::model::{Attempt, Context, Role, Sink};

pub struct Sessions<'s> {
    open: HashMap<String, Attempt>,
    /// Session ids in the order first seen (ids of sessions already let go are skipped).
    order: VecDeque<String>,
    max_open: usize,
    sink: &'s mut dyn Sink,
    /// Sessions handed on before the end of the log because too many were open.
    pub let_go_early: u64,
}

impl<'s> Sessions<'s> {
    /// Sessions of one log, at most `max_open` open at once, handed to `sink`.
    pub fn new(max_open: usize, sink: &'s mut dyn Sink) -> Self {
        Sessions { open: HashMap::new(), order: VecDeque::new(), max_open: max_open.max(1), sink, let_go_early: 0 }
    }

    /// The attempt of session `id`, opened when new.
    pub fn attempt(&mut self, id: &str) -> &mut Attempt {
        if !self.open.contains_key(id) {
            if self.open.len() >= self.max_open {
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
                self.let_go_early += 1;
                self.sink.attempt(a);
                return;
            }
        }
    }

    /// Hand the sessions still open to the sink, in the order first seen.
    pub fn finish(mut self) {
        for id in std::mem::take(&mut self.order) {
            if let Some(a) = self.open.remove(&id) {
                self.sink.attempt(a);
            }
        }
    }
}
