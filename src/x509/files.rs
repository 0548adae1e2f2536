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
use crate::model::{CertSeen, Format, IngestContext, InputStatus, Parsed, Source, Status};

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

/// PEM labels that hold a certificate.
fn is_cert_label(label: &str) -> bool {
    matches!(label, "CERTIFICATE" | "TRUSTED CERTIFICATE" | "X509 CERTIFICATE")
}

/// Parse a PEM or DER file into certificate / key facts.
pub fn parse(src: &Source<'_>, format: Format, ctx: &IngestContext) -> Parsed {
    match format {
        Format::Der => parse_der(src, ctx),
        _ => parse_pem(src, format, ctx),
    }
}

fn parse_der(src: &Source<'_>, ctx: &IngestContext) -> Parsed {
    let len = src.data.len() as u64;
    match ctx.certs.get_or_parse(src.data) {
        Ok(cert) => {
            let evidence = Evidence::file(&src.path);
            let mut out = Parsed::status(&src.path, Format::Der, Status::Ok, None, len);
            out.certificates.push(CertSeen { cert: cert.clone(), evidence: evidence.clone() });
            out.facts.push(Fact::CertFile { evidence, certs: vec![cert] });
            out
        }
        Err(e) => Parsed::status(&src.path, Format::Der, Status::Error, Some(e.to_string()), len),
    }
}

/// What reading the blocks of one PEM file gave.
#[derive(Default)]
struct PemRead {
    out: Parsed,
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
                self.out.certificates.push(CertSeen { cert: cert.clone(), evidence });
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
            Ok(key) => self.out.facts.push(Fact::KeyFile { evidence, key }),
            Err(e) => self.problems.push(format!("line {}: {} block: {e}", block.line, block.label)),
        }
    }
}

fn parse_pem(src: &Source<'_>, format: Format, ctx: &IngestContext) -> Parsed {
    let (blocks, more) = pem::blocks(src.data);
    let mut r = PemRead::default();
    for block in &blocks {
        if is_cert_label(&block.label) {
            match block.decode() {
                Ok(der) => r.cert(&src.path, block.line, &block.label, &der, ctx),
                Err(e) => r.problems.push(format!("line {}: {} block: {e}", block.line, block.label)),
            }
        } else if keys::is_key_label(&block.label) {
            r.key(&src.path, block);
        } else {
            r.skipped.push(format!("{} at line {}", block.label, block.line));
        }
    }
    if more {
        r.problems.push(format!("only the first {} PEM blocks were read", pem::MAX_BLOCKS));
    }
    let found = !r.certs.is_empty() || r.out.facts.iter().any(|f| matches!(f, Fact::KeyFile { .. }));
    if !r.certs.is_empty() {
        let evidence = Evidence::file(&src.path);
        r.out.facts.insert(0, Fact::CertFile { evidence, certs: std::mem::take(&mut r.certs) });
    }
    let status = match (found, r.problems.is_empty()) {
        (true, true) => Status::Ok,
        (true, false) => Status::Partial,
        (false, false) => Status::Error,
        (false, true) => Status::Skipped,
    };
    let mut notes = r.problems;
    if !r.skipped.is_empty() {
        let shown = r.skipped.len().min(MAX_NOTES);
        let mut text = format!("skipped {}", r.skipped.get(..shown).unwrap_or(&[]).join(", "));
        if r.skipped.len() > shown {
            let _ = write!(text, " and {} more blocks", r.skipped.len() - shown);
        }
        notes.push(text);
    }
    if !found && notes.is_empty() {
        notes.push("no certificate or private key block".into());
    }
    let message = summarize_notes(notes);
    r.out.inputs.push(InputStatus { path: src.path.clone(), format, status, message, bytes: src.data.len() as u64 });
    r.out
}

fn summarize_notes(mut notes: Vec<String>) -> Option<String> {
    if notes.len() > MAX_NOTES {
        let more = notes.len() - MAX_NOTES;
        notes.truncate(MAX_NOTES);
        notes.push(format!("and {more} more"));
    }
    (!notes.is_empty()).then(|| notes.join("; "))
}
