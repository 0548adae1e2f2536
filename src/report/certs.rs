//! The `tlstriage certs` view: every certificate found, the one expiring first on top.

use std::fmt::Write;

use comfy_table::Cell;
use jiff::Timestamp;

use crate::analyze::{CertEntry, Report};
use crate::util::printable;

/// `12`, `0`, `expired today`, `expired 1 day ago`, `expired 12 days ago`.
fn days_text(days_left: i64, expired_secs: i64) -> String {
    if days_left >= 0 {
        return days_left.to_string();
    }
    match expired_secs.div_euclid(86_400) {
        0 => "expired today".into(),
        1 => "expired 1 day ago".into(),
        n => format!("expired {n} days ago"),
    }
}

fn found_in(e: &CertEntry) -> String {
    match e.seen.split_first() {
        None => "-".into(),
        Some((first, [])) => printable(&first.location()).into_owned(),
        Some((first, rest)) => format!("{} (+{} more)", printable(&first.location()), rest.len()),
    }
}

/// Render the certificate list for people. `width` fixes the table width (tests).
pub fn render(report: &Report, width: Option<u16>) -> String {
    if report.certificates.is_empty() {
        return "No certificates found.\n".into();
    }
    let now = report.now.unwrap_or_else(Timestamp::now);
    let mut rows: Vec<(&CertEntry, i64)> = report.certificates.iter().map(|e| (e, e.cert.days_left(now))).collect();
    rows.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cert.subject.cmp(&b.0.cert.subject)));
    let mut t = super::new_table(width);
    t.set_header(vec!["Subject", "Issuer", "Not after", "Days left", "CA", "Found in"]);
    for (e, days) in rows {
        let c = &e.cert;
        let expired_secs = now.as_second() - c.not_after.as_second();
        t.add_row(vec![
            Cell::new(printable(&c.subject)),
            Cell::new(printable(&c.issuer)),
            Cell::new(c.not_after.strftime("%Y-%m-%d %H:%M:%S")),
            Cell::new(days_text(days, expired_secs)),
            Cell::new(if c.is_ca { "yes" } else { "no" }),
            Cell::new(found_in(e)),
        ]);
    }
    let mut out = String::new();
    let _ = writeln!(out, "{t}");
    let _ = writeln!(out, "{} certificate(s)", report.certificates.len());
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::observe::Evidence;
    use crate::x509::CertSummary;

    fn entry(subject: &str, issuer: &str, not_after: &str, is_ca: bool, seen: &[&str]) -> CertEntry {
        let cert = CertSummary {
            subject: subject.into(),
            issuer: issuer.into(),
            serial: "01".into(),
            not_before: "2020-01-01T00:00:00Z".parse().expect("time"),
            not_after: not_after.parse().expect("time"),
            is_ca,
            self_signed: subject == issuer,
            key: "EC P-256".into(),
            signature_algorithm: "ecdsa-with-SHA256".into(),
            san: Vec::new(),
            sha256: subject.into(),
            public_key_sha256: String::new(),
            der: Arc::from(&[][..]),
        };
        let seen = seen
            .iter()
            .map(|p| match p.split_once(':') {
                Some((path, line)) => Evidence { line: line.parse().ok(), ..Evidence::file(path) },
                None => Evidence::file(p),
            })
            .collect();
        CertEntry { cert: Arc::new(cert), seen }
    }

    #[test]
    fn sorted_by_days_left() {
        let report = Report {
            now: Some("2025-06-15T12:00:00Z".parse().expect("time")),
            certificates: vec![
                entry("/CN=Root", "/CN=Root", "2030-01-01T00:00:00Z", true, &["ca.pem:1"]),
                entry("/CN=fmc", "/CN=Root", "2025-06-03T00:00:00Z", false, &["a.pem:5", "b.pcap", "c.der"]),
                entry("/CN=ftd", "/CN=Root", "2025-06-20T12:00:00Z", false, &[]),
            ],
            ..Default::default()
        };
        let want = "\
┌──────────┬──────────┬─────────────────────┬─────────────────────┬─────┬───────────────────┐
│ Subject  ┆ Issuer   ┆ Not after           ┆ Days left           ┆ CA  ┆ Found in          │
╞══════════╪══════════╪═════════════════════╪═════════════════════╪═════╪═══════════════════╡
│ /CN=fmc  ┆ /CN=Root ┆ 2025-06-03 00:00:00 ┆ expired 12 days ago ┆ no  ┆ a.pem:5 (+2 more) │
│ /CN=ftd  ┆ /CN=Root ┆ 2025-06-20 12:00:00 ┆ 5                   ┆ no  ┆ -                 │
│ /CN=Root ┆ /CN=Root ┆ 2030-01-01 00:00:00 ┆ 1660                ┆ yes ┆ ca.pem:1          │
└──────────┴──────────┴─────────────────────┴─────────────────────┴─────┴───────────────────┘
3 certificate(s)
";
        assert_eq!(render(&report, Some(96)), want);
        let empty = Report::default();
        assert_eq!(render(&empty, Some(80)), "No certificates found.\n");
    }

    #[test]
    fn days_wording() {
        assert_eq!(days_text(30, -30 * 86_400), "30");
        assert_eq!(days_text(0, -10), "0");
        assert_eq!(days_text(-1, 3_600), "expired today");
        assert_eq!(days_text(-2, 86_400 + 5), "expired 1 day ago");
        assert_eq!(days_text(-13, 12 * 86_400 + 7), "expired 12 days ago");
    }
}
