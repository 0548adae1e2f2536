//! Renderers: they only render a finished [`crate::analyze::Report`]. One file per format.

pub mod certs;
pub mod handshakes;
pub mod json;
pub mod table;

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

/// A time as the views print it (UTC, to the second).
pub(crate) fn when(t: Option<jiff::Timestamp>) -> String {
    t.map(|t| t.strftime("%Y-%m-%d %H:%M:%S").to_string()).unwrap_or_else(|| "-".into())
}
