//! Inputs: discovery of files and directories, content sniffing, and dispatch to the parsers.
//!
//! Every input, whether a plain file or an entry inside an archive, becomes a [`Source`] (bytes
//! plus a display path) and is turned by [`ingest`] into a [`Parsed`] result.

mod discover;
mod open;
mod sniff;

pub mod archive;
pub mod contents;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use jiff::Timestamp;
use serde::Serialize;

pub use discover::{discover, Discovered};
pub use open::{describe, open_regular, OpenError};
pub use sniff::{sniff, Format};

use crate::facts::Fact;
use crate::observe::{Attempt, Handshake};
use crate::x509::{CertCache, CertSummary};

/// How reading an input went.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    /// Read up to a problem (a truncated capture, a corrupt gzip tail); what came before counts.
    Partial,
    Error,
    /// Not a format tlstriage reads.
    Skipped,
}

impl Status {
    /// The name used in the JSON and the views.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Partial => "partial",
            Status::Error => "error",
            Status::Skipped => "skipped",
        }
    }
}

/// One line of the `inputs` array.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct InputStatus {
    pub path: String,
    pub format: Format,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub bytes: u64,
}

/// Settings shared by all parsers of one run.
#[derive(Debug)]
pub struct IngestContext {
    /// `--year`: the year of syslog timestamps (which carry none).
    pub year: Option<i16>,
    /// "Today".
    pub now: Timestamp,
    pub limits: archive::Limits,
    /// Certificates already parsed, by SHA-256.
    pub certs: Arc<CertCache>,
    /// Bytes of top-level files read so far (drives the progress bar).
    pub progress: Arc<AtomicU64>,
    /// When set, attempts are judged and folded as soon as an input (or, for big logs, a part of
    /// it) is read, into [`Parsed::findings`], instead of being kept: memory then stays bounded
    /// by the findings, not by the number of attempts.
    pub classify: Option<Arc<crate::diagnose::Options>>,
    /// When set, a content met a second time is not read again (see [`contents`]).
    pub contents: Option<Arc<contents::Contents>>,
}

impl IngestContext {
    pub fn new(now: Timestamp) -> Self {
        IngestContext {
            year: None,
            now,
            limits: archive::Limits::default(),
            certs: Arc::default(),
            classify: None,
            progress: Arc::default(),
            contents: None,
        }
    }

    /// Count `bytes` of `src` as read. Only top-level files count (archive entries are counted by
    /// their archive's size): a parser whose format [`Format::reports_progress`] calls this as it
    /// goes, for every byte of the source exactly once; other formats are counted when done.
    pub fn advance(&self, src: &Source<'_>, bytes: u64) {
        if src.depth == 0 {
            self.progress.fetch_add(bytes, Ordering::Relaxed);
        }
    }
}

/// The bytes of one input with where they came from.
pub struct Source<'a> {
    /// Display path; inside archives `outer.tar.gz!/dir/file`.
    pub path: String,
    pub data: &'a [u8],
    /// Modification time (of the file, or of the archive entry): anchors syslog years.
    pub mtime: Option<Timestamp>,
    /// How deep inside archives this source sits (0 for a plain file).
    pub depth: u32,
}

/// A certificate and where it was seen (a file, or a frame of a capture).
#[derive(Clone, Debug)]
pub struct CertSeen {
    pub cert: Arc<CertSummary>,
    pub evidence: crate::observe::Evidence,
}

/// What a parser produced from one source.
#[derive(Debug, Default)]
pub struct Parsed {
    pub inputs: Vec<InputStatus>,
    pub attempts: Vec<Attempt>,
    pub handshakes: Vec<Handshake>,
    pub facts: Vec<Fact>,
    pub certificates: Vec<CertSeen>,
    /// Attempts already judged and folded (see [`IngestContext::classify`]), in input order.
    pub findings: Vec<crate::diagnose::Finding>,
    /// Places not read because an earlier place held the same bytes.
    pub duplicates: Vec<contents::Duplicate>,
}

impl Parsed {
    pub fn extend(&mut self, other: Parsed) {
        self.inputs.extend(other.inputs);
        self.attempts.extend(other.attempts);
        self.handshakes.extend(other.handshakes);
        self.facts.extend(other.facts);
        self.certificates.extend(other.certificates);
        self.findings.extend(other.findings);
        self.duplicates.extend(other.duplicates);
    }
    /// A result that only reports the input's status.
    pub fn status(path: &str, format: Format, status: Status, message: Option<String>, bytes: u64) -> Parsed {
        Parsed {
            inputs: vec![InputStatus { path: path.to_string(), format, status, message, bytes }],
            ..Default::default()
        }
    }
}

/// Parse one source, whatever it is; archives recurse into their entries.
pub fn ingest(src: &Source<'_>, ctx: &IngestContext) -> Parsed {
    let format = sniff(&src.path, src.data);
    let len = src.data.len() as u64;
    if let Some(contents::Verdict::Duplicate(dup)) = ctx.contents.as_ref().map(|c| c.judge(src, format)) {
        let why = contents::message(&dup);
        let mut out = Parsed::status(&src.path, format, Status::Skipped, Some(why), len);
        out.duplicates.push(dup);
        return out;
    }
    let mut out = match format {
        Format::Gzip | Format::Tar => return archive::ingest(src, format, ctx),
        Format::Syslog => crate::logs::syslog::parse(src, ctx),
        Format::TlsProxyLog => crate::logs::tls_proxy::parse(src, ctx),
        Format::FailedPush => crate::logs::failed_push::parse(src, ctx),
        Format::Excerpt | Format::TunnelStatus => crate::logs::excerpt::parse(src, format, ctx),
        Format::SftunnelConf | Format::ImsConf | Format::PeerJson => crate::logs::conf::parse(src, format, ctx),
        Format::Pcap | Format::Pcapng => crate::capture::parse(src, format, ctx),
        Format::Pem | Format::Der => crate::x509::files::parse(src, format, ctx),
        Format::Empty => Parsed::status(&src.path, format, Status::Skipped, Some("empty file".into()), 0),
        Format::Unknown => {
            Parsed::status(&src.path, format, Status::Skipped, Some("not a format tlstriage reads".into()), len)
        }
    };
    if out.inputs.is_empty() {
        out.inputs.push(InputStatus { path: src.path.clone(), format, status: Status::Ok, message: None, bytes: len });
    }
    if matches!(format, Format::Syslog | Format::TlsProxyLog | Format::Excerpt | Format::TunnelStatus) {
        note_cut_line(&mut out, src);
    }
    if let Some(opts) = &ctx.classify {
        if !out.attempts.is_empty() {
            let attempts = std::mem::take(&mut out.attempts);
            out.findings.extend(crate::diagnose::judge_attempts(&attempts, opts));
        }
    }
    out
}

/// Devices end every log line with a newline: a log whose last line has none was cut off (a copy
/// taken while it was written, a truncated transfer). Its status says so; the line still counts.
fn note_cut_line(out: &mut Parsed, src: &Source<'_>) {
    let skipped = out.inputs.iter().any(|i| i.path == src.path && i.status == Status::Skipped);
    if skipped || src.data.last().is_none_or(|&b| b == b'\n') {
        return;
    }
    let line = memchr::memchr_iter(b'\n', src.data).count() + 1;
    let why = format!("line {line}, the last, has no line end: the file looks cut off there");
    archive::mark(out, &src.path, Status::Partial, &why);
}
