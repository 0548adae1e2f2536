//! The `tlstriage certs` view: every certificate found, the one expiring first on top, with
//! serial, validity, days left, SHA-256 prefix, where it was found and whose bundle holds it.
//! A table from 160 columns on, one block per certificate below; `--format json` prints the
//! rows as a stable array (docs/json.md).

use std::fmt::Write;

use jiff::Timestamp;
use serde::Serialize;

use super::names::Names;
use super::term::Layout;
use super::wrap;
use crate::analyze::Report;
use crate::model::Evidence;
use crate::model::{CertEntry, CertRole, Sha256};
use crate::systems::System;
use crate::util::printable;

/// Hex digits of the SHA-256 fingerprint the views show (the JSON has all of it).
const SHA_PREFIX: usize = 16;

/// One certificate as `certs` shows it (the elements of `certs --format json`).
#[derive(Debug, Serialize)]
pub struct CertRow<'a> {
    pub subject: &'a str,
    pub issuer: &'a str,
    pub serial: &'a str,
    pub not_before: Timestamp,
    pub not_after: Timestamp,
    /// Whole days from `now` to notAfter, negative once expired.
    pub days_left: i64,
    /// The same in words: `expired 258 days ago`, `expires today`, `in 2,551 days`.
    pub expiry: String,
    /// `None` for a certificate known only from its printed text (no DER, no fingerprint).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<Sha256>,
    pub is_ca: bool,
    pub self_signed: bool,
    pub key: &'a str,
    pub signature_algorithm: &'a str,
    pub san: &'a [String],
    /// Its role (`place`: live, backup, pushed-copy, trust-store; `purpose` when the public record
    /// names what the file is for): a backup or a trust-store certificate gives no finding of its own.
    pub role: CertRole,
    /// The id of the system it belongs to (see [`system_of`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<&'a str>,
    pub found_in: &'a [Evidence],
}

/// `1234567` → `1,234,567`.
fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

/// Days left in words (`in 2,551 days`, `expired 258 days ago`), the number being [`days_left`](crate::model::days_left).
pub fn expiry_text(not_after: Timestamp, now: Timestamp) -> String {
    let days = |n: i64| if n == 1 { "1 day".to_string() } else { format!("{} days", thousands(n)) };
    // The number is `days_left`'s, the one every view shows.
    match (crate::model::days_left(not_after, now), not_after < now) {
        (0, true) => "expired today".into(),
        (0, false) => "expires today".into(),
        (n, true) => format!("expired {} ago", days(-n)),
        (n, false) => format!("in {}", days(n)),
    }
}

/// The rows of `report`, expiring first on top.
pub fn rows<'a>(report: &'a Report, names: &'a Names) -> Vec<CertRow<'a>> {
    let now = report.now.unwrap_or_else(Timestamp::now);
    let mut rows: Vec<CertRow> = report.certificates.iter().map(|e| row(e, now, names, &report.systems)).collect();
    rows.sort_by(|a, b| a.not_after.cmp(&b.not_after).then_with(|| a.subject.cmp(b.subject)));
    rows
}

/// The system a certificate belongs to: the one whose current or previous InternalCA it is, else
/// the one whose inputs hold it; without systems, the device whose bundle holds it.
fn system_of<'a>(e: &'a CertEntry, names: &'a Names, systems: &'a [System]) -> Option<&'a str> {
    let sha = e.cert.sha256;
    let is_ca = |s: &&System| {
        sha.is_some() && [&s.internal_ca, &s.previous_ca].iter().any(|c| c.as_ref().and_then(|c| c.sha256) == sha)
    };
    let holds =
        |s: &&System| e.seen.iter().any(|seen| s.inputs.iter().any(|i| i == crate::systems::outer_path(&seen.path)));
    systems
        .iter()
        .find(is_ca)
        .or_else(|| systems.iter().find(holds))
        .map(|s| s.id.as_str())
        .or_else(|| e.seen.iter().find_map(|s| names.system_of(&s.path)))
}

fn row<'a>(e: &'a CertEntry, now: Timestamp, names: &'a Names, systems: &'a [System]) -> CertRow<'a> {
    let c = &e.cert;
    CertRow {
        subject: &c.subject,
        issuer: &c.issuer,
        serial: &c.serial,
        not_before: c.not_before,
        not_after: c.not_after,
        days_left: c.days_left(now),
        expiry: expiry_text(c.not_after, now),
        sha256: c.sha256,
        is_ca: c.is_ca,
        self_signed: c.self_signed,
        key: &c.key,
        signature_algorithm: &c.signature_algorithm,
        san: &c.san,
        role: e.role,
        system: system_of(e, names, systems),
        found_in: &e.seen,
    }
}

fn found_in(seen: &[Evidence]) -> String {
    match seen.split_first() {
        None => "-".into(),
        Some((first, [])) => printable(&first.location()).into_owned(),
        Some((first, rest)) => format!("{} (+{} more)", printable(&first.location()), rest.len()),
    }
}

fn day(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M:%S").to_string()
}

/// The first hex digits of a fingerprint; `none` for a certificate known only from its text.
fn sha_prefix(sha: Option<Sha256>) -> String {
    let Some(sha) = sha else { return "none".into() };
    let sha = sha.to_hex();
    sha.get(..SHA_PREFIX).map_or_else(|| sha.clone(), |p| format!("{p}…"))
}

/// `certs --format table`: the certificate list for people.
pub struct CertsTable<'a>(pub &'a super::View<'a>);

impl super::Exporter for CertsTable<'_> {
    fn write(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        write_table(self.0, out)
    }
}

/// `certs --format json`: the certificate list as a JSON array.
pub struct CertsJson<'a>(pub &'a super::View<'a>);

impl super::Exporter for CertsJson<'_> {
    fn write(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        write_json(self.0, out)
    }
}

/// Write the certificate list for people.
fn write_table(view: &super::View, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(render(view.report, &view.layout).as_bytes())
}

/// Write the certificate list as a JSON array.
fn write_json(view: &super::View, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let names = Names::of(view.report);
    super::json_array::write_document(out, &rows(view.report, &names))
}

/// The certificate list for people.
fn render(report: &Report, layout: &Layout) -> String {
    if report.certificates.is_empty() {
        return "No certificates found.\n".into();
    }
    let names = Names::of(report);
    let rows = rows(report, &names);
    let mut out = String::new();
    let header = ["Subject", "Serial", "Not before", "Not after", "Expiry", "SHA-256", "Role", "System", "Found in"];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                printable(r.subject).into_owned(),
                printable(r.serial).into_owned(),
                day(r.not_before),
                day(r.not_after),
                r.expiry.clone(),
                sha_prefix(r.sha256),
                role_cell(r),
                r.system.map_or_else(|| "-".into(), |s| printable(s).into_owned()),
                found_in(r.found_in),
            ]
        })
        .collect();
    // A table from 160 columns on when every column can hold its longest word; else a list.
    let table = if layout.lists_wide() { super::fit::table(&header, &cells, layout) } else { None };
    if let Some(t) = table {
        let _ = writeln!(out, "{t}");
    } else {
        for r in &rows {
            block(&mut out, r, layout.width);
        }
    }
    let _ = writeln!(out, "{}", crate::wording::counted(rows.len() as u64, "certificate"));
    out
}

/// Its role when it is not simply a live file (`backup, sftunnel CA`, `trust store`), else `CA` or
/// `leaf` (the narrow layout and the JSON say both).
fn role_cell(r: &CertRow) -> String {
    r.role.label().unwrap_or_else(|| (if r.is_ca { "CA" } else { "leaf" }).to_string())
}

/// One certificate of the narrow layout.
fn block(out: &mut String, r: &CertRow, w: usize) {
    let ca = if r.is_ca { " (CA)" } else { "" };
    let role = r.role.label().map(|l| format!(" [{l}]")).unwrap_or_default();
    out.push_str(&wrap::fill(&format!("{}{ca}{role}", printable(r.subject)), w, "", "    "));
    let lines = [
        match r.sha256 {
            Some(_) => format!("serial {}, SHA-256 {}", printable(r.serial), sha_prefix(r.sha256)),
            None => format!("serial {}, no SHA-256 (known from printed text, no DER)", printable(r.serial)),
        },
        format!("valid {} to {}, {}", day(r.not_before), day(r.not_after), r.expiry),
        format!("issuer {}", printable(r.issuer)),
        match r.system {
            Some(s) => format!("at {} (bundle of {})", found_in(r.found_in), printable(s)),
            None => format!("at {}", found_in(r.found_in)),
        },
    ];
    for l in lines {
        out.push_str(&wrap::fill(&l, w, "    ", "      "));
    }
    out.push('\n');
}

#[cfg(test)]
#[path = "certs_tests.rs"]
mod tests;
