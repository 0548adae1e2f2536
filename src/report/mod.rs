//! Renderers: they only render a finished [`crate::analyze::Report`]. One file per format.

pub mod case_summary;
pub mod certs;
pub mod findings_grid;
pub mod handshakes;
pub mod html;
pub mod json;
pub mod jsonl;
pub mod junit;
pub mod names;
pub mod output_file;
pub mod sarif;
pub mod table;
pub mod term;
pub mod unread;
pub mod wrap;

use crate::analyze::Report;
use crate::baseline::Comparison;
use crate::diagnose::Severity;

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

/// Render an `analyze` run in `format`; `threshold` is `--fail-on` (JUnit failures).
pub fn render_analysis(
    r: &Report,
    format: AnalyzeFormat,
    threshold: Option<Severity>,
    cmp: Option<&Comparison>,
    layout: &term::Layout,
) -> String {
    match format {
        AnalyzeFormat::Table => table::render_with(r, layout, cmp),
        AnalyzeFormat::Json => json::render_with(r, cmp),
        AnalyzeFormat::Jsonl => jsonl::render(r, cmp),
        AnalyzeFormat::Junit => junit::render(r, threshold, cmp),
        AnalyzeFormat::Sarif => sarif::render(r, cmp),
        AnalyzeFormat::Html => html::render(r, cmp),
    }
}

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};

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
