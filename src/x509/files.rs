//! Certificate and key files: PEM (several blocks per file) and DER.
//!
//! Certificates become a `CertFile` fact plus one [`CertSeen`] each; private keys become a
//! `KeyFile` fact that only says which algorithm and which public key they imply.

use std::fmt::Write;
use std::sync::Arc;

use super::{der, keys, pem};
use crate::model::CertSummary;
use crate::model::Evidence;
use crate::model::Fact;
use crate::model::{CertSeen, Head, IngestContext, LineKind, ReadStatus, Sink, Source, Status};

/// Problems listed in an input's message; the rest are counted.
const MAX_NOTES: usize = 5;

/// Whether `data` is framed like one DER certificate and nothing else: a SEQUENCE spanning all
/// of it that holds a to-be-signed SEQUENCE, an algorithm SEQUENCE and a BIT STRING signature,
/// the first starting with a certificate's `[0]` version or serial (a CRL's starts otherwise).
/// Only the framing is read: the certificate itself is parsed once, by the reader.
pub fn looks_like_der(data: &[u8]) -> bool {
    if data.first() != Some(&0x30) || der::element_len(data) != Some(data.len()) {
        return false;
    }
    let Some(body) = der::contents(data) else { return false };
    let Some((tbs, rest)) = der::split_first(body, 0x30) else { return false };
    let Some((_alg, rest)) = der::split_first(rest, 0x30) else { return false };
    let Some((_sig, rest)) = der::split_first(rest, 0x03) else { return false };
    if !rest.is_empty() {
        return false;
    }
    match der::contents(tbs).and_then(|c| c.first()) {
        Some(0xa0) => true,
        // A version 1 certificate: serial, algorithm, issuer, then the validity SEQUENCE where a
        // CRL has a time.
        Some(0x02) => der::contents(tbs)
            .and_then(|c| der::split_first(c, 0x02))
            .and_then(|(_, r)| der::split_first(r, 0x30))
            .and_then(|(_, r)| der::split_first(r, 0x30))
            .is_some_and(|(_, r)| r.first() == Some(&0x30)),
        _ => false,
    }
}

/// Whether the input is one DER certificate (held whole: the framing spans all of it).
pub fn sniff_der(head: &Head<'_>) -> bool {
    head.bytes.first() == Some(&0x30) && head.all.is_some_and(looks_like_der)
}

/// Whether the input is a PEM file: a `-----BEGIN ` line, preceded only by lines that are not
/// log lines (what OpenSSL prints before the armour: `Bag Attributes`, `subject=`, the `-text`
/// dump, an `s_client` transcript). A log that carries a PEM block somewhere stays a log.
pub fn sniff_pem(head: &Head<'_>) -> bool {
    if memchr::memmem::find(head.bytes, b"-----BEGIN ").is_none() {
        return false;
    }
    for line in head.text().lines() {
        if line.starts_with("-----BEGIN ") {
            return true;
        }
        if head.line_kind(line).is_some_and(|k| k != LineKind::Excerpt) {
            return false;
        }
    }
    false
}

/// PEM labels that hold a certificate.
fn is_cert_label(label: &str) -> bool {
    matches!(label, "CERTIFICATE" | "TRUSTED CERTIFICATE" | "X509 CERTIFICATE")
}

/// A DER certificate file: the certificate and a `CertFile` fact go to `sink`.
pub fn parse_der(src: &mut Source<'_>, ctx: &IngestContext, sink: &mut dyn Sink) -> ReadStatus {
    let whole = match src.whole_or_status(ctx.limits.max_whole) {
        Ok(w) => w,
        Err(status) => return status,
    };
    match ctx.certs.get_or_parse(&whole.bytes) {
        Ok(cert) => {
            let evidence = Evidence::file(&src.path);
            sink.certificate(CertSeen { cert: cert.clone(), evidence: evidence.clone() });
            sink.fact(Fact::CertFile { evidence, certs: vec![cert] });
            ReadStatus::ok()
        }
        Err(e) => ReadStatus::new(Status::Error, e.to_string()),
    }
}

/// What reading the blocks of one PEM text gave (nothing is handed on before the end: the
/// file's `CertFile` fact, made of all its certificates, comes before its key facts).
#[derive(Default)]
struct PemRead {
    seen: Vec<CertSeen>,
    keys: Vec<Fact>,
    certs: Vec<Arc<CertSummary>>,
    problems: Vec<String>,
    skipped: Vec<String>,
}

impl PemRead {
    fn cert(&mut self, path: &str, line: u64, label: &str, der: &[u8], ctx: &IngestContext) {
        // A TRUSTED CERTIFICATE carries OpenSSL trust settings after the certificate itself.
        let der = match label {
            "TRUSTED CERTIFICATE" => der::element_len(der).and_then(|n| der.get(..n)).unwrap_or(der),
            _ => der,
        };
        match ctx.certs.get_or_parse(der) {
            Ok(cert) => {
                let evidence = Evidence { path: path.to_string(), line: Some(line), ..Default::default() };
                self.seen.push(CertSeen { cert: cert.clone(), evidence });
                self.certs.push(cert);
            }
            Err(e) => self.problems.push(format!("line {line}: {label} block: {e}")),
        }
    }

    fn key(&mut self, path: &str, block: &pem::Block<'_>) {
        let evidence = Evidence { path: path.to_string(), line: Some(block.line), ..Default::default() };
        let summary = if block.label == "ENCRYPTED PRIVATE KEY" || block.has_headers {
            Ok(keys::encrypted())
        } else {
            match block.decode() {
                Ok(der) => keys::summarize_key(&block.label, &der).map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            }
        };
        match summary {
            Ok(key) => self.keys.push(Fact::KeyFile { evidence, key }),
            Err(e) => self.problems.push(format!("line {}: {} block: {e}", block.line, block.label)),
        }
    }
}

/// A PEM file: certificates, a `CertFile` fact and key facts go to `sink`.
pub fn parse_pem(src: &mut Source<'_>, ctx: &IngestContext, sink: &mut dyn Sink) -> ReadStatus {
    let whole = match src.whole_or_status(ctx.limits.max_whole) {
        Ok(w) => w,
        Err(status) => return status,
    };
    let mut found = read_pem(&src.path, &whole.bytes, ctx, sink);
    found.problems.extend(whole.cut_note());
    let status = match (found.certs + found.keys > 0, found.problems.is_empty()) {
        (true, true) => Status::Ok,
        (true, false) => Status::Partial,
        (false, false) => Status::Error,
        (false, true) => Status::Skipped,
    };
    let mut notes = found.problems;
    if !found.skipped.is_empty() {
        let shown = found.skipped.len().min(MAX_NOTES);
        let mut text = format!("skipped {}", found.skipped.get(..shown).unwrap_or(&[]).join(", "));
        if found.skipped.len() > shown {
            let _ = write!(text, " and {} more blocks", found.skipped.len() - shown);
        }
        notes.push(text);
    }
    if found.certs + found.keys == 0 && notes.is_empty() {
        notes.push("no certificate or private key block".into());
    }
    ReadStatus::new(status, summarize_notes(notes))
}

/// What the PEM blocks of a text held.
#[derive(Debug, Default)]
pub struct PemFound {
    pub certs: usize,
    pub keys: usize,
    /// Blocks that could not be read, with their line.
    pub problems: Vec<String>,
    /// Blocks of other labels, with their line.
    pub skipped: Vec<String>,
}

/// Read the PEM blocks of `data`, the text of the input at `path` (a PEM file, or a text that
/// carries PEM blocks among other lines): each certificate, the file's `CertFile` fact and each
/// key fact go to `sink`.
pub fn read_pem(path: &str, data: &[u8], ctx: &IngestContext, sink: &mut dyn Sink) -> PemFound {
    let (blocks, more) = pem::blocks(data);
    let mut r = PemRead::default();
    for block in &blocks {
        if is_cert_label(&block.label) {
            match block.decode() {
                Ok(der) => r.cert(path, block.line, &block.label, &der, ctx),
                Err(e) => r.problems.push(format!("line {}: {} block: {e}", block.line, block.label)),
            }
        } else if keys::is_key_label(&block.label) {
            r.key(path, block);
        } else {
            r.skipped.push(format!("{} at line {}", block.label, block.line));
        }
    }
    if more {
        r.problems.push(format!("only the first {} PEM blocks were read", pem::MAX_BLOCKS));
    }
    let found = PemFound { certs: r.certs.len(), keys: r.keys.len(), problems: r.problems, skipped: r.skipped };
    for seen in r.seen {
        sink.certificate(seen);
    }
    if !r.certs.is_empty() {
        sink.fact(Fact::CertFile { evidence: Evidence::file(path), certs: r.certs });
    }
    for key in r.keys {
        sink.fact(key);
    }
    found
}

fn summarize_notes(mut notes: Vec<String>) -> Option<String> {
    if notes.len() > MAX_NOTES {
        let more = notes.len() - MAX_NOTES;
        notes.truncate(MAX_NOTES);
        notes.push(format!("and {more} more"));
    }
    (!notes.is_empty()).then(|| notes.join("; "))
}
