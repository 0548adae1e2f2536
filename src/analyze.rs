//! The pipeline: discover inputs, ingest them in parallel, classify, attach remediation.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use jiff::Timestamp;
use rayon::prelude::*;

use crate::diagnose;
use crate::input::contents::Contents;
use crate::input::{self, Discovered};
use crate::model::Handshake;
use crate::model::{CertEntry, CertSummary};
use crate::model::{CertSeen, Format, IngestContext, InputStatus, Parsed, Source, Status};
use crate::model::{DeviceInfo, DisplayPath, Duplicate, Fact};
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
    /// What standard input held, read as the input of each path `-` (named `stdin`); `None`
    /// when no path is `-`.
    pub stdin: Option<Arc<[u8]>>,
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

    /// Inputs read (fully or up to a problem).
    pub fn read_count(&self) -> usize {
        self.input_counts().read
    }

    /// How the inputs went, counted the one way every view shows.
    pub fn input_counts(&self) -> crate::model::InputCounts {
        crate::model::InputCounts::of(&self.inputs, &self.duplicates)
    }

    /// Inputs that gave nothing: skipped as unknown, empty, or not readable at all.
    pub fn unread(&self) -> impl Iterator<Item = &InputStatus> {
        self.inputs.iter().filter(|i| matches!(i.status, Status::Skipped | Status::Error))
    }
}

/// Files up to this size are read into memory; bigger ones are mapped.
const READ_LIMIT: u64 = 128 << 10;

fn shorter(len: u64) -> String {
    format!("the file became shorter while it was read (was {len} bytes); what was lost reads as nothing")
}

/// Read one file from disk (read into memory when small, else memory-mapped) and ingest it.
pub fn ingest_file(path: &std::path::Path, ctx: &IngestContext) -> Parsed {
    let display = DisplayPath::of_file(path);
    let file = match input::open_regular(path) {
        Ok(f) => f,
        Err(input::OpenError::NotRegular(what)) => {
            return Parsed::status(&display, Format::Unknown, Status::Skipped, Some(format!("{what}: not read")), 0)
        }
        Err(input::OpenError::Io(e)) => {
            return Parsed::status(
                &display,
                Format::Unknown,
                Status::Error,
                Some(format!("cannot open: {}", crate::util::os_error::words(&e))),
                0,
            )
        }
    };
    let meta = file.metadata().ok();
    let mtime = meta.as_ref().and_then(|m| m.modified().ok()).and_then(|t| Timestamp::try_from(t).ok());
    let len = meta.as_ref().map_or(0, |m| m.len());
    if len == 0 {
        return input::ingest(&Source { path: display, data: &[], mtime, depth: 0 }, ctx);
    }
    let run = |data: &[u8]| {
        let src = Source { path: display.clone(), data, mtime, depth: 0 };
        let parsed = input::ingest(&src, ctx);
        if !input::sniff(&src.path, data).reports_progress() {
            ctx.advance(&src, data.len() as u64);
        }
        parsed
    };
    if len <= READ_LIMIT {
        // Small: one read into memory costs less than mapping, faulting and unmapping.
        let mut buf = Vec::with_capacity(len as usize);
        return match std::io::Read::read_to_end(&mut std::io::Read::take(&file, len), &mut buf) {
            Ok(_) => {
                let mut parsed = run(&buf);
                if (buf.len() as u64) < len {
                    input::archive::mark(&mut parsed, &display, Status::Partial, &shorter(len));
                }
                parsed
            }
            Err(e) => Parsed::status(
                &display,
                Format::Unknown,
                Status::Error,
                Some(format!("cannot read: {}", crate::util::os_error::words(&e))),
                len,
            ),
        };
    }
    // SAFETY: the map is read-only and lives for this call. A file truncated meanwhile by another
    // process would raise SIGBUS on the lost pages: the guard answers with zero pages and says so
    // (`util::sigbus`), and the input is reported as cut.
    match unsafe { memmap2::Mmap::map(&file) } {
        Ok(map) => {
            let map = Arc::new(map);
            let guard = crate::util::sigbus::guard(&map);
            // Parsers may hand back the pages they have passed (see `util::mapped`).
            let registered = crate::util::mapped::register(map.clone());
            let mut parsed = run(&map);
            drop(registered);
            if guard.truncated() || std::fs::metadata(path).is_ok_and(|m| m.len() < len) {
                input::archive::mark(&mut parsed, &display, Status::Partial, &shorter(len));
            }
            parsed
        }
        Err(_) => match std::fs::read(path) {
            Ok(buf) => run(&buf),
            Err(e) => Parsed::status(
                &display,
                Format::Unknown,
                Status::Error,
                Some(format!("cannot read: {}", crate::util::os_error::words(&e))),
                len,
            ),
        },
    }
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
    let dopts = Arc::new(dopts);
    ctx.judge = Some(Arc::new(input::judging::Judging::new(Arc::clone(&dopts))));
    (ctx, dopts, anchor_inputs)
}

/// Analyse bytes held in memory (an object-store download, an upload) as if they were a file
/// named `name`: the same reading path as files and archive members, no temporary file.
/// `opts.paths` is ignored.
pub fn analyze_bytes(name: &str, data: &[u8], opts: &Options) -> Report {
    let (ctx, dopts, anchor_inputs) = prepare(opts);
    let src = Source { path: name.to_string(), data, mtime: None, depth: 0 };
    let mut all = input::ingest(&src, &ctx);
    let ca_errors = ca_errors(&anchor_inputs);
    all.inputs.extend(anchor_inputs);
    let mut report = classified(all, &dopts);
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
    let counters = Arc::new(progress::Counters { bytes: Arc::clone(&ctx.progress), ..Default::default() });
    let watcher = progress::Watcher::start(Arc::clone(&counters), total, found.len(), opts.progress);
    let read = |i: usize| {
        let _reading = contents.reading(i);
        let p = read_discovered(&found[i], &ctx, opts.stdin.as_deref());
        counters.inputs_done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        p
    };
    let mut parsed: Vec<Parsed> = (0..found.len()).into_par_iter().map(read).collect();
    // Inputs that read a content an earlier input also holds are read again, the claims now
    // settled: the result does not depend on which thread came first.
    let again: Vec<(usize, Parsed)> = contents.freeze().into_par_iter().map(|i| (i, read(i))).collect();
    for (i, p) in again {
        parsed[i] = p;
    }
    drop(watcher);
    let mut all = Parsed::default();
    for p in parsed {
        all.extend(p);
    }
    let ca_errors = ca_errors(&anchor_inputs);
    input::contents::settle(&mut all, &contents);
    all.inputs.extend(anchor_inputs);
    let mut report = classified(all, &dopts);
    report.ca_errors = ca_errors;
    report
}

/// Read one discovered path; `-` is what standard input held.
fn read_discovered(d: &Discovered, ctx: &IngestContext, stdin: Option<&[u8]>) -> Parsed {
    match d {
        Discovered::File(p) if input::is_stdin(p) => match stdin {
            Some(data) => input::ingest(&Source { path: "stdin".into(), data, mtime: None, depth: 0 }, ctx),
            None => Parsed::status("-", Format::Unknown, Status::Error, Some("standard input was not read".into()), 0),
        },
        Discovered::File(p) => ingest_file(p, ctx),
        Discovered::Error { path, message } => {
            Parsed::status(&DisplayPath::of_file(path), Format::Unknown, Status::Error, Some(message.clone()), 0)
        }
        Discovered::Skipped { path, message } => {
            Parsed::status(&DisplayPath::of_file(path), Format::Unknown, Status::Skipped, Some(message.clone()), 0)
        }
        Discovered::Same { path, first } => {
            let dup = Duplicate { path: DisplayPath::of_file(path), of: DisplayPath::of_file(first), id: None };
            let mut p = Parsed::status(&dup.path, Format::Unknown, Status::Skipped, None, 0);
            p.duplicates.push(dup);
            p
        }
    }
}

fn load_anchors(files: &[PathBuf], ctx: &IngestContext, inputs: &mut Vec<InputStatus>) -> Vec<Arc<CertSummary>> {
    let mut anchors = Vec::new();
    for f in files {
        let p = ingest_file(f, ctx);
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
    classified(all, &dopts)
}

/// Classify (the attempts left unjudged and the findings folded while reading) and attach the
/// remediation.
fn classified(mut all: Parsed, dopts: &diagnose::Options) -> Report {
    let now = dopts.now;
    let folded = input::judging::findings(std::mem::take(&mut all.judged));
    let mut findings = diagnose::classify_folded(folded, &all.attempts, &all.facts, dopts);
    let devices: Vec<DeviceInfo> = all
        .facts
        .iter()
        .filter_map(|f| match f {
            Fact::Device { device, .. } => Some(device.clone()),
            _ => None,
        })
        .collect();
    diagnose::rules::cipher_mismatch::note_server_suites(&mut findings, &all.handshakes);
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

/// Each certificate once, with the places it was seen and its role: the most live of its places
/// (a certificate seen on the wire is in use), the purpose the first place names.
fn dedup_certs(seen: Vec<CertSeen>, facts: &[Fact]) -> Vec<CertEntry> {
    let roles = crate::firepower::roles::Roles::of(facts);
    let mut by_fp: BTreeMap<crate::model::Sha256, CertEntry> = BTreeMap::new();
    let mut order = Vec::new();
    for s in seen {
        let mut role = roles.of_cert(&s.evidence.path, &s.cert);
        if s.evidence.frame.is_some() {
            role.place = crate::model::Place::Live;
        }
        let e = by_fp.entry(s.cert.sha256).or_insert_with(|| {
            order.push(s.cert.sha256);
            CertEntry { cert: s.cert.clone(), seen: Vec::new(), role }
        });
        e.role.place = e.role.place.min(role.place);
        e.role.purpose = e.role.purpose.or(role.purpose);
        if e.seen.len() < diagnose::MAX_EVIDENCE && !e.seen.contains(&s.evidence) {
            e.seen.push(s.evidence);
        }
    }
    order.into_iter().filter_map(|fp| by_fp.remove(&fp)).collect()
}
