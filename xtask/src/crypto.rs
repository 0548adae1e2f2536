//! Deterministic crypto plumbing for rustls: a seeded random source, an X25519 key exchange whose
//! private keys come from that source, a frozen clock, and a `CryptoProvider` built from rustls'
//! ring provider with those pieces swapped in. Same seed, same bytes on the wire.

use std::sync::{Arc, Mutex};

use rustls::crypto::{ActiveKeyExchange, CryptoProvider, SecureRandom, SharedSecret, SupportedKxGroup};
use rustls::pki_types::UnixTime;
use rustls::time_provider::TimeProvider;
use rustls::{Error, NamedGroup, SupportedCipherSuite, SupportedProtocolVersion};
use sha2::{Digest, Sha256};

/// SHA-256 in counter mode over a label: block i is SHA-256(label || i as u64 big endian).
#[derive(Debug)]
pub struct SeededRandom {
    label: Vec<u8>,
    state: Mutex<(u64, Vec<u8>)>,
}

impl SeededRandom {
    pub fn new(label: &str) -> Self {
        Self { label: label.as_bytes().to_vec(), state: Mutex::new((0, Vec::new())) }
    }

    /// Fills `dest`, continuing the stream where the last call stopped.
    pub fn fill_bytes(&self, dest: &mut [u8]) {
        let mut guard = match self.state.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let (counter, pool) = &mut *guard;
        for byte in dest.iter_mut() {
            if pool.is_empty() {
                let mut h = Sha256::new();
                h.update(&self.label);
                h.update(counter.to_be_bytes());
                *counter += 1;
                let mut block = h.finalize().to_vec();
                block.reverse(); // popped from the end, so reverse to hand out in order
                *pool = block;
            }
            *byte = pool.pop().unwrap_or(0);
        }
    }
}

impl SecureRandom for SeededRandom {
    fn fill(&self, buf: &mut [u8]) -> Result<(), rustls::crypto::GetRandomFailed> {
        self.fill_bytes(buf);
        Ok(())
    }
}

/// X25519 whose ephemeral secrets are drawn from a [`SeededRandom`].
#[derive(Debug)]
pub struct SeededX25519 {
    rng: &'static SeededRandom,
}

struct ActiveX25519 {
    secret: x25519_dalek::StaticSecret,
    public: [u8; 32],
}

impl SupportedKxGroup for SeededX25519 {
    fn start(&self) -> Result<Box<dyn ActiveKeyExchange>, Error> {
        let mut bytes = [0u8; 32];
        self.rng.fill_bytes(&mut bytes);
        let secret = x25519_dalek::StaticSecret::from(bytes);
        let public = x25519_dalek::PublicKey::from(&secret).to_bytes();
        Ok(Box::new(ActiveX25519 { secret, public }))
    }

    fn name(&self) -> NamedGroup {
        NamedGroup::X25519
    }
}

impl ActiveKeyExchange for ActiveX25519 {
    fn complete(self: Box<Self>, peer_pub_key: &[u8]) -> Result<SharedSecret, Error> {
        let peer: [u8; 32] =
            peer_pub_key.try_into().map_err(|_| Error::from(rustls::PeerMisbehaved::InvalidKeyShare))?;
        let shared = self.secret.diffie_hellman(&x25519_dalek::PublicKey::from(peer));
        if !shared.was_contributory() {
            return Err(rustls::PeerMisbehaved::InvalidKeyShare.into());
        }
        Ok(SharedSecret::from(&shared.as_bytes()[..]))
    }

    fn pub_key(&self) -> &[u8] {
        &self.public
    }

    fn group(&self) -> NamedGroup {
        NamedGroup::X25519
    }
}

/// A clock stuck at one instant: the capture time of a scenario.
#[derive(Debug)]
pub struct FixedTime(pub u64);

impl TimeProvider for FixedTime {
    fn current_time(&self) -> Option<UnixTime> {
        Some(UnixTime::since_unix_epoch(std::time::Duration::from_secs(self.0)))
    }
}

/// The ring provider with seeded randomness and key exchange. `suites` narrows the cipher suites
/// when given; otherwise only suites of the allowed `versions` are kept, so a TLS 1.2-only peer
/// does not list TLS 1.3 suites. Each call leaks two small objects (rustls wants `&'static`).
pub fn provider(
    label: &str,
    suites: Option<&[SupportedCipherSuite]>,
    versions: &[&'static SupportedProtocolVersion],
) -> Arc<CryptoProvider> {
    let rng: &'static SeededRandom = Box::leak(Box::new(SeededRandom::new(label)));
    let kx: &'static SeededX25519 = Box::leak(Box::new(SeededX25519 { rng }));
    let mut p = rustls::crypto::ring::default_provider();
    p.secure_random = rng;
    p.kx_groups = vec![kx];
    match suites {
        Some(s) => p.cipher_suites = s.to_vec(),
        None => p.cipher_suites.retain(|s| versions.iter().any(|v| v.version == s.version().version)),
    }
    Arc::new(p)
}

/// A frozen clock for rustls at `unix_secs`.
pub fn clock(unix_secs: u64) -> Arc<dyn TimeProvider> {
    Arc::new(FixedTime(unix_secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_is_stable_and_continues() {
        let a = SeededRandom::new("x");
        let b = SeededRandom::new("x");
        let mut one = [0u8; 40];
        a.fill_bytes(&mut one[..7]);
        a.fill_bytes(&mut one[7..]);
        let mut two = [0u8; 40];
        b.fill_bytes(&mut two);
        assert_eq!(one, two);
        let first: [u8; 32] = Sha256::digest([b"x".as_slice(), &0u64.to_be_bytes()].concat()).into();
        assert_eq!(&two[..32], &first);
    }
}
