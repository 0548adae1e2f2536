//! The read context shared by all parsers of one run, and its limits.

use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use jiff::Timestamp;

use super::{CertParser, LineOwners, SeenBefore};

/// Settings shared by all parsers of one run.
#[derive(Debug)]
pub struct IngestContext {
    /// `--year`: the year of syslog timestamps (which carry none).
    pub year: Option<i16>,
    /// "Today".
    pub now: Timestamp,
    pub limits: Limits,
    /// Parses certificates once per distinct certificate (the run shares one cache).
    pub certs: Arc<dyn CertParser>,
    /// Bytes of top-level files read so far (drives the progress bar): counted by the stream of
    /// each file as its bytes are taken (`input::file`), whatever reads them.
    pub progress: Arc<AtomicU64>,
    /// When set, a content met a second time is not read again.
    pub contents: Option<Arc<dyn SeenBefore>>,
    /// The key of the hashes of log lines (`line_owners`): one per run, so that the lines of
    /// two inputs compare, and chosen at random, so that no input can make two lines collide.
    pub line_hash: std::hash::RandomState,
    /// When set (a second reading), the attempts of an input that are copies of another's are
    /// left out.
    pub line_owners: Option<Arc<LineOwners>>,
    /// How many more line hashes the run may record (`LineKeys::RUN_BUDGET` to start with);
    /// `None` where no line can have been read at two places (one plain file): none is recorded.
    pub line_budget: Option<Arc<AtomicU64>>,
}

impl IngestContext {
    /// A context for a run at `now` whose certificates `certs` parses.
    pub fn new(now: Timestamp, certs: Arc<dyn CertParser>) -> Self {
        IngestContext {
            year: None,
            now,
            limits: Limits::default(),
            certs,
            progress: Arc::default(),
            contents: None,
            line_hash: std::hash::RandomState::new(),
            line_owners: None,
            line_budget: None,
        }
    }
}

/// Bounds on what one input may make tlstriage hold: decompression bombs, endless archives,
/// logs that open sessions without end.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Most bytes all gzip streams of one top-level input may expand to, nested ones included.
    pub max_uncompressed: u64,
    /// Most expansion ratio of one top-level input: the bytes all its archive levels produce
    /// together against its own size (checked once they have produced 1 MiB).
    pub max_ratio: u64,
    /// Deepest archive nesting (a plain file is depth 0, an entry of its archive depth 1).
    pub max_depth: u32,
    /// Most archive entries read from one top-level input, over all nested archives.
    pub max_entries: u64,
    /// Most bytes read of one archive entry (or of what one plain `.gz` holds), streamed to its
    /// reader, never held; longer ones are cut.
    pub max_entry: u64,
    /// Most bytes a reader of a small format (certificate, key and configuration files,
    /// FAILED_PUSH lists) holds at once; a longer input is read up to there and marked partial.
    pub max_whole: u64,
    /// Most connections of a capture followed at once (ten times as many in all); when the
    /// table is full a closed connection is finished and handed on to make room, and one that
    /// still finds none is counted and makes the input partial.
    pub max_connections: usize,
    /// Most TLS proxy sessions held open while a log is read; the oldest is handed on (judged
    /// as it is) when one more opens.
    pub max_open_sessions: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_uncompressed: 4 << 30,
            max_ratio: 1000,
            max_depth: 8,
            max_entries: 500_000,
            max_entry: 2 << 30,
            max_whole: 64 << 20,
            max_connections: 100_000,
            max_open_sessions: 65_536,
        }
    }
}
