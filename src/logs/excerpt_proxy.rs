//! TLS proxy messages in an excerpt: `TLS_Proxy - ...` lines whose time stamp is missing or
//! written another way (syslog, ISO with `T`), and the bare messages (`SSL alert message
//! received from server ...`, `TLS problem (error:...)`, `Certificate verification failure:`).
//! Each such line is rewritten into the form of `tls_proxy.log` (line for line, so that line
//! numbers stay) and read by [`super::tls_proxy`]; the evidence then shows the lines as pasted.
//! A line right after a message that starts no message of its own continues it (wrapped
//! pastes); any other line is left out.

use std::sync::LazyLock;

use jiff::tz::TimeZone;
use jiff::Timestamp;
use regex::Regex;

use super::excerpt_line::{self, Stamp};
use super::text::{cap, lines, EVIDENCE_CAP};
use super::years::YearRule;
use crate::model::Attempt;
use crate::model::{Data, IngestContext, MapAttempts, Sink, Source};

/// Only this much of a line is looked at.
const LINE_CAP: usize = 8 * 1024;

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\b(INFO|ERROR|WARN|WARNING|DEBUG|NOTICE)\s+)?\bTLS_Proxy\s+-\s+").expect("proxy marker regex")
});
static BARE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"SSL alert message received from|TLS problem \(|Certificate verification failure:")
        .expect("proxy bare regex")
});

/// Whether a line (not a `tls_proxy.log` line) carries a TLS proxy message.
pub(crate) fn looks_like(line: &str) -> bool {
    !excerpt_line::is_noise(line)
        && !crate::logs::tls_proxy::looks_like(line)
        && (MARKER.is_match(line) || BARE.is_match(line))
}

/// The message of a line, with the level its marker gives.
fn message(rest: &str) -> Option<(&str, &str)> {
    if let Some(c) = MARKER.captures(rest) {
        let level = c.get(1).map_or("INFO", |m| m.as_str());
        return Some((level, &rest[c.get(0).map_or(0, |m| m.end())..]));
    }
    BARE.find(rest).map(|m| ("INFO", &rest[m.start()..]))
}

/// The `tls_proxy.log` stamp of a time; no time gives a stamp that reads as none.
fn stamp_text(t: Option<Timestamp>) -> String {
    match t.map(|t| t.to_zoned(TimeZone::UTC).datetime()) {
        Some(d) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02},{:03}",
            d.year(),
            d.month(),
            d.day(),
            d.hour(),
            d.minute(),
            d.second(),
            d.subsec_nanosecond() / 1_000_000
        ),
        None => "0000-00-00 00:00:00,000".into(),
    }
}

/// Hand the TLS proxy attempts of an excerpt (the text `data` of `src`) to `sink`, with the evidence as pasted; how many
/// messages they came from.
pub(crate) fn read(src: &Source<'_>, data: &[u8], ctx: &IngestContext, sink: &mut dyn Sink) -> u64 {
    let mut years = YearRule::new(ctx.year, src.mtime, ctx.now);
    let mut rewritten = String::new();
    // The pasted text of each line that was rewritten, by line number (for the evidence).
    let mut originals: std::collections::HashMap<u64, String> = std::collections::HashMap::new();
    let (mut count, mut after_message) = (0u64, false);
    for (no, bytes) in lines(data) {
        let text = String::from_utf8_lossy(&bytes[..bytes.len().min(LINE_CAP)]);
        let line = if excerpt_line::is_noise(&text) || crate::logs::tls_proxy::looks_like(&text) {
            after_message = crate::logs::tls_proxy::looks_like(&text);
            if after_message {
                text.to_string()
            } else {
                String::new()
            }
        } else {
            let (head, rest) = excerpt_line::prefix(&text);
            match message(rest) {
                Some((level, msg)) => {
                    count += 1;
                    after_message = true;
                    let time = match head.stamp {
                        Some(Stamp::Full(t)) => Some(t),
                        Some(Stamp::Syslog(mo, d, h, mi, s)) => years.time((mo, d, h, mi, s)),
                        None => None,
                    };
                    format!("{} {level} TLS_Proxy - {}", stamp_text(time), msg.trim())
                }
                None if after_message && !text.trim().is_empty() => text.trim().to_string(),
                None => {
                    after_message = false;
                    String::new()
                }
            }
        };
        if !line.is_empty() {
            originals.insert(no, cap(text.trim_end(), EVIDENCE_CAP).to_string());
        }
        rewritten.push_str(&line);
        rewritten.push('\n');
    }
    if count == 0 {
        return 0;
    }
    // Depth below the excerpt: its bytes are counted once, as the excerpt's. Every session the
    // proxy reader hands on (those it lets go early too) passes here on its way to the sink.
    let mut inner = Source {
        path: src.path.clone(),
        data: Data::Bytes(rewritten.as_bytes()),
        mtime: src.mtime,
        depth: src.depth + 1,
    };
    let as_pasted = |mut a: Attempt| {
        for o in &mut a.events {
            if let Some(text) = o.evidence.line.and_then(|n| originals.get(&n)) {
                o.evidence.text = Some(crate::model::EvidenceText::new(text));
            }
        }
        a
    };
    // The proxy reader's own status line is not the excerpt's: the excerpt says what it read.
    let _ = crate::logs::tls_proxy::parse(&mut inner, ctx, &mut MapAttempts { inner: sink, map: as_pasted });
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_stamps() {
        assert!(looks_like("Jun 11 09:14:03 cx-01 TLS_Proxy - SSL alert message received from server (0x228)"));
        assert!(looks_like(
            "SSL alert message received from server (0x228 = \"fatal : handshake failure\") in Session: x1"
        ));
        assert!(!looks_like("2015-06-11 09:14:03,771 INFO TLS_Proxy - x"));
        assert!(!looks_like("| `TLS problem (` | doc |"));
        assert_eq!(message("ERROR TLS_Proxy - TLS problem (x)"), Some(("ERROR", "TLS problem (x)")));
        assert_eq!(stamp_text(None), "0000-00-00 00:00:00,000");
        assert_eq!(stamp_text(Some("2015-06-11T09:14:03.771Z".parse().unwrap())), "2015-06-11 09:14:03,771");
    }
}
