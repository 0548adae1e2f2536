//! The timeline of the HTML page, drawn as SVG: one lane per device or peer (its name over its
//! address), a mark for each attempt (hollow: a handshake that succeeded) and failure
//! (filled), coloured by the kind of source, and the systems' moments (an InternalCA's end, its
//! renewal, a failed push) as shapes of their own. The axis ([`super::axis`]) cuts long quiet
//! stretches out, with ticks in the unit each stretch's span calls for; evidence without a
//! time (files on disk) sits in a column of its own at the end. On a narrow screen the drawing
//! keeps its size and scrolls inside its own box, the lanes' labels staying in view.

use jiff::Timestamp;
use maud::{html, Markup};

use super::axis;
use super::lanes::{Keyed, Lane, Mark, What};

/// Lanes drawn at most.
const MAX_LANES: usize = 60;

const WIDTH: f64 = 1000.0;
const LABEL_W: f64 = 230.0;
const PLOT_END: f64 = 930.0;
const UNTIMED_X: f64 = 965.0;
const LANE_H: f64 = 36.0;
/// Characters of a lane label's line that fit before the plot (12 px monospace).
const LABEL_CHARS: usize = 29;
const TOP: f64 = 42.0;
/// The share of a stretch's width that its marks use (the rest is padding at both ends).
const INNER: f64 = 0.88;

/// The stretches of the axis with where each starts and how wide it is: a share that grows
/// with the square root of the number of marks in it, and at least [`MIN_STRETCH_W`].
pub struct Axis {
    stretches: Vec<(Timestamp, Timestamp, f64, f64)>,
}

/// The narrowest a stretch is drawn.
const MIN_STRETCH_W: f64 = 130.0;

impl Axis {
    fn new(times: &mut Vec<Timestamp>) -> Axis {
        let all = times.clone();
        let spans = axis::stretches(times);
        let weights: Vec<f64> = spans
            .iter()
            .map(|(a, b)| 1.0 + (all.iter().filter(|t| a <= *t && *t <= b).count() as f64).sqrt())
            .collect();
        let room = PLOT_END - LABEL_W;
        let total: f64 = weights.iter().sum();
        let mut widths: Vec<f64> = weights.iter().map(|w| room * w / total.max(1.0)).collect();
        // Narrow ones are widened, taken from the others in proportion.
        let short: f64 = widths.iter().map(|w| (MIN_STRETCH_W - w).max(0.0)).sum();
        let spare: f64 = widths.iter().map(|w| (w - MIN_STRETCH_W).max(0.0)).sum();
        if short > 0.0 && spare > short {
            widths = widths
                .iter()
                .map(|w| if *w < MIN_STRETCH_W { MIN_STRETCH_W } else { w - (w - MIN_STRETCH_W) * short / spare })
                .collect();
        }
        let mut x = LABEL_W;
        let stretches = spans
            .iter()
            .zip(widths)
            .map(|(&(a, b), w)| {
                let s = (a, b, x, w);
                x += w;
                s
            })
            .collect();
        Axis { stretches }
    }

    /// Where `t` falls on the axis.
    fn x_of(&self, t: Timestamp) -> f64 {
        let Some(&(a, b, x0, w)) = self.stretches.iter().find(|s| t <= s.1).or(self.stretches.last()) else {
            return LABEL_W;
        };
        let span = (b.as_millisecond() - a.as_millisecond()) as f64;
        let within = if span > 0.0 { (t.as_millisecond() - a.as_millisecond()) as f64 / span } else { 0.5 };
        x0 + w * ((1.0 - INNER) / 2.0 + INNER * within)
    }
}

/// A label line that fits the label column (the whole one is the lane's tooltip).
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

fn day(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d").to_string()
}

/// A label's x and text.
type Label = (f64, String);

/// The labels of the axis: each stretch's dates on the first row, its ticks on the second.
fn axis_labels(axis: &Axis) -> (Vec<Label>, Vec<Label>) {
    let (mut heads, mut ticks) = (Vec::new(), Vec::new());
    for &(a, b, x0, share) in &axis.stretches {
        let centre = x0 + share / 2.0;
        let fits = |s: &str| axis::CHAR_W * s.chars().count() as f64 + 8.0 <= share;
        let long = if a == b {
            stamp(a)
        } else if stamp(a) == stamp(b) {
            format!("{}–{}", a.strftime("%Y-%m-%d %H:%M:%S"), b.strftime("%H:%M:%S"))
        } else if day(a) == day(b) {
            format!("{}–{}", stamp(a), b.strftime("%H:%M"))
        } else {
            format!("{} → {}", day(a), day(b))
        };
        let head = [long, day(a)].into_iter().find(|s| fits(s));
        heads.extend(head.map(|h| (centre, h)));
        if a == b {
            continue;
        }
        let (unit, at) = axis::ticks(a, b, share * INNER);
        let labels: Vec<(f64, String)> = at.into_iter().map(|t| (axis.x_of(t), unit.label(t))).collect();
        ticks.extend(axis::without_overlap(labels, x0 + 2.0, x0 + share - 2.0));
    }
    (heads, ticks)
}

fn lane_tooltip(lane: &Lane) -> String {
    match &lane.name {
        Some(n) if !lane.address.is_empty() && *n != lane.address => format!("{n} ({})", lane.address),
        Some(n) => n.clone(),
        None => lane.key.clone(),
    }
}

/// The shape of a mark at (`x`, `y`).
fn mark(m: &Mark, x: f64, y: f64) -> Markup {
    let tip = format!("{} — {}", m.time.map(stamp).unwrap_or_else(|| "no time".into()), m.text);
    let x = format!("{x:.1}");
    html! {
        @match m.what {
            What::Attempt { source, failed } => {
                circle class={ "mark " (source.class()) " " (if failed { "failed" } else { "ok" }) } cx=(x) cy=(y) r="5" {
                    title { (source.label()) " — " (tip) }
                }
            }
            What::CaEnd => {
                path.moment.ca-end transform={ "translate(" (x) "," (y) ")" } d="M0,-8 L7,0 L0,8 L-7,0 Z" { title { (tip) } }
            }
            What::Renewal => {
                path.moment.renewal transform={ "translate(" (x) "," (y) ")" } d="M0,-8 L7,6 L-7,6 Z" { title { (tip) } }
            }
            What::Push => {
                rect.moment.push transform={ "translate(" (x) "," (y) ")" } x="-5" y="-5" width="10" height="10" { title { (tip) } }
            }
        }
    }
}

/// A lane's label: its name and its address (empty when it has only one of them).
fn label_lines(lane: &Lane) -> (String, String) {
    match &lane.name {
        Some(n) if *n != lane.address => (n.clone(), lane.address.clone()),
        _ => (if lane.address.is_empty() { lane.key.clone() } else { lane.address.clone() }, String::new()),
    }
}

/// The lanes' labels: a drawing of their own that stays in view while the plot scrolls sideways.
fn labels(shown: &[Lane], height: f64) -> Markup {
    html! {
        svg.timeline-labels xmlns="http://www.w3.org/2000/svg" viewBox={"0 0 " (LABEL_W) " " (height)} width=(LABEL_W) height=(height)
            aria-hidden="true" {
            @for (n, lane) in shown.iter().enumerate() {
                @let y = TOP + LANE_H * n as f64 + LANE_H / 2.0;
                @let (first, second) = label_lines(lane);
                text.lane-label x="8" y=(if second.is_empty() { y + 4.0 } else { y - 3.0 }) {
                    title { (lane_tooltip(lane)) }
                    (short_label(&first))
                }
                @if !second.is_empty() {
                    text.lane-address x="8" y=(y + 12.0) { (short_label(&second)) }
                }
            }
        }
    }
}

/// The SVG of the lanes (the first [`MAX_LANES`]), in a box of its own that scrolls sideways
/// under the lanes' labels; both drawings share the coordinates (the plot's starts at
/// [`LABEL_W`]), so they scale alike.
pub fn svg(lanes: &[Lane]) -> Markup {
    let shown = &lanes[..lanes.len().min(MAX_LANES)];
    let mut times: Vec<Timestamp> = shown.iter().flat_map(|l| l.marks.iter().filter_map(|m| m.time)).collect();
    let axis = Axis::new(&mut times);
    let height = TOP + LANE_H * shown.len() as f64 + 6.0;
    let (heads, ticks) = axis_labels(&axis);
    html! {
        div.timeline-box { div.timeline-row {
        (labels(shown, height))
        svg.timeline xmlns="http://www.w3.org/2000/svg" viewBox={(LABEL_W) " 0 " (WIDTH - LABEL_W) " " (height)}
            width=(WIDTH - LABEL_W) height=(height)
            role="img" aria-label="Attempts, failures and the systems' moments per device over time" {
            @for &(_, _, x0, w) in &axis.stretches {
                rect.stretch x=(format!("{:.1}", x0 + 2.0)) y="20" width=(format!("{:.1}", w - 4.0)) height=(height - 22.0) {}
            }
            @for (x, _) in &ticks {
                line.tick x1=(format!("{x:.1}")) x2=(format!("{x:.1}")) y1="34" y2=(height - 2.0) {}
            }
            g.axis-labels {
                @for (x, h) in &heads { text.axis.head x=(format!("{x:.1}")) y="13" text-anchor="middle" { (h) } }
                @for (x, t) in &ticks { text.axis.tick-label x=(format!("{x:.1}")) y="31" text-anchor="middle" { (t) } }
                text.axis x=(UNTIMED_X) y="31" text-anchor="middle" { "no time" }
            }
            @for (n, lane) in shown.iter().enumerate() {
                @let y = TOP + LANE_H * n as f64 + LANE_H / 2.0;
                @let (peer, device) = match lane.keyed { Keyed::Peer => (Some(&lane.key), None), Keyed::Device => (None, Some(&lane.key)) };
                @let also = (!lane.also.is_empty()).then(|| lane.also.join("\n"));
                g.lane data-peer=[peer] data-device=[device] data-also=[also] {
                    title { (lane_tooltip(lane)) }
                    line.lane-line x1=(LABEL_W) x2=(WIDTH - 10.0) y1=(y) y2=(y) {}
                    @for m in &lane.marks {
                        (mark(m, m.time.map_or(UNTIMED_X, |t| axis.x_of(t)), y))
                    }
                    @if lane.dropped > 0 {
                        text.axis.more x=(PLOT_END) y=(y - 8.0) text-anchor="end" { "+" (lane.dropped) " more not drawn" }
                    }
                }
            }
        }
        } }
        @if lanes.len() > shown.len() {
            p.note { (lanes.len() - shown.len()) " more lanes are not drawn." }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_labels_are_shortened_and_marks_fall_in_their_stretch() {
        assert_eq!(short_label("10.0.0.1:8305"), "10.0.0.1:8305");
        let long = "[2001:db8:1234:5678:9abc:def0:1234:5678]:8305";
        assert_eq!(short_label(long).chars().count(), LABEL_CHARS);
        assert!(short_label(long).ends_with('…'));
        let t = |s: &str| s.parse::<Timestamp>().expect("time");
        let mut times = vec![t("2020-01-01T00:00:00Z"), t("2020-01-01T01:00:00Z"), t("2026-01-01T00:00:00Z")];
        let s = Axis::new(&mut times);
        assert_eq!(s.stretches.len(), 2);
        let (a, b, c) = (s.x_of(times[0]), s.x_of(times[1]), s.x_of(times[2]));
        assert!(LABEL_W < a && a < b && b < c && c < PLOT_END, "{a} {b} {c}");
        let (heads, ticks) = axis_labels(&s);
        assert_eq!(
            heads.iter().map(|h| h.1.as_str()).collect::<Vec<_>>(),
            ["2020-01-01 00:00–01:00", "2026-01-01 00:00"]
        );
        assert_eq!(
            ticks.iter().map(|t| t.1.as_str()).collect::<Vec<_>>(),
            ["2020", "01:00"],
            "midnight of New Year is the year"
        );
    }
}
