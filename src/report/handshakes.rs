//! Handshake views: the summary block under the findings table (counts per outcome and per
//! server) and the `tlstriage handshakes` listing with start time, duration and the device
//! names of both ends when an input names them; `--format json` prints its rows as an array.

use std::collections::BTreeMap;
use std::fmt::Write;

use jiff::Timestamp;
use serde::Serialize;

use super::names::Names;
use super::term::Layout;
use super::wrap;
use crate::analyze::Report;
use crate::model::Handshake;
use crate::util::printable;

/// One handshake as `handshakes` shows it (the elements of `handshakes --format json`): the
/// handshake object of the analyze document with the view's own fields first.
#[derive(Debug, Serialize)]
pub struct HandshakeRow<'a> {
    /// From the first to the last packet of the handshake, in microseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_us: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_name: Option<&'a str>,
    #[serde(flatten)]
    pub handshake: &'a Handshake,
}

/// The rows of `r`, in the order of the report.
pub fn rows<'a>(r: &'a Report, names: &'a Names) -> Vec<HandshakeRow<'a>> {
    r.handshakes
        .iter()
        .map(|h| HandshakeRow {
            duration_us: duration_us(h),
            client_name: names.ip(h.client.ip()),
            server_name: names.ip(h.server.ip()),
            handshake: h,
        })
        .collect()
}

fn duration_us(h: &Handshake) -> Option<i64> {
    let times = h.evidence.iter().filter_map(|e| e.time);
    let first = h.start.into_iter().chain(times.clone()).min()?;
    let last = times.max()?;
    Some(last.as_microsecond() - first.as_microsecond())
}

/// `927 µs`, `12.4 ms`, `3.20 s`.
pub fn duration_text(us: Option<i64>) -> String {
    match us {
        None => "-".into(),
        Some(us) if us < 1_000 => format!("{us} µs"),
        Some(us) if us < 1_000_000 => format!("{:.1} ms", us as f64 / 1e3),
        Some(us) => format!("{:.2} s", us as f64 / 1e6),
    }
}

/// Counts per outcome and per server; empty when the inputs held no capture.
pub fn summary(r: &Report) -> String {
    if r.handshakes.is_empty() {
        return String::new();
    }
    let mut per_outcome: BTreeMap<&str, usize> = BTreeMap::new();
    let mut per_server: BTreeMap<String, BTreeMap<&str, usize>> = BTreeMap::new();
    for h in &r.handshakes {
        *per_outcome.entry(h.outcome.as_str()).or_default() += 1;
        *per_server.entry(h.server.to_string()).or_default().entry(h.outcome.as_str()).or_default() += 1;
    }
    let mut out = String::new();
    let counts: Vec<String> = per_outcome.iter().map(|(k, v)| format!("{v} {k}")).collect();
    let _ = writeln!(out, "\nHandshakes: {} ({})", r.handshakes.len(), counts.join(", "));
    for (server, m) in per_server {
        let counts: Vec<String> = m.iter().map(|(k, v)| format!("{v} {k}")).collect();
        let _ = writeln!(out, "  {:<28} {}", printable(&server), counts.join(", "));
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

fn start(t: Option<Timestamp>) -> String {
    t.map_or_else(|| "-".into(), |t| t.strftime("%Y-%m-%d %H:%M:%S%.3f").to_string())
}

/// An endpoint with its device name: `ftd-branch-07 (192.168.45.10:8305)`.
fn named(endpoint: std::net::SocketAddr, name: Option<&str>) -> String {
    let endpoint = &endpoint.to_string();
    match name {
        Some(n) => format!("{} ({})", printable(n), printable(endpoint)),
        None => printable(endpoint).into_owned(),
    }
}

/// `handshakes --format table`: the handshakes for people.
pub struct HandshakesTable<'a>(pub &'a super::View<'a>);

impl super::Exporter for HandshakesTable<'_> {
    fn write(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        write_table(self.0, out)
    }
}

/// `handshakes --format json`: the handshakes as a JSON array.
pub struct HandshakesJson<'a>(pub &'a super::View<'a>);

impl super::Exporter for HandshakesJson<'_> {
    fn write(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        write_json(self.0, out)
    }
}

/// Write the `handshakes` listing for people.
fn write_table(view: &super::View, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(render(view.report, &view.layout).as_bytes())
}

/// Write the handshakes as a JSON array, streamed: a long list is rendered in parallel, window
/// by window.
fn write_json(view: &super::View, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let names = Names::of(view.report);
    super::json_array::write_document(out, &rows(view.report, &names))
}

/// The `handshakes` listing: a table from 160 columns on, one block per handshake below.
fn render(r: &Report, layout: &Layout) -> String {
    if r.handshakes.is_empty() {
        return "No TLS handshakes in the inputs.\n".into();
    }
    let names = Names::of(r);
    let rows = rows(r, &names);
    let mut out = String::new();
    // A table from 160 columns on when every column can hold its longest word; else a list.
    let table = if layout.lists_wide() { table(&rows, layout) } else { None };
    if let Some(t) = table {
        let _ = writeln!(out, "{t}");
    } else {
        for row in &rows {
            block(&mut out, row, layout.width);
        }
    }
    for line in summary(r).lines() {
        out.push_str(&wrap::fill(line, layout.width, "", "      "));
    }
    out
}

/// The wide layout: one table row per handshake; `None` when a column cannot hold its longest
/// word at this width.
fn table(rows: &[HandshakeRow], layout: &Layout) -> Option<comfy_table::Table> {
    let header = [
        "Start",
        "Duration",
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
    ];
    let mut cells = Vec::new();
    for row in rows {
        let h = row.handshake;
        cells.push(vec![
            start(h.start),
            duration_text(row.duration_us),
            named(h.client, row.client_name),
            named(h.server, row.server_name),
            h.sni.as_deref().map_or_else(|| "-".into(), |s| printable(s).into_owned()),
            h.version.map(|v| v.to_string()).unwrap_or_else(|| "-".into()),
            h.cipher_suite.map(|c| c.to_string()).unwrap_or_else(|| "-".into()),
            h.outcome.as_str().to_string(),
            alerts(h),
            h.certificates.len().to_string(),
            h.evidence.first().map(|e| printable(&e.path).into_owned()).unwrap_or_default(),
            frames(h),
        ]);
    }
    super::fit::table(&header, &cells, layout)
}

/// One handshake of the narrow layout.
fn block(out: &mut String, row: &HandshakeRow, width: usize) {
    let h = row.handshake;
    let head = format!("{}  {}  {}", start(h.start), h.outcome.as_str(), duration_text(row.duration_us));
    out.push_str(&wrap::fill(&head, width, "", "    "));
    let sni = h.sni.as_deref().map(|s| format!(" (SNI {})", printable(s))).unwrap_or_default();
    let lines = [
        format!("{} → {}{sni}", named(h.client, row.client_name), named(h.server, row.server_name)),
        format!(
            "{}, {}",
            h.version.map(|v| v.to_string()).unwrap_or_else(|| "version -".into()),
            h.cipher_suite.map(|c| c.to_string()).unwrap_or_else(|| "no cipher suite chosen".into())
        ),
        format!("alerts: {}; {}", alerts(h), crate::wording::counted(h.certificates.len() as u64, "certificate")),
        format!("at {} {}", h.evidence.first().map(|e| printable(&e.path).into_owned()).unwrap_or_default(), frames(h)),
    ];
    for l in lines {
        out.push_str(&wrap::fill(&l, width, "    ", "      "));
    }
    out.push('\n');
}
