//! From a finished connection and its TLS summary to the shared observations: a
//! [`Handshake`] for the `handshakes` output and an [`Attempt`] for the classifier.

use std::net::SocketAddr;

use jiff::Timestamp;

use super::conn::Conn;
use super::flows::Finished;
use super::{chain, outcome};
use crate::model::{
    AlertRecord, Attempt, CertSeen, Context, Event, Evidence, Handshake, HandshakeCert, IngestContext, NotTlsAnswer,
    Observed, Outcome, Role,
};
use crate::tls::{NotTls, Seen, TlsSummary};

/// Characters kept of a non-TLS answer's first line.
const FIRST_LINE: usize = 64;

/// What one connection contributes to the result.
pub struct Session {
    pub handshake: Handshake,
    pub attempt: Attempt,
    pub certificates: Vec<CertSeen>,
}

/// What the packets of a connection showed, in frame order, with the remarks made on the way.
struct Observations {
    events: Vec<Observed>,
    certificates: Vec<HandshakeCert>,
    seen: Vec<CertSeen>,
    outcome: Outcome,
    notes: Vec<String>,
}

/// Build the observations of a TLS connection or of a refused one; `None` for anything else.
pub fn build(fin: &Finished, path: &str, ctx: &IngestContext) -> Option<Session> {
    let conn = &fin.conn;
    let refused = outcome::refused(conn);
    if fin.tls.is_none() && refused.is_none() {
        return None;
    }
    let empty = TlsSummary::default();
    let tls = fin.tls.as_deref().unwrap_or(&empty);
    let (client, server) = if conn.role(0) == Role::Client { (conn.a, conn.b) } else { (conn.b, conn.a) };
    let mut seen = observe(conn, tls, refused, path, ctx);
    let handshake = handshake(conn, tls, (client, server), path, &mut seen);
    let context = if server.port() == crate::firepower::SFTUNNEL_PORT { Context::Sftunnel } else { Context::Generic };
    let attempt = Attempt {
        context,
        observer: None,
        device: None,
        client: Some(client.into()),
        server: Some(server.into()),
        session: None,
        start: conn.first.time,
        events: seen.events,
        inferred: None,
    };
    Some(Session { handshake, attempt, certificates: seen.seen })
}

/// The events of a connection: how it opened, the hellos, the chains, the alerts and its end.
fn observe(conn: &Conn, tls: &TlsSummary, refused: Option<Seen>, path: &str, ctx: &IngestContext) -> Observations {
    let ev = |s: Seen| Evidence::frame(path, s.frame, s.time);
    let mut notes: Vec<String> = Vec::new();
    let mut events: Vec<Observed> = Vec::new();
    let mut push = |event: Event, seen: Seen| events.push(Observed { event, evidence: ev(seen) });
    match (conn.syn_ack, conn.syn) {
        (Some(s), _) => push(Event::Connected, s),
        (None, None) => {
            notes.push("connection already open when the capture started".into());
            push(Event::Connected, conn.first);
        }
        (None, Some(_)) => {}
    }
    notes.extend(conn.stream_notes());
    if let Some(ch) = &tls.client_hello {
        let hello =
            Event::ClientHello { versions: ch.versions.clone(), suites: ch.suites.clone(), sni: ch.sni.clone() };
        push(hello, ch.seen);
    }
    if let Some(sh) = &tls.server_hello {
        push(Event::ServerHello { version: sh.version, suite: sh.suite }, sh.seen);
    }
    let v2_time = tls.sslv2_server_hello.as_ref().and_then(|h| h.seen.time);
    let handshake_time = tls.server_hello.as_ref().and_then(|s| s.seen.time).or(v2_time).or(conn.first.time);
    let (mut certificates, mut seen) = (Vec::new(), Vec::new());
    for msg in &tls.certificates {
        if msg.ders.is_empty() {
            notes.push(format!(
                "the {} sent a Certificate message without any certificate in frame {}",
                msg.from.as_str(),
                msg.seen.frame
            ));
            push(Event::NoCertificate { from: msg.from }, msg.seen);
            continue;
        }
        let read = chain::read(msg, handshake_time, &ev(msg.seen), ctx, &mut notes);
        certificates.extend(read.lines);
        seen.extend(read.seen);
        push(Event::Chain { from: msg.from, links: read.links }, msg.seen);
    }
    if tls.tls13 {
        notes.push("TLS 1.3: the certificates are encrypted and cannot be seen in the capture".into());
    }
    for a in &tls.alerts {
        push(Event::Alert { from: a.from, level: a.level, description: a.description }, a.seen);
    }
    for (from, seen) in &tls.encrypted_alerts {
        notes.push(format!("encrypted alert from the {} in frame {}", from.as_str(), seen.frame));
    }
    if let Some(n) = &tls.not_tls {
        push(Event::NotTls { from: n.from, first_line: first_line(n) }, n.seen);
    }
    let ending = outcome::outcome(conn, tls, refused, &mut notes);
    if let Some(rst) = refused {
        push(Event::Refused, rst);
    }
    if let Some(from) = ending.rejected_by {
        push(Event::EncryptedRejection { from }, ending.seen);
    }
    // The rest of the offer only explains a failure: healthy connections (most of a large
    // capture) do without the copies.
    if let (Some(ch), Outcome::Failed) = (&tls.client_hello, ending.outcome) {
        let offer = Event::HelloOffer {
            alpn: ch.alpn.clone(),
            groups: ch.groups.clone(),
            signature_algorithms: ch.signature_algorithms.clone(),
        };
        push(offer, ch.seen);
    }
    if conn.cut_frames > 0 {
        push(Event::FramesCut { frames: conn.cut_frames, kept: conn.cut_at }, ending.seen);
    }
    let outcome = ending.outcome;
    push(Event::End { outcome }, ending.seen);
    events.sort_by_key(|o| o.evidence.frame);
    outcome::gap_notes(conn, &mut notes);
    notes.extend(tls.notes.iter().cloned());
    Observations { events, certificates, seen, outcome, notes }
}

/// The `handshakes` line of a connection between `ends` (client, server); it takes the
/// certificate lines and the notes out of `seen`.
fn handshake(
    conn: &Conn,
    tls: &TlsSummary,
    ends: (SocketAddr, SocketAddr),
    path: &str,
    seen: &mut Observations,
) -> Handshake {
    let mut frames: Vec<Seen> = conn.frames.clone();
    frames.extend(tls.frames.iter().map(|&f| Seen { frame: f, time: time_of(conn, f) }));
    frames.sort_by_key(|s| s.frame);
    frames.dedup_by_key(|s| s.frame);
    let ch = tls.client_hello.as_ref();
    let v2 = tls.sslv2_server_hello.as_ref().map(|h| h.version);
    Handshake {
        client: ends.0,
        server: ends.1,
        version: tls.server_hello.as_ref().map(|s| s.version).or(v2),
        cipher_suite: tls.server_hello.as_ref().map(|s| s.suite),
        sni: ch.and_then(|c| c.sni.clone()),
        alpn: ch.map(|c| c.alpn.clone()).unwrap_or_default(),
        outcome: seen.outcome,
        offered_versions: ch.map(|c| c.versions.clone()).unwrap_or_default(),
        offered_suites: ch.map(|c| c.suites.clone()).unwrap_or_default(),
        client_auth_requested: tls.certificate_request,
        alerts: tls
            .alerts
            .iter()
            .map(|a| AlertRecord {
                from: a.from,
                level: a.level,
                description: a.description,
                frame: Some(a.seen.frame),
            })
            .collect(),
        certificates: std::mem::take(&mut seen.certificates),
        empty_certificate: tls.certificates.iter().find(|m| m.ders.is_empty()).map(|m| m.from),
        not_tls: tls.not_tls.as_ref().map(|n| NotTlsAnswer { from: n.from, first_line: first_line(n) }),
        start: conn.first.time,
        evidence: frames.iter().map(|&s| Evidence::frame(path, s.frame, s.time)).collect(),
        notes: std::mem::take(&mut seen.notes),
    }
}

/// The start of a non-TLS answer up to its first line break, printable ASCII only (other bytes
/// become `.`), at most [`FIRST_LINE`] characters.
fn first_line(n: &NotTls) -> String {
    let line = n.head.split(|&b| b == b'\r' || b == b'\n').next().unwrap_or(&[]);
    line.iter().take(FIRST_LINE).map(|&b| if (0x20..0x7f).contains(&b) { b as char } else { '.' }).collect()
}

fn time_of(conn: &Conn, frame: u64) -> Option<Timestamp> {
    conn.frames.iter().find(|s| s.frame == frame).and_then(|s| s.time)
}
