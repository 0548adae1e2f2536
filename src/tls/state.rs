//! What the decoded messages mean for the conversation: hellos, certificates, alerts, when each
//! side starts encrypting, and the bounded lists that end up in the [`TlsSummary`].

use crate::codes::{AlertDescription, AlertLevel, TlsVersion};
use crate::model::Role;

use super::handshake::{type_name, CERTIFICATE, CERTIFICATE_REQUEST, CLIENT_HELLO, SERVER_HELLO, SERVER_HELLO_DONE};
use super::{messages, AlertInfo, CertificateMsg, NotTls, Seen, Tls13Progress, TlsSummary};

const MAX_NOTES: usize = 32;
const MAX_ALERTS: usize = 64;
const MAX_CERT_MSGS: usize = 8;
const MAX_FRAMES: usize = 4096;

pub(super) fn idx(r: Role) -> usize {
    match r {
        Role::Client => 0,
        Role::Server => 1,
    }
}

fn is_tls13(v: TlsVersion) -> bool {
    v == TlsVersion::TLS13 || (v.0 >> 8) == 0x7f
}

#[derive(Debug, Default)]
pub(super) struct State {
    pub(super) summary: TlsSummary,
    /// Records from this side are encrypted from now on.
    encrypted: [bool; 2],
    /// A HelloRetryRequest was seen: the client sends a second plaintext ClientHello.
    retry: bool,
    notes_full: bool,
    alerts_full: bool,
    certs_full: bool,
}

impl State {
    pub(super) fn encrypted(&self, from: Role) -> bool {
        self.encrypted[idx(from)]
    }

    /// Nothing more of interest can come: the capture started after the handshake, TLS 1.3
    /// data flows both ways, both sides of TLS 1.2 encrypt, or SSL 2.0 went on past its hellos in
    /// both directions. A fatal alert does not end the reading: a side may send another alert
    /// after it (GnuTLS' server sends access_denied, then bad_certificate), and both are listed.
    pub(super) fn handshake_over(&self) -> bool {
        let s = &self.summary;
        s.start_missing
            || (s.tls13 && self.tls13_progress() == Some(Tls13Progress::Established))
            || (!s.tls13 && s.ccs == [true, true] && self.encrypted == [true, true])
            || (s.sslv2_server_hello.is_some() && s.encrypted_records.iter().all(|&n| n >= 2))
    }

    /// TLS 1.3: how far the handshake went, from the encrypted records.
    pub(super) fn tls13_progress(&self) -> Option<Tls13Progress> {
        let s = &self.summary;
        let suite = s.server_hello.as_ref().map(|h| h.suite)?;
        s.tls13.then(|| s.flights.progress(suite))
    }

    /// A record counted without being read; TLS 1.3 keeps its size for [`Self::tls13_progress`].
    pub(super) fn encrypted_record(&mut self, from: Role, len: usize, seen: Seen) {
        let n = &mut self.summary.encrypted_records[idx(from)];
        *n = n.saturating_add(1);
        if self.summary.tls13 && !self.summary.start_missing {
            self.summary.flights.push(from, len, seen);
        }
    }

    /// The conversation's first record is no handshake message: the handshake happened before
    /// the capture started. Nothing is read from here on, only counted.
    pub(super) fn start_missing(&mut self, from: Role, what: &str, seen: Seen) {
        self.summary.start_missing = true;
        self.encrypted = [true, true];
        self.note(format!(
            "the capture starts after the handshake (its first TLS record is {what} from the {} in frame {}): the \
             records are counted, none is read",
            from.as_str(),
            seen.frame
        ));
    }

    /// The first bytes `from` sent are not TLS while the other side spoke TLS.
    pub(super) fn not_tls(&mut self, from: Role, head: &[u8], seen: Seen) {
        if self.summary.not_tls.is_none() {
            self.summary.not_tls = Some(NotTls { from, head: head.to_vec(), seen });
        }
    }

    /// An SSL 2.0 SERVER-HELLO: the server chose SSL 2.0; its certificate is kept as the
    /// server's Certificate message.
    pub(super) fn sslv2_server_hello(&mut self, from: Role, body: &[u8], seen: Seen) {
        let side = from.as_str();
        match super::sslv2::server_hello(body, seen) {
            Ok((hello, cert)) => {
                let kinds: Vec<String> = hello.cipher_kinds.iter().map(|k| format!("0x{k:06x}")).collect();
                self.note(format!(
                    "{side}: SSL 2.0 SERVER-HELLO at frame {}: the server chose {} (cipher kinds {}); what follows \
                     is counted, not read",
                    seen.frame,
                    hello.version,
                    kinds.join(", ")
                ));
                if let Some(der) = cert {
                    self.summary.certificates.push(CertificateMsg { from, ders: vec![der], seen });
                }
                self.summary.sslv2_server_hello = Some(hello);
            }
            Err(e) => self.note(format!("{side}: malformed SSL 2.0 SERVER-HELLO at frame {}: {e}", seen.frame)),
        }
    }

    pub(super) fn note(&mut self, text: String) {
        if self.summary.notes.len() < MAX_NOTES {
            self.summary.notes.push(text);
        } else if !self.notes_full {
            self.notes_full = true;
            self.summary.notes.push("further remarks were left out".to_string());
        }
    }

    pub(super) fn mark_frame(&mut self, frame: u64) {
        let frames = &mut self.summary.frames;
        if frames.last() != Some(&frame) && frames.len() < MAX_FRAMES {
            frames.push(frame);
        }
    }

    pub(super) fn ccs(&mut self, from: Role) {
        self.summary.ccs[idx(from)] = true;
        // In TLS 1.3 the record is only there for middleboxes; after a HelloRetryRequest the
        // client may send it before its second, still plaintext, ClientHello.
        let plaintext_hello_follows = self.retry && self.summary.server_hello.is_none();
        if self.summary.tls13 || plaintext_hello_follows {
            return;
        }
        self.encrypted[idx(from)] = true;
    }

    pub(super) fn app_data(&mut self, from: Role) {
        self.summary.app_data[idx(from)] = true;
    }

    pub(super) fn alert(&mut self, from: Role, level: u8, description: u8, seen: Seen) {
        if self.summary.alerts.len() >= MAX_ALERTS {
            return self.alerts_overflow();
        }
        let (level, description) = (AlertLevel(level), AlertDescription(description));
        self.summary.alerts.push(AlertInfo { from, level, description, seen });
    }

    pub(super) fn encrypted_alert(&mut self, from: Role, seen: Seen) {
        if self.summary.encrypted_alerts.len() >= MAX_ALERTS {
            return self.alerts_overflow();
        }
        self.summary.encrypted_alerts.push((from, seen));
    }

    fn alerts_overflow(&mut self) {
        if !self.alerts_full {
            self.alerts_full = true;
            self.note(format!("more than {MAX_ALERTS} alerts; the rest were not recorded"));
        }
    }

    /// An SSL 2.0-format ClientHello (old clients send it to offer TLS too): read like a
    /// ClientHello, with a note that says so.
    pub(super) fn sslv2_client_hello(&mut self, from: Role, body: &[u8], seen: Seen) {
        let side = from.as_str();
        match super::sslv2::client_hello(body, seen) {
            Ok((info, v2_only)) => {
                let only =
                    if v2_only > 0 { format!(", and {v2_only} SSL 2.0-only cipher kind(s)") } else { String::new() };
                self.note(format!(
                    "{side}: SSL 2.0-format ClientHello at frame {} offering up to {} with {} TLS suite(s){only}",
                    seen.frame,
                    info.legacy_version,
                    info.suites.len()
                ));
                if self.summary.client_hello.is_some() {
                    self.note(format!("another ClientHello at frame {} replaces the first", seen.frame));
                }
                self.summary.client_hello = Some(info);
            }
            Err(e) => self.note(format!("{side}: malformed SSL 2.0-format ClientHello at frame {}: {e}", seen.frame)),
        }
    }

    /// A complete plaintext handshake message.
    pub(super) fn message(&mut self, from: Role, typ: u8, body: &[u8], seen: Seen) {
        let side = from.as_str();
        let frame = seen.frame;
        match typ {
            CLIENT_HELLO => match messages::client_hello(body, seen) {
                Ok((info, problems)) => {
                    if from == Role::Server {
                        self.note(format!("a ClientHello came from the server side at frame {frame}"));
                    }
                    if self.summary.client_hello.is_some() {
                        self.note(format!("another ClientHello at frame {frame} replaces the first"));
                    }
                    self.summary.client_hello = Some(info);
                    self.problems(side, "ClientHello", frame, problems);
                }
                Err(e) => self.note(format!("{side}: malformed ClientHello at frame {frame}: {e}")),
            },
            SERVER_HELLO => match messages::server_hello(body, seen) {
                Ok(parts) if parts.retry => {
                    self.retry = true;
                    self.note(format!("HelloRetryRequest at frame {frame}: the server asks for a new ClientHello"));
                    self.problems(side, "HelloRetryRequest", frame, parts.problems);
                }
                Ok(parts) => {
                    if is_tls13(parts.info.version) && !self.summary.tls13 {
                        self.summary.tls13 = true;
                        self.encrypted = [true, true];
                        self.note(
                            "TLS 1.3 was negotiated: the certificates are encrypted and cannot be checked from the \
                             capture"
                                .to_string(),
                        );
                    }
                    self.summary.server_hello = Some(parts.info);
                    self.problems(side, "ServerHello", frame, parts.problems);
                }
                Err(e) => self.note(format!("{side}: malformed ServerHello at frame {frame}: {e}")),
            },
            CERTIFICATE => match messages::certificate(body) {
                Ok(ders) if self.summary.certificates.len() < MAX_CERT_MSGS => {
                    self.summary.certificates.push(CertificateMsg { from, ders, seen });
                }
                Ok(_) if !self.certs_full => {
                    self.certs_full = true;
                    self.note(format!("more than {MAX_CERT_MSGS} Certificate messages; the rest were not kept"));
                }
                Ok(_) => {}
                Err(e) => self.note(format!("{side}: malformed Certificate at frame {frame}: {e}")),
            },
            CERTIFICATE_REQUEST => {
                self.summary.certificate_request = true;
                if let Err(e) = messages::certificate_request(body) {
                    self.note(format!("{side}: malformed CertificateRequest at frame {frame}: {e}"));
                }
            }
            SERVER_HELLO_DONE => self.summary.server_hello_done = true,
            _ => {}
        }
    }

    fn problems(&mut self, side: &str, what: &str, frame: u64, problems: Vec<String>) {
        for p in problems {
            self.note(format!("{side}: {what} at frame {frame}: {p}"));
        }
    }

    /// A message over its size cap was skipped.
    pub(super) fn oversize_message(&mut self, from: Role, typ: u8, len: usize, limit: usize, frame: u64) {
        let (side, name) = (from.as_str(), type_name(typ));
        self.note(format!("{side}: {name} of {len} bytes exceeds the limit of {limit} at frame {frame}; skipped"));
    }

    pub(super) fn finish(mut self) -> TlsSummary {
        self.summary.frames.sort_unstable();
        self.summary.frames.dedup();
        self.summary
    }
}
