//! A checked UUID: the 8-4-4-4-12 hex form Firepower writes (`APPLIANCE_UUID`, peer folders,
//! FAILED_PUSH rows). Only a value of that shape becomes a [`Uuid`]; it keeps the case it was
//! written in for display and compares without regard to case.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use serde::{Serialize, Serializer};

/// A UUID as written, checked to be 8-4-4-4-12 hexadecimal digits.
#[derive(Clone, Copy)]
pub struct Uuid([u8; 36]);

impl Uuid {
    /// The UUID `text` is, when it has the shape of one.
    pub fn parse(text: &str) -> Option<Uuid> {
        let b = text.as_bytes();
        let shaped = b.len() == 36
            && b.iter().enumerate().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => *c == b'-',
                _ => c.is_ascii_hexdigit(),
            });
        shaped.then(|| Uuid(b.try_into().expect("36 bytes")))
    }
    /// The text as written.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("checked ASCII")
    }
    /// The lowercase form (how keys and ids write it).
    pub fn to_lowercase(&self) -> String {
        self.as_str().to_ascii_lowercase()
    }
    fn lower(&self) -> [u8; 36] {
        self.0.map(|b| b.to_ascii_lowercase())
    }
}

impl PartialEq for Uuid {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

impl Eq for Uuid {}

impl Hash for Uuid {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.lower().hash(h);
    }
}

impl Ord for Uuid {
    fn cmp(&self, other: &Self) -> Ordering {
        self.lower().cmp(&other.lower())
    }
}

impl PartialOrd for Uuid {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Uuid({})", self.as_str())
    }
}

impl Serialize for Uuid {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_shape_of_a_uuid() {
        let u = Uuid::parse("CDB123C8-4347-11ef-aca1-f3aa241412a1").expect("a UUID");
        assert_eq!(u.as_str(), "CDB123C8-4347-11ef-aca1-f3aa241412a1");
        assert_eq!(u, Uuid::parse("cdb123c8-4347-11ef-aca1-f3aa241412a1").unwrap());
        assert_eq!(u.to_lowercase(), "cdb123c8-4347-11ef-aca1-f3aa241412a1");
        for bad in ["cdb123c8-4347-11ef-aca1-f3aa241412a", "zdb123c8-4347-11ef-aca1-f3aa241412a1", "", "cdb123c8"] {
            assert_eq!(Uuid::parse(bad), None, "{bad}");
        }
        assert_eq!(Uuid::parse("cdb123c8-4347-11ef-aca1-f3aa241412a1-"), None);
    }
}
