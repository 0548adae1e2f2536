//! What `cipher-mismatch` and `protocol-mismatch` both carry: what the client offered, and the
//! OpenSSL error a device logged.

use crate::codes::{CipherSuite, TlsVersion};
use crate::diagnose::text::Values;
use crate::model::Event;

/// `offered_versions`, `offered_suites`: what the client offered, GREASE and signalling values
/// left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Offered {
    pub versions: Vec<TlsVersion>,
    pub suites: Vec<CipherSuite>,
}

impl Offered {
    /// What a ClientHello offered; `None` without one.
    pub fn of(client_hello: Option<&Event>) -> Option<Offered> {
        match client_hello {
            Some(Event::ClientHello { versions, suites, .. }) => Some(Offered {
                versions: versions.iter().copied().filter(|v| !v.is_grease()).collect(),
                suites: suites.iter().copied().filter(|c| !c.is_signalling()).collect(),
            }),
            _ => None,
        }
    }

    pub fn values(&self, out: &mut Values) {
        out.set("offered_versions", list(&self.versions));
        out.set("offered_suites", list(&self.suites));
    }
}

/// `ssl_error`: an OpenSSL error as a device logged it (`error:1408F10B:wrong version number`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SslError {
    /// The packed code (hex digits).
    pub code: String,
    pub reason: String,
}

impl std::fmt::Display for SslError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "error:{}:{}", self.code, self.reason)
    }
}

/// Items named and separated by commas.
pub fn list<T: std::fmt::Display>(items: &[T]) -> String {
    items.iter().map(T::to_string).collect::<Vec<_>>().join(", ")
}
