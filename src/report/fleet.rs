//! The fleet's exporters: a table for people, the JSON document, JSON Lines (one system per
//! line) and CSV for spreadsheets (the csv crate; text cells quoted, formula triggers defused).
//! Each writes to an `io::Write` and returns its errors.

use std::io;

use super::term::Layout;
use super::wrap;
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
        out.push_str(&inputs_note(fleet, layout.width));
        return out;
    }
    let header = ["#", "FMC", "version", "InternalCA notAfter", "days", "state", "pending", "bundles"];
    let rows: Vec<Vec<String>> = fleet
        .systems
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                (i + 1).to_string(),
                name(r),
                or_dash(r.version.as_deref()),
                or_dash(r.ca_not_after.as_deref().map(|d| d.get(..10).unwrap_or(d))),
                r.days_left.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
                r.state.as_str().to_string(),
                r.devices_pending.len().to_string(),
                r.bundles.len().to_string(),
            ]
        })
        .collect();
    let w = layout.width;
    // A table when every column holds its longest word (no name or state cut), else a list.
    let mut out = match super::fit::table(&header, &rows, layout) {
        Some(t) => format!("{t}\n"),
        None => rows.iter().map(|row| list_entry(row, w)).collect(),
    };
    out.push_str("\nFirst step per system:\n");
    for (i, r) in fleet.systems.iter().enumerate() {
        let head = format!("[{}] {} ({}): {}", i + 1, name(r), r.state, step_text(r));
        out.push_str(&wrap::fill(&head, w, "", "    "));
        // A command stays on one line, whole, to be copied.
        if let Some(cmd) = r.next_step.as_ref().and_then(|s| s.command.as_deref()) {
            out.push_str(&format!("    $ {}\n", printable(cmd)));
        }
        if !r.devices_pending.is_empty() {
            out.push_str(&wrap::fill(
                &format!("pending: {}", printable(&r.devices_pending.join(", "))),
                w,
                "    ",
                "      ",
            ));
        }
        for c in &r.conflicts {
            out.push_str(&wrap::fill(&format!("conflict: {}", printable(c)), w, "    ", "      "));
        }
        out.push_str(&wrap::fill(&format!("seen in: {}", bundles_text(r)), w, "    ", "      "));
    }
    out.push('\n');
    out.push_str(&inputs_note(fleet, layout.width));
    out
}

/// One system of the list layout: `[#] FMC: state`, then its version, InternalCA, days left,
/// pending devices and bundles.
fn list_entry(row: &[String], w: usize) -> String {
    let mut out = wrap::fill(&format!("[{}] {}: {}", row[0], row[1], row[5]), w, "", "    ");
    let detail = format!(
        "version {}, InternalCA notAfter {} ({} days), {} pending, {} bundles",
        row[2], row[3], row[4], row[6], row[7]
    );
    out.push_str(&wrap::fill(&detail, w, "    ", "    "));
    out
}

/// A line about the inputs: how many were read, and those that showed no system.
fn inputs_note(fleet: &Fleet, w: usize) -> String {
    let errors = fleet.inputs.iter().filter(|i| i.status == "error").count();
    let partial = fleet.inputs.iter().filter(|i| i.status == "partial").count();
    let head = format!(
        "{} input(s): {} read, {} partly read, {} unreadable.",
        fleet.inputs.len(),
        fleet.inputs.len() - errors - partial,
        partial,
        errors
    );
    let mut out = wrap::fill(&head, w, "", "    ");
    for i in &fleet.inputs {
        if i.status == "partial" {
            let why = i.message.as_deref().unwrap_or("not read whole");
            out.push_str(&wrap::fill(
                &format!("{}: partly read: {}", printable(&i.path), printable(why)),
                w,
                "  ",
                "    ",
            ));
        }
        if i.systems == 0 && i.status != "error" {
            let line = format!("{}: no FMC or InternalCA seen ({} finding(s))", printable(&i.path), i.findings);
            out.push_str(&wrap::fill(&line, w, "  ", "    "));
        }
    }
    out
}

/// The CSV columns, in order.
const CSV_HEADER: &[u8] = b"system,fmc,fmc_uuid,version,ca_not_after,days_left,state,devices_pending,next_step_id,\
next_step,next_step_command,collect,bundles,error,conflicts\n";

/// A text cell: control characters escaped, a formula defused (the csv crate quotes it).
fn csv_text(s: &str) -> String {
    crate::util::quote::defuse_formula(&printable(s)).into_owned()
}

/// The header, then one line per system: every text cell quoted, numbers (days left) not; the
/// sources that disagree about a system last, joined by `; ` (empty when they agree).
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
            csv_text(&r.conflicts.join("; ")),
        ])?;
    }
    w.flush()
}

#[cfg(test)]
#[path = "fleet_tests.rs"]
mod tests;
