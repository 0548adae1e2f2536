//! Reading a syslog file while it is written (`tlstriage watch`): the same reader as
//! [`super::syslog::parse`] (the scan of `sftunneld` lines, their years, the grouping into
//! attempts), fed the complete lines a follower reads, giving each attempt back the moment it
//! ends.
//!
//! A log says when an attempt fails for good (`Failed connecting with SSL`), but not always
//! when one is over (a device's `SSL handshake failed` is followed by its verification status
//! in the same instant), and a connection that succeeds logs nothing more at all. So a thread
//! that has gone past its first line and got no line since the previous look is taken as over
//! ([`Follower::settle`], called after each look): a look comes every fraction of a second, and
//! the lines of one attempt are written within the same instant. A thread still waiting for its
//! TCP connection (`Initiating` only) stays open until the reader's usual rules close it.

use jiff::Timestamp;
use memchr::memmem::Finder;

use super::syslog::InOrder;
use super::syslog_scan::{self, TAG};
use crate::model::{IngestContext, Sink};

/// One syslog file read as it grows.
pub struct Follower {
    order: InOrder,
    finder: Finder<'static>,
}

impl Follower {
    /// A reader of the file shown as `path` (in its evidence), modified at `mtime` (which anchors
    /// the years of its lines with `ctx.year` and `ctx.now`).
    pub fn new(path: &str, ctx: &IngestContext, mtime: Option<Timestamp>) -> Self {
        Follower { order: InOrder::new(path, ctx, mtime), finder: Finder::new(TAG) }
    }

    /// Read `lines` (complete lines, each ending with a line end); the attempts they end go to
    /// `sink`.
    pub fn feed(&mut self, lines: &[u8], sink: &mut dyn Sink) {
        let scanned = syslog_scan::scan(lines, &self.finder);
        self.order.consume(lines, scanned).into_iter().for_each(|a| sink.attempt(a));
    }

    /// A look is over: the attempts of threads that got no line during it, and had gone past
    /// their first line, are over too: they go to `sink`.
    pub fn settle(&mut self, sink: &mut dyn Sink) {
        self.order.grouper.settle().into_iter().for_each(|a| sink.attempt(a));
    }

    /// The file is left (rotated away, truncated, or the watch ends): every open attempt goes
    /// to `sink`.
    pub fn finish(mut self, sink: &mut dyn Sink) {
        self.order.grouper.finish().into_iter().for_each(|a| sink.attempt(a));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::{Event, Outcome, Parsed};

    fn ctx() -> IngestContext {
        let now: Timestamp = "2026-11-23T00:00:00Z".parse().unwrap();
        let mut ctx = IngestContext::new(now, Arc::new(crate::x509::CertCache::default()));
        ctx.year = Some(2026);
        ctx
    }

    #[test]
    fn an_attempt_is_given_back_after_the_look_that_ended_it_went_quiet() {
        let log = std::fs::read("samples/logs/ftd-expired-ca/messages").unwrap();
        let text = String::from_utf8(log).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        // The first attempt (lines 2 to 11), fed in two looks, as a follower may cut it.
        let mut f = Follower::new("messages", &ctx(), None);
        let first = lines[..6].iter().map(|l| format!("{l}\n")).collect::<String>();
        let second = lines[6..12].iter().map(|l| format!("{l}\n")).collect::<String>();
        let mut sink = Parsed::default();
        f.feed(first.as_bytes(), &mut sink);
        assert!(sink.attempts.is_empty());
        f.settle(&mut sink);
        assert!(sink.attempts.is_empty(), "it got lines during this look");
        f.feed(second.as_bytes(), &mut sink);
        assert!(sink.attempts.is_empty());
        f.settle(&mut sink);
        assert!(sink.attempts.is_empty(), "it got lines during this look");
        f.settle(&mut sink);
        assert_eq!(sink.attempts.len(), 1, "quiet for a whole look: over");
        let a = &sink.attempts[0];
        assert_eq!(a.events.first().map(|o| o.evidence.line), Some(Some(2)));
        assert!(a.events.iter().any(|o| matches!(o.event, Event::End { outcome: Outcome::Failed })));
        assert!(a.events.iter().any(|o| matches!(o.event, Event::VerifyError { .. })));
        f.finish(&mut sink);
        assert_eq!(sink.attempts.len(), 1, "nothing was left open");
    }
}
