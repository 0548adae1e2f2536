//! The keys that link evidence (appliance tree, UUID, host name, address, InternalCA), the pieces of
//! evidence they link, and how a key is read from a value: the address of a value kept as
//! written, the CN of a subject, the key of an InternalCA.

use std::net::IpAddr;

use crate::firepower::is_internal_ca;
use crate::model::Uuid;

/// What links evidence.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Key {
    /// The appliance tree a piece of evidence lies in (a bundle, extracted or not; an appliance's
    /// root), or the file itself for a status output outside any.
    Bundle(String),
    Uuid(Uuid),
    /// A host name, lower-cased.
    Name(String),
    Ip(IpAddr),
    /// An InternalCA: the UUID of its CN, else its subject.
    Ca(String),
}

/// One piece of evidence, by its index in the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Member {
    Fact(usize),
    Finding(usize),
    Handshake(usize),
}

/// The address of a value kept as its source wrote it (a peer file's `ip`, a FAILED_PUSH row, a
/// status output's peer): `ip`, `ip:port` or `[v6]:port`; `None` when it is not an address.
/// Values the readers type (attempts, handshakes, findings) are never read this way.
pub(super) fn ip_of(addr: &str) -> Option<IpAddr> {
    let a = addr.trim();
    if let Ok(ip) = a.parse() {
        return Some(ip);
    }
    if let Some(rest) = a.strip_prefix('[') {
        return rest.split_once(']').and_then(|(ip, _)| ip.parse().ok());
    }
    a.rsplit_once(':').and_then(|(ip, _)| ip.parse().ok())
}

/// The value of `CN=` in a subject written `/A=b/CN=c` or `A=b, CN=c`.
pub(super) fn cn_of(subject: &str) -> Option<&str> {
    // The parts between separators, found with memchr: this runs for every certificate of
    // every handshake of a capture.
    let ends = memchr::memchr2_iter(b'/', b',', subject.as_bytes()).chain(std::iter::once(subject.len()));
    let mut start = 0;
    for end in ends {
        let part = subject.get(start..end).unwrap_or("").trim();
        if let Some(cn) = part.strip_prefix("CN=") {
            return Some(cn);
        }
        start = end + 1;
    }
    None
}

/// The key of an InternalCA subject.
pub(super) fn ca_key(subject: &str) -> Option<String> {
    if !is_internal_ca(subject) {
        return None;
    }
    Some(match cn_of(subject) {
        Some(cn) if crate::firepower::peers::is_uuid(cn) => cn.to_ascii_lowercase(),
        _ => subject.to_string(),
    })
}
