//! From a finished connection and its TLS summary to the shared observations: a
//! [`Handshake`] for the `handshakes` output and an [`Attempt`] for the classifier.

use std::sync::Arc;

use jiff::Timestamp;

use super::conn::Conn;
use super::flows::Finished;
use crate::codes::AlertLevel;
use crate::model::CertSummary;
use crate::model::{
    AlertRecord, Attempt, ChainLink, Context, Event, Evidence, Handshake, HandshakeCert, Observed, Outcome, Role,
};
use crate::model::{CertSeen, IngestContext};
use crate::tls::{Seen, TlsSummary};

/// Certificates of one Certificate message that are read (real chains have a handful).
const MAX_CHAIN: usize = 32;

/// The sftunnel port between an FMC and its devices.
const SFTUNNEL_PORT: u16 = 8305;
/// A connection with at most this many data segments in all only carried a handshake.
const HANDSHAKE_ONLY_SEGMENTS: u32 = 8;

/// What one connection contributes to the result.
pub struct Session {
    pub handshake: Handshake,
    pub attempt: Attempt,
    pub certificates: Vec<CertSeen>,
}

/// Build the observations of a TLS connection or of a refused one; `None` for anything else.
pub fn build(fin: &Finished, path: &str, ctx: &IngestContext) -> Option<Session> {
    let conn = &fin.conn;
    let refused = refused(conn);
    if fin.tls.is_none() && refused.is_none() {
        return None;
    }
    let empty = TlsSummary::default();
    let tls = fin.tls.as_ref().unwrap_or(&empty);
    let (client, server) = if conn.role(0) == Role::Client { (conn.a, conn.b) } else { (conn.b, conn.a) };
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
    if let Some(ch) = &tls.client_hello {
        push(
            Event::ClientHello { versions: ch.versions.clone(), suites: ch.suites.clone(), sni: ch.sni.clone() },
            ch.seen,
        );
    }
    if let Some(sh) = &tls.server_hello {
        push(Event::ServerHello { version: sh.version, suite: sh.suite }, sh.seen);
    }
    let handshake_time = tls.server_hello.as_ref().and_then(|s| s.seen.time).or(conn.first.time);
    let mut certs_out = Vec::new();
    let mut hs_certs = Vec::new();
    for msg in &tls.certificates {
        let mut parsed: Vec<(u32, Arc<CertSummary>)> = Vec::new();
        if msg.ders.len() > MAX_CHAIN {
            notes.push(format!(
                "the {} sent {} certificates in frame {}; only the first {MAX_CHAIN} were read",
                msg.from.as_str(),
                msg.ders.len(),
                msg.seen.frame
            ));
        }
        let mut unreadable = 0;
        for (depth, der) in msg.ders.iter().take(MAX_CHAIN).enumerate() {
            match ctx.certs.get_or_parse(der) {
                Ok(c) => parsed.push((depth as u32, c)),
                Err(_) if unreadable >= 3 => unreadable += 1,
                Err(e) => {
                    unreadable += 1;
                    notes.push(format!(
                        "certificate at depth {depth} sent by the {} in frame {} could not be read: {e}",
                        msg.from.as_str(),
                        msg.seen.frame
                    ))
                }
            }
        }
        let mut links = Vec::new();
        for (i, (depth, cert)) in parsed.iter().enumerate() {
            let next = parsed.get(i + 1).filter(|(d, _)| *d == depth + 1);
            let signature_ok = next.and_then(|(_, n)| ctx.certs.verify(cert, n));
            links.push(ChainLink { depth: *depth, cert: cert.clone(), signature_ok });
            hs_certs.push(HandshakeCert {
                from: msg.from,
                depth: *depth,
                subject: cert.subject.clone(),
                sha256: cert.sha256.clone(),
                valid_at_handshake: handshake_time.or(msg.seen.time).is_some_and(|t| cert.valid_at(t)),
                signature_ok,
            });
            certs_out.push(CertSeen { cert: cert.clone(), evidence: ev(msg.seen) });
        }
        push(Event::Chain { from: msg.from, links }, msg.seen);
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
    let (outcome, end_seen) = outcome(conn, tls, refused, &mut notes);
    if let Some(rst) = refused {
        push(Event::Refused, rst);
    }
    push(Event::End { outcome }, end_seen);
    events.sort_by_key(|o| o.evidence.frame);
    gap_notes(conn, &mut notes);
    notes.extend(tls.notes.iter().cloned());

    let mut frames: Vec<Seen> = conn.frames.clone();
    frames.extend(tls.frames.iter().map(|&f| Seen { frame: f, time: time_of(conn, f) }));
    frames.sort_by_key(|s| s.frame);
    frames.dedup_by_key(|s| s.frame);
    let start = conn.first.time;
    let ch = tls.client_hello.as_ref();
    let handshake = Handshake {
        client: client.to_string(),
        server: server.to_string(),
        version: tls.server_hello.as_ref().map(|s| s.version),
        cipher_suite: tls.server_hello.as_ref().map(|s| s.suite),
        sni: ch.and_then(|c| c.sni.clone()),
        alpn: ch.map(|c| c.alpn.clone()).unwrap_or_default(),
        outcome,
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
        certificates: hs_certs,
        start,
        evidence: frames.iter().map(|&s| ev(s)).collect(),
        notes,
    };
    let context = if server.port() == SFTUNNEL_PORT { Context::Sftunnel } else { Context::Generic };
    let attempt = Attempt {
        context,
        observer: None,
        device: None,
        client: Some(client.to_string()),
        server: Some(server.to_string()),
        session: None,
        start,
        events,
        inferred: None,
    };
    Some(Session { handshake, attempt, certificates: certs_out })
}

fn time_of(conn: &Conn, frame: u64) -> Option<Timestamp> {
    conn.frames.iter().find(|s| s.frame == frame).and_then(|s| s.time)
}

/// A SYN answered by a reset from the other side, with no SYN-ACK: the reset's frame.
fn refused(conn: &Conn) -> Option<Seen> {
    let (rst_dir, seen) = conn.rst?;
    (conn.syn.is_some() && conn.syn_ack.is_none() && conn.role(rst_dir) == Role::Server).then_some(seen)
}

/// How the connection ended, and the frame that shows it.
fn outcome(conn: &Conn, tls: &TlsSummary, refused: Option<Seen>, notes: &mut Vec<String>) -> (Outcome, Seen) {
    let close = conn.rst.map(|(_, s)| s);
    let last = conn.frames.last().copied().unwrap_or(conn.first);
    if let Some(rst) = refused {
        return (Outcome::Refused, rst);
    }
    if let Some(a) = tls.alerts.iter().find(|a| a.level == AlertLevel::FATAL) {
        return (Outcome::Failed, a.seen);
    }
    let segments: u32 = conn.dirs.iter().map(|d| d.data_segments).sum();
    if let Some((_, seen)) = tls.encrypted_alerts.first() {
        if conn.closed() && segments <= HANDSHAKE_ONLY_SEGMENTS {
            notes.push("encrypted alert and close right after the handshake: taken as a failure".into());
            return (Outcome::Failed, *seen);
        }
    }
    let established = if tls.tls13 {
        tls.server_hello.is_some() && tls.app_data[0] && tls.app_data[1]
    } else {
        (tls.ccs[0] && tls.ccs[1]) || (tls.app_data[0] && tls.app_data[1])
    };
    if established {
        return (Outcome::Established, last);
    }
    if conn.closed() {
        notes.push("the connection was closed during the handshake without an alert".into());
        return (Outcome::Failed, close.unwrap_or(last));
    }
    notes.push("cut off by the end of the capture".into());
    (Outcome::Incomplete, last)
}

fn gap_notes(conn: &Conn, notes: &mut Vec<String>) {
    for (dir, d) in conn.dirs.iter().enumerate() {
        if d.gaps > 0 {
            let who = conn.role(dir).as_str();
            notes.push(format!(
                "bytes missing in the {who}'s stream ({}); the stream is incomplete",
                crate::wording::counted(d.gaps as u64, "gap")
            ));
        }
    }
    if conn.cut_frames > 0 {
        notes.push(format!("{} frame(s) cut by the capture's snapshot length", conn.cut_frames));
    }
}
