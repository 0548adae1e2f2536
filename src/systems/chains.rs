//! The distinct certificate chains of a run's captured handshakes, each read once.
//!
//! A dense capture holds thousands of handshakes that carry the same few chains, and what a
//! chain says to the systems (whether it holds an InternalCA, the keys its subjects name) does
//! not depend on the handshake that carried it. The chains are told apart by the fingerprints
//! and subjects of their certificates, in order; each handshake keeps the index of its chain.

use std::hash::{Hash, Hasher};

use super::keys::{ca_key, cn_of, Key};
use crate::firepower::is_internal_ca;
use crate::model::{Handshake, HandshakeCert, Uuid};
use crate::util::fasthash::FastMap;

/// What one distinct chain names.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Chain {
    /// A certificate of it is an InternalCA: its handshakes are sftunnel's whatever the port.
    pub(super) internal_ca: bool,
    /// Per certificate in order: the key of its InternalCA, else the UUID of its CN, if any.
    pub(super) keys: Vec<Key>,
    /// Its InternalCAs by key, each once, in order.
    pub(super) ca_keys: Vec<String>,
}

impl Chain {
    fn read(certs: &[HandshakeCert]) -> Self {
        let mut chain = Chain { internal_ca: certs.iter().any(|c| is_internal_ca(&c.subject)), ..Default::default() };
        for c in certs {
            if let Some(k) = ca_key(&c.subject) {
                if !chain.ca_keys.contains(&k) {
                    chain.ca_keys.push(k.clone());
                }
                chain.keys.push(Key::Ca(k));
            } else if let Some(u) = cn_of(&c.subject).and_then(Uuid::parse) {
                chain.keys.push(Key::Uuid(u));
            }
        }
        chain
    }
}

/// A chain as a map key: equal when every certificate has the same fingerprint and subject.
struct Certs<'a>(&'a [HandshakeCert]);

impl Hash for Certs<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.0.len());
        for c in self.0 {
            c.sha256.hash(state);
        }
    }
}

impl PartialEq for Certs<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len()
            && self.0.iter().zip(other.0).all(|(a, b)| a.sha256 == b.sha256 && a.subject == b.subject)
    }
}

impl Eq for Certs<'_> {}

/// The distinct chains of a run's handshakes, and which one each handshake carries.
#[derive(Debug, Default)]
pub(crate) struct Chains {
    /// By handshake index: the index of its chain in `list`.
    of: Vec<usize>,
    list: Vec<Chain>,
}

impl Chains {
    pub fn new(handshakes: &[Handshake]) -> Self {
        let mut at: FastMap<Certs<'_>, usize> = FastMap::default();
        let mut list = Vec::new();
        let of = handshakes
            .iter()
            .map(|h| {
                *at.entry(Certs(&h.certificates)).or_insert_with(|| {
                    list.push(Chain::read(&h.certificates));
                    list.len() - 1
                })
            })
            .collect();
        Chains { of, list }
    }

    /// The index of the chain handshake `i` carries (handshakes with equal chains share it).
    pub fn index_of(&self, i: usize) -> usize {
        self.of[i]
    }

    /// The chain handshake `i` carries.
    pub fn of(&self, i: usize) -> &Chain {
        &self.list[self.of[i]]
    }

    /// Whether handshake `i` is sftunnel's: TCP 8305, or an InternalCA in its chain.
    pub fn is_sftunnel(&self, i: usize, h: &Handshake) -> bool {
        h.server.port() == crate::firepower::SFTUNNEL_PORT || self.of(i).internal_ca
    }
}

#[cfg(test)]
#[path = "chains_tests.rs"]
mod tests;
