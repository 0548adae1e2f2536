//! What the `openssl` command line prints about a certificate, read back: a certificate as
//! `openssl x509 -text` prints it, distinguished names as OpenSSL writes them on one line (3.0
//! and 1.1: `CN = fmc, O = "Example, Inc."`; 1.0: `CN=fmc, O=Example, Inc.` or `/CN=fmc/O=...`),
//! and its dates (`Oct 14 12:00:00 2024 GMT`).
//!
//! A printed certificate has no DER: its summary carries no fingerprint (unless the paste shows
//! one that `-fingerprint -sha256` printed) and no signature check (`self_signed` stays false).

use std::sync::Arc;

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::model::{CertSummary, Sha256};

/// The time of an OpenSSL date: `Oct 14 12:00:00 2024 GMT` (`Mar  1 ...` with a padded day).
pub(crate) fn time(text: &str) -> Option<Timestamp> {
    let mut words = text.split_whitespace();
    let month = super::syslog_header::month_of(words.next()?.as_bytes())?;
    let day: i8 = words.next()?.parse().ok()?;
    let mut hms = words.next()?.split(':').map(|p| p.parse::<i8>().ok());
    let (h, mi, s) = (hms.next()??, hms.next()??, hms.next()??);
    let year: i16 = words.next()?.parse().ok()?;
    if words.next() != Some("GMT") || words.next().is_some() {
        return None;
    }
    let dt = DateTime::new(year, month, day, h, mi, s.min(59), 0).ok()?;
    dt.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp())
}

/// A distinguished name in the one-line form devices log (`/title=InternalCA/CN=...`), from any
/// of the forms OpenSSL prints.
pub(crate) fn one_line(text: &str) -> String {
    let text = text.trim();
    if text.starts_with('/') {
        return text.to_string();
    }
    let mut out = String::new();
    for attr in attributes(text) {
        let Some((name, value)) = attr.split_once('=') else { continue };
        let value = value.trim();
        let value = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value);
        out.push('/');
        out.push_str(name.trim());
        out.push('=');
        out.push_str(&value.replace("\\,", ","));
    }
    out
}

/// The `name=value` pieces of a name: split at `, ` only where an attribute name and `=` follow
/// (1.0 prints `O=Example, Inc.` unquoted) and never inside quotes.
fn attributes(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quoted) = (0, false);
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted && i > 0 && bytes[i - 1] != b'\\' && starts_attribute(&text[i + 1..]) => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

/// Whether `rest` starts with ` name=` or ` name =`.
fn starts_attribute(rest: &str) -> bool {
    let rest = rest.trim_start();
    let name_len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.')).unwrap_or(rest.len());
    name_len > 0 && rest[name_len..].trim_start().starts_with('=')
}

/// The certificate a `Certificate:` block prints (`lines`, its first line included), with
/// `fingerprint` when the paste shows its SHA-256 one.
pub(crate) fn certificate(lines: &[&str], fingerprint: Option<Sha256>) -> Result<CertSummary, String> {
    let mut f = Fields::default();
    let mut next_is: Option<&str> = None;
    for line in lines {
        let l = line.trim();
        if let Some(field) = next_is.take() {
            match field {
                "serial" => f.serial = Some(l.trim_end_matches(':').to_ascii_lowercase()),
                "ca" => f.is_ca = l.starts_with("CA:TRUE"),
                _ => f.san = l.split(", ").map(|e| e.replacen("IP Address:", "IP:", 1)).collect(),
            }
            continue;
        }
        if let Some(v) = l.strip_prefix("Serial Number:") {
            match serial_inline(v) {
                Some(s) => f.serial = Some(s),
                None => next_is = Some("serial"),
            }
        } else if let Some(v) = l.strip_prefix("Signature Algorithm:") {
            f.signature.get_or_insert_with(|| v.trim().to_string());
        } else if let Some(v) = l.strip_prefix("Issuer:") {
            f.issuer = Some(one_line(v));
        } else if let Some(v) = l.strip_prefix("Subject:") {
            f.subject = Some(one_line(v));
        } else if let Some(v) = l.strip_prefix("Not Before:") {
            f.not_before = time(v);
        } else if let Some(v) = l.strip_prefix("Not After :").or_else(|| l.strip_prefix("Not After:")) {
            f.not_after = time(v);
        } else if let Some(v) = l.strip_prefix("Public Key Algorithm:") {
            f.key_algorithm = Some(v.trim().to_string());
        } else if let Some(bits) = key_bits(l) {
            f.bits = Some(bits);
        } else if let Some(v) = l.strip_prefix("NIST CURVE:") {
            f.curve = Some(v.trim().to_string());
        } else if let Some(v) = l.strip_prefix("ASN1 OID:") {
            f.curve.get_or_insert_with(|| curve_of(v.trim()));
        } else if l.starts_with("X509v3 Basic Constraints:") {
            next_is = Some("ca");
        } else if l.starts_with("X509v3 Subject Alternative Name:") {
            next_is = Some("san");
        }
    }
    let missing = |what: &str| format!("`Certificate:` block without {what}");
    Ok(CertSummary {
        subject: f.subject.ok_or_else(|| missing("a Subject"))?,
        issuer: f.issuer.ok_or_else(|| missing("an Issuer"))?,
        serial: f.serial.unwrap_or_default(),
        not_before: f.not_before.ok_or_else(|| missing("a readable Not Before"))?,
        not_after: f.not_after.ok_or_else(|| missing("a readable Not After"))?,
        is_ca: f.is_ca,
        self_signed: false,
        key: key_name(f.key_algorithm.as_deref(), f.bits, f.curve),
        signature_algorithm: f.signature.unwrap_or_default(),
        san: f.san,
        sha256: fingerprint,
        public_key_sha256: None,
        der: Arc::from(Vec::new()),
    })
}

/// What a `Certificate:` block says.
#[derive(Default)]
struct Fields {
    subject: Option<String>,
    issuer: Option<String>,
    serial: Option<String>,
    not_before: Option<Timestamp>,
    not_after: Option<Timestamp>,
    is_ca: bool,
    signature: Option<String>,
    key_algorithm: Option<String>,
    bits: Option<u32>,
    curve: Option<String>,
    san: Vec<String>,
}

/// `4097 (0x1001)` → `10:01`, the hex-with-colons form of longer serials.
fn serial_inline(v: &str) -> Option<String> {
    let hex = v.split("(0x").nth(1)?.strip_suffix(')')?;
    let padded = if hex.len() % 2 == 1 { format!("0{hex}") } else { hex.to_string() };
    let pairs: Vec<&str> = (0..padded.len()).step_by(2).filter_map(|i| padded.get(i..i + 2)).collect();
    Some(pairs.join(":").to_ascii_lowercase())
}

/// `Public-Key: (2048 bit)` (3.0), `RSA Public-Key: (2048 bit)` (1.1), `RSA Public Key: (1024
/// bit)` (0.9.8) → 2048.
fn key_bits(l: &str) -> Option<u32> {
    let rest = ["Public-Key: (", "RSA Public-Key: (", "RSA Public Key: (", "EC Public-Key: ("]
        .iter()
        .find_map(|p| l.strip_prefix(p))?;
    rest.strip_suffix(" bit)")?.parse().ok()
}

/// The NIST name of a curve OpenSSL names by its ASN.1 name.
fn curve_of(asn1: &str) -> String {
    match asn1 {
        "prime256v1" => "P-256".into(),
        "secp384r1" => "P-384".into(),
        "secp521r1" => "P-521".into(),
        other => other.into(),
    }
}

/// `RSA 2048`, `EC P-256`, `Ed25519` (as the DER reader names keys), else what was printed.
fn key_name(algorithm: Option<&str>, bits: Option<u32>, curve: Option<String>) -> String {
    match (algorithm, bits, curve) {
        (Some("rsaEncryption" | "rsassaPss"), Some(b), _) => format!("RSA {b}"),
        (Some("id-ecPublicKey"), _, Some(c)) => format!("EC {c}"),
        (Some("ED25519"), _, _) => "Ed25519".into(),
        (Some("ED448"), _, _) => "Ed448".into(),
        (Some(a), Some(b), _) => format!("{a} {b}"),
        (Some(a), None, _) => a.into(),
        (None, _, _) => String::new(),
    }
}
