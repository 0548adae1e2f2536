//! How the members of an archive are read: the dispatcher, passed down by it.

use crate::input::inputs::Inputs;
use crate::model::{IngestContext, Sink, Source};

/// How the members of an archive are read: the dispatcher, passed in by it (so that the archive
/// readers never name it), with the run's context and sink.
pub struct Members<'a> {
    pub ctx: &'a IngestContext,
    pub sink: &'a mut dyn Sink,
    pub read: fn(Source<'_>, &IngestContext, &mut dyn Sink) -> Inputs,
}

impl Members<'_> {
    /// Read one member (and what it holds): its items go to the sink, its status lines come back.
    pub fn read(&mut self, src: Source<'_>) -> Inputs {
        (self.read)(src, self.ctx, self.sink)
    }
}
