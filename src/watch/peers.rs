//! Which peers are failing, so that a peer that connects again is said once ("came back"), and
//! the ones still failing are listed at the end.
//!
//! A peer is the other end of an sftunnel connection as the log that tried it names it, with
//! the device that wrote the log (an FMC's log names many devices; devices' logs name their
//! FMC). The state is bounded over days of following: at most [`MAX_PEERS`] peers are held (a
//! new one past that replaces the one whose last failure is oldest, and the summary says how
//! many were let go), each with its names cut to [`MAX_NAME`] bytes.

use std::collections::HashMap;

use jiff::Timestamp;

/// Failing peers held at most.
pub const MAX_PEERS: usize = 4096;
/// Bytes of a device or peer name kept.
pub const MAX_NAME: usize = 256;

/// A peer as one device's log names it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Peer {
    /// The device that wrote the log (its syslog host name), when known.
    pub device: Option<String>,
    /// The other end (an address or a name).
    pub peer: String,
}

impl Peer {
    pub fn new(device: Option<&str>, peer: &str) -> Self {
        Peer { device: device.map(|d| cut(d).to_string()), peer: cut(peer).to_string() }
    }
}

fn cut(s: &str) -> &str {
    if s.len() <= MAX_NAME {
        return s;
    }
    let mut end = MAX_NAME;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// How a failing peer has failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failing {
    /// The log time of its first failure since it last connected.
    pub since: Option<Timestamp>,
    /// The log time of its latest failure.
    pub last: Option<Timestamp>,
    /// Failed attempts since it last connected.
    pub attempts: u64,
    /// The finding kind of its latest failure (e.g. `ca-expired`), when it had one.
    pub kind: Option<&'static str>,
}

/// A peer that connected again after failing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Back {
    pub peer: Peer,
    /// The log time of the successful connection.
    pub at: Option<Timestamp>,
    pub failing: Failing,
}

/// The failing peers.
#[derive(Debug, Default)]
pub struct Peers {
    failing: HashMap<Peer, Failing>,
    /// Peers let go to keep within [`MAX_PEERS`].
    pub dropped: u64,
}

impl Peers {
    /// A failed attempt of `peer` at `at`.
    pub fn failed(&mut self, peer: Peer, at: Option<Timestamp>, kind: Option<&'static str>) {
        if !self.failing.contains_key(&peer) && self.failing.len() >= MAX_PEERS {
            let oldest =
                self.failing.iter().min_by(|a, b| (a.1.last, a.0).cmp(&(b.1.last, b.0))).map(|(p, _)| p.clone());
            if let Some(p) = oldest {
                self.failing.remove(&p);
                self.dropped += 1;
            }
        }
        let f = self.failing.entry(peer).or_insert(Failing { since: at, last: at, attempts: 0, kind });
        f.attempts += 1;
        f.last = at.or(f.last);
        f.kind = kind.or(f.kind);
    }

    /// A successful connection of `peer` at `at`: the peer came back when it was failing.
    pub fn connected(&mut self, peer: Peer, at: Option<Timestamp>) -> Option<Back> {
        let failing = self.failing.remove(&peer)?;
        Some(Back { peer, at, failing })
    }

    /// The peers still failing, the longest failing first.
    pub fn still_failing(&self) -> Vec<(&Peer, &Failing)> {
        let mut v: Vec<(&Peer, &Failing)> = self.failing.iter().collect();
        v.sort_by(|a, b| (a.1.since, a.0).cmp(&(b.1.since, b.0)));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Option<Timestamp> {
        Some(s.parse().expect("a time"))
    }

    #[test]
    fn a_peer_comes_back_once_and_only_after_failing() {
        let mut peers = Peers::default();
        let ftd = || Peer::new(Some("ftd-branch-07"), "192.168.45.10");
        assert_eq!(peers.connected(ftd(), t("2026-03-14T06:00:00Z")), None, "never failed: nothing to say");
        peers.failed(ftd(), t("2026-03-14T06:00:05Z"), Some("ca-expired"));
        peers.failed(ftd(), t("2026-03-14T06:05:05Z"), Some("ca-expired"));
        assert_eq!(peers.still_failing().len(), 1);
        let back = peers.connected(ftd(), t("2026-03-14T06:20:05Z")).expect("it came back");
        assert_eq!(back.failing.attempts, 2);
        assert_eq!(back.failing.since, t("2026-03-14T06:00:05Z"));
        assert_eq!(back.failing.last, t("2026-03-14T06:05:05Z"));
        assert_eq!(peers.connected(ftd(), t("2026-03-14T06:25:05Z")), None, "said once");
        assert!(peers.still_failing().is_empty());
    }

    #[test]
    fn the_table_stays_bounded_and_counts_what_it_lets_go() {
        let mut peers = Peers::default();
        for i in 0..MAX_PEERS + 10 {
            let at = Timestamp::from_second(1_700_000_000 + i as i64).ok();
            peers.failed(Peer::new(Some("fmc"), &format!("10.0.{}.{}", i / 256, i % 256)), at, None);
        }
        assert_eq!(peers.still_failing().len(), MAX_PEERS);
        assert_eq!(peers.dropped, 10);
        assert_eq!(peers.still_failing()[0].0.peer, "10.0.0.10", "the oldest were let go");
        let long = "x".repeat(MAX_NAME * 2);
        assert_eq!(Peer::new(Some(&long), &long).peer.len(), MAX_NAME);
    }
}
