//! The per-peer timeline of the HTML page: one SVG lane per peer, a mark for each attempt
//! (hollow: a handshake that succeeded) and failure (filled), coloured by the kind of source.
//! Long quiet stretches are cut out of the time axis, so a case whose logs span years still
//! shows each burst of attempts legibly; evidence without a time (files on disk) sits at the
//! end of its lane.

use std::collections::BTreeMap;

use jiff::Timestamp;
use maud::{html, Markup};

use super::sources::{SourceKind, Sources};
use crate::analyze::Report;
use crate::model::Outcome;
use crate::report::findings_grid;
use crate::report::names::Names;

/// The lane of findings that name neither a peer nor a device.
pub const NO_PEER: &str = "no peer named";
/// Marks drawn per lane at most (a lane says how many more there were).
const MARKS_PER_LANE: usize = 300;
/// A mark's tooltip stops growing past this many bytes.
const MAX_TOOLTIP: usize = 600;
/// Lanes drawn at most.
const MAX_LANES: usize = 60;
/// A gap longer than this starts a new stretch of the axis.
const GAP_SECS: i64 = 6 * 3_600;

const WIDTH: f64 = 1000.0;
const LABEL_W: f64 = 230.0;
const PLOT_END: f64 = 930.0;
const UNTIMED_X: f64 = 965.0;
const LANE_H: f64 = 30.0;
/// Characters of a lane label that fit before the plot.
const LABEL_CHARS: usize = 30;
const TOP: f64 = 34.0;

/// One mark on a lane.
#[derive(Clone, Debug)]
pub struct Mark {
    pub time: Option<Timestamp>,
    pub source: SourceKind,
    pub failed: bool,
    pub what: String,
}

/// One peer's lane.
#[derive(Clone, Debug, Default)]
pub struct Lane {
    pub peer: String,
    pub name: Option<String>,
    pub marks: Vec<Mark>,
    pub dropped: usize,
}

fn push(lanes: &mut BTreeMap<String, Lane>, peer: String, name: Option<&str>, mark: Mark) {
    let lane = lanes.entry(peer.clone()).or_insert_with(|| Lane { peer, ..Default::default() });
    if lane.name.is_none() {
        lane.name = name.map(str::to_string);
    }
    // The lines of one attempt share its time: one mark for them, its tooltip lists them all.
    let same = |m: &Mark| m.time.is_some() && m.time == mark.time && m.source == mark.source && m.failed == mark.failed;
    if let Some(m) = lane.marks.iter_mut().rev().take(8).find(|m| same(m)) {
        if m.what.len() < MAX_TOOLTIP {
            m.what.push_str("; ");
            m.what.push_str(&mark.what);
        }
    } else if lane.marks.len() < MARKS_PER_LANE {
        lane.marks.push(mark);
    } else {
        lane.dropped += 1;
    }
}

/// The lanes of `r`: the failures of every finding at its peer, and every captured handshake
/// that succeeded at its server.
pub fn lanes(r: &Report, names: &Names, sources: &Sources) -> Vec<Lane> {
    let mut lanes: BTreeMap<String, Lane> = BTreeMap::new();
    for f in &r.findings {
        let peer = findings_grid::peer(f);
        let peer = match (peer.as_str(), &f.device) {
            ("-", Some(_)) => findings_grid::device(f),
            ("-", None) => NO_PEER.to_string(),
            _ => peer,
        };
        // A peer the systems already name (`192.168.45.10 (fmc-hq-01)`) is not named twice.
        let name = f.peer.as_ref().and_then(|p| names.host(p.host())).filter(|n| !peer.ends_with(&format!("({n})")));
        for e in &f.evidence {
            let mark = Mark {
                time: e.time,
                source: sources.kind(e, f),
                failed: true,
                what: format!("{} {}: {}", f.severity, f.kind, e.location()),
            };
            push(&mut lanes, peer.clone(), name, mark);
        }
    }
    for h in r.handshakes.iter().filter(|h| h.outcome == Outcome::Established) {
        let at = h.evidence.first().map(|e| e.location()).unwrap_or_default();
        let mark = Mark {
            time: h.start,
            source: SourceKind::Capture,
            failed: false,
            what: format!("handshake established: {at}"),
        };
        push(&mut lanes, h.server.to_string(), names.ip(h.server.ip()), mark);
    }
    lanes.into_values().collect()
}

/// The stretches of the axis: (first, last) of each group of times closer than [`GAP_SECS`].
fn stretches(lanes: &[Lane]) -> Vec<(Timestamp, Timestamp)> {
    let mut times: Vec<Timestamp> = lanes.iter().flat_map(|l| l.marks.iter().filter_map(|m| m.time)).collect();
    times.sort_unstable();
    let mut out: Vec<(Timestamp, Timestamp)> = Vec::new();
    for t in times {
        match out.last_mut() {
            Some((_, last)) if t.as_second() - last.as_second() <= GAP_SECS => *last = t,
            _ => out.push((t, t)),
        }
    }
    out
}

/// Where `t` falls on the axis.
fn x_of(t: Timestamp, stretches: &[(Timestamp, Timestamp)]) -> f64 {
    let share = (PLOT_END - LABEL_W) / stretches.len().max(1) as f64;
    let i = stretches.iter().position(|(_, last)| t <= *last).unwrap_or(stretches.len().saturating_sub(1));
    let (a, b) = stretches[i];
    let span = (b.as_millisecond() - a.as_millisecond()) as f64;
    let within = if span > 0.0 { (t.as_millisecond() - a.as_millisecond()) as f64 / span } else { 0.5 };
    LABEL_W + share * i as f64 + share * (0.08 + 0.84 * within)
}

/// A lane label that fits the label column (the whole one is its tooltip).
fn short_label(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_string();
    }
    let head: String = label.chars().take(LABEL_CHARS - 1).collect();
    format!("{head}…")
}

fn stamp(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M").to_string()
}

/// The SVG of the lanes (the first [`MAX_LANES`]).
pub fn svg(lanes: &[Lane]) -> Markup {
    let shown = &lanes[..lanes.len().min(MAX_LANES)];
    let stretches = stretches(shown);
    let share = (PLOT_END - LABEL_W) / stretches.len().max(1) as f64;
    let height = TOP + LANE_H * shown.len() as f64 + 10.0;
    html! {
        svg.timeline xmlns="http://www.w3.org/2000/svg" viewBox={"0 0 " (WIDTH) " " (height)} role="img"
            aria-label="Attempts and failures per peer over time" {
            @for (i, (a, b)) in stretches.iter().enumerate() {
                @let x0 = LABEL_W + share * i as f64;
                rect.stretch x=(x0 + 2.0) y="4" width=(share - 4.0) height=(height - 8.0) {}
                text.axis x=(x0 + 6.0) y="16" { (stamp(*a)) }
                @if a != b { text.axis.end x=(x0 + share - 6.0) y="28" text-anchor="end" { "→ " (stamp(*b)) } }
            }
            text.axis x=(UNTIMED_X) y="16" text-anchor="middle" { "no time" }
            @for (n, lane) in shown.iter().enumerate() {
                @let y = TOP + LANE_H * n as f64 + LANE_H / 2.0;
                g.lane data-peer=(lane.peer) {
                    line.lane-line x1=(LABEL_W) x2=(WIDTH - 10.0) y1=(y) y2=(y) {}
                    @let label = match &lane.name { Some(n) => format!("{} ({n})", lane.peer), None => lane.peer.clone() };
                    text.lane-label x="8" y=(y + 4.0) {
                        title { (label) }
                        (short_label(&label))
                    }
                    @for m in &lane.marks {
                        @let x = m.time.map_or(UNTIMED_X, |t| x_of(t, &stretches));
                        @let class = format!("mark {} {}", m.source.class(), if m.failed { "failed" } else { "ok" });
                        circle class=(class) cx=(format!("{x:.1}")) cy=(y) r="5" {
                            title { (m.time.map(stamp).unwrap_or_else(|| "no time".into())) " — " (m.source.label()) " — " (m.what) }
                        }
                    }
                    @if lane.dropped > 0 {
                        text.axis x=(PLOT_END) y=(y - 8.0) text-anchor="end" { "+" (lane.dropped) " more not drawn" }
                    }
                }
            }
        }
        @if lanes.len() > shown.len() {
            p.note { (lanes.len() - shown.len()) " more peers are not drawn." }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_labels_are_shortened_and_quiet_stretches_cut() {
        assert_eq!(short_label("10.0.0.1:8305"), "10.0.0.1:8305");
        let long = "[2001:db8:1234:5678:9abc:def0:1234:5678]:8305 (ftd-branch-07)";
        assert_eq!(short_label(long).chars().count(), LABEL_CHARS);
        assert!(short_label(long).ends_with('…'));
        let t = |s: &str| s.parse::<Timestamp>().expect("time");
        let mark = |s: &str| Mark { time: Some(t(s)), source: SourceKind::Capture, failed: true, what: String::new() };
        let lane = Lane {
            peer: "p".into(),
            marks: vec![mark("2020-01-01T00:00:00Z"), mark("2020-01-01T01:00:00Z"), mark("2026-01-01T00:00:00Z")],
            ..Default::default()
        };
        let s = stretches(&[lane]);
        assert_eq!(s.len(), 2, "{s:?}");
        let (a, b, c) = (
            x_of(t("2020-01-01T00:00:00Z"), &s),
            x_of(t("2020-01-01T01:00:00Z"), &s),
            x_of(t("2026-01-01T00:00:00Z"), &s),
        );
        assert!(LABEL_W < a && a < b && b < c && c < PLOT_END, "{a} {b} {c}");
    }
}
