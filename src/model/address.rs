//! Where a connection went, as typed values: a [`Host`] is an address or, where a source names
//! the other end by name (a log's `Peer ftd-7 needs re-connect`, a status output, a FAILED_PUSH
//! device), that name; an [`Endpoint`] is a host with the port when the source gives one.
//!
//! Readers parse once; nothing above them takes an `ip:port` text apart again. The text forms
//! are the ones the sources and the JSON use: `10.0.0.1`, `10.0.0.1:8305`, `fd00::1`,
//! `[fd00::1]:8305`, `ftd-branch-07`.

use std::cmp::Ordering;
use std::fmt;
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

/// One end of a connection: a host and, when the source gives it, the port. Its text is made
/// once: endpoints compare, hash and order as their text reads (`10.0.0.10` before `10.0.0.9`,
/// the order reports have always listed peers in) without formatting again, and
/// `Name("10.0.0.1")` is the same endpoint as `Ip(10.0.0.1)`.
#[derive(Clone, Debug)]
pub struct Endpoint {
    host: Host,
    port: Option<u16>,
    text: Box<str>,
}

impl Endpoint {
    /// A host and its port, when known.
    pub fn new(host: Host, port: Option<u16>) -> Self {
        use std::fmt::Write;
        // Made for every attempt of a log: sized once, and numbers written with `itoa` rather
        // than the formatting machinery (which took about 4 % of the instructions of a log's run).
        if let Host::Ip(IpAddr::V4(ip)) = &host {
            // The common case, written on the stack and allocated once at its size (a `String`
            // made first was shrunk into the box: one more allocation and a copy per attempt).
            let text = Box::from(Ipv4Text::new(ip.octets(), port).as_str());
            return Endpoint { host, port, text };
        }
        let mut text = String::with_capacity(48);
        match (&host, port) {
            (Host::Ip(IpAddr::V6(ip)), Some(_)) => write!(text, "[{ip}]").expect("a String takes any text"),
            (h, _) => write!(text, "{h}").expect("a String takes any text"),
        }
        if let Some(p) = port {
            text.push(':');
            text.push_str(itoa::Buffer::new().format(p));
        }
        Endpoint { host, port, text: text.into_boxed_str() }
    }
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
        Endpoint::new(Host::parse(text), None)
    }
    pub fn host(&self) -> &Host {
        &self.host
    }
    pub fn port(&self) -> Option<u16> {
        self.port
    }
    /// The address, when the host is one.
    pub fn ip(&self) -> Option<IpAddr> {
        self.host.ip()
    }
    /// The same end without its port (a client is known by its address: its port changes with
    /// every connection).
    pub fn without_port(&self) -> Endpoint {
        Endpoint::new(self.host.clone(), None)
    }
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// `a.b.c.d`, as `Ipv4Addr`'s `Display` writes it.
/// `a.b.c.d` or `a.b.c.d:port`, written into a buffer on the stack (21 bytes at most).
struct Ipv4Text {
    buf: [u8; 21],
    len: usize,
}

impl Ipv4Text {
    fn new(octets: [u8; 4], port: Option<u16>) -> Self {
        let mut out = Ipv4Text { buf: [0; 21], len: 0 };
        let mut digits = itoa::Buffer::new();
        for (i, o) in octets.into_iter().enumerate() {
            if i > 0 {
                out.push(b".");
            }
            out.push(digits.format(o).as_bytes());
        }
        if let Some(p) = port {
            out.push(b":");
            out.push(digits.format(p).as_bytes());
        }
        out
    }
    fn push(&mut self, bytes: &[u8]) {
        self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }
    fn as_str(&self) -> &str {
        // Digits, dots and a colon only.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

impl From<SocketAddr> for Endpoint {
    fn from(a: SocketAddr) -> Self {
        Endpoint::new(Host::Ip(a.ip()), Some(a.port()))
    }
}

impl From<IpAddr> for Endpoint {
    fn from(ip: IpAddr) -> Self {
        Endpoint::new(Host::Ip(ip), None)
    }
}

impl From<Host> for Endpoint {
    fn from(host: Host) -> Self {
        Endpoint::new(host, None)
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl PartialEq for Endpoint {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Endpoint {}

impl std::hash::Hash for Endpoint {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.text.hash(h);
    }
}

impl Ord for Endpoint {
    fn cmp(&self, other: &Self) -> Ordering {
        self.text.cmp(&other.text)
    }
}

impl PartialOrd for Endpoint {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for Endpoint {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl Serialize for Host {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_ports_read_as_the_standard_library_writes_them() {
        let v4 = [[0, 0, 0, 0], [10, 10, 200, 31], [255, 255, 255, 255], [1, 20, 100, 9], [192, 168, 0, 10]];
        for (o, port) in v4.into_iter().zip([0u16, 8305, 65535, 9, 10]) {
            let ip = std::net::Ipv4Addr::from(o);
            assert_eq!(Endpoint::from(IpAddr::V4(ip)).as_str(), ip.to_string());
            let sock = SocketAddr::new(IpAddr::V4(ip), port);
            assert_eq!(Endpoint::from(sock).as_str(), sock.to_string());
        }
        for n in (0..=u32::MAX).step_by(9_973) {
            let ip = std::net::Ipv4Addr::from(n);
            assert_eq!(Endpoint::from(IpAddr::V4(ip)).as_str(), ip.to_string());
        }
        let v6: SocketAddr = "[fd00::1:0:0:8]:443".parse().unwrap();
        assert_eq!(Endpoint::from(v6).as_str(), v6.to_string());
        assert_eq!(Endpoint::new(Host::Name("ftd-7".into()), Some(100)).as_str(), "ftd-7:100");
    }

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
        assert_eq!(Endpoint::new(Host::Name("10.0.0.1".into()), None), Endpoint::named("10.0.0.1"));
        assert_eq!(Endpoint::new(Host::Name("ftd".into()), Some(22)).to_string(), "ftd:22");
    }
}
