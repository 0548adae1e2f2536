//! One line of a log excerpt: what is left of its prefix (a syslog header, an ISO or journalctl
//! time stamp, a mail quote, a bracketed case-note stamp) and the sftunneld messages it carries,
//! split where one message ends and the next begins (pastes often run several into one line).
//!
//! Shell prompt lines (`root@ftd:~# grep ...`) are commands, not messages, and carry none.
//! OpenSSL verify errors quoted anywhere in a line ([`super::verify_quote`]) are messages too.

use std::borrow::Cow;
use std::sync::LazyLock;

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use regex::Regex;

use super::syslog_header::parse_header;
use super::verify_quote;

/// Most messages taken from one line (a hostile line cannot make more).
const MAX_MESSAGES: usize = 64;

/// When a line was written, as far as its prefix says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stamp {
    /// A syslog stamp: month, day, hour, minute, second (no year).
    Syslog(i8, i8, i8, i8, i8),
    /// A full time (ISO 8601 / RFC 3339, taken as UTC when it carries no offset).
    Full(Timestamp),
}

/// One message of a line, with the thread id its `[tid] sftunneld:module [LEVEL]` marker gives.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Message<'a> {
    pub tid: Option<u64>,
    pub text: Cow<'a, str>,
}

/// What a line holds.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ExcerptLine<'a> {
    pub stamp: Option<Stamp>,
    pub host: Option<&'a str>,
    pub pid: Option<u32>,
    pub messages: Vec<Message<'a>>,
}

static PROMPT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\[?[\w.-]+@[\w.-]+(?:[: ][^\s#$%\]]*)?\]?\s?[#$%]\s*\S").expect("prompt regex"));
static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\[?(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s?(Z|UTC|[+-]\d{2}:?\d{2})?\]?[\s|:-]*",
    )
    .expect("iso regex")
});
static HOST_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([\w.-]+)\s+([\w./-]+)(?:\[(\d{1,10})\])?:\s+").expect("host regex"));
static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\[(\d{1,19})\]\s*)?\bsftunneld?:[\w.-]+\s+(?:\[[A-Za-z]{1,10}\]\s*)?").expect("marker regex")
});
/// Where a known message starts when the line has no sftunneld markers.
static STARTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"Initiating IPv[46] connection to |Connected to |-Error with certificate at depth|\bissuer ?= |",
        r"\bsubject ?= |\berr \d{1,3}:|SSL Verification status:|SSL handshake failed|Failed connecting with SSL|",
        r"Failed to connect using SSL|Unable to set Post Handshake Auth|Failed to reload credentials|",
        r"Failed to add services|\bPeer \S{1,128} needs re-connect|Unable to connect to |",
        r"\bverify error:num=\d{1,3}:|\berror \d{1,3} at \d{1,3} depth lookup:"
    ))
    .expect("starts regex")
});
/// Phrases strong enough to call a line without any prefix an sftunneld message.
static STRONG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"Initiating IPv[46] connection to |-Error with certificate at depth|SSL Verification status:|",
        r"SSL handshake failed|Failed connecting with SSL|Failed to connect using SSL|",
        r"Unable to set Post Handshake Auth|SSL_verify_client_post_handshake|\bsftunneld?:[\w.-]+ "
    ))
    .expect("strong regex")
});

/// Whether a shell prompt (`user@host:dir#`, `[user@host dir]$`) starts the line: a command
/// someone typed. A leading `>` is read as a mail quote (a CLISH prompt line carries no message).
pub(crate) fn is_prompt(line: &str) -> bool {
    PROMPT.is_match(line)
}

/// Whether a line is documentation about messages rather than a message: a markdown table row,
/// or text that quotes a message as `code` (a pasted log line has no backticks).
fn is_documentation(line: &str) -> bool {
    line.trim_start().starts_with('|') || line.contains('`')
}

/// Whether a line that is not a syslog line carries an sftunneld message (or a verify error
/// quoted where the `openssl` reader does not take it).
pub(crate) fn looks_like(line: &str) -> bool {
    !is_prompt(line) && !is_documentation(line) && (STRONG.is_match(line) || verify_quote::quoted_in(line))
}

fn iso_time(c: &regex::Captures<'_>) -> Option<Timestamp> {
    let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<i32>().ok());
    let small = |v: i32| i8::try_from(v).ok();
    let nanos = c.get(7).map_or(0, |m| {
        let digits = m.as_str();
        digits.parse::<i32>().unwrap_or(0) * 10i32.pow(9 - digits.len() as u32)
    });
    let dt = DateTime::new(
        i16::try_from(n(1)?).ok()?,
        small(n(2)?)?,
        small(n(3)?)?,
        small(n(4)?)?,
        small(n(5)?)?,
        small(n(6)?)?,
        nanos,
    )
    .ok()?;
    let utc = dt.to_zoned(TimeZone::UTC).ok()?.timestamp();
    let offset = match c.get(8).map(|m| m.as_str()) {
        None | Some("Z") | Some("UTC") => 0,
        Some(o) => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            let digits: String = o.chars().filter(char::is_ascii_digit).collect();
            let h: i64 = digits.get(..2)?.parse().ok()?;
            let m: i64 = digits.get(2..)?.parse().ok()?;
            sign * (h * 3600 + m * 60)
        }
    };
    utc.checked_sub(jiff::SignedDuration::from_secs(offset)).ok()
}

/// The prefix of a line (mail quotes, bullets, a syslog header or an ISO stamp with an optional
/// `host tag[pid]:`) and the rest of it.
pub(crate) fn prefix(line: &str) -> (ExcerptLine<'_>, &str) {
    let mut out = ExcerptLine { stamp: None, host: None, pid: None, messages: Vec::new() };
    let mut rest = line.trim_start_matches(|c: char| c == '>' || c.is_whitespace());
    rest = rest.strip_prefix("- ").or_else(|| rest.strip_prefix("* ")).unwrap_or(rest);
    if let Some(h) = parse_header(rest) {
        out.stamp = Some(Stamp::Syslog(h.month, h.day, h.hour, h.minute, h.second));
        out.host = Some(h.host);
        out.pid = h.pid;
        rest = h.rest;
    } else if let Some(c) = ISO.captures(rest) {
        out.stamp = iso_time(&c).map(Stamp::Full);
        rest = &rest[c.get(0).map_or(0, |m| m.end())..];
        if let Some(h) = HOST_TAG.captures(rest).filter(|h| !MARKER.is_match(h.get(1).map_or("", |m| m.as_str()))) {
            out.host = h.get(1).map(|m| m.as_str());
            out.pid = h.get(3).and_then(|m| m.as_str().parse().ok());
            rest = &rest[h.get(0).map_or(0, |m| m.end())..];
        }
    }
    (out, rest)
}

/// Whether a line carries nothing to read: a shell prompt, or documentation about messages.
pub(crate) fn is_noise(line: &str) -> bool {
    is_prompt(line) || is_documentation(line)
}

/// Read one line of an excerpt.
pub(crate) fn read(line: &str) -> ExcerptLine<'_> {
    if is_noise(line) {
        return ExcerptLine { stamp: None, host: None, pid: None, messages: Vec::new() };
    }
    let (mut out, rest) = prefix(line);
    split(rest, &mut out.messages);
    out
}

/// Split `text` into messages: at sftunneld markers when there are any, else at known starts.
fn split<'a>(text: &'a str, out: &mut Vec<Message<'a>>) {
    let markers: Vec<regex::Captures<'a>> = MARKER.captures_iter(text).take(MAX_MESSAGES).collect();
    if markers.is_empty() {
        let starts: Vec<usize> = STARTS.find_iter(text).take(MAX_MESSAGES).map(|m| m.start()).collect();
        for (i, &s) in starts.iter().enumerate() {
            let end = starts.get(i + 1).copied().unwrap_or(text.len());
            push(out, None, &text[s..end]);
        }
        return;
    }
    // Text before the first marker may hold messages of its own (a paste that lost one marker).
    let first = markers[0].get(0).map_or(0, |m| m.start());
    if first > 0 {
        split_plain(&text[..first], out);
    }
    for (i, c) in markers.iter().enumerate() {
        let whole = c.get(0).expect("match");
        let end = markers.get(i + 1).and_then(|n| n.get(0)).map_or(text.len(), |m| m.start());
        let tid = c.get(1).and_then(|m| m.as_str().parse().ok());
        push(out, tid, &text[whole.end()..end]);
    }
}

fn split_plain<'a>(text: &'a str, out: &mut Vec<Message<'a>>) {
    let starts: Vec<usize> = STARTS.find_iter(text).take(MAX_MESSAGES).map(|m| m.start()).collect();
    for (i, &s) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        push(out, None, &text[s..end]);
    }
}

fn push<'a>(out: &mut Vec<Message<'a>>, tid: Option<u64>, text: &'a str) {
    let text = text.trim();
    if text.is_empty() || out.len() >= MAX_MESSAGES {
        return;
    }
    // A verify error in prose ends where OpenSSL's text does; `openssl`'s shapes are said the
    // way sftunneld says them.
    match verify_quote::as_messages(text) {
        Some(messages) => out.extend(messages.into_iter().map(|text| Message { tid, text })),
        None => out.push(Message { tid, text: Cow::Borrowed(text) }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'b>(l: &'b ExcerptLine<'_>) -> Vec<(Option<u64>, &'b str)> {
        l.messages.iter().map(|m| (m.tid, m.text.as_ref())).collect()
    }

    #[test]
    fn bare_messages_run_together_are_split() {
        let l = read(
            "Initiating IPv4 connection to 10.1.2.3:8305/tcp Connected to 10.1.2.3 from resolved_ip_list \
(port 8305) (IPv4) -Error with certificate at depth: 1 err 68:CA signature digest algorithm too weak",
        );
        assert_eq!(l.stamp, None);
        assert_eq!(
            texts(&l),
            vec![
                (None, "Initiating IPv4 connection to 10.1.2.3:8305/tcp"),
                (None, "Connected to 10.1.2.3 from resolved_ip_list (port 8305) (IPv4)"),
                (None, "-Error with certificate at depth: 1"),
                (None, "err 68:CA signature digest algorithm too weak"),
            ]
        );
    }

    #[test]
    fn markers_give_thread_ids_and_iso_stamps_give_times() {
        let l = read(
            "2026-03-14T06:00:05.250+01:00 ftd-a SF-IMS[3120]: [4310] sftunneld:sf_ssl [INFO] Initiating IPv4 \
connection to 10.1.2.3:8305/tcp [4310] sftunneld:sf_ssl [ERROR] SSL handshake failed",
        );
        assert_eq!(l.stamp, Some(Stamp::Full("2026-03-14T05:00:05.25Z".parse().unwrap())));
        assert_eq!((l.host, l.pid), (Some("ftd-a"), Some(3120)));
        assert_eq!(
            texts(&l),
            vec![(Some(4310), "Initiating IPv4 connection to 10.1.2.3:8305/tcp"), (Some(4310), "SSL handshake failed")]
        );
        let j = read("Mar 14 06:00:05 ftd-a SF-IMS[3120]: sftunneld:sf_peers [INFO] Peer ftd-a needs re-connect");
        assert_eq!(j.stamp, Some(Stamp::Syslog(3, 14, 6, 0, 5)));
        assert_eq!(texts(&j), vec![(None, "Peer ftd-a needs re-connect")]);
    }

    #[test]
    fn prompts_carry_nothing_and_quotes_are_stripped() {
        assert!(read("root@ftd-a:/home/admin# grep 'SSL handshake failed' /var/log/messages").messages.is_empty());
        assert!(read("admin@fmc:~$ sudo su -").messages.is_empty());
        assert!(is_prompt("[admin@fmc-hq-01 ~]$ sftunnel_status.pl"));
        assert!(read("> sftunnel-status-brief").messages.is_empty());
        let q = read("> [2026-03-14 06:00:05 UTC] SSL handshake failed");
        assert_eq!(q.stamp, Some(Stamp::Full("2026-03-14T06:00:05Z".parse().unwrap())));
        assert_eq!(texts(&q), vec![(None, "SSL handshake failed")]);
        assert!(looks_like(
            "Unable to set Post Handshake Auth SSL context: SSL_verify_client_post_handshake:extension not received"
        ));
        assert!(!looks_like("Connected to the customer about it"));
        assert!(!looks_like("| `x.txt` | ends in `SSL handshake failed` | none |"));
        assert!(read("the line `SSL handshake failed` means ...").messages.is_empty());
    }
}
