//! The lines of `tlstriage watch`, written one by one as the watch finds things: for people
//! (`text`) or one JSON object per line (`jsonl`), and the summary of the peers still failing
//! when it ends. Times are those of the log lines (UTC). Text from the log is escaped for the
//! terminal; the JSON lines are escaped by their writer.

use serde_json::json;

use crate::util::printable;
use crate::watch::peers::{Failing, Peer, Peers};
use crate::watch::Seen;

/// Output formats of `tlstriage watch`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum WatchFormat {
    /// One line per finding, peer back or file event, for people.
    Text,
    /// One JSON object per line (`event`: `finding`, `back`, `reopened`, `problem`, `summary`).
    Jsonl,
}

fn time(t: Option<jiff::Timestamp>) -> String {
    t.map(|t| t.strftime("%Y-%m-%d %H:%M:%S").to_string()).unwrap_or_else(|| "(no time)".into())
}

fn who(device: Option<&str>, peer: &str) -> String {
    match device {
        Some(d) => format!("{d} → {peer}"),
        None => peer.to_string(),
    }
}

fn attempts(n: u64) -> String {
    crate::wording::counted(n, "failed attempt")
}

/// The line (ending with a line break) that says `seen`.
pub fn line(format: WatchFormat, seen: &Seen) -> String {
    match format {
        WatchFormat::Text => text(seen),
        WatchFormat::Jsonl => format!("{}\n", jsonl(seen)),
    }
}

fn text(seen: &Seen) -> String {
    let s = match seen {
        Seen::Finding(f) => {
            let at = f.evidence.last().and_then(|e| e.time).or(f.last_seen);
            let peer = f.peer.as_ref().map(|p| p.as_str()).unwrap_or("?");
            let place =
                f.evidence.first().and_then(|e| e.line.map(|l| format!(" ({}:{l})", e.path))).unwrap_or_default();
            format!("{} {} [{}] {}: {}{place}", time(at), who(f.device.as_deref(), peer), f.severity, f.kind, f.title)
        }
        Seen::Back(b) => format!(
            "{} {} [back] connected again after {} since {}",
            time(b.at),
            who(b.peer.device.as_deref(), &b.peer.peer),
            attempts(b.failing.attempts),
            time(b.failing.since)
        ),
        Seen::Reopened { path, why } => format!("-- {} {}: read from its start", path.display(), why.as_str()),
        Seen::Problem { path, text } => format!("-- {}: {text}", path.display()),
    };
    format!("{}\n", printable(&s))
}

fn jsonl(seen: &Seen) -> serde_json::Value {
    match seen {
        Seen::Finding(f) => {
            let e = f.evidence.first();
            json!({
                "event": "finding",
                "time": f.evidence.last().and_then(|e| e.time).or(f.last_seen),
                "device": f.device,
                "peer": f.peer,
                "kind": f.kind,
                "severity": f.severity,
                "title": f.title,
                "path": e.map(|e| &e.path),
                "line": e.and_then(|e| e.line),
            })
        }
        Seen::Back(b) => json!({
            "event": "back",
            "time": b.at,
            "device": b.peer.device,
            "peer": b.peer.peer,
            "failing_since": b.failing.since,
            "failed_attempts": b.failing.attempts,
        }),
        Seen::Reopened { path, why } => {
            json!({"event": "reopened", "path": path.display().to_string(), "why": why.as_str()})
        }
        Seen::Problem { path, text } => json!({"event": "problem", "path": path.display().to_string(), "text": text}),
    }
}

/// What the watch says when it ends: the peers still failing; `nothing_read` when none of the
/// files could be opened (no sign that all is well).
pub fn summary(format: WatchFormat, peers: &Peers, nothing_read: bool) -> String {
    let failing = peers.still_failing();
    match format {
        WatchFormat::Text if nothing_read => "Stopped: nothing could be read, so no peer can be judged.\n".to_string(),
        WatchFormat::Text => summary_text(&failing, peers.dropped),
        WatchFormat::Jsonl => {
            let list: Vec<serde_json::Value> = failing
                .iter()
                .map(|(p, f)| {
                    json!({
                        "device": p.device,
                        "peer": p.peer,
                        "failing_since": f.since,
                        "last_failure": f.last,
                        "failed_attempts": f.attempts,
                        "kind": f.kind,
                    })
                })
                .collect();
            let v = json!({"event": "summary", "still_failing": list, "not_tracked": peers.dropped, "nothing_read": nothing_read});
            format!("{v}\n")
        }
    }
}

fn summary_text(failing: &[(&Peer, &Failing)], dropped: u64) -> String {
    let mut out = if failing.is_empty() {
        "Stopped: no peer is failing.\n".to_string()
    } else {
        format!("Stopped: {} still failing:\n", crate::wording::counted(failing.len() as u64, "peer"))
    };
    for (p, f) in failing {
        let kind = f.kind.map(|k| format!(", the last {k}")).unwrap_or_default();
        let s = format!(
            "  {}: {} from {} to {}{kind}",
            who(p.device.as_deref(), &p.peer),
            attempts(f.attempts),
            time(f.since),
            time(f.last)
        );
        out.push_str(&printable(&s));
        out.push('\n');
    }
    if dropped > 0 {
        out.push_str(&format!("  ({dropped} more failing peers were let go to keep memory bounded)\n"));
    }
    out
}
