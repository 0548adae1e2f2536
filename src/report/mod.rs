//! Renderers: they only render a finished [`crate::analyze::Report`], seen through one
//! [`View`] (the report, its baseline comparison, the layout, `--fail-on`), and write it to an
//! [`std::io::Write`]. One file per format, selected in [`write`].

pub mod case_summary;
pub mod certs;
pub mod check_text;
pub mod finding_text;
pub mod findings_grid;
pub mod handshakes;
pub mod html;
pub mod json;
pub mod json_array;
pub mod jsonl;
pub mod junit;
pub mod nagios;
pub mod names;
pub mod output_file;
pub mod prometheus;
pub mod sarif;
pub mod table;
pub mod term;
pub mod unread;
pub mod view;
pub mod wrap;

pub use view::{ListFormat, Output, View};

use std::io;

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};

use crate::analyze::Report;

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
}

/// Write `view` in the format `output` to `out`: the one place where a format picks its
/// renderer.
pub fn write(output: Output, view: &View, out: &mut dyn io::Write) -> io::Result<()> {
    match output {
        Output::Analysis(AnalyzeFormat::Table) => table::write(view, out),
        Output::Analysis(AnalyzeFormat::Json) => json::write(view, out),
        Output::Analysis(AnalyzeFormat::Jsonl) => jsonl::write(view, out),
        Output::Analysis(AnalyzeFormat::Junit) => junit::write(view, out),
        Output::Analysis(AnalyzeFormat::Sarif) => sarif::write(view, out),
        Output::Analysis(AnalyzeFormat::Html) => html::write(view, out),
        Output::Certs(ListFormat::Table) => certs::write_table(view, out),
        Output::Certs(ListFormat::Json) => certs::write_json(view, out),
        Output::Handshakes(ListFormat::Table) => handshakes::write_table(view, out),
        Output::Handshakes(ListFormat::Json) => handshakes::write_json(view, out),
    }
}

/// [`write`] into a string (tests, the Python package).
pub fn render(output: Output, view: &View) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail, and every renderer writes UTF-8.
    write(output, view, &mut out).expect("rendering into memory");
    String::from_utf8(out).expect("renderers write UTF-8")
}

/// The report of `r` as the stable JSON document, with no baseline (the Python package).
pub fn json_document(r: &Report) -> String {
    render(Output::Analysis(AnalyzeFormat::Json), &View::new(r))
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
