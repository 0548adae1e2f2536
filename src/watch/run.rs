//! One `watch` run: the followed files, each with its syslog reader (`logs::syslog_follow`),
//! and what is said as their lines come in. After each look at the files, every attempt that ended is judged on its own
//! (`diagnose::judge_attempt`, the classifier `analyze` uses): a failed one gives its findings
//! and marks its peer failing; one that connected (`Connected` logged, nothing failing) brings
//! a failing peer back. Memory stays bounded: the follower's buffers, the reader's bounded
//! threads, the attempts of one look (the readers hand them to the watch's sink; judged after each piece
//! read), the failing peers.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;

use super::follow::{Follow, Step, Why};
use super::peers::{Back, Peer, Peers};
use crate::diagnose::{self, Finding};
use crate::logs::syslog_follow::Follower;
use crate::model::{Attempt, Event, IngestContext, Outcome, Parsed};

/// What a watch has to say.
#[derive(Debug)]
pub enum Seen {
    /// A finding of an attempt that just ended, and the peer it marks as failing.
    Finding(Box<Finding>),
    /// A failing peer connected again.
    Back(Back),
    /// A file is read from its start again.
    Reopened { path: PathBuf, why: Why },
    /// A file cannot be followed (said once per change).
    Problem { path: PathBuf, text: String },
}

/// What is said of a name that leads to no file (yet).
pub const NOT_THERE: &str = "not there (yet)";

/// A followed file and its reader.
struct Watched {
    follow: Follow,
    reader: Option<Follower>,
    said: Option<String>,
}

/// A watch over some files.
pub struct Watch {
    files: Vec<Watched>,
    ctx: IngestContext,
    opts: diagnose::Options,
    /// The sink the readers hand their ended attempts to; its attempts are not judged yet.
    ended: Parsed,
    buf: Vec<u8>,
    pub peers: Peers,
}

impl Watch {
    /// Follow `paths`: from their start when `from_start`, else from their end. `year` is the
    /// year of their syslog times (default: from each file's modification time).
    pub fn new(paths: &[PathBuf], from_start: bool, year: Option<i16>) -> Self {
        let now = Timestamp::now();
        let mut ctx = IngestContext::new(now, Arc::new(crate::x509::CertCache::default()));
        ctx.year = year;
        let files =
            paths.iter().map(|p| Watched { follow: Follow::new(p, from_start), reader: None, said: None }).collect();
        Watch {
            files,
            ctx,
            opts: diagnose::Options::new(now),
            ended: Parsed::default(),
            buf: Vec::new(),
            peers: Peers::default(),
        }
    }

    /// Look at every file once, reading what was appended; everything found is handed to `say`
    /// as it is found. `Ok(true)` when any line was read.
    pub fn look(&mut self, say: &mut dyn FnMut(Seen) -> io::Result<()>) -> io::Result<bool> {
        let mut read = false;
        for i in 0..self.files.len() {
            loop {
                self.buf.clear();
                let w = &mut self.files[i];
                let step = match w.follow.step(&mut self.buf) {
                    Ok(s) => s,
                    Err(e) => {
                        let text = format!("cannot read: {e}");
                        if w.said.as_deref() != Some(text.as_str()) {
                            w.said = Some(text.clone());
                            say(Seen::Problem { path: w.follow.path().to_path_buf(), text })?;
                        }
                        break;
                    }
                };
                let waiting = (!w.follow.is_open() && w.follow.problem.is_none()).then(|| NOT_THERE.to_string());
                if let Some(text) = w.follow.problem.clone().or(waiting).filter(|t| w.said.as_ref() != Some(t)) {
                    w.said = Some(text.clone());
                    say(Seen::Problem { path: w.follow.path().to_path_buf(), text })?;
                }
                if !self.buf.is_empty() {
                    read = true;
                    let reader = w.reader.get_or_insert_with(|| reader_for(w.follow.path(), &self.ctx));
                    reader.feed(&self.buf, &mut self.ended);
                }
                match step {
                    Step::Lines => {}
                    Step::Reopened(why) => {
                        if let Some(r) = w.reader.take() {
                            r.finish(&mut self.ended);
                        }
                        let path = w.follow.path().to_path_buf();
                        self.judge_ended(say)?;
                        say(Seen::Reopened { path, why })?;
                        continue;
                    }
                    Step::Idle => break,
                }
                self.judge_ended(say)?;
            }
            if let Some(r) = self.files[i].reader.as_mut() {
                r.settle(&mut self.ended);
            }
            self.judge_ended(say)?;
        }
        Ok(read)
    }

    /// Whether any of the files could be opened.
    pub fn any_open(&self) -> bool {
        self.files.iter().any(|w| w.follow.is_open())
    }

    /// The watch ends: every attempt still open is judged.
    pub fn finish(&mut self, say: &mut dyn FnMut(Seen) -> io::Result<()>) -> io::Result<()> {
        for w in &mut self.files {
            if let Some(r) = w.reader.take() {
                r.finish(&mut self.ended);
            }
        }
        self.judge_ended(say)
    }

    /// Judge the attempts handed over so far, in the order they ended.
    fn judge_ended(&mut self, say: &mut dyn FnMut(Seen) -> io::Result<()>) -> io::Result<()> {
        for a in std::mem::take(&mut self.ended.attempts) {
            let at = a.events.last().and_then(|o| o.evidence.time);
            let peer = a.peer().map(|p| Peer::new(a.device.as_deref(), p.as_str()));
            let findings = diagnose::judge_attempt(&a, &self.opts);
            if !findings.is_empty() || failed(&a) {
                if let Some(p) = peer {
                    self.peers.failed(p, at, findings.first().map(|f| f.kind.as_str()));
                }
                for f in findings {
                    say(Seen::Finding(Box::new(f)))?;
                }
            } else if connected(&a) {
                if let Some(back) = peer.and_then(|p| self.peers.connected(p, at)) {
                    say(Seen::Back(back))?;
                }
            }
        }
        Ok(())
    }
}

/// A reader for the file at `path`, its years anchored on the file's modification time.
fn reader_for(path: &Path, ctx: &IngestContext) -> Follower {
    let mtime = std::fs::metadata(path).ok().and_then(|m| m.modified().ok()).and_then(|t| Timestamp::try_from(t).ok());
    Follower::new(&crate::model::DisplayPath::of_file(path), ctx, mtime)
}

/// Whether an attempt failed: it ended so, was refused, or something in it went wrong.
fn failed(a: &Attempt) -> bool {
    a.events.iter().any(|o| match &o.event {
        Event::End { outcome } => *outcome != Outcome::Established,
        Event::Refused | Event::VerifyError { .. } | Event::SslError { .. } | Event::Alert { .. } => true,
        Event::TunnelError { .. } => true,
        _ => false,
    })
}

/// Whether an attempt got as far as a connection (TCP up, and nothing failed after it).
fn connected(a: &Attempt) -> bool {
    a.events.iter().any(|o| matches!(o.event, Event::Connected))
}
