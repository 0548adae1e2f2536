//! One archive member read as a stream, straight out of its container (a tar entry, what a gzip
//! stream holds): the readers take it in pieces and nothing holds it whole, whatever the nesting.
//!
//! The stream hashes every byte that passes for the duplicate check (`input::contents`: the
//! claim is made once the member has been read to its end, on the same pass), counts them, stops
//! at the per-entry limit, and turns a broken container under it (a truncated tar, a corrupt gzip
//! tail, a limit of the budget) into the member's end: the reader keeps what came before, and the
//! container says why the member ended early.

use std::io::{self, Read};

use jiff::Timestamp;

use super::members::Members;
use crate::input::contents;
use crate::input::inputs::Inputs;
use crate::model::{ByteStream, ContentId, Data, Format, Source, Status};

/// A member as its reader sees it.
struct Member<'r> {
    inner: &'r mut dyn Read,
    /// The length the container announced (a tar header), if any.
    len: Option<u64>,
    cap: u64,
    hasher: Option<blake3::Hasher>,
    got: u64,
    /// The container ended the member (rather than the cap).
    ended: bool,
    broken: Option<String>,
}

impl Read for Member<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let room = self.cap.saturating_sub(self.got);
        if self.ended || self.broken.is_some() || room == 0 || buf.is_empty() {
            return Ok(0);
        }
        let want = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        loop {
            match self.inner.read(&mut buf[..want]) {
                Ok(0) => {
                    self.ended = true;
                    return Ok(0);
                }
                Ok(n) => {
                    if let Some(h) = &mut self.hasher {
                        h.update(&buf[..n]);
                    }
                    self.got += n as u64;
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.broken = Some(e.to_string());
                    return Ok(0);
                }
            }
        }
    }
}

impl ByteStream for Member<'_> {
    fn len_hint(&self) -> Option<u64> {
        self.len.map(|l| l.min(self.cap))
    }
}

impl Member<'_> {
    /// Read what the reader left (up to the cap), so that the hash covers the whole member and a
    /// broken container under it is seen.
    fn drain(&mut self) {
        let mut buf = vec![0u8; 256 << 10];
        while matches!(self.read(&mut buf), Ok(n) if n > 0) {}
    }

    /// Whether the container has more of the member past the cap.
    fn more(&mut self) -> bool {
        if self.ended || self.broken.is_some() || self.got < self.cap {
            return false;
        }
        let mut one = [0u8; 1];
        matches!(self.inner.read(&mut one), Ok(1))
    }

    /// The hash of the whole member, when it was read whole.
    fn id(&mut self) -> Option<ContentId> {
        let whole = self.ended && self.broken.is_none();
        self.hasher.take().filter(|_| whole).map(|h| *h.finalize().as_bytes())
    }
}

/// Where a member sits: its display path, depth and modification time.
pub struct Place<'a> {
    pub path: &'a str,
    pub depth: u32,
    pub mtime: Option<Timestamp>,
}

/// How reading a member went, for its container.
pub struct Read_ {
    pub out: Inputs,
    /// Bytes of the member read.
    pub got: u64,
    /// The container broke under the member (the error it gave).
    pub broken: Option<String>,
    /// The member goes on past the per-entry limit.
    pub more: bool,
}

/// Read the member `inner` at `at` through the dispatcher, at most `cap` bytes of it; `len` is
/// the length its container announced.
pub fn read(members: &mut Members<'_>, at: &Place<'_>, inner: &mut dyn Read, len: Option<u64>, cap: u64) -> Read_ {
    let hasher = members.ctx.contents.is_some().then(blake3::Hasher::new);
    let mut m = Member { inner, len, cap, hasher, got: 0, ended: false, broken: None };
    let src = Source { path: at.path.to_string(), data: Data::Stream(&mut m), mtime: at.mtime, depth: at.depth };
    let mut out = members.read(src);
    m.drain();
    let more = m.more();
    let own = out.statuses.iter_mut().find(|i| i.path == at.path);
    let read = own.as_ref().is_some_and(|s| s.status != Status::Skipped && s.format != Format::Unknown);
    let format = own.as_ref().map_or(Format::Unknown, |s| s.format);
    if let Some(st) = own {
        st.bytes = m.got;
    }
    // The duplicate check of a streamed member, now that its bytes are known.
    let seen = members.ctx.contents.as_ref().filter(|_| read);
    if let (Some(id), Some(seen)) = (m.id(), seen) {
        if let Some(dup) = seen.streamed(at.path, format, m.got, id) {
            out = Inputs::one(at.path, format, Status::Skipped, Some(contents::message(&dup)), m.got);
            out.duplicates.push(dup);
        }
    }
    Read_ { out, got: m.got, broken: m.broken, more }
}
