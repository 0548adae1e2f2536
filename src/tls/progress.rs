//! What encrypted records still tell. Their content is never read: only who sent them, in which
//! order and how big they are. In TLS 1.3 every handshake message after the ServerHello is
//! encrypted (records of outer type application_data), so how far the handshake went is judged
//! from the flights alone: the server's flight, the client's answer, the server's answer to that.

use crate::codes::CipherSuite;
use crate::model::Role;

use super::Seen;

/// Encrypted records kept for judging: the first flights are all it needs.
const MAX_TRACKED: usize = 32;

/// How far a TLS 1.3 handshake went, as the encrypted records show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tls13Progress {
    /// Nothing from the client after the server's flight (yet).
    ServerFlight,
    /// The client answered the server's flight with one record of an alert's size and nothing
    /// else: it most likely refused the server (its certificate, usually).
    ClientAlert(Seen),
    /// The client answered with its flight; the server sent nothing after it.
    ClientAnswered,
    /// The server answered the client's flight with records of an alert's size only: it most
    /// likely refused the client (its certificate, or its missing certificate).
    ServerAlert(Seen),
    /// The server answered the client's Finished, sent alone (no certificate, no data), with one
    /// record of an alert's size: its close_notify after a handshake that went well looks the
    /// same as an alert refusing the client's Finished, so which one it was is not told.
    ServerAlertAfterFinished(Seen),
    /// The server answered the client's flight with more than an alert (a session ticket or
    /// data): the handshake is over and data flows both ways.
    Established,
}

/// Whether an encrypted TLS 1.3 record of `len` bytes can hold exactly one alert: two bytes of
/// alert, one of inner content type, and the AEAD tag (8 bytes for the CCM_8 suites, else 16).
pub fn alert_sized(len: usize, suite: CipherSuite) -> bool {
    let tag = if suite == CipherSuite::TLS_AES_128_CCM_8_SHA256 { 8 } else { 16 };
    len == 2 + 1 + tag
}

/// The encrypted records of a TLS 1.3 conversation after the ServerHello, in the order they were
/// read (bounded).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Flights {
    records: Vec<(Role, usize, Seen)>,
    /// More records came than are kept: the handshake is long over.
    overflow: bool,
}

impl Flights {
    pub(super) fn push(&mut self, from: Role, len: usize, seen: Seen) {
        if self.records.len() < MAX_TRACKED {
            self.records.push((from, len, seen));
        } else {
            self.overflow = true;
        }
    }

    /// Records of one sender following each other, after skipping `from`'s records at the start.
    fn flight<'a>(rest: &mut &'a [(Role, usize, Seen)], who: Role) -> &'a [(Role, usize, Seen)] {
        let n = rest.iter().take_while(|r| r.0 == who).count();
        let (flight, tail) = rest.split_at(n);
        *rest = tail;
        flight
    }

    pub fn progress(&self, suite: CipherSuite) -> Tls13Progress {
        let alert = |r: &(Role, usize, Seen)| alert_sized(r.1, suite);
        let mut rest = self.records.as_slice();
        // Early data (0-RTT) from the client comes before the server's flight.
        Self::flight(&mut rest, Role::Client);
        Self::flight(&mut rest, Role::Server);
        let client = Self::flight(&mut rest, Role::Client);
        let server = Self::flight(&mut rest, Role::Server);
        let client_later = !rest.is_empty();
        match (client, server) {
            ([], _) if self.overflow => Tls13Progress::Established,
            ([], _) => Tls13Progress::ServerFlight,
            ([only], []) if alert(only) && !client_later => Tls13Progress::ClientAlert(only.2),
            (_, []) => Tls13Progress::ClientAnswered,
            // A client whose flight ends with an alert closed first: the server's alert answers it.
            ([_], [only]) if alert(only) && !client_later => Tls13Progress::ServerAlertAfterFinished(only.2),
            (c, s) if s.iter().all(alert) && !c.last().is_some_and(alert) => Tls13Progress::ServerAlert(s[0].2),
            _ => Tls13Progress::Established,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Role::{Client, Server};

    const GCM: CipherSuite = CipherSuite::TLS_AES_256_GCM_SHA384;

    fn flights(records: &[(Role, usize)]) -> Flights {
        let mut f = Flights::default();
        for (i, (who, len)) in records.iter().enumerate() {
            f.push(*who, *len, Seen { frame: i as u64 + 1, time: None });
        }
        f
    }

    fn at(frame: u64) -> Seen {
        Seen { frame, time: None }
    }

    #[test]
    fn flights_of_real_stacks() {
        // OpenSSL s_server/s_client: server flight, client Finished, two tickets, data, close.
        let ok = flights(&[(Server, 23), (Server, 1788), (Server, 281), (Server, 69), (Client, 69), (Server, 250)]);
        assert_eq!(ok.progress(GCM), Tls13Progress::Established);
        // GnuTLS' client refusing the server's certificate.
        let refused = flights(&[(Server, 49), (Server, 1788), (Server, 281), (Server, 69), (Client, 19)]);
        assert_eq!(refused.progress(GCM), Tls13Progress::ClientAlert(at(5)));
        // A server refusing the client's certificate, the client having sent data already.
        let mtls = flights(&[(Server, 1788), (Server, 69), (Client, 1782), (Client, 69), (Client, 22), (Server, 19)]);
        assert_eq!(mtls.progress(GCM), Tls13Progress::ServerAlert(at(6)));
        // The server's one alert after the client's lone Finished: a close_notify or a refusal.
        let lone = flights(&[(Server, 23), (Server, 466), (Server, 96), (Server, 69), (Client, 69), (Server, 19)]);
        assert_eq!(lone.progress(GCM), Tls13Progress::ServerAlertAfterFinished(at(6)));
        // A client that sent its flight and closed first: the server's alert is its close_notify.
        let closed = flights(&[(Server, 1788), (Client, 69), (Client, 19), (Server, 19)]);
        assert_eq!(closed.progress(GCM), Tls13Progress::Established);
    }

    #[test]
    fn unfinished_flights() {
        assert_eq!(flights(&[(Server, 1788)]).progress(GCM), Tls13Progress::ServerFlight);
        assert_eq!(flights(&[(Server, 1788), (Client, 69)]).progress(GCM), Tls13Progress::ClientAnswered);
        assert_eq!(flights(&[]).progress(GCM), Tls13Progress::ServerFlight);
    }

    #[test]
    fn the_alert_size_follows_the_tag() {
        assert!(alert_sized(19, GCM));
        assert!(!alert_sized(22, GCM));
        assert!(alert_sized(11, CipherSuite::TLS_AES_128_CCM_8_SHA256));
    }
}
