//! Handshake views: the summary block under the findings table (counts per outcome and per
//! server) and the `tlstriage handshakes` listing, one handshake per line.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::analyze::Report;
use crate::observe::Handshake;
use crate::util::printable;

/// Counts per outcome and per server; empty when the inputs held no capture.
pub fn summary(r: &Report) -> String {
    if r.handshakes.is_empty() {
        return String::new();
    }
    let mut per_outcome: BTreeMap<&str, usize> = BTreeMap::new();
    let mut per_server: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for h in &r.handshakes {
        *per_outcome.entry(h.outcome.as_str()).or_default() += 1;
        *per_server.entry(&h.server).or_default().entry(h.outcome.as_str()).or_default() += 1;
    }
    let mut out = String::new();
    let counts: Vec<String> = per_outcome.iter().map(|(k, v)| format!("{v} {k}")).collect();
    let _ = writeln!(out, "\nHandshakes: {} ({})", r.handshakes.len(), counts.join(", "));
    for (server, m) in per_server {
        let counts: Vec<String> = m.iter().map(|(k, v)| format!("{v} {k}")).collect();
        let _ = writeln!(out, "  {:<28} {}", printable(server), counts.join(", "));
    }
    out
}

fn alerts(h: &Handshake) -> String {
    let v: Vec<String> =
        h.alerts.iter().map(|a| format!("{}:{} {}", a.from.as_str(), a.level, a.description)).collect();
    if v.is_empty() {
        "-".into()
    } else {
        v.join("; ")
    }
}

fn frames(h: &Handshake) -> String {
    let mut v: Vec<u64> = h.evidence.iter().filter_map(|e| e.frame).collect();
    v.sort_unstable();
    v.dedup();
    match (v.first(), v.last()) {
        (Some(a), Some(b)) if a == b => format!("#{a}"),
        (Some(a), Some(b)) => format!("#{a}-{b}"),
        _ => "-".into(),
    }
}

/// One line per handshake.
pub fn render(r: &Report, width: Option<u16>) -> String {
    if r.handshakes.is_empty() {
        return "No TLS handshakes in the inputs.\n".into();
    }
    let mut t = super::new_table(width);
    t.set_header(vec![
        "Client",
        "Server",
        "SNI",
        "Version",
        "Cipher suite",
        "Outcome",
        "Alerts",
        "Certs",
        "File",
        "Frames",
    ]);
    for h in &r.handshakes {
        t.add_row(vec![
            printable(&h.client).into_owned(),
            printable(&h.server).into_owned(),
            h.sni.as_deref().map_or("-".into(), |s| printable(s).into_owned()),
            h.version.map(|v| v.to_string()).unwrap_or_else(|| "-".into()),
            h.cipher_suite.map(|c| c.to_string()).unwrap_or_else(|| "-".into()),
            h.outcome.as_str().to_string(),
            alerts(h),
            h.certificates.len().to_string(),
            h.evidence.first().map(|e| printable(&e.path).into_owned()).unwrap_or_default(),
            frames(h),
        ]);
    }
    format!("{t}\n{}", summary(r))
}
