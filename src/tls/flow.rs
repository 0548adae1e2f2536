//! Routing of complete records: handshake bodies to the defragmenter, alerts, ChangeCipherSpec
//! and application data to the conversation state; record-level problems become notes.

use crate::model::Role;

use super::handshake::{max_len, plausible_start, type_name, HandshakeReader, HsEvent};
use super::record::{RecordEvent, ALERT, APP_DATA, CCS, HANDSHAKE, MAX_RECORD};
use super::state::{idx, State};
use super::Seen;

#[derive(Debug, Default)]
pub(super) struct Flow {
    hs: [HandshakeReader; 2],
    /// The first byte of an alert split across two records.
    alert_byte: [Option<u8>; 2],
    /// The last frame fed per side, for notes about lost data.
    last_frame: [Option<u64>; 2],
    /// Records (or SSL 2.0 hellos) seen per side.
    records: [u32; 2],
    pub(super) st: State,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ")
}

impl Flow {
    /// Nothing more will be fed: free the message buffers.
    pub(super) fn release(&mut self) {
        self.hs.iter_mut().for_each(HandshakeReader::release);
    }

    pub(super) fn buffered(&self) -> usize {
        self.hs.iter().map(HandshakeReader::buffered).sum()
    }

    pub(super) fn fed(&mut self, from: Role, seen: Seen) {
        self.last_frame[idx(from)] = Some(seen.frame);
    }

    pub(super) fn record(&mut self, from: Role, ev: RecordEvent<'_>, seen: Seen) {
        let side = from.as_str();
        let frame = seen.frame;
        match ev {
            RecordEvent::Touch { ctype } => {
                if ctype == ALERT || ctype == HANDSHAKE {
                    self.st.mark_frame(frame);
                }
            }
            RecordEvent::Record { ctype, body, len } => {
                self.first_record(from, ctype, body, seen);
                self.complete(from, ctype, body, len, seen)
            }
            RecordEvent::Sslv2Hello { body } => {
                self.records[idx(from)] += 1;
                self.st.sslv2_client_hello(from, body, seen)
            }
            RecordEvent::Sslv2ServerHello { body } => {
                self.records[idx(from)] += 1;
                self.st.sslv2_server_hello(from, body, seen)
            }
            RecordEvent::Sslv2Record => self.st.encrypted_record(from, 0, seen),
            RecordEvent::Oversize { len } => self.st.note(format!(
                "{side}: record of {len} bytes exceeds the limit of {MAX_RECORD} at frame {frame}; the rest of this \
                 direction is not parsed"
            )),
            RecordEvent::NotTls { header, head } => {
                if self.records[idx(from)] == 0 && self.records[idx(from.other())] > 0 {
                    self.st.not_tls(from, head, seen);
                }
                self.st.note(format!(
                    "{side}: bytes at frame {frame} are not a TLS record (they start {}); the rest of this direction \
                     is not parsed",
                    hex(&header)
                ))
            }
            RecordEvent::Resynced => {
                self.st.note(format!("{side}: parsing resumed at a record starting in frame {frame}"));
            }
        }
    }

    /// The conversation's first record decides whether its start is in the capture: only a
    /// plausible plaintext handshake message can open a TLS conversation.
    fn first_record(&mut self, from: Role, ctype: u8, body: &[u8], seen: Seen) {
        let first = self.records == [0, 0];
        self.records[idx(from)] = self.records[idx(from)].saturating_add(1);
        if !first || (ctype == HANDSHAKE && plausible_start(body)) {
            return;
        }
        let what = match ctype {
            HANDSHAKE => "an unreadable handshake record",
            ALERT => "an alert",
            CCS => "a ChangeCipherSpec",
            APP_DATA => "application data",
            _ => "a heartbeat",
        };
        self.st.start_missing(from, what, seen);
    }

    fn complete(&mut self, from: Role, ctype: u8, body: &[u8], len: usize, seen: Seen) {
        let i = idx(from);
        match ctype {
            HANDSHAKE => {
                self.st.mark_frame(seen.frame);
                if self.st.encrypted(from) {
                    self.st.encrypted_record(from, len, seen);
                    return;
                }
                let st = &mut self.st;
                self.hs[i].push_record(body, |ev| match ev {
                    HsEvent::Message { typ, body } => st.message(from, typ, body, seen),
                    HsEvent::Oversize { typ, len } => st.oversize_message(from, typ, len, max_len(typ), seen.frame),
                    HsEvent::Dropped => st.note(format!(
                        "{}: handshake record at frame {} skipped: it continues a message whose start was lost",
                        from.as_str(),
                        seen.frame
                    )),
                });
            }
            ALERT => {
                self.st.mark_frame(seen.frame);
                // An encrypted alert always carries a MAC or tag, so a 2-byte alert record is
                // plaintext even after ChangeCipherSpec (TLS 1.3 peers failing on the
                // ServerHello answer that way).
                if self.st.encrypted(from) && body.len() != 2 {
                    self.st.encrypted_alert(from, seen);
                    self.st.encrypted_record(from, len, seen);
                    return;
                }
                self.alerts(from, body, seen);
            }
            CCS => self.st.ccs(from),
            APP_DATA => {
                self.st.app_data(from);
                self.st.encrypted_record(from, len, seen);
            }
            _ => {}
        }
    }

    fn alerts(&mut self, from: Role, body: &[u8], seen: Seen) {
        let i = idx(from);
        let mut rest = body;
        if let Some(level) = self.alert_byte[i] {
            if let Some((&description, tail)) = rest.split_first() {
                self.alert_byte[i] = None;
                self.st.alert(from, level, description, seen);
                rest = tail;
            }
        }
        let mut pairs = rest.chunks_exact(2);
        for pair in pairs.by_ref() {
            if let [level, description] = pair {
                self.st.alert(from, *level, *description, seen);
            }
        }
        if let [level] = pairs.remainder() {
            self.alert_byte[i] = Some(*level);
        }
    }

    /// Data was lost in `from`'s direction while it held the start of a handshake record
    /// (`body`: what came of it). As the conversation's first record, a plausible handshake
    /// message shows that its start is in the capture, only cut short: the records after the gap
    /// are read, not counted as a conversation that began before the capture.
    pub(super) fn cut_start(&mut self, from: Role, body: &[u8]) {
        if self.records == [0, 0] && plausible_start(body) {
            self.records[idx(from)] = 1;
        }
    }

    /// Data was lost in `from`'s direction.
    pub(super) fn gap(&mut self, from: Role) {
        let i = idx(from);
        self.hs[i].gap();
        self.alert_byte[i] = None;
        let after = match self.last_frame[i] {
            Some(f) => format!(" after frame {f}"),
            None => String::new(),
        };
        self.st
            .note(format!("{}: data is missing{after}; parsing continues at the next record boundary", from.as_str()));
    }

    /// Notes about messages the stream ended in the middle of.
    pub(super) fn finish(&mut self, held: [Option<(u8, usize)>; 2]) {
        for (from, held) in [Role::Client, Role::Server].into_iter().zip(held) {
            let side = from.as_str();
            // The message buffer only ever holds plaintext, even if encryption started later.
            if let Some((typ, have, len)) = self.hs[idx(from)].pending() {
                let name = type_name(typ);
                self.st.note(format!("{side}: the capture ends inside a {name} message ({have} of {len} bytes)"));
            } else if self.st.encrypted(from) || self.st.summary.sslv2_server_hello.is_some() {
                continue;
            } else if let Some((ctype @ (HANDSHAKE | ALERT), n)) = held {
                let what = if ctype == HANDSHAKE { "handshake" } else { "alert" };
                self.st.note(format!("{side}: the capture ends inside a {what} record ({n} bytes of it seen)"));
            }
        }
    }
}
