//! `analyze --format html`: one self-contained page (inline stylesheet and script, nothing
//! fetched) for a customer or a colleague: the case summary, a per-peer timeline, validity bars
//! per certificate chain, and the findings with evidence and steps, filterable by severity and
//! kind. Built with maud, which escapes every value from the inputs by construction.

mod axis;
mod findings;
mod lanes;
mod sources;
mod systems;
mod timeline;
mod validity;

use std::collections::BTreeSet;

use jiff::Timestamp;
use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::analyze::Report;
use crate::baseline::Comparison;
use crate::model::Status;
use crate::report::names::Names;
use sources::{SourceKind, Sources};

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");

/// `analyze --format html`: the self-contained page.
pub struct Html<'a>(pub &'a super::View<'a>);

impl crate::report::Exporter for Html<'_> {
    fn write(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        write(self.0, out)
    }
}

/// Write the page of the view.
fn write(view: &super::View, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(page(view.report, view.baseline).as_bytes())
}

/// The page for `r`.
fn page(r: &Report, baseline: Option<&Comparison>) -> String {
    let names = Names::of(r);
    let sources = Sources::new(r, &names);
    let now = r.now.unwrap_or_else(Timestamp::now);
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "tlstriage report" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header.page {
                    h1 { "TLS triage report" }
                    p.meta { "tlstriage " (env!("CARGO_PKG_VERSION")) " — certificates judged at " (now.strftime("%Y-%m-%d %H:%M UTC")) }
                }
                section #summary {
                    h2 { "Case summary" }
                    (systems::render(r))
                }
                (timeline_section(r, &names, &sources, now))
                (chains_section(r, &names, now))
                (findings_section(r, &sources, baseline))
                (inputs(r))
                script { (PreEscaped(SCRIPT)) }
            }
        }
    };
    // Every input value on the page is escaped as markup by maud; the characters that would
    // reorder, hide or control text are escaped here once for the whole page, wherever they are.
    let page = page.into_string();
    crate::util::printable_document(&page).into_owned()
}

/// The lanes of attempts, failures and the systems' moments per device.
fn timeline_section(r: &Report, names: &Names, sources: &Sources, now: Timestamp) -> Markup {
    let lanes = lanes::lanes(r, names, sources, now);
    html! {
        section #timeline {
            h2 { "Timeline per device" }
            @if lanes.is_empty() {
                p.note { "No attempt or failure with a peer in the inputs." }
            } @else {
                (legend())
                p.note.scroll-hint { "The timeline scrolls sideways in its box; the devices' names stay in view." }
                (timeline::svg(&lanes))
                p.note {
                    "Quiet stretches between the shaded boxes are cut out of the axis. A finding keeps its first "
                    (crate::diagnose::MAX_EVIDENCE)
                    " pieces of evidence, so a lane can show fewer marks than the finding's count. \
                     Successful attempts are drawn from captures only: the logs' own successes are not kept. \
                     An InternalCA's end is drawn when it comes no later than " (lanes::CA_END_HORIZON_DAYS) " days after the last event (or today)."
                }
            }
        }
    }
}

/// The validity bars of each certificate chain, against `now`.
fn chains_section(r: &Report, names: &Names, now: Timestamp) -> Markup {
    let chains = validity::chains(r, names);
    html! {
        section #chains {
            h2 { "Certificate validity" }
            @if chains.is_empty() { p.note { "No certificate in the inputs." } } @else {
                p.legend-line {
                    span.key.good {} " valid at the handshake (or now)  " span.key.bad {} " not valid then  "
                    span.key.hs {} " handshake  " span.key.nowk {} " now"
                }
                (validity::render(&chains, now))
            }
        }
    }
}

/// The findings, with the severity and kind filters.
fn findings_section(r: &Report, sources: &Sources, baseline: Option<&Comparison>) -> Markup {
    let severities: BTreeSet<_> = r.findings.iter().map(|f| f.severity).collect();
    let kinds: BTreeSet<_> = r.findings.iter().map(|f| f.kind.as_str()).collect();
    let status = |i: usize| baseline.and_then(|c| c.status_of(i)).map(|s| s.as_str());
    html! {
        section #findings {
            h2 { "Findings (" (r.findings.len()) ")" }
            @if r.findings.is_empty() {
                p.note { (if r.nothing_readable() { "No input could be read: nothing can be said about TLS." } else { "No TLS problems found." }) }
            } @else {
                form.filters aria-label="Filters" {
                    fieldset { legend { "Severity" }
                        @for s in severities.iter().rev() {
                            label { input type="checkbox" name="severity" value=(s.as_str()) checked; " " (s.as_str()) }
                        }
                    }
                    fieldset { legend { "Kind" }
                        @for k in &kinds { label { input type="checkbox" name="kind" value=(k) checked; " " (k) } }
                    }
                    p.shown #shown {}
                }
                p.note.print-only { "On paper each finding is its title; its evidence and steps are in the page on screen and in the JSON." }
                @for (i, f) in r.findings.iter().enumerate() { (findings::card(i, f, sources, status(i))) }
            }
        }
    }
}

fn legend() -> Markup {
    html! {
        p.legend-line {
            @for k in SourceKind::ALL { span class={ "key " (k.class()) } {} " " (k.label()) "  " }
            "— filled: a failure, hollow: a handshake that succeeded. "
            span.key.ca-end {} " InternalCA ends  " span.key.renewal {} " InternalCA renewed  " span.key.push {} " push failed"
        }
    }
}

fn inputs(r: &Report) -> Markup {
    let problems: Vec<_> = r.inputs.iter().filter(|i| i.status != Status::Ok).collect();
    let copies = r.copies();
    html! {
        section #inputs {
            h2 { "Inputs" }
            p { (r.input_counts().words()) "." }
            @if !problems.is_empty() {
                ul.inputs { @for i in problems {
                    // A copy is named as the inputs line above counts it, not as skipped.
                    @let status = if copies.of(i).is_some() { "counted once" } else { i.status.as_str() };
                    li { span.status { (status) } " " code { (i.path) } " (" (i.format.as_str()) ")"
                        @if let Some(m) = &i.message { ": " (m) } }
                } }
            }
            @if !r.devices.is_empty() {
                h3 { "Devices" }
                ul.devices { @for d in &r.devices {
                    li { (format!("{:?}", d.role).to_uppercase()) " " strong { (d.hostname.as_deref().unwrap_or("-")) }
                        " version " (d.version.as_deref().unwrap_or("-")) ", " (d.model.as_deref().unwrap_or("-"))
                        ", uuid " code { (d.uuid.as_ref().map_or("-", |u| u.as_str())) } }
                } }
            }
        }
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
