//! The pipeline: discover inputs, ingest them in parallel, classify, attach remediation.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use jiff::Timestamp;
use rayon::prelude::*;

use crate::diagnose::{self, Finding};
use crate::input::contents::Contents;
use crate::input::file::MmapChoice;
use crate::input::judging::{Judged, Judging};
use crate::input::{self, Discovered};
use crate::model::Handshake;
use crate::model::{CertEntry, CertId, CertSummary};
use crate::model::{CertSeen, Format, IngestContext, InputStatus, Parsed, Sink, Source, Status};
use crate::model::{DeviceInfo, DisplayPath, Duplicate, Fact, LineOwners};
use crate::progress;
use crate::remedy;

/// Settings of one `analyze` run.
#[derive(Clone, Debug)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    pub year: Option<i16>,
    pub now: Timestamp,
    /// `--ca` files: extra trust anchors.
    pub ca_files: Vec<PathBuf>,
    pub limits: crate::model::Limits,
    /// Worker threads (`--threads`); `None` uses every core.
    pub threads: Option<usize>,
    /// Draw a progress bar on stderr on long runs.
    pub progress: bool,
    /// Whether files may be memory-mapped (the binary's `--mmap`; never by default).
    pub mmap: MmapChoice,
    /// Where the input of a path `-` (named `stdin`) comes from; `None` when no path is `-`.
    pub stdin: Option<StdinInput>,
}

/// Where the input `-` comes from.
#[derive(Clone, Debug)]
pub enum StdinInput {
    /// Bytes the caller holds (read as the input of each `-`).
    Held(Arc<[u8]>),
    /// The process's standard input, streamed by the first `-` in bounded memory (the binary).
    Process,
}

impl Options {
    pub fn new(paths: Vec<PathBuf>) -> Self {
        Options {
            paths,
            year: None,
            now: Timestamp::now(),
            ca_files: Vec::new(),
            limits: Default::default(),
            threads: None,
            progress: false,
            mmap: MmapChoice::Never,
            stdin: None,
        }
    }
}

/// Everything one run found.
#[derive(Debug, Default)]
pub struct Report {
    pub now: Option<Timestamp>,
    pub inputs: Vec<InputStatus>,
    pub handshakes: Vec<Handshake>,
    pub certificates: Vec<CertEntry>,
    pub facts: Vec<Fact>,
    pub devices: Vec<DeviceInfo>,
    /// The findings, each with its system and remediation.
    pub findings: Vec<remedy::Advised>,
    /// The evidence grouped by management domain (one FMC and its InternalCA each).
    pub systems: Vec<crate::systems::System>,
    /// `--ca` files that could not be used as trust anchors, each with why: the run is void.
    pub ca_errors: Vec<String>,
    /// Places not read because they held the same bytes as an earlier one.
    pub duplicates: Vec<Duplicate>,
}

impl Report {
    /// No input could be read as a format tlstriage knows (exit code 2): every one was missing,
    /// unreadable or skipped, or there was none.
    pub fn nothing_readable(&self) -> bool {
        self.read_count() == 0
    }

    /// Inputs were read but nothing in them could be judged (exit code 2, never "no problems"):
    /// every handshake they hold could not be (it began before the capture, cut frames hid it, or
    /// its end reads as a close as well as a refusal), no certificate or fact was read, and every
    /// finding says only that.
    pub fn nothing_judged(&self) -> bool {
        !self.nothing_readable()
            && !self.handshakes.is_empty()
            && self.handshakes.iter().all(|h| h.outcome.is_unjudged())
            && self.certificates.is_empty()
            && self.facts.is_empty()
            && self.findings.iter().all(|f| f.finding.kind == crate::diagnose::Kind::NotJudged)
    }

    /// Inputs read (fully or up to a problem).
    pub fn read_count(&self) -> usize {
        self.input_counts().read
    }

    /// How the inputs went, counted the one way every view shows.
    pub fn input_counts(&self) -> crate::model::InputCounts {
        crate::model::InputCounts::of(&self.inputs, &self.duplicates)
    }

    /// The inputs counted once as copies, each with the earlier place it was counted as (it held
    /// the same bytes): listed as skipped, counted under "counted once" and never as skipped in
    /// any view. A table, so that a run of many copies is not a square of comparisons.
    pub fn copies(&self) -> Copies<'_> {
        Copies(self.duplicates.iter().map(|d| (d.path.as_str(), d.of.as_str())).collect())
    }

    /// Inputs that gave nothing: skipped as unknown, empty, or not readable at all.
    pub fn unread(&self) -> impl Iterator<Item = &InputStatus> {
        self.inputs.iter().filter(|i| matches!(i.status, Status::Skipped | Status::Error))
    }
}

/// Read one file from disk, in chunks, into `sink`, its status lines too.
pub fn ingest_file(path: &std::path::Path, ctx: &IngestContext, sink: &mut dyn Sink) {
    input::file::read(path, ctx, sink, MmapChoice::Never).hand_to(sink);
}

/// Run the whole analysis (on `opts.threads` workers when set). The result does not depend on
/// the number of threads.
pub fn analyze(opts: &Options) -> Report {
    if let Some(n) = opts.threads {
        if let Ok(pool) = rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build() {
            return pool.install(|| analyze_here(opts));
        }
    }
    analyze_here(opts)
}

/// The reading context of a run, its classifier options, and the `--ca` files' statuses.
fn prepare(opts: &Options) -> (IngestContext, Arc<diagnose::Options>, Vec<InputStatus>) {
    let certs = Arc::new(crate::x509::CertCache::default());
    let mut ctx = IngestContext::new(opts.now, certs.clone());
    ctx.year = opts.year;
    ctx.limits = opts.limits.clone();
    // Trust anchors first: attempts are judged while the inputs are read.
    let mut anchor_inputs = Vec::new();
    let anchors = load_anchors(&opts.ca_files, &ctx, &mut anchor_inputs);
    // The progress bar counts the inputs only.
    ctx.progress.store(0, std::sync::atomic::Ordering::Relaxed);
    let mut dopts = diagnose::Options::new(opts.now);
    dopts.anchors = anchors;
    // The classifier checks signatures too: it shares the readers' cache.
    dopts.certs = certs;
    (ctx, Arc::new(dopts), anchor_inputs)
}

/// Analyse bytes held in memory (an object-store download, an upload) as if they were a file
/// named `name`: the same reading path as files and archive members, no temporary file.
/// `opts.paths` is ignored.
pub fn analyze_bytes(name: &str, data: &[u8], opts: &Options) -> Report {
    let (ctx, dopts, anchor_inputs) = prepare(opts);
    let mut sink = Judging::new(Arc::clone(&dopts));
    input::ingest(Source::new(name, data), &ctx, &mut sink);
    let Judged { mut parsed, findings } = sink.finish();
    let ca_errors = ca_errors(&anchor_inputs);
    parsed.inputs.extend(anchor_inputs);
    let mut report = classified(parsed, findings, &dopts);
    report.ca_errors = ca_errors;
    report
}

/// `path: why` for each `--ca` file that gave no trust anchor.
fn ca_errors(anchor_inputs: &[InputStatus]) -> Vec<String> {
    anchor_inputs.iter().map(|i| format!("{}: {}", i.path, i.message.as_deref().unwrap_or("not usable"))).collect()
}

fn analyze_here(opts: &Options) -> Report {
    let (mut ctx, dopts, anchor_inputs) = prepare(opts);
    let found = input::discover(&opts.paths);
    let files: Vec<_> = found
        .iter()
        .map(|d| match d {
            Discovered::File(p) if input::is_stdin(p) => None,
            Discovered::File(p) => {
                let len = std::fs::metadata(p).ok().map(|m| m.len());
                Some((p.clone(), DisplayPath::of_file(p), len))
            }
            _ => None,
        })
        .collect();
    let total: u64 = files.iter().flatten().filter_map(|(_, _, len)| *len).sum();
    let files = files.into_iter().map(|f| f.map(|(p, name, len)| (p, name, len.unwrap_or(u64::MAX)))).collect();
    let contents = Arc::new(Contents::new(files));
    ctx.contents = Some(contents.clone());
    if may_hold_copies(&found) {
        ctx.line_budget = Some(Arc::new(std::sync::atomic::AtomicU64::new(crate::model::LineKeys::RUN_BUDGET)));
    }
    let counters = Arc::new(progress::Counters { bytes: Arc::clone(&ctx.progress), ..Default::default() });
    let watcher = progress::Watcher::start(Arc::clone(&counters), total, found.len(), opts.progress);
    // Each input is read into a sink of its own, which judges its attempts as they come.
    let read = |i: usize| {
        let judged = judge_input(i, &found[i], &contents, &ctx, &dopts, opts);
        counters.inputs_done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        judged
    };
    let mut judged: Vec<Judged> = (0..found.len()).into_par_iter().map(read).collect();
    // Inputs that read a content an earlier input also holds are read again, the claims now
    // settled: the result does not depend on which thread came first.
    let again: Vec<(usize, Judged)> = contents.freeze().into_par_iter().map(|i| (i, read(i))).collect();
    for (i, j) in again {
        judged[i] = j;
    }
    // Attempts read at two places (a second bundle of the same device, a note quoting its log)
    // count once: the inputs that hold copies are read again, leaving them out (and recording
    // no line this time). The process's standard input was streamed once and cannot be read again: its attempts are
    // taken as read first, so that the copies are the other inputs'; one it still holds (a quote)
    // stays counted, and no attempt is lost.
    let streamed = |i: usize| {
        matches!(&found[i], Discovered::File(p) if input::is_stdin(p))
            && !matches!(opts.stdin, Some(StdinInput::Held(_)))
    };
    if let Some((owners, copies)) = line_owners(&mut judged, streamed) {
        ctx.line_owners = Some(Arc::new(owners));
        ctx.line_budget = None;
        let copies: Vec<usize> = copies.into_iter().filter(|&i| !streamed(i)).collect();
        let again: Vec<(usize, Judged)> =
            copies.into_par_iter().map(|i| (i, judge_input(i, &found[i], &contents, &ctx, &dopts, opts))).collect();
        for (i, j) in again {
            judged[i] = j;
        }
    }
    drop(watcher);
    let (mut all, mut folded) = (Parsed::default(), Vec::new());
    for j in judged {
        all.extend(j.parsed);
        folded.extend(j.findings);
    }
    let ca_errors = ca_errors(&anchor_inputs);
    input::contents::settle(&mut all, &contents);
    all.inputs.extend(anchor_inputs);
    let mut report = classified(all, folded, &dopts);
    report.ca_errors = ca_errors;
    report
}

/// Read the run's input number `i` into a sink of its own, which judges its attempts as they come.
fn judge_input(
    i: usize,
    d: &Discovered,
    contents: &Contents,
    ctx: &IngestContext,
    dopts: &Arc<diagnose::Options>,
    opts: &Options,
) -> Judged {
    let _reading = contents.reading(i);
    let mut sink = Judging::new(Arc::clone(dopts));
    read_discovered(d, ctx, &mut sink, opts);
    sink.finish()
}

/// Whether the same log lines can be read at two places: more than one input, or one tar
/// archive, gzipped or not (which may hold several logs). One plain or gzipped file records no
/// line hashes: it cannot hold a copy of another input's attempts (a copy inside it is
/// `input::distinct`'s own case).
fn may_hold_copies(found: &[Discovered]) -> bool {
    use std::io::Read;
    let tar = |head: &[u8]| head.get(257..262) == Some(b"ustar".as_slice());
    match found {
        [Discovered::File(p)] if !input::is_stdin(p) => {
            let mut head = Vec::with_capacity(262);
            let Ok(file) = std::fs::File::open(p) else { return false };
            let mut file = file.take(262);
            if file.read_to_end(&mut head).is_err() {
                return false;
            }
            if !head.starts_with(&[0x1f, 0x8b]) {
                return tar(&head);
            }
            // A gzip stream: whether what it holds starts as a tar does.
            let Ok(file) = std::fs::File::open(p) else { return false };
            let mut inflated = Vec::with_capacity(262);
            let _ = flate2::read::MultiGzDecoder::new(file).take(262).read_to_end(&mut inflated);
            tar(&inflated)
        }
        [_] | [] => false,
        _ => true,
    }
}

/// Who owns each log line of the run's first reading, and the inputs (by index) that hold an
/// attempt owned elsewhere; `None` when there is none. The line hashes are taken out of `judged`.
/// `first`: the inputs taken as read before all others (in the run's order otherwise).
fn line_owners(judged: &mut [Judged], first: impl Fn(usize) -> bool) -> Option<(LineOwners, Vec<usize>)> {
    let mut keys = Vec::new();
    let mut top_of = Vec::new();
    let order = (0..judged.len()).filter(|&i| first(i)).chain((0..judged.len()).filter(|&i| !first(i)));
    for i in order {
        for k in std::mem::take(&mut judged[i].parsed.line_keys) {
            keys.push(k);
            top_of.push(i);
        }
    }
    let owners = LineOwners::of(&keys)?;
    let holders: std::collections::HashSet<&str> = owners.holders_of_copies(&keys).into_iter().collect();
    let mut copies: Vec<usize> =
        keys.iter().zip(&top_of).filter(|(k, _)| holders.contains(k.path.as_str())).map(|(_, &i)| i).collect();
    copies.sort_unstable();
    copies.dedup();
    Some((owners, copies))
}

/// Read one discovered path into `sink`; `-` is standard input (streamed, or bytes the caller
/// holds; never mapped).
fn read_discovered(d: &Discovered, ctx: &IngestContext, sink: &mut dyn Sink, opts: &Options) {
    match d {
        Discovered::File(p) if input::is_stdin(p) => match &opts.stdin {
            Some(StdinInput::Held(data)) => input::ingest(Source::new(input::stdin::NAME, data), ctx, sink),
            Some(StdinInput::Process) => input::stdin::read_process_stdin(ctx, sink),
            None => sink.status(input::not_read(
                &DisplayPath::of_file(p),
                Status::Error,
                "standard input was not read".into(),
            )),
        },
        Discovered::File(p) => input::file::read(p, ctx, sink, opts.mmap).hand_to(sink),
        Discovered::Error { path, message } => {
            sink.status(input::not_read(&DisplayPath::of_file(path), Status::Error, message.clone()))
        }
        Discovered::Skipped { path, message } => {
            sink.status(input::not_read(&DisplayPath::of_file(path), Status::Skipped, message.clone()))
        }
        Discovered::Same { path, first } => {
            let dup = Duplicate { path: DisplayPath::of_file(path), of: DisplayPath::of_file(first), id: None };
            let mut status = input::not_read(&dup.path, Status::Skipped, String::new());
            status.message = None;
            sink.status(status);
            sink.duplicate(dup);
        }
    }
}

fn load_anchors(files: &[PathBuf], ctx: &IngestContext, inputs: &mut Vec<InputStatus>) -> Vec<Arc<CertSummary>> {
    let mut anchors = Vec::new();
    for f in files {
        let mut p = Parsed::default();
        ingest_file(f, ctx, &mut p);
        if p.certificates.is_empty() {
            // Say why: the reader's own error when there is one, else that no certificate was in it.
            let mut st = p.inputs.into_iter().next().unwrap_or_else(|| InputStatus {
                path: DisplayPath::of_file(f),
                format: Format::Unknown,
                status: Status::Error,
                message: None,
                bytes: 0,
            });
            // A file that cannot be opened or read is said so (`cannot open: no such file or
            // directory`); one that was read says it holds no certificate.
            let unopened =
                st.status == Status::Error && st.message.as_deref().is_some_and(|m| m.starts_with("cannot "));
            let why = st.message.take().map(|m| format!(": {m}")).unwrap_or_default();
            st.status = Status::Error;
            st.message = Some(match unopened {
                true => why.trim_start_matches(": ").to_string(),
                false => format!("--ca file holds no certificate{why}"),
            });
            inputs.push(st);
        }
        anchors.extend(p.certificates.into_iter().map(|c| c.cert));
    }
    anchors
}

/// Classify what was parsed and attach the remediation.
pub fn build_report(all: Parsed, anchors: Vec<Arc<CertSummary>>, now: Timestamp) -> Report {
    let mut dopts = diagnose::Options::new(now);
    dopts.anchors = anchors;
    classified(all, Vec::new(), &dopts)
}

/// Classify (the findings folded while reading, then the attempts kept unjudged) and attach the
/// remediation.
fn classified(all: Parsed, folded: Vec<Finding>, dopts: &diagnose::Options) -> Report {
    let now = dopts.now;
    let mut findings = diagnose::classify_folded(folded, &all.attempts, &all.facts, dopts);
    // A device is listed once however many of its bundles were read (the same identity file
    // in each); a device whose files differ between bundles (upgraded in between) shows both.
    let mut devices: Vec<DeviceInfo> = Vec::new();
    let mut listed = std::collections::HashSet::new();
    for f in &all.facts {
        if let Fact::Device { device, .. } = f {
            if listed.insert(device) {
                devices.push(device.clone());
            }
        }
    }
    diagnose::rules::cipher_mismatch::note_server_suites(&mut findings, &all.handshakes);
    // A refused ClientHello it names as a cipher mismatch changes kind: back in order.
    diagnose::order(&mut findings);
    let certificates = dedup_certs(all.certificates, &all.facts);
    // Each stage reads the one before and returns new values: the systems and which finding
    // belongs to which, then each finding with its system and remediation.
    let (systems, of) = crate::systems::build(&crate::systems::Inputs {
        facts: &all.facts,
        findings: &findings,
        handshakes: &all.handshakes,
        certificates: &certificates,
        now,
    });
    let findings = remedy::advise(findings, &systems, &of);
    Report {
        now: Some(now),
        inputs: all.inputs,
        handshakes: all.handshakes,
        certificates,
        facts: all.facts,
        devices,
        findings,
        systems,
        ca_errors: Vec::new(),
        duplicates: all.duplicates,
    }
}

/// Each certificate once (see `CertSummary::id`) in the order first seen, with the places it was
/// seen and its role: the most live of its places (a certificate seen on the wire is in use), the
/// purpose the first place names.
fn dedup_certs(seen: Vec<CertSeen>, facts: &[Fact]) -> Vec<CertEntry> {
    let roles = crate::firepower::roles::Roles::of(facts);
    let mut roles = roles.memo();
    let mut by_id: BTreeMap<CertId, CertEntry> = BTreeMap::new();
    let mut order = Vec::new();
    for s in seen {
        let mut role = roles.of_cert(&s.evidence.path, &s.cert);
        if s.evidence.frame.is_some() {
            role.place = crate::model::Place::Live;
        }
        let e = by_id.entry(s.cert.id()).or_insert_with(|| {
            order.push(s.cert.id());
            CertEntry { cert: s.cert.clone(), seen: Vec::new(), role }
        });
        e.role.place = e.role.place.min(role.place);
        e.role.purpose = e.role.purpose.or(role.purpose);
        if e.seen.len() < diagnose::MAX_EVIDENCE && !e.seen.contains(&s.evidence) {
            e.seen.push(s.evidence);
        }
    }
    order.into_iter().filter_map(|id| by_id.remove(&id)).collect()
}

/// The copies of a run ([`Report::copies`]).
pub struct Copies<'r>(std::collections::HashMap<&'r str, &'r str>);

impl Copies<'_> {
    /// The earlier place `input` was counted as, when it is a copy.
    pub fn of(&self, input: &InputStatus) -> Option<&str> {
        if input.status != Status::Skipped {
            return None;
        }
        self.0.get(input.path.as_str()).copied()
    }
}
