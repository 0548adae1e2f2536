//! The case summary of the HTML page: the one-line summary of the case, then a card per system
//! (FMC and InternalCA) with its state, its CA, its devices and their tunnels, and the ordered
//! next steps with their commands; then the findings that belong to no system, per device.

use maud::{html, Markup};

use super::findings::{command, step};
use crate::analyze::Report;
use crate::report::case_summary::{self, state_severity, SummaryLine};
use crate::systems::{CaInfo, System, Tunnel};
use crate::util::printable;

fn sev_class(line: &SummaryLine) -> String {
    format!("sev-line sum-{}", line.severity.map_or("none", |s| s.as_str()))
}

fn ca(label: &str, c: &CaInfo, now: jiff::Timestamp) -> Markup {
    let day = |t: Option<jiff::Timestamp>| t.map_or_else(|| "?".to_string(), |t| t.strftime("%Y-%m-%d").to_string());
    html! {
        li {
            strong { (label) } " " code { (c.subject) }
            @if c.not_after.is_some() { ", valid " (day(c.not_before)) " to " (day(c.not_after)) }
            @if let Some(end) = c.not_after { " (" (crate::model::days_left_words(end, now)) ")" }
            @if let Some(s) = &c.serial { ", serial " code { (s) } }
        }
    }
}

fn card(s: &System, line: &SummaryLine, now: jiff::Timestamp) -> Markup {
    let state = s.state.as_str();
    let sev = state_severity(s.state).map_or("none", |s| s.as_str());
    html! {
        article.system data-state=(state) {
            header {
                h3 { (s.label()) }
                span class={ "state state-" (sev) } { (state) }
            }
            p.sum { (step(&line.text)) }
            ul.cas {
                @if let (Some(v), Some(at)) = (&s.fmc.version, &s.fmc.version_at) {
                    li.version { strong { "FMC version" } " " code { (printable(v)) } ", read from " code { (printable(at)) } }
                }
                @if let Some(c) = &s.internal_ca { (ca("InternalCA", c, now)) }
                @if let Some(c) = &s.previous_ca { (ca("Previous CA", c, now)) }
            }
            @if !s.devices.is_empty() {
                table.devices {
                    thead { tr { th { "Device" } th { "Tunnel" } th { "Needs the new files" } } }
                    tbody {
                        @for d in &s.devices {
                            @let tunnel = match d.tunnel { Tunnel::Up => "up", Tunnel::Down => "down", Tunnel::Unknown => "unknown" };
                            tr {
                                td { (d.label()) @if d.fmc { " (secondary FMC)" } }
                                td class={ "tunnel-" (tunnel) } { (tunnel) }
                                td { (if d.needs_push { "yes" } else { "no" }) }
                            }
                        }
                    }
                }
            }
            @if !s.next_steps.is_empty() {
                details.next-steps {
                summary { "Next steps (" (s.next_steps.len()) ")" }
                ol.steps {
                    @for st in &s.next_steps {
                        li data-step=(st.id.as_str()) {
                            @if st.optional { em { "Optional: " } }
                            strong { "On " (st.on) ": " } (step(&st.text))
                            @if let Some(c) = &st.command { div { (command(c)) } }
                        }
                    }
                }
                }
            }
            @if !s.collect.is_empty() {
                h4 { "To collect" }
                ul { @for c in &s.collect { li { (c) } } }
            }
            @if !s.notes.is_empty() { p.note { "Inferred: " (s.notes.join("; ")) } }
            @if !line.details.is_empty() {
                h4 { "Sources" }
                ul.provenance { @for d in &line.details { li { (crate::util::printable(d)) } } }
            }
        }
    }
}

/// The summary section's content.
pub fn render(r: &Report) -> Markup {
    let lines = case_summary::lines(r);
    let now = r.now.unwrap_or_else(jiff::Timestamp::now);
    html! {
        @let (case, others) = lines.split_first().map_or((&[][..], &[][..]), |(c, rest)| (std::slice::from_ref(c), rest));
        ul.summary { @for line in case { li class=(sev_class(line)) { strong { (printable(&line.heading)) } " " (step(&line.text)) } } }
        @for line in others {
            @if let Some(s) = line.system.and_then(|i| r.systems.get(i)) { (card(s, line, now)) }
        }
        @if others.iter().any(|l| l.system.is_none()) {
            h3.outside { "Findings outside any system" }
            ul.summary {
                @for line in others.iter().filter(|l| l.system.is_none()) {
                    li class=(sev_class(line)) { strong { (printable(&line.heading)) } " " (step(&line.text)) }
                }
            }
        }
    }
}
