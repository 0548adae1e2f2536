//! The findings of the HTML page: one card per finding with its evidence, the sources that
//! reported it and the steps to fix it; every command of a step (written between backticks in
//! the catalog) is set as code with a copy button.

use maud::{html, Markup};

use super::sources::Sources;
use crate::remedy::Advised;
use crate::report::{findings_grid, when};

/// Pieces of evidence listed per finding.
const EVIDENCE_SHOWN: usize = 8;

/// A step's text in pieces: `(text, is_command)`; commands are the parts between backticks.
pub fn step_pieces(step: &str) -> Vec<(&str, bool)> {
    let parts: Vec<&str> = step.split('`').collect();
    // An unmatched backtick leaves the rest as plain text.
    let closed = parts.len() % 2 == 1;
    parts
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.is_empty())
        .map(|(i, p)| (*p, i % 2 == 1 && (closed || i + 1 < parts.len())))
        .collect()
}

pub(super) fn step(text: &str) -> Markup {
    html! {
        @for (piece, command) in step_pieces(text) {
            @if command {
                span.cmd { code { (piece) } button.copy type="button" title="Copy the command" { "Copy" } }
            } @else {
                (piece)
            }
        }
    }
}

/// The card of finding `i`.
pub fn card(i: usize, f: &Advised, sources: &Sources, status: Option<&str>) -> Markup {
    let peer = findings_grid::peer(f);
    html! {
        article.finding id={ "finding-" (i + 1) } data-severity=(f.severity.as_str()) data-kind=(f.kind.as_str()) {
            header {
                span.num { (i + 1) }
                span class={ "sev sev-" (f.severity.as_str()) } { (f.severity.as_str()) }
                span.kind { (f.kind.as_str()) }
                @if let Some(s) = status { span.baseline { (s) } }
                h3 { (f.title) }
            }
            dl.ends {
                @if let Some(d) = &f.device { dt { "Device" } dd { (d) } }
                @if peer != "-" { dt { "Peer" } dd { (peer) } }
                @if let Some(s) = &f.system { dt { "System" } dd { (s) } }
                dt { "Seen" }
                dd {
                    (if f.count == 1 { "once".to_string() } else { format!("{} times", f.count) })
                    @if f.first_seen.is_some() { ", " (when(f.first_seen)) }
                    @if when(f.last_seen) != when(f.first_seen) { " to " (when(f.last_seen)) }
                }
            }
            @if !f.detail.is_empty() { p.detail { (f.detail) } }
            details.evidence open {
                summary { "Evidence (" (f.evidence.len()) ")" }
                ul {
                    @for e in f.evidence.iter().take(EVIDENCE_SHOWN) {
                        @let kind = sources.kind(e, f);
                        li {
                            span class={ "chip " (kind.class()) } { (kind.label()) }
                            " " code.loc { (e.location()) }
                            @if let Some(t) = &e.text { div.raw { (t) } }
                        }
                    }
                    @if f.evidence.len() > EVIDENCE_SHOWN { li.note { "… and " (f.evidence.len() - EVIDENCE_SHOWN) " more" } }
                }
            }
            @if let Some(rem) = &f.remediation {
                section.fix {
                    h4 { "Fix: " (rem.title) }
                    ol.steps { @for s in &rem.steps { li { (step(s)) } } }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_the_parts_between_backticks() {
        assert_eq!(
            step_pieces("Run `sftunnel_status.pl` then `pmtool restartbyid sftunnel`."),
            [
                ("Run ", false),
                ("sftunnel_status.pl", true),
                (" then ", false),
                ("pmtool restartbyid sftunnel", true),
                (".", false)
            ]
        );
        assert_eq!(step_pieces("odd ` tick"), [("odd ", false), (" tick", false)]);
        assert_eq!(step_pieces("plain"), [("plain", false)]);
    }
}
