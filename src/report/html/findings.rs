//! The findings of the HTML page: one card per finding with its evidence, the sources that
//! reported it and the steps to fix it, both folded so that the page stays short; every typed
//! command of a step ([`crate::diagnose::Command`]) is set as code with a copy button, and
//! nothing else is.

use maud::{html, Markup};

use super::sources::Sources;
use crate::diagnose::{Command, Piece, StepText};
use crate::remedy::Advised;
use crate::report::{findings_grid, when};
use crate::util::{printable, printable_lines};

/// Pieces of evidence listed per finding.
const EVIDENCE_SHOWN: usize = 8;

/// A step's text: its prose escaped (control characters shown as escapes, then HTML-escaped
/// by maud, so a backtick from an input is a character like any other), each command as code
/// with a copy button. Only typed commands get one: no text from an input ever does.
pub(super) fn step(text: &StepText) -> Markup {
    html! {
        @for piece in text.pieces() {
            @match piece {
                Piece::Command(c) => { (command(c)) }
                Piece::Prose(p) => { (printable_lines(p)) }
            }
        }
    }
}

/// A command set as code with its copy button.
pub(super) fn command(c: &Command) -> Markup {
    html! { span.cmd { code { (printable(c.as_str())) } button.copy type="button" title="Copy the command" { "Copy" } } }
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
                @if let Some(d) = f.device_name() { dt { "Device" } dd { (d) } }
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
            details.evidence {
                summary { "Evidence (" (f.evidence.len()) ")" }
                ul {
                    @for e in f.evidence.iter().take(EVIDENCE_SHOWN) {
                        @let kind = sources.kind(e, f);
                        li {
                            span class={ "chip " (kind.class()) } { (kind.label()) }
                            " " code.loc { (e.location()) }
                            @if let Some(t) = &e.text { div.raw { (t.as_str()) } }
                        }
                    }
                    @if f.evidence.len() > EVIDENCE_SHOWN { li.note { "… and " (f.evidence.len() - EVIDENCE_SHOWN) " more" } }
                }
            }
            @if let Some(rem) = &f.remediation {
                details.fix {
                    summary { "Fix: " (rem.title) }
                    ol.steps { @for s in &rem.steps { li { (step(s)) } } }
                }
            }
        }
    }
}
