//! The texts of many evidence lines in one allocation: a log chunk's lines that become evidence
//! are copied once into a block on the scanning thread, and each line's [`EvidenceText`] is a
//! place in the block instead of an allocation of its own. Most of those texts are read only to
//! be compared and hashed (a repeated failure's lines, folded into a count); the few a finding
//! keeps are copied out of the block then ([`EvidenceText::detach`]).
//!
//! A block is checked for key material once, as a whole: when nothing in it could be any, none
//! of its lines needs the per-line check that [`EvidenceText::new`] makes.
//!
//! [`EvidenceText`]: super::EvidenceText
//! [`EvidenceText::detach`]: super::EvidenceText::detach
//! [`EvidenceText::new`]: super::EvidenceText::new

use std::ops::Range;

use super::key_hint::may_hold_key;

/// Lines' texts, one after the other, with what is known about them.
#[derive(Debug, Default)]
pub struct TextBlock {
    text: String,
    /// Nothing in `text` could be key material.
    clean: bool,
    /// The order of the block among those of one reading (for a holder that bounds how many it
    /// keeps alive).
    seq: u64,
}

/// A block being filled, line by line.
#[derive(Debug, Default)]
pub struct TextBlockBuilder {
    text: String,
}

impl TextBlockBuilder {
    /// Room for about `bytes` of text.
    pub fn with_capacity(bytes: usize) -> Self {
        TextBlockBuilder { text: String::with_capacity(bytes) }
    }

    /// Add `line`; its place in the block.
    pub fn push(&mut self, line: &str) -> Range<usize> {
        let start = self.text.len();
        self.text.push_str(line);
        start..self.text.len()
    }

    /// The block, checked for key material.
    pub fn build(self) -> TextBlock {
        let clean = !may_hold_key(&self.text);
        TextBlock { text: self.text, clean, seq: 0 }
    }
}

impl TextBlock {
    /// The block numbered `seq`.
    pub fn numbered(self, seq: u64) -> Self {
        TextBlock { seq, ..self }
    }
    pub fn seq(&self) -> u64 {
        self.seq
    }
    pub(super) fn text(&self) -> &str {
        &self.text
    }
    /// Whether nothing in the block could be key material (else each line is checked on its own).
    pub fn is_clean(&self) -> bool {
        self.clean
    }
}
