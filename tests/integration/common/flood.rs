//! The attacker's model of the unkeyed hasher tlstriage used for its input-keyed tables before
//! issue 24 (rotate, xor, multiply by an odd constant, eight bytes at a time): every step can be
//! undone, so one free word of a key fixes its whole 64-bit hash. The flooding tests craft keys
//! against this model; with the hasher keyed by a random seed the same keys spread out again.

use std::hash::{Hash, Hasher};

const K: u64 = 0xf135_7aea_2e62_a9c5;

/// The inverse of `K` modulo 2^64 (Newton's iteration).
fn k_inverse() -> u64 {
    let mut x = K;
    for _ in 0..6 {
        x = x.wrapping_mul(2u64.wrapping_sub(K.wrapping_mul(x)));
    }
    x
}

fn step(h: u64, word: u64) -> u64 {
    (h.rotate_left(26) ^ word).wrapping_mul(K)
}

/// The words the old hasher folded for a key, in order (it read `write` eight bytes at a time, the
/// last partial word marked with its length, and every integer as one word).
#[derive(Default)]
pub struct Words(pub Vec<u64>);

impl Hasher for Words {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in chunks.by_ref() {
            self.0.push(u64::from_le_bytes(c.try_into().unwrap()));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.0.push(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.0.push(u64::from(i));
    }
    fn write_u16(&mut self, i: u16) {
        self.0.push(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.0.push(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.0.push(i);
    }
    fn write_u128(&mut self, i: u128) {
        self.0.push(i as u64);
        self.0.push((i >> 64) as u64);
    }
    fn write_usize(&mut self, i: usize) {
        self.0.push(i as u64);
    }
    fn finish(&self) -> u64 {
        old_hash(&self.0)
    }
}

/// The words of `key` as the old hasher saw them.
pub fn words_of(key: &(impl Hash + ?Sized)) -> Vec<u64> {
    let mut w = Words::default();
    key.hash(&mut w);
    w.0
}

/// The old hash of a key made of `words`.
pub fn old_hash(words: &[u64]) -> u64 {
    words.iter().fold(0, |h, &w| step(h, w)).rotate_left(20)
}

/// The value of word `j` that gives `words` the old hash `target`, the other words kept.
pub fn solve(words: &[u64], j: usize, target: u64) -> u64 {
    let inv = k_inverse();
    let before = words[..j].iter().fold(0, |h, &w| step(h, w));
    let mut after = target.rotate_right(20);
    for &w in words[j + 1..].iter().rev() {
        after = (after.wrapping_mul(inv) ^ w).rotate_right(26);
    }
    after.wrapping_mul(inv) ^ before.rotate_left(26)
}

/// The index of the word that changes when `a` becomes `b` (keys of the same shape that differ
/// inside one word).
pub fn word_between(a: &(impl Hash + ?Sized), b: &(impl Hash + ?Sized)) -> usize {
    let (wa, wb) = (words_of(a), words_of(b));
    assert_eq!(wa.len(), wb.len(), "keys of different shapes");
    let changed: Vec<usize> = (0..wa.len()).filter(|&i| wa[i] != wb[i]).collect();
    assert_eq!(changed.len(), 1, "the keys differ in {changed:?}");
    changed[0]
}

#[test]
fn a_solved_word_gives_the_target_hash() {
    let key = b"0123456789abcdefghijklmnopqrstuvwxyz".to_vec();
    let mut words = words_of(&key[..]);
    words[2] = solve(&words, 2, 0xdead_beef);
    assert_eq!(old_hash(&words), 0xdead_beef);
}
