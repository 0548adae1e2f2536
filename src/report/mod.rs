//! Exporters: every output tlstriage writes, for every view (`analyze`, `certs`, `handshakes`,
//! `fleet`, `plan`, `check`), as hyperfine's `export/`. Each format is one [`Exporter`] in a file
//! of its own, holding the finished document it writes (a [`View`] of a report, a
//! [`fleet::FleetView`], a [`plan::PlanView`], a [`check::CheckView`]); this file is the registry: the formats of each
//! view and the one match, [`exporter`], where a format picks its exporter.
//!
//! Adding a format: its file with one exporter, its `mod` line, its variant in the view's format
//! enum and its line in [`exporter`]. Adding a view: its document type, its format enum, its
//! variant of [`Export`] and its lines in [`exporter`].

pub mod case_summary;
pub mod certs;
pub mod check;
pub mod finding_text;
pub mod findings_brief;
pub mod findings_grid;
pub mod fit;
pub mod fleet;
pub mod handshakes;
pub mod html;
pub mod json;
pub mod json_array;
pub mod jsonl;
pub mod junit;
pub mod markdown;
pub mod names;
pub mod output_file;
pub mod plan;
pub mod sarif;
pub mod table;
pub mod term;
pub mod text_brief;
pub mod text_parts;
pub mod unread;
pub mod view;
pub mod watch;
pub mod wrap;

pub use view::View;

use std::io;

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};

use crate::analyze::Report;

/// One output format of one view, holding the document it writes.
pub trait Exporter {
    /// Write the whole document to `out`; a failed write is returned as it is, never dropped.
    fn write(&self, out: &mut dyn io::Write) -> io::Result<()>;
}

/// Output formats of `analyze`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum AnalyzeFormat {
    /// Findings table and the steps to fix each (for people).
    Table,
    /// The stable JSON document (`docs/schema.json`).
    Json,
    /// One finding per line, compact JSON.
    Jsonl,
    /// JUnit XML: one test case per input.
    Junit,
    /// SARIF 2.1.0: one result per finding, rules = finding kinds.
    Sarif,
    /// One self-contained HTML page (summary, timeline, validity bars, findings with steps).
    Html,
    /// GitHub-flavoured Markdown for a case note or a ticket: the case summary, the findings
    /// table and each system's steps.
    Markdown,
}

/// Output formats of the `certs` and `handshakes` listings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

/// Output formats of `tlstriage fleet`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FleetFormat {
    /// One line per system, most urgent first, then the inputs that need a look.
    Table,
    /// `{"systems": [...], "inputs": [...]}`.
    Json,
    /// One system per line, compact JSON.
    Jsonl,
    /// One system per line, for spreadsheets.
    Csv,
}

/// The outputs of `tlstriage plan`: the plan printed (or `plan.txt`) and `devices.csv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanFormat {
    /// The plan as a script of comments and quoted commands, after what each system's state
    /// means for it.
    Script,
    /// The `devices.csv` template for `copy_sftunnel_certs.py`.
    DevicesCsv,
}

/// Output formats of `tlstriage check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// What was read, each system's state, InternalCA, tunnels and next steps (for people).
    Text,
    /// `{"check": what was looked for and found, "analysis": the analyze JSON document}`.
    Json,
    /// node_exporter textfile-collector metrics (docs/monitoring.md).
    Prometheus,
    /// The monitoring-plugin line; exit code 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
    Nagios,
}

/// What a run writes: a view's document and the format asked for.
#[derive(Clone, Copy, Debug)]
pub enum Export<'a> {
    /// The report of `analyze`.
    Analysis(AnalyzeFormat, &'a View<'a>),
    /// The list of certificates (`certs`).
    Certs(ListFormat, &'a View<'a>),
    /// The list of handshakes (`handshakes`).
    Handshakes(ListFormat, &'a View<'a>),
    /// One row per system over many cases (`fleet`).
    Fleet(FleetFormat, &'a fleet::FleetView<'a>),
    /// The repair plan for certificates that were not pushed (`plan`).
    Plan(PlanFormat, &'a plan::PlanView<'a>),
    /// An appliance's own tree judged as one system (`check`).
    Check(CheckFormat, &'a check::CheckView<'a>),
}

/// The exporter of `export`: the one place where a format picks its exporter.
pub fn exporter<'a>(export: Export<'a>) -> Box<dyn Exporter + 'a> {
    use {AnalyzeFormat as A, CheckFormat as C, FleetFormat as F, ListFormat as L, PlanFormat as P};
    match export {
        Export::Analysis(A::Table, v) => Box::new(table::Table(v)),
        Export::Analysis(A::Json, v) => Box::new(json::Json(v)),
        Export::Analysis(A::Jsonl, v) => Box::new(jsonl::Jsonl(v)),
        Export::Analysis(A::Junit, v) => Box::new(junit::Junit(v)),
        Export::Analysis(A::Sarif, v) => Box::new(sarif::Sarif(v)),
        Export::Analysis(A::Html, v) => Box::new(html::Html(v)),
        Export::Analysis(A::Markdown, v) => Box::new(markdown::Markdown(v)),
        Export::Certs(L::Table, v) => Box::new(certs::CertsTable(v)),
        Export::Certs(L::Json, v) => Box::new(certs::CertsJson(v)),
        Export::Handshakes(L::Table, v) => Box::new(handshakes::HandshakesTable(v)),
        Export::Handshakes(L::Json, v) => Box::new(handshakes::HandshakesJson(v)),
        Export::Fleet(F::Table, f) => Box::new(fleet::FleetTable(f)),
        Export::Fleet(F::Json, f) => Box::new(fleet::FleetJson(f)),
        Export::Fleet(F::Jsonl, f) => Box::new(fleet::FleetJsonl(f)),
        Export::Fleet(F::Csv, f) => Box::new(fleet::FleetCsv(f)),
        Export::Plan(P::Script, p) => Box::new(plan::PlanScript(p)),
        Export::Plan(P::DevicesCsv, p) => Box::new(plan::DevicesCsv(p)),
        Export::Check(C::Text, c) => Box::new(check::text::CheckText(c)),
        Export::Check(C::Json, c) => Box::new(check::json::CheckJson(c)),
        Export::Check(C::Prometheus, c) => Box::new(check::prometheus::Prometheus(c)),
        Export::Check(C::Nagios, c) => Box::new(check::nagios::Nagios(c)),
    }
}

/// Write `export` to `out` with its exporter.
pub fn write(export: Export<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    exporter(export).write(out)
}

/// [`write`] into a string (tests, the Python package).
pub fn render(export: Export<'_>) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail, and every exporter writes UTF-8.
    write(export, &mut out).expect("rendering into memory");
    String::from_utf8(out).expect("exporters write UTF-8")
}

/// The report of `r` as the stable JSON document, with no baseline (the Python package).
pub fn json_document(r: &Report) -> String {
    render(Export::Analysis(AnalyzeFormat::Json, &View::new(r)))
}

/// The table style every view shares; `width` fixes the width (tests), `None` adapts to the
/// terminal.
pub(crate) fn new_table(width: Option<u16>) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    if let Some(w) = width {
        t.set_width(w);
    }
    t
}

/// A table for `layout`: its width, and styling only when the layout has colour.
pub(crate) fn table_for(layout: &term::Layout) -> Table {
    let mut t = new_table(Some(u16::try_from(layout.width).unwrap_or(u16::MAX)));
    if layout.color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t
}

/// A time as the views print it (UTC, to the second).
pub(crate) fn when(t: Option<jiff::Timestamp>) -> String {
    t.map(|t| t.strftime("%Y-%m-%d %H:%M:%S").to_string()).unwrap_or_else(|| "-".into())
}
