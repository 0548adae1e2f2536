//! A check that a certificate chain seen on the wire fails, as the glue (`diagnose/chain/`)
//! hands it to the rule that claims its verify code ([`super::VerifyMatch::on_wire`]): the
//! attempt, who sent the chain, when it was judged, the path the receiver builds from it, and
//! the failed check with OpenSSL's code and the depth in that path.

use jiff::Timestamp;

use super::finding::Finding;
use super::KindData;
use crate::codes::{TlsVersion, VerifyCode};
use crate::model::{Attempt, CertSummary, Event, Role};
use crate::x509::path::CertPath;

/// One failed check of a chain on the wire.
pub struct OnWire<'a> {
    pub attempt: &'a Attempt,
    /// The side that sent the chain.
    pub from: Role,
    /// When the chain was judged: the handshake's time.
    pub at: Timestamp,
    /// The code OpenSSL gives the failure.
    pub code: VerifyCode,
    /// The depth of the failing certificate in the path.
    pub depth: u32,
    pub cert: &'a CertSummary,
    /// The path the receiver builds from the certificates sent (and the `--ca` anchors).
    pub path: &'a CertPath,
    /// The name or address the client asked for (SNI), when the check compared it.
    pub host: Option<&'a str>,
    /// The OpenSSL security level the check was made at.
    pub level: u8,
}

impl OnWire<'_> {
    /// `client` or `server`: who sent the chain.
    pub fn sender(&self) -> &'static str {
        self.from.as_str()
    }
    /// `server` or `client`: who received and judged it.
    pub fn receiver(&self) -> &'static str {
        self.from.other().as_str()
    }
    /// A finding of the kind of `data` about the attempt.
    pub fn finding(&self, data: impl Into<KindData>, title: impl Into<String>) -> Finding {
        Finding::of_attempt(self.attempt, data, title)
    }
    /// `SUBJECT (depth N, sent by the client)`.
    pub fn certificate_words(&self) -> String {
        format!("{} (depth {}, sent by the {})", self.cert.subject, self.depth, self.sender())
    }
    /// The certificate at the top of the path.
    pub fn top(&self) -> Option<&CertSummary> {
        self.path.certs.last().map(|c| &*c.cert)
    }
    /// `" (not among the --ca anchors)"` when the anchors were given, else nothing.
    pub fn anchors_note(&self) -> &'static str {
        if self.path.anchors_given {
            " (it is not among the --ca anchors either)"
        } else {
            ""
        }
    }
}

/// Why an attempt shows no chain: TLS 1.3 encrypts the certificates; otherwise the capture
/// simply does not hold the message.
pub fn why_no_chain(a: &Attempt) -> &'static str {
    let tls13 =
        a.events.iter().any(|o| matches!(o.event, Event::ServerHello { version, .. } if version == TlsVersion::TLS13));
    if tls13 {
        "TLS 1.3 encrypts the certificates"
    } else {
        "the Certificate message is not in the capture"
    }
}
