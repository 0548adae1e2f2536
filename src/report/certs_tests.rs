//! Tests of the `certs` view: order, wording of days left, both layouts.

use std::sync::Arc;

use super::*;
use crate::model::CertSummary;

fn entry(subject: &str, issuer: &str, not_after: &str, is_ca: bool, seen: &[&str]) -> CertEntry {
    let cert = CertSummary {
        subject: subject.into(),
        issuer: issuer.into(),
        serial: "0a:1b".into(),
        not_before: "2020-01-01T00:00:00Z".parse().expect("time"),
        not_after: not_after.parse().expect("time"),
        is_ca,
        self_signed: subject == issuer,
        key: "EC P-256".into(),
        signature_algorithm: "ecdsa-with-SHA256".into(),
        san: Vec::new(),
        sha256: crate::model::Sha256::from_hex(&format!("{:0<64}", subject.len())),
        public_key_sha256: None,
        der: Arc::from(&[][..]),
    };
    let seen = seen
        .iter()
        .map(|p| match p.split_once(':') {
            Some((path, line)) => Evidence { line: line.parse().ok(), ..Evidence::file(path) },
            None => Evidence::file(p),
        })
        .collect();
    CertEntry { cert: Arc::new(cert), seen, role: Default::default() }
}

fn report() -> Report {
    Report {
        now: Some("2025-06-15T12:00:00Z".parse().expect("time")),
        certificates: vec![
            CertEntry {
                role: crate::model::CertRole {
                    place: crate::model::Place::Backup,
                    purpose: Some(crate::model::Purpose::SftunnelCa),
                },
                ..entry("/CN=Root", "/CN=Root", "2030-01-01T00:00:00Z", true, &["ca.pem:1"])
            },
            entry("/CN=fmc", "/CN=Root", "2025-06-03T00:00:00Z", false, &["a.pem:5", "b.pcap", "c.der"]),
            entry("/CN=ftd", "/CN=Root", "2025-06-20T12:00:00Z", false, &[]),
        ],
        ..Default::default()
    }
}

#[test]
fn wide_table_sorted_by_expiry() {
    let want = "\
┌──────────┬────────┬─────────────────────┬─────────────────────┬─────────────────────┬───────────────────┬─────────────────────┬────────┬───────────────────┐
│ Subject  ┆ Serial ┆ Not before          ┆ Not after           ┆ Expiry              ┆ SHA-256           ┆ Role                ┆ System ┆ Found in          │
╞══════════╪════════╪═════════════════════╪═════════════════════╪═════════════════════╪═══════════════════╪═════════════════════╪════════╪═══════════════════╡
│ /CN=fmc  ┆ 0a:1b  ┆ 2020-01-01 00:00:00 ┆ 2025-06-03 00:00:00 ┆ expired 12 days ago ┆ 7000000000000000… ┆ leaf                ┆ -      ┆ a.pem:5 (+2 more) │
│ /CN=ftd  ┆ 0a:1b  ┆ 2020-01-01 00:00:00 ┆ 2025-06-20 12:00:00 ┆ in 5 days           ┆ 7000000000000000… ┆ leaf                ┆ -      ┆ -                 │
│ /CN=Root ┆ 0a:1b  ┆ 2020-01-01 00:00:00 ┆ 2030-01-01 00:00:00 ┆ in 1,660 days       ┆ 8000000000000000… ┆ backup, sftunnel CA ┆ -      ┆ ca.pem:1          │
└──────────┴────────┴─────────────────────┴─────────────────────┴─────────────────────┴───────────────────┴─────────────────────┴────────┴───────────────────┘
3 certificates
";
    assert_eq!(render(&report(), &Layout::plain(160)), want);
    assert_eq!(render(&Report::default(), &Layout::plain(80)), "No certificates found.\n");
}

#[test]
fn narrow_blocks_fit_the_width() {
    let text = render(&report(), &Layout::plain(60));
    assert!(text.starts_with(
        "/CN=fmc\n    serial 0a:1b, SHA-256 7000000000000000…\n    valid 2020-01-01 00:00:00 to 2025-06-03 00:00:00,\n      expired 12 days ago\n"
    ));
    assert!(text.lines().all(|l| wrap::width(l) <= 60), "{text}");
    assert!(text.contains("/CN=Root (CA) [backup, sftunnel CA]\n"), "{text}");
}

#[test]
fn days_wording() {
    let day = 86_400;
    let now: Timestamp = "2026-11-23T12:00:00Z".parse().unwrap();
    let text = |secs_left: i64| expiry_text(Timestamp::from_second(now.as_second() + secs_left).unwrap(), now);
    assert_eq!(text(30 * day + 5), "in 30 days");
    assert_eq!(text(day), "in 1 day");
    assert_eq!(text(10), "expires today");
    assert_eq!(text(-3_600), "expired today");
    assert_eq!(text(-day - 5), "expired 1 day ago");
    assert_eq!(text(-258 * day - 7), "expired 258 days ago");
    assert_eq!(text(2_551 * day + 1), "in 2,551 days");
    assert_eq!(thousands(1_234_567), "1,234,567");
    assert_eq!(thousands(999), "999");
}
