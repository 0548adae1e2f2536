//! How a followed connection ended: refused, failed (and why), established or cut off by the
//! end of the capture, with the frame that shows it, plus the remarks on an incomplete stream.

use super::conn::Conn;
use crate::codes::AlertLevel;
use crate::model::{Outcome, Role};
use crate::tls::{Seen, TlsSummary};

/// A connection with at most this many data segments in all only carried a handshake.
const HANDSHAKE_ONLY_SEGMENTS: u32 = 8;

/// A SYN answered by a reset from the other side, with no SYN-ACK: the reset's frame.
pub fn refused(conn: &Conn) -> Option<Seen> {
    let (rst_dir, seen) = conn.rst?;
    (conn.syn.is_some() && conn.syn_ack.is_none() && conn.role(rst_dir) == Role::Server).then_some(seen)
}

/// How the connection ended, and the frame that shows it.
pub fn outcome(conn: &Conn, tls: &TlsSummary, refused: Option<Seen>, notes: &mut Vec<String>) -> (Outcome, Seen) {
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
