//! SHA-256 fingerprints as bytes: made once where the bytes are hashed, compared and used as
//! keys as they are, written as lowercase hex only when shown.

use std::fmt;

use serde::{Serialize, Serializer};

/// A SHA-256 digest (of a certificate's DER, or of a public key).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sha256(pub [u8; 32]);

impl Sha256 {
    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        use sha2::Digest;
        Sha256(sha2::Sha256::digest(bytes).into())
    }
    /// Lowercase hex without separators (64 characters).
    pub fn to_hex(&self) -> String {
        self.hex_str().as_str().to_string()
    }
    /// The 64 lowercase hex digits, written into a buffer by table: a capture's JSON writes
    /// one per certificate of every handshake, and `{:02x}` per byte cost more than the rest
    /// of the certificate's fields.
    fn hex_str(&self) -> HexText {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 64];
        for (i, b) in self.0.iter().enumerate() {
            out[2 * i] = DIGITS[usize::from(b >> 4)];
            out[2 * i + 1] = DIGITS[usize::from(b & 0x0f)];
        }
        HexText(out)
    }
    /// The digest written as 64 hex digits (either case).
    pub fn from_hex(text: &str) -> Option<Self> {
        if text.len() != 64 || !text.is_ascii() {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, pair) in text.as_bytes().chunks(2).enumerate() {
            let digit = |b: u8| (b as char).to_digit(16);
            out[i] = (digit(pair[0])? * 16 + digit(pair[1])?) as u8;
        }
        Some(Sha256(out))
    }
}

/// The hex digits of a digest, held on the stack.
struct HexText([u8; 64]);

impl HexText {
    fn as_str(&self) -> &str {
        // Only ASCII hex digits are ever written into it.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl fmt::Display for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.hex_str().as_str())
    }
}

impl fmt::Debug for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha256({self})")
    }
}

impl Serialize for Sha256 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.hex_str().as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_both_ways() {
        let d = Sha256::of(b"abc");
        assert_eq!(d.to_hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(Sha256::from_hex(&d.to_hex().to_uppercase()), Some(d));
        assert_eq!(Sha256::from_hex("ba78"), None);
        assert_eq!(serde_json::to_value(d).unwrap(), serde_json::json!(d.to_hex()));
    }
}
