//! The fleet's outputs: a table for people, the JSON document, JSON Lines (one system per line)
//! and CSV for spreadsheets (every cell quoted, formula triggers neutralised).

use comfy_table::Cell;

use super::row::{Fleet, SystemRow};
use crate::report::table_for;
use crate::report::term::{Layout, DEFAULT_WIDTH};

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

/// Render `fleet` in `format`; the table is laid out for `layout` (`None`: the default width,
/// no colour).
pub fn render(fleet: &Fleet, format: FleetFormat, layout: Option<&Layout>) -> String {
    match format {
        FleetFormat::Table => table(fleet, layout.unwrap_or(&Layout::plain(DEFAULT_WIDTH))),
        FleetFormat::Json => serde_json::to_string_pretty(fleet).unwrap_or_default() + "\n",
        FleetFormat::Jsonl => {
            fleet.systems.iter().map(|r| serde_json::to_string(r).unwrap_or_default() + "\n").collect()
        }
        FleetFormat::Csv => csv(fleet),
    }
}

/// Text from an input made safe for a terminal or a cell (control characters escaped).
fn printable(s: &str) -> String {
    crate::util::printable(s).into_owned()
}

fn or_dash(v: Option<&str>) -> String {
    v.map(printable).unwrap_or_else(|| "-".into())
}

fn step_text(r: &SystemRow) -> String {
    match (&r.error, &r.next_step) {
        (Some(e), _) => format!("cannot read: {}", printable(e)),
        (None, Some(s)) => printable(&s.text),
        (None, None) if !r.collect.is_empty() => format!("collect {}", printable(&r.collect.join("; "))),
        (None, None) => "nothing to do".into(),
    }
}

fn bundles_text(r: &SystemRow) -> String {
    const SHOWN: usize = 5;
    let mut names: Vec<String> = r.bundles.iter().take(SHOWN).map(|b| printable(b)).collect();
    if r.bundles.len() > SHOWN {
        names.push(format!("and {} more", r.bundles.len() - SHOWN));
    }
    names.join(", ")
}

fn name(r: &SystemRow) -> String {
    printable(r.shown_name())
}

/// A compact table of the systems (one line each on a normal terminal), then per system its
/// first step, the devices pending and the bundles that showed it.
fn table(fleet: &Fleet, layout: &Layout) -> String {
    if fleet.systems.is_empty() {
        let mut out = format!("No system found in {} input(s).\n", fleet.inputs.len());
        out.push_str(&inputs_note(fleet));
        return out;
    }
    let mut t = table_for(layout);
    t.set_header(vec!["#", "FMC", "version", "InternalCA notAfter", "days", "state", "pending", "bundles"]);
    for (i, r) in fleet.systems.iter().enumerate() {
        t.add_row(vec![
            Cell::new(i + 1),
            Cell::new(name(r)),
            Cell::new(or_dash(r.version.as_deref())),
            Cell::new(or_dash(r.ca_not_after.as_deref().map(|d| d.get(..10).unwrap_or(d)))),
            Cell::new(r.days_left.map(|d| d.to_string()).unwrap_or_else(|| "-".into())),
            Cell::new(r.state.as_str()),
            Cell::new(r.devices_pending.len()),
            Cell::new(r.bundles.len()),
        ]);
    }
    let mut out = format!("{t}\n\nFirst step per system:\n");
    for (i, r) in fleet.systems.iter().enumerate() {
        out.push_str(&format!("[{}] {} ({}): {}\n", i + 1, name(r), r.state, step_text(r)));
        if let Some(cmd) = r.next_step.as_ref().and_then(|s| s.command.as_deref()) {
            out.push_str(&format!("    $ {}\n", printable(cmd)));
        }
        if !r.devices_pending.is_empty() {
            out.push_str(&format!("    pending: {}\n", printable(&r.devices_pending.join(", "))));
        }
        for c in &r.conflicts {
            out.push_str(&format!("    conflict: {}\n", printable(c)));
        }
        out.push_str(&format!("    seen in: {}\n", bundles_text(r)));
    }
    out.push('\n');
    out.push_str(&inputs_note(fleet));
    out
}

/// A line about the inputs: how many were read, and those that showed no system.
fn inputs_note(fleet: &Fleet) -> String {
    let errors = fleet.inputs.iter().filter(|i| i.status == "error").count();
    let partial = fleet.inputs.iter().filter(|i| i.status == "partial").count();
    let mut out = format!(
        "{} input(s): {} read, {} partly read, {} unreadable.\n",
        fleet.inputs.len(),
        fleet.inputs.len() - errors - partial,
        partial,
        errors
    );
    for i in &fleet.inputs {
        if i.status == "partial" {
            let why = i.message.as_deref().unwrap_or("not read whole");
            out.push_str(&format!("  {}: partly read: {}\n", printable(&i.path), printable(why)));
        }
        if i.systems == 0 && i.status != "error" {
            out.push_str(&format!("  {}: no FMC or InternalCA seen ({} finding(s))\n", printable(&i.path), i.findings));
        }
    }
    out
}

/// One CSV cell: quoted, quotes doubled, control characters escaped, and a leading character
/// that spreadsheets read as a formula (`= + - @`, also after blanks) neutralised by a `'`.
pub fn csv_cell(s: &str) -> String {
    let mut v = printable(s);
    // Some spreadsheets skip leading blanks before they look for a formula.
    if v.trim_start().starts_with(['=', '+', '-', '@']) {
        v.insert(0, '\'');
    }
    format!("\"{}\"", v.replace('"', "\"\""))
}

fn csv(fleet: &Fleet) -> String {
    let mut out = String::from(
        "system,fmc,fmc_uuid,version,ca_not_after,days_left,state,devices_pending,next_step_id,next_step,next_step_command,collect,bundles,error\n",
    );
    for r in &fleet.systems {
        let opt = |v: &Option<String>| csv_cell(v.as_deref().unwrap_or(""));
        let cells = [
            csv_cell(&r.id),
            opt(&r.fmc),
            opt(&r.fmc_uuid),
            opt(&r.version),
            opt(&r.ca_not_after),
            // A number of our own: never a formula, kept numeric.
            r.days_left.map(|d| d.to_string()).unwrap_or_default(),
            csv_cell(r.state.as_str()),
            csv_cell(&r.devices_pending.join("; ")),
            csv_cell(r.next_step.as_ref().map_or("", |s| s.id.as_str())),
            csv_cell(r.next_step.as_ref().map_or("", |s| s.text.as_str())),
            csv_cell(r.next_step.as_ref().and_then(|s| s.command.as_deref()).unwrap_or("")),
            csv_cell(&r.collect.join("; ")),
            csv_cell(&r.bundles.join("; ")),
            opt(&r.error),
        ];
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}
