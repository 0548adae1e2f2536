//! Standard input (the path `-`) as a stream: read once, front to back, in the pieces the
//! readers ask for, so that `zcat messages.5.gz | tlstriage analyze -` runs in the same bounded
//! memory as the file itself. The first `-` of a process reads it; a later one says that it was
//! read already (a pipe cannot be read twice).

use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, Ordering};

use super::{not_read, read};
use crate::model::{ByteStream, Data, IngestContext, Sink, Source, Status};

/// The name standard input goes by in every output.
pub const NAME: &str = "stdin";

/// Whether this process's standard input was taken by a `-` already.
static TAKEN: AtomicBool = AtomicBool::new(false);

/// The process's standard input, locked for the time it is read, and the bytes read from it.
struct StdinStream {
    inner: io::StdinLock<'static>,
    read: u64,
}

impl Read for StdinStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

impl ByteStream for StdinStream {
    fn len_hint(&self) -> Option<u64> {
        None
    }
}

/// Read the process's standard input into `sink` as the input named [`NAME`].
pub fn read_process_stdin(ctx: &IngestContext, sink: &mut dyn Sink) {
    if TAKEN.swap(true, Ordering::SeqCst) {
        let why = "standard input was read already, as an earlier `-`".to_string();
        return sink.status(not_read(NAME, Status::Skipped, why));
    }
    let mut stream = StdinStream { inner: io::stdin().lock(), read: 0 };
    let src = Source { path: NAME.to_string(), data: Data::Stream(&mut stream), mtime: None, depth: 0 };
    let mut out = read(src, ctx, sink);
    // Its size is known only now that it is read.
    for s in out.statuses.iter_mut().filter(|s| s.path == NAME) {
        s.bytes = s.bytes.max(stream.read);
    }
    out.hand_to(sink);
}
