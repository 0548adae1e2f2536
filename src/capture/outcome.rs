//! How a followed connection ended: refused, failed (and why), established, rejected with an
//! encrypted alert, cut off by the end of the capture, or begun before it, with the frame that
//! shows it, plus the remarks on an incomplete stream. Encrypted records are judged by who sent
//! them, their order and their size only (see `tls::Tls13Progress`).

use super::conn::Conn;
use crate::codes::AlertLevel;
use crate::model::{Outcome, Role};
use crate::tls::{Seen, Tls13Progress, TlsSummary};

/// How a connection ended.
pub struct Ending {
    pub outcome: Outcome,
    /// The frame that shows it.
    pub seen: Seen,
    /// For [`Outcome::RejectedEncrypted`]: the side whose encrypted alert-sized record ended it.
    pub rejected_by: Option<Role>,
}

impl Ending {
    fn at(outcome: Outcome, seen: Seen) -> Self {
        Ending { outcome, seen, rejected_by: None }
    }
}

/// A SYN answered by a reset from the other side, with no SYN-ACK: the reset's frame.
pub fn refused(conn: &Conn) -> Option<Seen> {
    let (rst_dir, seen) = conn.rst?;
    (conn.syn.is_some() && conn.syn_ack.is_none() && conn.role(rst_dir) == Role::Server).then_some(seen)
}

/// How the connection ended, and the frame that shows it.
pub fn outcome(conn: &Conn, tls: &TlsSummary, refused: Option<Seen>, notes: &mut Vec<String>) -> Ending {
    let last = conn.frames.last().copied().unwrap_or(conn.first);
    if let Some(rst) = refused {
        return Ending::at(Outcome::Refused, rst);
    }
    if tls.start_missing {
        notes.push(
            "the handshake is not in the capture (it began before the capture did): nothing can be said about it; a \
             capture that starts before the connection does shows it"
                .into(),
        );
        return Ending::at(Outcome::NotCaptured, last);
    }
    if let Some(a) = tls.alerts.iter().find(|a| a.level == AlertLevel::FATAL) {
        return Ending::at(Outcome::Failed, a.seen);
    }
    if let Some(n) = &tls.not_tls {
        notes.push(format!("the {} answered with bytes that are not TLS", n.from.as_str()));
        return Ending::at(Outcome::Failed, n.seen);
    }
    if hidden_by_cuts(conn, tls) {
        notes.push(
            "frames cut by the capture's snapshot length hid the handshake's messages: how it went cannot be read; a \
             capture that keeps whole frames (tcpdump -s 0) shows it"
                .into(),
        );
        return Ending::at(Outcome::Unreadable, last);
    }
    if tls.sslv2_server_hello.is_some() {
        if tls.encrypted_records.iter().all(|&n| n >= 2) {
            return Ending::at(Outcome::Established, last);
        }
        return closed_or_cut(conn, last, notes);
    }
    if tls.tls13 {
        let suite = tls.server_hello.as_ref().map(|h| h.suite);
        return match suite.map(|s| tls.flights.progress(s)) {
            Some(Tls13Progress::Established) => Ending::at(Outcome::Established, last),
            Some(Tls13Progress::ClientAlert(seen)) if conn.closed() => rejected(Role::Client, seen, notes),
            Some(Tls13Progress::ServerAlert(seen)) if conn.closed() => rejected(Role::Server, seen, notes),
            Some(Tls13Progress::ServerAlertAfterFinished(seen)) if conn.closed() => {
                notes.push(format!(
                    "the server answered the client's Finished (sent alone: no certificate, no data) with one \
                     encrypted record of an alert's size (frame {}) and the connection closed: an orderly close \
                     (close_notify) and a rejection look the same here; the server's log (or a capture with the TLS \
                     key log) tells which",
                    seen.frame
                ));
                Ending::at(Outcome::ClosedOrRejected, seen)
            }
            _ => closed_or_cut(conn, last, notes),
        };
    }
    // TLS 1.2 and older: both Finished messages follow a ChangeCipherSpec; an encrypted alert
    // after that ends an established connection (close_notify, usually).
    if (tls.ccs[0] && tls.ccs[1]) || (tls.app_data[0] && tls.app_data[1]) {
        return Ending::at(Outcome::Established, last);
    }
    closed_or_cut(conn, last, notes)
}

/// Frames cut by the snapshot length left holes in the streams and the handshake was not read
/// far enough to know how it went: no ServerHello, or (TLS 1.2) no ChangeCipherSpec both ways.
/// Encrypted records alone would mislead here (a TLS 1.3 handshake whose ServerHello was cut
/// reads like TLS 1.2 application data both ways).
fn hidden_by_cuts(conn: &Conn, tls: &TlsSummary) -> bool {
    let holes = conn.cut_frames > 0 && conn.dirs.iter().any(|d| d.gaps > 0);
    let read = tls.server_hello.is_some() && (tls.tls13 || (tls.ccs[0] && tls.ccs[1]));
    holes && !read
}

/// TLS 1.3: `by` answered the other side's flight with one encrypted alert-sized record and the
/// connection closed.
fn rejected(by: Role, seen: Seen, notes: &mut Vec<String>) -> Ending {
    let (who, other) = (by.as_str(), by.other().as_str());
    let what = match by {
        Role::Client => "the server's certificate, most likely",
        Role::Server => "the client's certificate or its lack of one, most likely",
    };
    notes.push(format!(
        "right after the {other}'s flight the {who} sent one encrypted record of an alert's size (frame {}) and the \
         connection closed: the {who} rejected the handshake ({what}); TLS 1.3 encrypts the certificates and the \
         alert, so the capture cannot show which alert or why: the {who}'s log (or a capture with its TLS key log) \
         can",
        seen.frame
    ));
    Ending { outcome: Outcome::RejectedEncrypted, seen, rejected_by: Some(by) }
}

fn closed_or_cut(conn: &Conn, last: Seen, notes: &mut Vec<String>) -> Ending {
    if conn.closed() {
        notes.push("the connection was closed during the handshake without an alert".into());
        return Ending::at(Outcome::Failed, conn.rst.map(|(_, s)| s).unwrap_or(last));
    }
    notes.push("cut off by the end of the capture".into());
    Ending::at(Outcome::Incomplete, last)
}

pub fn gap_notes(conn: &Conn, notes: &mut Vec<String>) {
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
