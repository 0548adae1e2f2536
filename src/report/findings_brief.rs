//! The findings overview of the default text: one row per finding (#, baseline, severity, kind,
//! device → peer, what), columns two spaces apart without borders. The Device → peer and What
//! cells wrap between words (an arrow stays with the device before it), and the Device → peer
//! column takes the width that gives the fewest lines in all; no word is ever cut. Below 120
//! columns, or when long names leave What no room, the narrow listing of [`findings_grid`].

use super::findings_grid::{self, ends, MIN_WHAT};
use super::term::Layout;
use super::wrap;
use crate::remedy::Advised;
use crate::util::printable;

/// The header of the ends column.
const ENDS: &str = "Device → peer";

/// The overview of `findings`; `status(i)` is the baseline status of finding `i`, if any.
pub fn render(findings: &[Advised], layout: &Layout, status: &dyn Fn(usize) -> Option<&'static str>) -> String {
    let with_baseline = (0..findings.len()).any(|i| status(i).is_some());
    let mut header = vec!["#"];
    if with_baseline {
        header.push("Baseline");
    }
    header.extend(["Severity", "Kind"]);
    let rows: Vec<Vec<String>> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut row = vec![(i + 1).to_string()];
            if with_baseline {
                row.push(status(i).unwrap_or("-").to_string());
            }
            row.extend([f.severity.to_string(), f.kind.to_string()]);
            row
        })
        .collect();
    let mut longest: Vec<usize> = header.iter().map(|h| wrap::width(h)).collect();
    for row in &rows {
        for (n, cell) in row.iter().enumerate() {
            longest[n] = longest[n].max(wrap::width(cell));
        }
    }
    let units: Vec<Vec<String>> = findings.iter().map(|f| units(&ends(f))).collect();
    let titles: Vec<String> = findings.iter().map(|f| printable(&f.title).into_owned()).collect();
    let what_min = titles.iter().map(|t| wrap::longest_word(t)).max().unwrap_or(0).max(MIN_WHAT);
    let ends_min = units.iter().flatten().map(|u| wrap::width(u)).max().unwrap_or(0).max(wrap::width(ENDS));
    let ends_max = units.iter().map(|u| wrap::width(&u.join(" "))).max().unwrap_or(0).max(ends_min);
    let prefix: usize = longest.iter().map(|w| w + 2).sum();
    if !layout.is_wide() || prefix + ends_min + 2 + what_min > layout.width {
        return findings_grid::narrow(findings, layout, status);
    }
    // The ends width with the fewest lines in all; of equals, the widest (names kept whole).
    let room = layout.width - prefix - 2;
    let height = |d: usize| -> usize {
        units.iter().zip(&titles).map(|(u, t)| pack(u, d).len().max(wrap::lines(t, room - d, room - d).len())).sum()
    };
    let ends_w = (ends_min..=ends_max.min(room - what_min)).rev().min_by_key(|&d| height(d)).unwrap_or(ends_min);
    let what_w = room - ends_w;
    longest.push(ends_w);

    let sev_at = usize::from(with_baseline) + 1;
    let line = |cells: &[String], paint: Option<&Advised>, bold: bool| -> String {
        let mut out = String::new();
        for (n, (c, w)) in cells.iter().zip(&longest).enumerate() {
            let pad = " ".repeat(w.saturating_sub(wrap::width(c)));
            let c = if n == 0 { format!("{pad}{c}") } else { format!("{c}{pad}") };
            // Colour goes in after the padding: escapes take no columns.
            let c = match (n == sev_at, paint, bold) {
                (true, Some(f), _) => layout.paint(f.severity, &c),
                (_, _, true) => layout.bold(&c),
                _ => c,
            };
            out.push_str(&c);
            out.push_str("  ");
        }
        out
    };
    let mut out = String::new();
    let head: Vec<String> = header.iter().map(|h| h.to_string()).chain([ENDS.to_string()]).collect();
    out.push_str(&line(&head, None, true));
    out.push_str(&layout.bold("What"));
    out.push('\n');
    let mut parts: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    for (u, t) in units.iter().zip(&titles) {
        parts.push((pack(u, ends_w), wrap::lines(t, what_w, what_w)));
    }
    let widest = parts.iter().flat_map(|(_, t)| t.iter().map(|l| wrap::width(l))).max().unwrap_or(4);
    out.push_str(&"─".repeat(layout.width.min(prefix + ends_w + 2 + widest)));
    out.push('\n');
    for ((row, f), (ends_lines, title_lines)) in rows.iter().zip(findings).zip(&parts) {
        for k in 0..ends_lines.len().max(title_lines.len()) {
            let mut cells: Vec<String> = match k {
                0 => row.clone(),
                _ => vec![String::new(); row.len()],
            };
            cells.push(ends_lines.get(k).cloned().unwrap_or_default());
            let start = line(&cells, (k == 0 && layout.color).then_some(f), false);
            let text = format!("{start}{}", title_lines.get(k).map_or("", String::as_str));
            out.push_str(text.trim_end());
            out.push('\n');
        }
    }
    out
}

/// The words of an ends cell, an arrow joined to the word before it: a line may end with the
/// arrow but never start with it.
fn units(ends: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in ends.split_whitespace() {
        match out.last_mut() {
            Some(last) if w == "→" => {
                last.push(' ');
                last.push_str(w);
            }
            _ => out.push(w.to_string()),
        }
    }
    out
}

/// `units` on lines of at most `width` columns, a space between them (a unit wider than the
/// line gets one of its own, whole).
fn pack(units: &[String], width: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for u in units {
        if !line.is_empty() && wrap::width(&line) + 1 + wrap::width(u) > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(u);
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arrow_stays_with_the_device() {
        let u = units("ftd-branch-07 → 192.168.45.10 (fmc-hq-01)");
        assert_eq!(u, ["ftd-branch-07 →", "192.168.45.10", "(fmc-hq-01)"]);
        assert_eq!(pack(&u, 29), ["ftd-branch-07 → 192.168.45.10", "(fmc-hq-01)"]);
        assert_eq!(pack(&u, 28), ["ftd-branch-07 →", "192.168.45.10 (fmc-hq-01)"]);
        assert_eq!(pack(&u, 20), ["ftd-branch-07 →", "192.168.45.10", "(fmc-hq-01)"]);
        assert_eq!(pack(&u, 43), ["ftd-branch-07 → 192.168.45.10 (fmc-hq-01)"]);
        assert_eq!(pack(&units("-"), 13), ["-"]);
        assert_eq!(pack(&[], 13), [""]);
    }
}
