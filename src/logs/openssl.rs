//! What people paste from the `openssl` command line: `s_client` transcripts (`depth=1 ...`,
//! `verify error:num=10:certificate has expired`, `Verify return code: 19 (...)`), `verify` runs
//! (`error 10 at 1 depth lookup: certificate has expired`, `cert.pem: OK`), certificates printed
//! by `x509 -text`, and `x509 -dates` / `-enddate` lines, in the shapes of OpenSSL 1.0 to 3.x.
//!
//! A verify error is judged like a log line: each `s_client` transcript and each failed `verify`
//! run becomes an attempt whose verifier is the client, with one `VerifyError` event per error
//! (the server is the `-connect` target of a pasted command line, when there is one). A
//! certificate printed by `x509 -text` is judged like a certificate file: it becomes a
//! `CertFile` fact of a summary read from the text ([`super::openssl_text`]; no DER, so no
//! fingerprint). PEM blocks (the server certificate of `s_client`, the end of `x509 -text`) are
//! read as the PEM reader reads them; a printed certificate followed by its PEM block is the
//! block's. `notBefore=` / `notAfter=` lines name no certificate: the status says what they say.

use std::sync::LazyLock;

use regex::Regex;

use super::openssl_text::{certificate, one_line, time};
use super::text::{cap, lines, EVIDENCE_CAP};
use crate::codes::VerifyCode;
use crate::model::{Attempt, Context, Endpoint, Event, Evidence, Fact, Role, Sha256};
use crate::model::{Head, IngestContext, ReadStatus, Sink, Source, Status};

static DEPTH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^depth=(\d{1,3}) (.*)$").expect("depth regex"));
static VERIFY_ERROR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^verify error:num=(\d{1,4}):").expect("verify error regex"));
static RETURN_CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*Verify return code: (\d{1,4}) \(").expect("return code regex"));
static LOOKUP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^error (\d{1,4}) at (\d{1,3}) depth lookup: ?").expect("lookup regex"));
static DATES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(notBefore|notAfter)=(\w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} GMT)$").expect("dates regex")
});
static CONNECT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"openssl s_client .*-connect[ =](\S+)").expect("connect regex"));
static PROMPT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\[?[\w.-]+@([\w.-]+)[^#$]*[#$]\s*openssl ").expect("prompt regex"));
static FINGERPRINT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:sha256) Fingerprint=([0-9A-Fa-f:]{95})$").expect("fingerprint regex"));

/// Whether a line is one only the `openssl` command line prints.
fn is_marker(line: &str, next: Option<&str>) -> bool {
    DEPTH.is_match(line)
        || VERIFY_ERROR.is_match(line)
        || RETURN_CODE.is_match(line)
        || LOOKUP.is_match(line)
        || DATES.is_match(line)
        || (line == "Certificate:" && next.is_some_and(|n| n.trim() == "Data:"))
}

/// Whether the head is `openssl` output: one of its own lines, and no log line (a case note
/// with sftunneld lines is an excerpt, whatever else it holds) or status output.
pub fn sniff(head: &Head<'_>) -> bool {
    let text = head.text();
    let mut lines = text.lines().take(Head::COUNTED).peekable();
    let mut found = false;
    while let Some(line) = lines.next() {
        if is_marker(line.trim_end(), lines.peek().copied()) {
            found = true;
            break;
        }
    }
    found && head.line_counts().any() == 0 && !super::tunnel_status::looks_like(text)
}

/// Read `openssl` output: attempts, printed certificates and PEM blocks go to `sink`.
pub fn parse(src: &mut Source<'_>, ctx: &IngestContext, sink: &mut dyn Sink) -> ReadStatus {
    let whole = match src.whole_or_status(ctx.limits.max_whole) {
        Ok(w) => w,
        Err(status) => return status,
    };
    let text = String::from_utf8_lossy(&whole.bytes);
    let all: Vec<(u64, String)> =
        lines(text.as_bytes()).map(|(n, l)| (n, String::from_utf8_lossy(l).trim_end().to_string())).collect();
    let mut r = Reading::new(&src.path, sink);
    let mut i = 0;
    while i < all.len() {
        i = r.line(&all, i);
    }
    r.end();
    let pem = crate::x509::files::read_pem(&src.path, &whole.bytes, ctx, r.sink);
    let read = [
        (r.transcripts, "s_client transcript"),
        (r.runs, "verify run"),
        (r.printed, "certificate printed by x509 -text (no DER: no fingerprint, no signature check)"),
        (pem.certs as u64, "certificate in PEM"),
    ];
    let mut parts: Vec<String> =
        read.iter().filter(|(n, _)| *n > 0).map(|(n, what)| crate::wording::counted(*n, what)).collect();
    let problems = r.problems.len() + pem.problems.len();
    parts.extend(r.problems);
    parts.extend(pem.problems);
    parts.extend(r.notes);
    parts.extend(whole.cut_note());
    let status = if problems == 0 && !whole.cut { Status::Ok } else { Status::Partial };
    ReadStatus::new(status, (!parts.is_empty()).then(|| format!("openssl output: {}", parts.join("; "))))
}

/// What is being read: an `s_client` transcript or a `verify` run.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Run {
    Transcript,
    Verify,
}

/// The state of reading one paste.
struct Reading<'r> {
    path: &'r str,
    sink: &'r mut dyn Sink,
    /// The transcript or run being read, with its attempt.
    open: Option<(Run, Attempt)>,
    /// Depth and subject of the last `depth=` line.
    depth: Option<(u32, String)>,
    /// The `-connect` target and the prompt's host of the last pasted command line.
    target: Option<String>,
    device: Option<String>,
    /// A SHA-256 fingerprint printed before the next certificate.
    fingerprint: Option<Sha256>,
    transcripts: u64,
    runs: u64,
    printed: u64,
    problems: Vec<String>,
    notes: Vec<String>,
}

impl<'r> Reading<'r> {
    fn new(path: &'r str, sink: &'r mut dyn Sink) -> Self {
        Reading {
            path,
            sink,
            open: None,
            depth: None,
            target: None,
            device: None,
            fingerprint: None,
            transcripts: 0,
            runs: 0,
            printed: 0,
            problems: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Read line `i` of `all` (and the lines that belong to it): the index of the next line.
    fn line(&mut self, all: &[(u64, String)], i: usize) -> usize {
        let (no, line) = (all[i].0, all[i].1.as_str());
        let next = all.get(i + 1).map(|(_, l)| l.as_str());
        let ev = || Evidence::line(self.path, no, None, cap(line, EVIDENCE_CAP));
        if line.contains("openssl ") && ["s_client", "verify", "x509"].iter().any(|c| line.contains(c)) {
            self.end();
            self.target = CONNECT.captures(line).map(|c| c[1].to_string());
            self.device = PROMPT.captures(line).map(|c| c[1].to_string());
        } else if line.starts_with("CONNECTED(") {
            self.open(Run::Transcript);
        } else if let Some(c) = DEPTH.captures(line) {
            self.open(Run::Transcript);
            self.depth = c[1].parse().ok().map(|d| (d, one_line(&c[2])));
        } else if let Some(c) = VERIFY_ERROR.captures(line) {
            let (depth, subject) = self.depth.clone().unzip();
            self.error(Run::Transcript, &c[1], depth, subject, ev());
        } else if let Some(c) = RETURN_CODE.captures(line) {
            // The verdict says no more than the errors before it, unless those were not pasted.
            let told = self.open.as_ref().is_some_and(|(_, a)| !a.events.is_empty());
            if &c[1] != "0" && !told {
                self.error(Run::Transcript, &c[1], None, None, ev());
            }
            self.end();
        } else if let Some(c) = LOOKUP.captures(line) {
            // `verify` names the certificate on the line before (1.0: after the file name).
            let before = i.checked_sub(1).map(|p| all[p].1.as_str()).unwrap_or("");
            let named = before.split_once(": ").map_or(before, |(_, dn)| dn);
            let subject = named.contains('=').then(|| one_line(named));
            self.error(Run::Verify, &c[1], c[2].parse().ok(), subject, ev());
        } else if (line.starts_with("error ") && line.ends_with(": verification failed")) || line.ends_with(": OK") {
            // The last line of a `verify` run (of one that printed nothing else, when `: OK`).
            self.open(Run::Verify);
            self.end();
        } else if let Some(c) = DATES.captures(line) {
            self.dates(no, &c[1], &c[2]);
        } else if let Some(c) = FINGERPRINT.captures(line) {
            self.fingerprint = Sha256::from_hex(&c[1].replace(':', ""));
        } else if line == "Certificate:" && next.is_some_and(|n| n.trim() == "Data:") {
            return self.printed(all, i);
        }
        i + 1
    }

    /// Make sure a run of `kind` is open (a run of the other kind ends).
    fn open(&mut self, kind: Run) {
        if self.open.as_ref().is_some_and(|(k, _)| *k != kind) {
            self.end();
        }
        if self.open.is_none() {
            let port = self.target.as_deref().and_then(|t| t.rsplit_once(':')).map(|(_, p)| p);
            let sftunnel = kind == Run::Transcript && port == Some("8305");
            let attempt = Attempt {
                context: if sftunnel { Context::Sftunnel } else { Context::Generic },
                observer: Some(Role::Client),
                device: self.device.clone(),
                server: self
                    .target
                    .as_deref()
                    .filter(|_| kind == Run::Transcript)
                    .map(|t| Endpoint::named(&host_of(t))),
                ..Default::default()
            };
            self.open = Some((kind, attempt));
        }
    }

    /// A verify error of code `code` in a run of `kind`.
    fn error(&mut self, kind: Run, code: &str, depth: Option<u32>, subject: Option<String>, ev: Evidence) {
        self.open(kind);
        let Ok(code) = code.parse() else { return };
        let event = Event::VerifyError { by: Role::Client, code: VerifyCode(code), depth, subject, issuer: None };
        if let Some((_, a)) = self.open.as_mut() {
            a.push(event, ev);
        }
    }

    /// The transcript or run being read is over: its attempt goes to the sink when it holds errors.
    fn end(&mut self) {
        if let Some((kind, attempt)) = self.open.take() {
            match kind {
                Run::Transcript => self.transcripts += 1,
                Run::Verify => self.runs += 1,
            }
            if !attempt.events.is_empty() {
                self.sink.attempt(attempt);
            }
        }
        self.depth = None;
    }

    /// A `notBefore=` / `notAfter=` line: in a transcript it is the date of the certificate of the
    /// `depth=` line before; else it names no certificate, and the status says what it says.
    fn dates(&mut self, no: u64, which: &str, date: &str) {
        if self.open.as_ref().is_some_and(|(k, _)| *k == Run::Transcript) {
            return;
        }
        let readable = if time(date).is_some() { "" } else { " (not a date)" };
        self.notes.push(format!("line {no}: {which}={date}{readable} of a certificate the output does not name"));
    }

    /// The `Certificate:` block at `i`, printed by `x509 -text`: the index after it.
    fn printed(&mut self, all: &[(u64, String)], i: usize) -> usize {
        let mut end = i + 1;
        while end < all.len() && (all[end].1.starts_with(' ') || all[end].1.starts_with('\t')) {
            end += 1;
        }
        let block: Vec<&str> = all[i..end].iter().map(|(_, l)| l.as_str()).collect();
        let fingerprint = self.fingerprint.take();
        // Its PEM block right after it is the certificate itself, read with its DER.
        let pem_follows =
            all[end..].iter().find(|(_, l)| !l.is_empty()).is_some_and(|(_, l)| l.starts_with("-----BEGIN "));
        if pem_follows {
            return end;
        }
        match certificate(&block, fingerprint) {
            Ok(cert) => {
                self.printed += 1;
                // The evidence is the line naming the certificate.
                let (no, named) = all[i..end]
                    .iter()
                    .find(|(_, l)| l.trim_start().starts_with("Subject:"))
                    .map_or((all[i].0, ""), |(n, l)| (*n, l.trim()));
                let evidence = Evidence::line(self.path, no, None, cap(named, EVIDENCE_CAP));
                self.sink.fact(Fact::CertFile { evidence, certs: vec![std::sync::Arc::new(cert)] });
            }
            Err(why) => self.problems.push(format!("line {}: {why}", all[i].0)),
        }
        end
    }
}

/// The host of a `-connect` target (`host:port`, `[v6]:port`).
fn host_of(target: &str) -> String {
    super::sftunneld::ip_of(target)
        .map(|ip| ip.to_string())
        .unwrap_or_else(|| target.rsplit_once(':').map_or(target, |(h, _)| h).to_string())
}
