//! Where a connection went, as typed values: a [`Host`] is an address or, where a source names
//! the other end by name (a log's `Peer ftd-7 needs re-connect`, a status output, a FAILED_PUSH
//! device), that name; an [`Endpoint`] is a host with the port when the source gives one.
//!
//! Readers parse once; nothing above them takes an `ip:port` text apart again. The text forms
//! are the ones the sources and the JSON use: `10.0.0.1`, `10.0.0.1:8305`, `fd00::1`,
//! `[fd00::1]:8305`, `ftd-branch-07`.

use std::cmp::Ordering;
use std::fmt::{self, Write as _};
use std::net::{IpAddr, SocketAddr};

use serde::{Serialize, Serializer};

/// A host: an address, or the name a source gives instead of one.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Host {
    Ip(IpAddr),
    Name(String),
}

impl Host {
    /// An address when `text` is one (`10.0.0.1`, `fd00::1`), else the name as written.
    pub fn parse(text: &str) -> Host {
        match text.parse::<IpAddr>() {
            Ok(ip) => Host::Ip(ip),
            Err(_) => Host::Name(text.to_string()),
        }
    }
    /// The address, when the host is one.
    pub fn ip(&self) -> Option<IpAddr> {
        match self {
            Host::Ip(ip) => Some(*ip),
            Host::Name(_) => None,
        }
    }
    /// The name, when the host is given by one.
    pub fn name(&self) -> Option<&str> {
        match self {
            Host::Ip(_) => None,
            Host::Name(n) => Some(n),
        }
    }
}

impl From<IpAddr> for Host {
    fn from(ip: IpAddr) -> Self {
        Host::Ip(ip)
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Ip(ip) => write!(f, "{ip}"),
            Host::Name(n) => f.write_str(n),
        }
    }
}

/// One end of a connection: a host and, when the source gives it, the port. Endpoints compare
/// (and hash, and order) as their text reads, so `Name("10.0.0.1")` and `Ip(10.0.0.1)` are the
/// same endpoint.
#[derive(Clone, Debug)]
pub struct Endpoint {
    pub host: Host,
    pub port: Option<u16>,
}

impl Endpoint {
    /// An endpoint written `ip:port`, `[v6]:port`, `ip`, or a name (for readers that are given
    /// text, and for tests).
    pub fn parse(text: &str) -> Self {
        match text.parse::<SocketAddr>() {
            Ok(a) => a.into(),
            Err(_) => Endpoint::named(text),
        }
    }
    /// A host named by a source (an address when the text is one), without a port.
    pub fn named(text: &str) -> Self {
        Endpoint { host: Host::parse(text), port: None }
    }
    /// The address, when the host is one.
    pub fn ip(&self) -> Option<IpAddr> {
        self.host.ip()
    }
    /// The same end without its port (a client is known by its address: its port changes with
    /// every connection).
    pub fn without_port(&self) -> Endpoint {
        Endpoint { host: self.host.clone(), port: None }
    }
    /// Call `f` with the text form, written on the stack when it is an address (no allocation:
    /// endpoints are compared as text while thousands of findings are folded).
    fn with_text<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        if let (Host::Name(n), None) = (&self.host, self.port) {
            return f(n);
        }
        let mut buf = StackText::default();
        match write!(buf, "{self}") {
            Ok(()) => f(buf.as_str()),
            Err(_) => f(&self.to_string()),
        }
    }
}

impl From<SocketAddr> for Endpoint {
    fn from(a: SocketAddr) -> Self {
        Endpoint { host: Host::Ip(a.ip()), port: Some(a.port()) }
    }
}

impl From<IpAddr> for Endpoint {
    fn from(ip: IpAddr) -> Self {
        Endpoint { host: Host::Ip(ip), port: None }
    }
}

impl From<Host> for Endpoint {
    fn from(host: Host) -> Self {
        Endpoint { host, port: None }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.host, self.port) {
            (Host::Ip(IpAddr::V6(ip)), Some(p)) => write!(f, "[{ip}]:{p}"),
            (h, Some(p)) => write!(f, "{h}:{p}"),
            (h, None) => write!(f, "{h}"),
        }
    }
}

impl PartialEq for Endpoint {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Endpoint {}

impl std::hash::Hash for Endpoint {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.with_text(|t| t.hash(h));
    }
}

/// Endpoints order as their text reads (`10.0.0.10` before `10.0.0.9`), the order reports have
/// always listed peers in.
impl Ord for Endpoint {
    fn cmp(&self, other: &Self) -> Ordering {
        self.with_text(|a| other.with_text(|b| a.cmp(b)))
    }
}

impl PartialOrd for Endpoint {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for Endpoint {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.with_text(|t| s.serialize_str(t))
    }
}

impl Serialize for Host {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A short text written on the stack; writing more than fits is an error (the caller then
/// allocates).
struct StackText {
    buf: [u8; 64],
    len: usize,
}

impl Default for StackText {
    fn default() -> Self {
        StackText { buf: [0; 64], len: 0 }
    }
}

impl StackText {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

impl fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        let slot = self.buf.get_mut(self.len..end).ok_or(fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_forms() {
        let v6: SocketAddr = "[fd00::1]:8305".parse().unwrap();
        assert_eq!(Endpoint::from(v6).to_string(), "[fd00::1]:8305");
        assert_eq!(Endpoint::from(v6).without_port().to_string(), "fd00::1");
        assert_eq!(Endpoint::from(v6).ip(), Some("fd00::1".parse().unwrap()));
        let v4: SocketAddr = "10.0.0.1:443".parse().unwrap();
        assert_eq!(Endpoint::from(v4).to_string(), "10.0.0.1:443");
        assert_eq!(Endpoint::named("ftd-branch-07").to_string(), "ftd-branch-07");
        assert_eq!(Endpoint::named("ftd-branch-07").ip(), None);
        assert_eq!(Endpoint::named("10.0.0.9").ip(), Some("10.0.0.9".parse().unwrap()));
        assert_eq!(serde_json::to_string(&Endpoint::from(v6)).unwrap(), "\"[fd00::1]:8305\"");
    }

    #[test]
    fn endpoints_order_as_their_text() {
        let mut list = [Endpoint::named("10.0.0.9"), Endpoint::named("10.0.0.10"), Endpoint::named("a-name")];
        list.sort();
        let text: Vec<String> = list.iter().map(Endpoint::to_string).collect();
        assert_eq!(text, ["10.0.0.10", "10.0.0.9", "a-name"]);
        let long = Endpoint { host: Host::Name("n".repeat(100)), port: Some(1) };
        assert_eq!(long.cmp(&long.clone()), Ordering::Equal);
        assert_eq!(Endpoint { host: Host::Name("10.0.0.1".into()), port: None }, Endpoint::named("10.0.0.1"));
    }
}
