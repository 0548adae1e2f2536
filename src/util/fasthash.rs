//! The hasher of every hash table whose keys come from inputs (connections of a capture,
//! certificate bytes, log threads): fast, and keyed by a random seed so that nobody can craft
//! keys that collide.
//!
//! The hash is foldhash (the fast variant; what hashbrown itself uses), seeded once per process
//! from the operating system's randomness (through std's `RandomState`) rather than foldhash's own
//! seed, which comes from addresses and the clock. Each table gets its own seed on top. Until
//! issue 24 these tables used an unkeyed rotate-xor-multiply hash whose every step can be undone,
//! so one free word of a key fixed its hash: 400 certificates or 100,000 SYNs crafted that way
//! made the tables quadratic (tests/integration/hostile_flood.rs).
//!
//! A seeded hash gives every run another table order, so nothing that reaches an output may
//! depend on the order of a table built on it: the tables here are only looked up, and results
//! are ordered by the input (frame, file, line).

use std::hash::{BuildHasher, Hash, RandomState};
use std::sync::OnceLock;

use foldhash::fast::{FoldHasher, SeedableRandomState};
use foldhash::SharedSeed;

/// The process's seed, drawn from the operating system's randomness on first use.
fn shared_seed() -> &'static SharedSeed {
    static SEED: OnceLock<SharedSeed> = OnceLock::new();
    SEED.get_or_init(|| SharedSeed::from_u64(RandomState::new().hash_one(0x7c5_u64)))
}

/// `BuildHasher` for `HashMap<K, V, FastBuild>`: a table of its own seed.
#[derive(Clone, Debug)]
pub struct FastBuild(SeedableRandomState);

impl Default for FastBuild {
    fn default() -> Self {
        // std's `RandomState::new` varies its keys per call: a fresh seed for each table.
        let per_table = RandomState::new().hash_one(0x7ab1e_u64);
        FastBuild(SeedableRandomState::with_seed(per_table, shared_seed()))
    }
}

impl BuildHasher for FastBuild {
    type Hasher = FoldHasher<'static>;
    #[inline]
    fn build_hasher(&self) -> Self::Hasher {
        self.0.build_hasher()
    }
}

/// A `HashMap` keyed by input data.
pub type FastMap<K, V> = std::collections::HashMap<K, V, FastBuild>;
/// A `HashSet` of input data.
pub type FastSet<K> = std::collections::HashSet<K, FastBuild>;

/// The keyed hash of `key`, the same for the whole process (for choosing a worker by key).
pub fn hash_one(key: impl Hash) -> u64 {
    static STATE: OnceLock<FastBuild> = OnceLock::new();
    STATE.get_or_init(FastBuild::default).hash_one(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_hash_equal_and_tables_differ() {
        assert_eq!(hash_one(b"0123456789"), hash_one(b"0123456789"));
        assert_ne!(hash_one(b"0123456789"), hash_one(b"012345678"));
        let (a, b) = (FastBuild::default(), FastBuild::default());
        assert_eq!(a.hash_one(b"key"), a.hash_one(b"key"));
        // Two tables seed differently (a chance of 2^-64 of the same hash).
        assert_ne!(a.hash_one(b"key"), b.hash_one(b"key"));
    }

    #[test]
    fn table_works_with_it() {
        let mut m: FastMap<u64, u32> = FastMap::default();
        for i in 0..1000u64 {
            m.insert(i * 7919, i as u32);
        }
        assert_eq!(m.len(), 1000);
        assert_eq!(m.get(&(500 * 7919)), Some(&500));
        assert_eq!(m.get(&3), None);
    }
}
