//! The findings overview at the top of `analyze`'s table output: a table from 120 columns on
//! (#, severity, kind, device, peer, what; count, first and last seen from 160 when they fit),
//! a narrow listing below that or when long names leave the table no room (#, severity, kind,
//! device → peer, what). Both stay within the layout's width and break lines only between words.

use comfy_table::{Cell, Color, ColumnConstraint, Width};

use super::term::Layout;
use super::when;
use super::wrap;
use crate::diagnose::Severity;
use crate::remedy::Advised;
use crate::util::printable;

/// The peer of a finding: the address, else the TLS-proxy session, else `-`.
pub fn peer(f: &Advised) -> String {
    match (&f.peer, &f.shared.session) {
        // A rejecting peer known by name (FAILED_PUSH, sftunnel.json) shows both.
        (Some(p), _) => match f.peer_name() {
            Some(name) => format!("{} ({})", printable(&p.to_string()), printable(name)),
            None => printable(&p.to_string()).into_owned(),
        },
        (None, Some(s)) => format!("session {}", printable(s)),
        _ => "-".into(),
    }
}

/// The device of a finding, or `-`.
pub fn device(f: &Advised) -> String {
    f.device_name().map_or_else(|| "-".into(), |d| printable(d).into_owned())
}

/// The overview of `findings`; `status(i)` is the baseline status of finding `i`, if any.
pub fn render(findings: &[Advised], layout: &Layout, status: &dyn Fn(usize) -> Option<&'static str>) -> String {
    if layout.is_wide() {
        wide(findings, layout, status)
    } else {
        narrow(findings, layout, status)
    }
}

/// `device → peer`, the device alone, the peer alone, or `-`.
pub(crate) fn ends(f: &Advised) -> String {
    match (f.device_name(), peer(f).as_str()) {
        (Some(_), "-") => device(f),
        (Some(_), p) => format!("{} → {p}", device(f)),
        (None, p) => p.to_string(),
    }
}

/// The least room the table leaves for the What column.
pub(crate) const MIN_WHAT: usize = 24;
/// Count, first and last seen: their content, padding and borders.
const TIMES_WIDTH: usize = 5 + 19 + 19 + 3 * 3;
/// From this width on, the table also shows count, first and last seen (when they fit).
const WITH_TIMES_FROM: usize = 160;

fn colour(s: Severity) -> Color {
    match s {
        Severity::Critical => Color::Red,
        Severity::Error => Color::DarkRed,
        Severity::Warning => Color::DarkYellow,
        Severity::Info => Color::DarkCyan,
    }
}

/// The cells of the short columns of row `i`: #, baseline status (when shown), severity, kind,
/// device, peer.
fn short_cells(
    i: usize,
    f: &Advised,
    with_baseline: bool,
    status: &dyn Fn(usize) -> Option<&'static str>,
) -> Vec<String> {
    let mut row = vec![(i + 1).to_string()];
    if with_baseline {
        row.push(status(i).unwrap_or("-").to_string());
    }
    row.extend([f.severity.to_string(), f.kind.to_string(), device(f), peer(f)]);
    row
}

fn wide(findings: &[Advised], layout: &Layout, status: &dyn Fn(usize) -> Option<&'static str>) -> String {
    let with_baseline = (0..findings.len()).any(|i| status(i).is_some());
    let mut header = vec!["#"];
    if with_baseline {
        header.push("Baseline");
    }
    header.extend(["Severity", "Kind", "Device", "Peer"]);
    let rows: Vec<Vec<String>> =
        findings.iter().enumerate().map(|(i, f)| short_cells(i, f, with_baseline, status)).collect();
    let mut longest: Vec<usize> = header.iter().map(|h| wrap::width(h)).collect();
    for row in &rows {
        for (n, cell) in row.iter().enumerate() {
            longest[n] = longest[n].max(wrap::width(cell));
        }
    }
    // Each column takes its content, its padding and one border; long names (a hostile host
    // name) can leave no room for the text, and then the narrow layout is the one that fits.
    let what_min = findings.iter().map(|f| wrap::longest_word(&printable(&f.title))).max().unwrap_or(0).max(MIN_WHAT);
    let short: usize = longest.iter().map(|w| w + 3).sum::<usize>() + what_min + 3 + 1;
    if short > layout.width {
        return narrow(findings, layout, status);
    }
    let with_times = layout.width >= WITH_TIMES_FROM && short + TIMES_WIDTH <= layout.width;
    header.push("What");
    if with_times {
        header.extend(["Count", "First seen", "Last seen"]);
    }
    let mut t = super::table_for(layout);
    t.set_header(header);
    let sev_at = usize::from(with_baseline) + 1;
    for (row, f) in rows.into_iter().zip(findings) {
        let mut cells: Vec<Cell> = row
            .into_iter()
            .enumerate()
            .map(|(n, c)| if n == sev_at && layout.color { Cell::new(c).fg(colour(f.severity)) } else { Cell::new(c) })
            .collect();
        cells.push(Cell::new(printable(&f.title)));
        if with_times {
            cells.extend([Cell::new(f.count), Cell::new(when(f.first_seen)), Cell::new(when(f.last_seen))]);
        }
        t.add_row(cells);
    }
    // The short columns never break inside a word: an address or kind split in two misleads.
    for (n, w) in longest.iter().enumerate() {
        if let Some(col) = t.column_mut(n) {
            // The width counts the cell padding, one space either side.
            col.set_constraint(ColumnConstraint::Absolute(Width::Fixed(u16::try_from(w + 2).unwrap_or(u16::MAX))));
        }
    }
    // Nor does What: it is at least as wide as its longest word.
    if let Some(col) = t.column_mut(longest.len()) {
        let min = u16::try_from(what_min + 2).unwrap_or(u16::MAX);
        col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(min)));
    }
    format!("{t}\n")
}

pub(crate) fn narrow(findings: &[Advised], layout: &Layout, status: &dyn Fn(usize) -> Option<&'static str>) -> String {
    let num_w = findings.len().to_string().len().max(1);
    let kind_w = findings.iter().map(|f| f.kind.as_str().len()).max().unwrap_or(4).max(4);
    let indent = " ".repeat(num_w + 2);
    let head = format!("{:>num_w$}  {:<8}  {:<kind_w$}  Device → peer", "#", "Severity", "Kind");
    // Too narrow for the ends beside the kind: they go on the second line, as in the rows.
    let (head, second) = if wrap::width(&head) <= layout.width {
        (head, format!("{indent}What"))
    } else {
        (format!("{:>num_w$}  {:<8}  Kind", "#", "Severity"), format!("{indent}Device → peer, what"))
    };
    let mut out = String::new();
    out.push_str(&layout.bold(head.trim_end()));
    out.push('\n');
    out.push_str(&second);
    out.push('\n');
    out.push_str(&"─".repeat(layout.width.min(wrap::width(&head).max(40))));
    out.push('\n');
    for (i, f) in findings.iter().enumerate() {
        let sev = format!("{:<8}", f.severity.as_str());
        let tag = status(i).map(|s| format!(" ({s})")).unwrap_or_default();
        let start = format!("{:>num_w$}  {}  {:<kind_w$}", i + 1, layout.paint(f.severity, &sev), f.kind.as_str());
        let plain_start = num_w + 2 + 8 + 2 + kind_w;
        let ends = format!("{}{tag}", ends(f));
        if plain_start + 2 + wrap::width(&ends) <= layout.width {
            out.push_str(&format!("{start}  {ends}\n"));
        } else {
            out.push_str(start.trim_end());
            out.push('\n');
            out.push_str(&wrap::fill(&ends, layout.width, &indent, &indent));
        }
        out.push_str(&wrap::fill(&printable(&f.title), layout.width, &indent, &indent));
    }
    out
}
