//! TLS over reassembled TCP streams: records, handshake defragmentation, messages and alerts.
//!
//! The capture layer feeds each direction's bytes in stream order into a [`TlsConversation`];
//! [`TlsConversation::finish`] returns what the handshake showed as a [`TlsSummary`].

mod flow;
mod handshake;
mod messages;
mod progress;
mod record;
mod sslv2;
mod state;
#[cfg(test)]
mod tests;

use jiff::Timestamp;

use crate::codes::{AlertDescription, AlertLevel, CipherSuite, TlsVersion};
use crate::model::Role;

pub use progress::{alert_sized, Flights, Tls13Progress};

/// Where a message was seen: the capture frame that completed it and its time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Seen {
    pub frame: u64,
    pub time: Option<Timestamp>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientHelloInfo {
    pub legacy_version: TlsVersion,
    /// supported_versions if present, else the legacy version. Kept as sent: GREASE values
    /// included (see [`TlsVersion::is_grease`]).
    pub versions: Vec<TlsVersion>,
    /// Offered suites as sent, GREASE and signalling values included.
    pub suites: Vec<CipherSuite>,
    pub sni: Option<String>,
    pub alpn: Vec<String>,
    pub signature_algorithms: Vec<u16>,
    /// The supported_groups extension, as sent.
    pub groups: Vec<u16>,
    pub seen: Seen,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerHelloInfo {
    /// The negotiated version (supported_versions for TLS 1.3).
    pub version: TlsVersion,
    pub suite: CipherSuite,
    pub seen: Seen,
}

/// An SSL 2.0 SERVER-HELLO: the server chose SSL 2.0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sslv2ServerHello {
    pub version: TlsVersion,
    /// The cipher kinds it lists (three bytes each, e.g. `0x010080` RC4_128_WITH_MD5).
    pub cipher_kinds: Vec<u32>,
    pub seen: Seen,
}

/// Bytes that are not TLS at the start of a direction whose peer spoke TLS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotTls {
    pub from: Role,
    /// The first bytes (at most 64).
    pub head: Vec<u8>,
    pub seen: Seen,
}

/// A Certificate message: the DER of each certificate, leaf first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateMsg {
    pub from: Role,
    pub ders: Vec<Vec<u8>>,
    pub seen: Seen,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlertInfo {
    pub from: Role,
    pub level: AlertLevel,
    pub description: AlertDescription,
    pub seen: Seen,
}

/// What one TLS conversation showed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TlsSummary {
    pub client_hello: Option<ClientHelloInfo>,
    pub server_hello: Option<ServerHelloInfo>,
    pub certificates: Vec<CertificateMsg>,
    pub certificate_request: bool,
    pub server_hello_done: bool,
    /// Plaintext alerts (encrypted ones are counted in `encrypted_alerts`).
    pub alerts: Vec<AlertInfo>,
    /// Records of type alert sent after encryption started, per sender.
    pub encrypted_alerts: Vec<(Role, Seen)>,
    /// ChangeCipherSpec seen from the client / from the server.
    pub ccs: [bool; 2],
    /// Application data seen from the client / from the server.
    pub app_data: [bool; 2],
    /// TLS 1.3 negotiated: certificates and later messages are encrypted.
    pub tls13: bool,
    /// The conversation's first record was no handshake message: the capture starts after the
    /// handshake, and every record is counted, none read.
    pub start_missing: bool,
    /// Records counted without being read (encrypted, or SSL 2.0 after the hellos), per side.
    pub encrypted_records: [u32; 2],
    /// TLS 1.3: the encrypted records after the ServerHello (who, size, where).
    pub flights: Flights,
    /// An SSL 2.0 SERVER-HELLO (the server's certificate is in `certificates`).
    pub sslv2_server_hello: Option<Sslv2ServerHello>,
    /// A side whose first bytes were not TLS.
    pub not_tls: Option<NotTls>,
    /// Remarks: malformed messages with their frame, oversize records, gaps.
    pub notes: Vec<String>,
    /// Frames that carried handshake or alert records.
    pub frames: Vec<u64>,
}

/// Incremental TLS parser for one TCP connection.
///
/// Memory stays bounded whatever is fed: a partial record is at most 18 KiB per direction, a
/// partial handshake message at most 512 KiB, and the lists of the summary are capped.
#[derive(Debug, Default)]
pub struct TlsConversation {
    records: [record::RecordReader; 2],
    flow: flow::Flow,
}

impl TlsConversation {
    pub fn new() -> Self {
        Self::default()
    }
    /// Whether the first bytes of a stream look like a TLS record (detection by content).
    pub fn looks_like_tls(first: &[u8]) -> bool {
        let record = first.len() >= 3 && (20..=23).contains(&first[0]) && first[1] == 3 && first[2] <= 4;
        record || Self::starts_sslv2_client_hello(first)
    }
    /// Whether the bytes start an SSL 2.0-format ClientHello: length header with the high bit
    /// set, message type 1, version 0.2 or 3.0 to 3.4.
    pub fn starts_sslv2_client_hello(first: &[u8]) -> bool {
        match first {
            [b0, _, 1, 3, minor, ..] => b0 & 0x80 != 0 && *minor <= 4,
            [b0, _, 1, 0, 2, ..] => b0 & 0x80 != 0,
            [b0, _, 1] | [b0, _, 1, 0 | 3] => b0 & 0x80 != 0,
            _ => false,
        }
    }
    /// Feed bytes sent by `from`, in stream order; `seen` is the packet that carried them.
    pub fn feed(&mut self, from: Role, data: &[u8], seen: Seen) {
        let flow = &mut self.flow;
        flow.fed(from, seen);
        self.records[state::idx(from)].feed(data, |ev| flow.record(from, ev, seen));
        if from == Role::Server && self.flow.st.summary.sslv2_server_hello.is_some() {
            // The client goes on in SSL 2.0 too (CLIENT-MASTER-KEY, then encrypted records).
            self.records[state::idx(Role::Client)].enter_sslv2();
        }
    }
    /// Bytes are missing in `from`'s direction (lost segment): resynchronise at the next record.
    pub fn gap(&mut self, from: Role) {
        let reader = &mut self.records[state::idx(from)];
        if reader.stopped() {
            return;
        }
        if let Some(body) = reader.held_handshake() {
            self.flow.cut_start(from, body);
        }
        reader.gap();
        self.flow.gap(from);
    }
    /// The handshake is over (both sides encrypting, or a fatal alert): further payload can be
    /// skipped without buffering. Also true once both directions were given up as unparsable.
    pub fn done(&self) -> bool {
        self.flow.st.handshake_over() || self.records.iter().all(|r| r.stopped())
    }
    /// Nothing more will be fed (the connection is skipped from now on): free the buffers of
    /// partial records and messages. What they held is still reported by [`Self::finish`].
    pub fn release_buffers(&mut self) {
        self.records.iter_mut().for_each(record::RecordReader::release);
        self.flow.release();
    }
    /// Bytes held in the buffers of partial records and messages.
    pub fn buffered(&self) -> usize {
        self.records.iter().map(record::RecordReader::buffered).sum::<usize>() + self.flow.buffered()
    }
    pub fn finish(self) -> TlsSummary {
        let mut flow = self.flow;
        flow.finish(self.records.each_ref().map(|r| r.pending()));
        flow.st.finish()
    }
}
