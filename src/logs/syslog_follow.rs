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
use crate::model::{Attempt, IngestContext};

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

    /// Read `lines` (complete lines, each ending with a line end): the attempts they end.
    pub fn feed(&mut self, lines: &[u8]) -> Vec<Attempt> {
        self.order.consume(syslog_scan::scan(lines, &self.finder))
    }

    /// A look is over: the attempts of threads that got no line during it, and had gone past
    /// their first line, are over too.
    pub fn settle(&mut self) -> Vec<Attempt> {
        self.order.grouper.settle()
    }

    /// The file is left (rotated away, truncated, or the watch ends): every open attempt.
    pub fn finish(mut self) -> Vec<Attempt> {
        self.order.grouper.finish()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::{Event, Outcome};

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
        assert!(f.feed(first.as_bytes()).is_empty());
        assert!(f.settle().is_empty(), "it got lines during this look");
        assert!(f.feed(second.as_bytes()).is_empty());
        assert!(f.settle().is_empty(), "it got lines during this look");
        let ended = f.settle();
        assert_eq!(ended.len(), 1, "quiet for a whole look: over");
        let a = &ended[0];
        assert_eq!(a.events.first().map(|o| o.evidence.line), Some(Some(2)));
        assert!(a.events.iter().any(|o| matches!(o.event, Event::End { outcome: Outcome::Failed })));
        assert!(a.events.iter().any(|o| matches!(o.event, Event::VerifyError { .. })));
        assert!(f.finish().is_empty());
    }
}
