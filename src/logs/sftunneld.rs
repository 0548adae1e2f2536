//! The `sftunneld` part of a syslog line (`[tid] sftunneld:module [LEVEL] message`) and what the
//! messages that matter for TLS say.
//!
//! The module name is free (`sf_ssl`, and `sf_ss1` as OCR often renders it); the program may also
//! log as `sftunnel:`. Messages often carry a function prefix such as `establishConnectionUtil: `,
//! so they are matched by the phrase they contain.

use std::net::{IpAddr, SocketAddr};
use std::sync::LazyLock;

use memchr::memmem::Finder;

use super::syslog_header::Header;
use super::text::{blanks1_at, blanks_at, bracketed_at, word_end};
use crate::codes::OpenSslError;
use crate::model::TunnelStep;

/// The sftunneld fields of one line.
#[derive(Debug, PartialEq, Eq)]
pub struct SftLine<'a> {
    pub tid: Option<u64>,
    pub module: &'a str,
    pub level: Option<&'a str>,
    pub message: &'a str,
}

/// `[TID] sftunneld:MODULE [LEVEL] message`, read by hand (this runs once per candidate line; the
/// nom version it replaced is kept in the tests as the reference it must agree with).
fn sft(i: &str) -> Option<SftLine<'_>> {
    let b = i.as_bytes();
    let mut p = 0;
    let mut tid = None;
    if let Some((digits, after)) = bracketed_at(i, 0, |c| c.is_ascii_digit()) {
        if let Ok(v) = digits.parse::<u64>() {
            tid = Some(v);
            p = after;
        }
    }
    p = blanks_at(b, p);
    let program = b.get(p..)?;
    p += if program.starts_with(b"sftunneld:") {
        "sftunneld:".len()
    } else if program.starts_with(b"sftunnel:") {
        "sftunnel:".len()
    } else {
        return None;
    };
    let module_end = word_end(i, p);
    if module_end == p {
        return None;
    }
    let module = i.get(p..module_end)?;
    p = blanks1_at(b, module_end)?;
    let mut level = None;
    if let Some((name, after)) = bracketed_at(i, p, |c| c.is_ascii_alphabetic()) {
        level = Some(name);
        p = after;
    }
    let message = i.get(blanks_at(b, p)..)?.trim_end();
    Some(SftLine { tid, module, level, message })
}

/// The sftunneld fields of a syslog line, `None` for other programs.
pub fn split<'a>(h: &Header<'a>) -> Option<SftLine<'a>> {
    sft(h.rest)
}

/// What one message says.
#[derive(Debug, PartialEq, Eq)]
pub enum Msg<'a> {
    /// `Initiating IPv4 connection to IP:PORT/tcp`
    Initiating(Option<IpAddr>),
    /// `Connected to IP from ...`
    Connected(Option<IpAddr>),
    /// `-Error with certificate at depth: N`
    CertDepth(u32),
    Issuer(&'a str),
    Subject(&'a str),
    /// `err N:text`
    VerifyErr(u32, &'a str),
    /// `SSL Verification status: TEXT`
    VerifyStatus(&'a str),
    /// `SSL handshake failed: error:...`
    SslError(OpenSslError),
    /// `SSL handshake failed` without an error string.
    HandshakeFailed,
    /// `Failed to connect using SSL to: 'IP'`
    FailedTo(Option<IpAddr>),
    /// `Failed connecting with SSL to using to: 'IP'` (the last line of an attempt).
    FailedFinal(Option<IpAddr>),
    /// Connection refused or timed out.
    Refused(Option<IpAddr>),
    /// `VERIFY ssl_verify_callback_initial`: the peer's certificate arrives (a new handshake).
    VerifyCallback,
    /// A step after the handshake failed (TLS 1.3 post-handshake authentication and what
    /// follows it); the peer a `Peer X needs re-connect` line names.
    Tunnel(TunnelStep, Option<String>),
    Other,
}

/// The IP of an `ip`, `ip:port`, `[v6]:port` or `ip:port/tcp` token.
pub fn ip_of(token: &str) -> Option<IpAddr> {
    let t = token.trim_matches(|c: char| "'\"(),;".contains(c));
    let t = t.split('/').next().unwrap_or(t);
    if let Ok(ip) = t.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(sa) = t.parse::<SocketAddr>() {
        return Some(sa.ip());
    }
    let (left, port) = t.rsplit_once(':')?;
    if port.is_empty() || !port.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    left.trim_matches(|c| c == '[' || c == ']').parse::<IpAddr>().ok()
}

fn first_ip(text: &str) -> Option<IpAddr> {
    text.split(|c: char| c.is_whitespace() || c == '\'' || c == '"' || c == ',').find_map(ip_of)
}

/// The phrases [`classify`] looks for, each with a searcher built once.
struct Phrases {
    initiating4: Finder<'static>,
    initiating6: Finder<'static>,
    connected: Finder<'static>,
    depth: Finder<'static>,
    status: Finder<'static>,
    failed: Finder<'static>,
    failed_final: Finder<'static>,
    failed_to: Finder<'static>,
    callback: Finder<'static>,
    post_handshake: Finder<'static>,
    reload: Finder<'static>,
    add_services: Finder<'static>,
    reconnect: Finder<'static>,
}

static PHRASES: LazyLock<Phrases> = LazyLock::new(|| Phrases {
    initiating4: Finder::new("Initiating IPv4 connection to "),
    initiating6: Finder::new("Initiating IPv6 connection to "),
    connected: Finder::new("Connected to "),
    depth: Finder::new("Error with certificate at depth:"),
    status: Finder::new("SSL Verification status:"),
    failed: Finder::new("SSL handshake failed"),
    failed_final: Finder::new("Failed connecting with SSL to"),
    failed_to: Finder::new("Failed to connect using SSL to"),
    callback: Finder::new("ssl_verify_callback_initial"),
    post_handshake: Finder::new("Post Handshake Auth"),
    reload: Finder::new("Failed to reload credentials"),
    add_services: Finder::new("Failed to add services"),
    reconnect: Finder::new(" needs re-connect"),
});

/// The device of `Peer <device> needs re-connect` (a name, UUID or address).
fn reconnect_peer(msg: &str, at: usize) -> Option<String> {
    let before = msg.get(..at)?;
    let name = before.rsplit_once("Peer ").map(|(_, n)| n.trim())?;
    let name = name.trim_matches(|c: char| "'\"[]()".contains(c));
    let ok =
        !name.is_empty() && name.len() <= 128 && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c));
    ok.then(|| name.to_string())
}

/// What follows the first occurrence of `phrase` in `msg`.
fn after<'a>(msg: &'a str, phrase: &Finder<'_>) -> Option<&'a str> {
    // The phrase is ASCII, so the position after it is a character boundary.
    phrase.find(msg.as_bytes()).and_then(|p| msg.get(p + phrase.needle().len()..))
}

/// Whether `hay` contains `needle` (lower-case ASCII) in any case.
fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    hay.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn quoted_ip(rest: &str) -> Option<IpAddr> {
    let inner = rest.split('\'').nth(1)?;
    ip_of(inner)
}

/// Classify one message.
pub fn classify(msg: &str) -> Msg<'_> {
    let p = &*PHRASES;
    if let Some(rest) = after(msg, &p.initiating4).or_else(|| after(msg, &p.initiating6)) {
        return Msg::Initiating(rest.split_whitespace().next().and_then(ip_of));
    }
    if let Some(rest) = after(msg, &p.connected) {
        return Msg::Connected(rest.split_whitespace().next().and_then(ip_of));
    }
    if let Some(rest) = after(msg, &p.depth) {
        if let Ok(d) = rest.trim().parse::<u32>() {
            return Msg::CertDepth(d);
        }
    }
    if let Some(v) = msg.strip_prefix("issuer = ").or_else(|| msg.strip_prefix("issuer= ")) {
        return Msg::Issuer(v.trim());
    }
    if let Some(v) = msg.strip_prefix("subject = ").or_else(|| msg.strip_prefix("subject= ")) {
        return Msg::Subject(v.trim());
    }
    if let Some(rest) = msg.strip_prefix("err ") {
        if let Some((n, text)) = rest.split_once(':') {
            if let Ok(n) = n.trim().parse::<u32>() {
                return Msg::VerifyErr(n, text.trim());
            }
        }
    }
    if let Some(rest) = after(msg, &p.status) {
        return Msg::VerifyStatus(rest.trim());
    }
    if let Some(rest) = after(msg, &p.failed) {
        return match OpenSslError::parse(rest) {
            Some(e) => Msg::SslError(e),
            None => Msg::HandshakeFailed,
        };
    }
    if let Some(rest) = after(msg, &p.failed_final) {
        return Msg::FailedFinal(quoted_ip(rest));
    }
    if let Some(rest) = after(msg, &p.failed_to) {
        return Msg::FailedTo(quoted_ip(rest));
    }
    if contains_ignore_case(msg, "connection refused") || contains_ignore_case(msg, "connection timed out") {
        return Msg::Refused(first_ip(msg));
    }
    if p.callback.find(msg.as_bytes()).is_some() {
        return Msg::VerifyCallback;
    }
    if p.post_handshake.find(msg.as_bytes()).is_some() || msg.contains("SSL_verify_client_post_handshake") {
        return Msg::Tunnel(TunnelStep::PostHandshakeAuth, None);
    }
    if p.reload.find(msg.as_bytes()).is_some() {
        return Msg::Tunnel(TunnelStep::ReloadCredentials, None);
    }
    if p.add_services.find(msg.as_bytes()).is_some() {
        return Msg::Tunnel(TunnelStep::AddServices, None);
    }
    if let Some(at) = p.reconnect.find(msg.as_bytes()) {
        return Msg::Tunnel(TunnelStep::NeedsReconnect, reconnect_peer(msg, at));
    }
    Msg::Other
}

#[cfg(test)]
#[path = "sftunneld_tests.rs"]
mod tests;
