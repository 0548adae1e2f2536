//! Status command outputs: `sftunnel_status.pl` (FMC and FTD expert mode), `sftunnel-status` and
//! `sftunnel-status-brief` (FTD CLI) and `show managers` (FTD CLI), given as files, pasted into a
//! case note, or in a bundle's `command-outputs/`. Each peer block becomes a
//! [`Fact::Tunnel`]: channels A/B, registration, last disconnect time and reason, RPC status,
//! cipher and the peer's software version, as the output words them.
//!
//! A block starts at `**RUN STATUS****<peer>***` (full status), `PEER:<peer>` (brief) or a
//! `Host : <peer>` line of `show managers`; `**RPC STATUS****<peer>***` adds to the peer's last
//! block, or starts one when the paste holds only RPC status blocks.
//!
//! The same command run several times in one input (a status pasted again after a change) is a
//! history: each run is a block of its own, the latest by the times it prints (heartbeats, start,
//! attempt and disconnect times; the later in the input when they do not tell) is the peer's
//! tunnel, and the earlier ones go with it as evidence.

use std::sync::LazyLock;

use jiff::Timestamp;
use regex::Regex;

use crate::model::Head;
use crate::model::{EarlierRun, Fact, TunnelStatus};
use crate::model::{Evidence, EvidenceText};

use super::text::{cap, lines, EVIDENCE_CAP};

/// Most peer blocks read from one input.
const MAX_BLOCKS: usize = 4096;
/// Only this much of a line is looked at.
const LINE_CAP: usize = 4096;

/// The peer of a block header, when it is a plausible address or host name.
fn peer_name(raw: &str) -> Option<String> {
    let p = raw.trim().trim_matches(|c: char| c == '*' || c == '\'' || c == '"').trim();
    let ok = !p.is_empty() && p.len() <= 128 && p.chars().all(|c| c.is_ascii_alphanumeric() || "-_.:[]".contains(c));
    ok.then(|| p.to_string())
}

/// `key : value` or `key: value` (the outputs put spaces on either side of the colon or not).
fn value_after<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(key)?;
    let rest = rest.trim_start().strip_prefix(':').or_else(|| rest.trim_start().strip_prefix('='))?;
    Some(rest.trim()).filter(|v| !v.is_empty())
}

fn yes_no(v: &str) -> Option<bool> {
    let w = v.split([',', ' ']).next().unwrap_or("").to_ascii_lowercase();
    match w.as_str() {
        "yes" | "true" | "connected" => Some(true),
        "no" | "false" | "disconnected" => Some(false),
        _ => None,
    }
}

/// The command a prompt or heading line names.
fn command_named(line: &str) -> Option<&'static str> {
    let l = line.trim();
    if l.len() > 200 {
        return None;
    }
    if l.contains("sftunnel_status.pl") {
        Some("sftunnel_status.pl")
    } else if l.contains("sftunnel-status-brief") {
        Some("sftunnel-status-brief")
    } else if l.contains("sftunnel-status") {
        Some("sftunnel-status")
    } else if l.contains("show managers") {
        Some("show managers")
    } else {
        None
    }
}

/// Whether the head is a status command output (which may carry excerpt lines, but not a
/// device's log).
pub fn sniff(head: &Head<'_>) -> bool {
    let c = head.line_counts();
    (c.syslog == 0 || c.excerpt >= c.syslog) && looks_like(head.text())
}

/// Whether the text holds a status output (used to recognise the format).
pub fn looks_like(text: &str) -> bool {
    let mut manager = (false, false);
    for line in text.lines().take(400) {
        let l = line.trim();
        if l.starts_with("**RUN STATUS****")
            || l.starts_with("ChannelA Connected:")
            || l.starts_with("ChannelB Connected:")
        {
            return true;
        }
        if l.strip_prefix("PEER:").and_then(peer_name).is_some()
            || l.strip_prefix("**RPC STATUS****").and_then(peer_name).is_some()
        {
            return true;
        }
        manager.0 |= value_after(l, "Type").is_some_and(|v| v.eq_ignore_ascii_case("manager"));
        manager.1 |= value_after(l, "Registration").is_some();
        if manager == (true, true) {
            return true;
        }
    }
    false
}

struct Block {
    line: u64,
    text: String,
    tunnel: TunnelStatus,
    /// The latest time the block prints, and as written.
    time: Option<(Timestamp, String)>,
}

/// A time as the status commands print it: `Sat Mar 14 06:40:12 2026` (then `UTC`, or nothing).
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}\d{1,2} \d\d:\d\d:\d\d \d{4}\b")
        .expect("status time regex")
});

/// The latest time `line` prints, read as UTC.
fn time_in(line: &str) -> Option<(Timestamp, String)> {
    TIME.find_iter(line)
        .filter_map(|m| {
            let words: Vec<&str> = m.as_str().split_whitespace().collect();
            let t = jiff::fmt::strtime::parse("%a %b %d %H:%M:%S %Y", words.join(" ")).ok()?;
            let t = t.to_datetime().ok()?.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp();
            Some((t, m.as_str().to_string()))
        })
        .max_by_key(|(t, _)| *t)
}

/// Every peer block of the status outputs in `data` (the text of the input at `path`), as facts.
pub fn read(path: &str, data: &[u8]) -> Vec<Fact> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut current: Option<usize> = None;
    let mut command: Option<&'static str> = None;
    for (no, bytes) in lines(data) {
        let text = String::from_utf8_lossy(&bytes[..bytes.len().min(LINE_CAP)]);
        let l = text.trim();
        if let Some(c) = command_named(l) {
            if !l.starts_with("**") && !l.contains(':') || l.ends_with(c) {
                command = Some(c);
                continue;
            }
        }
        let start = |shape: &'static str, raw: &str| peer_name(raw).map(|p| (command.unwrap_or(shape), p));
        let header = l
            .strip_prefix("**RUN STATUS****")
            .and_then(|r| start("sftunnel-status", r))
            .or_else(|| l.strip_prefix("PEER:").and_then(|r| start("sftunnel-status-brief", r)))
            .or_else(|| value_after(l, "Host").and_then(|r| start("show managers", r)));
        // Each header starts a run of its own.
        if let Some((cmd, peer)) = header {
            current = None;
            if blocks.len() < MAX_BLOCKS {
                let tunnel = TunnelStatus { command: cmd.to_string(), peer, ..Default::default() };
                blocks.push(Block { line: no, text: cap(l, EVIDENCE_CAP).to_string(), tunnel, time: None });
                current = Some(blocks.len() - 1);
            }
            continue;
        }
        if let Some(rest) = l.strip_prefix("**RPC STATUS****") {
            let Some(peer) = peer_name(rest) else {
                current = None;
                continue;
            };
            current = blocks.iter().rposition(|b| b.tunnel.peer == peer);
            // A paste of RPC status blocks alone (`sftunnel_status.pl` polling a peer that does
            // not answer) still names the peer and what the poll gave.
            if current.is_none() && blocks.len() < MAX_BLOCKS {
                let cmd = command.unwrap_or("sftunnel_status.pl").to_string();
                let tunnel = TunnelStatus { command: cmd, peer, ..Default::default() };
                blocks.push(Block { line: no, text: cap(l, EVIDENCE_CAP).to_string(), tunnel, time: None });
                current = Some(blocks.len() - 1);
            }
            continue;
        }
        let Some(b) = current.and_then(|i| blocks.get_mut(i)) else { continue };
        if let Some(t) = time_in(l) {
            if b.time.as_ref().is_none_or(|(was, _)| t.0 > *was) {
                b.time = Some(t);
            }
        }
        apply(&mut b.tunnel, l);
    }
    history(path, blocks)
}

/// One fact per command and peer: the latest run, with the earlier ones as its evidence.
fn history(path: &str, blocks: Vec<Block>) -> Vec<Fact> {
    let mut latest: Vec<Block> = Vec::new();
    let mut earlier: Vec<Vec<Block>> = Vec::new();
    for b in blocks {
        let same = |o: &Block| o.tunnel.peer == b.tunnel.peer && o.tunnel.command == b.tunnel.command;
        let Some(i) = latest.iter().position(same) else {
            latest.push(b);
            earlier.push(Vec::new());
            continue;
        };
        // Later in the input wins unless its own times say it was taken before.
        let newer = match (&b.time, &latest[i].time) {
            (Some((t, _)), Some((was, _))) => t >= was,
            _ => true,
        };
        if newer {
            let old = std::mem::replace(&mut latest[i], b);
            earlier[i].push(old);
        } else {
            earlier[i].push(b);
        }
    }
    latest
        .into_iter()
        .zip(earlier)
        .map(|(b, mut before)| {
            before.sort_by_key(|e| e.line);
            let mut tunnel = b.tunnel;
            tunnel.at = b.time.as_ref().map(|(t, _)| *t);
            tunnel.earlier = before
                .into_iter()
                .map(|e| EarlierRun {
                    evidence: Evidence::line(path, e.line, None, &e.text),
                    state: e.tunnel.state(),
                    time: e.time.map(|(_, w)| w),
                })
                .collect();
            Fact::Tunnel { evidence: Evidence::line(path, b.line, None, &b.text), tunnel }
        })
        .collect()
}

/// One line inside a peer block.
fn apply(t: &mut TunnelStatus, l: &str) {
    // Status values are shown as they are, so they are evidence text: no key passes.
    let owned = |v: &str| Some(EvidenceText::new(cap(v.trim_end_matches('.'), 256)).to_string());
    if let Some(v) = value_after(l, "ChannelA Connected") {
        t.channel_a = yes_no(v);
    } else if let Some(v) = value_after(l, "ChannelB Connected") {
        t.channel_b = yes_no(v);
    } else if let Some(rest) = l.strip_prefix("Peer channel Channel-") {
        let valid = !rest.contains("not valid") && rest.contains("is valid");
        let slot = if rest.starts_with('A') { &mut t.channel_a } else { &mut t.channel_b };
        if *slot != Some(false) {
            *slot = Some(valid);
        }
    } else if let Some(v) = value_after(l, "Registration") {
        t.registration = owned(v);
    } else if let Some(v) = value_after(l, "Cipher used") {
        t.cipher = owned(v.split_whitespace().next().unwrap_or(v));
    } else if let Some(v) = l.strip_prefix("sw_version ") {
        t.peer_version = owned(v.trim());
    } else if let Some(v) = value_after(l, "Version").filter(|_| t.command == "show managers") {
        t.peer_version = owned(v.split_whitespace().next().unwrap_or(v));
    } else if let Some(v) = value_after(l, "Last disconnect time") {
        t.last_disconnect_time = owned(v);
    } else if let Some(v) = value_after(l, "Last disconnect reason") {
        t.last_disconnect_reason = owned(v);
    } else if let Some(v) = value_after(l, "RPC status") {
        t.rpc_status = owned(v);
    } else if l.contains("Attempted at") && l.contains("Connection to peer") {
        t.attempting = true;
    }
}
