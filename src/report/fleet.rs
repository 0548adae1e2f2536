//! The fleet's exporters: a table for people, the JSON document, JSON Lines (one system per
//! line) and CSV for spreadsheets (the csv crate; text cells quoted, formula triggers defused).
//! Each writes to an `io::Write` and returns its errors.

use std::io;

use comfy_table::Cell;

use super::table_for;
use super::term::Layout;
use super::Exporter;
use crate::fleet::{Fleet, SystemRow};

/// A fleet as one run shows it: the rows, and the layout of the table.
#[derive(Clone, Copy, Debug)]
pub struct FleetView<'a> {
    pub fleet: &'a Fleet,
    /// Width and colour of the table (the other formats ignore it).
    pub layout: Layout,
}

/// `fleet --format table`: the systems, their first steps and the inputs that need a look.
pub struct FleetTable<'a>(pub &'a FleetView<'a>);

impl Exporter for FleetTable<'_> {
    fn write(&self, out: &mut dyn io::Write) -> io::Result<()> {
        out.write_all(table(self.0.fleet, &self.0.layout).as_bytes())
    }
}

/// `fleet --format json`: `{"systems": [...], "inputs": [...]}`, pretty-printed.
pub struct FleetJson<'a>(pub &'a FleetView<'a>);

impl Exporter for FleetJson<'_> {
    fn write(&self, out: &mut dyn io::Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, self.0.fleet)?;
        out.write_all(b"\n")
    }
}

/// `fleet --format jsonl`: one system per line, compact JSON.
pub struct FleetJsonl<'a>(pub &'a FleetView<'a>);

impl Exporter for FleetJsonl<'_> {
    fn write(&self, out: &mut dyn io::Write) -> io::Result<()> {
        for r in &self.0.fleet.systems {
            serde_json::to_writer(&mut *out, r)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }
}

/// `fleet --format csv`: a header, then one line per system.
pub struct FleetCsv<'a>(pub &'a FleetView<'a>);

impl Exporter for FleetCsv<'_> {
    fn write(&self, out: &mut dyn io::Write) -> io::Result<()> {
        csv(self.0.fleet, out)
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

/// The CSV columns, in order.
const CSV_HEADER: &[u8] = b"system,fmc,fmc_uuid,version,ca_not_after,days_left,state,devices_pending,next_step_id,\
next_step,next_step_command,collect,bundles,error\n";

/// A text cell: control characters escaped, a formula defused (the csv crate quotes it).
fn csv_text(s: &str) -> String {
    crate::util::quote::defuse_formula(&printable(s)).into_owned()
}

/// The header, then one line per system: every text cell quoted, numbers (days left) not.
fn csv(fleet: &Fleet, out: &mut dyn io::Write) -> io::Result<()> {
    out.write_all(CSV_HEADER)?;
    let mut w = csv::WriterBuilder::new().has_headers(false).quote_style(csv::QuoteStyle::NonNumeric).from_writer(out);
    for r in &fleet.systems {
        let opt = |v: &Option<String>| csv_text(v.as_deref().unwrap_or(""));
        let step = r.next_step.as_ref();
        w.write_record([
            csv_text(&r.id),
            opt(&r.fmc),
            opt(&r.fmc_uuid),
            opt(&r.version),
            opt(&r.ca_not_after),
            r.days_left.map(|d| d.to_string()).unwrap_or_default(),
            csv_text(r.state.as_str()),
            csv_text(&r.devices_pending.join("; ")),
            csv_text(step.map_or("", |s| s.id.as_str())),
            csv_text(step.map_or("", |s| s.text.as_str())),
            csv_text(step.and_then(|s| s.command.as_deref()).unwrap_or("")),
            csv_text(&r.collect.join("; ")),
            csv_text(&r.bundles.join("; ")),
            opt(&r.error),
        ])?;
    }
    w.flush()
}

#[cfg(test)]
#[path = "fleet_tests.rs"]
mod tests;
