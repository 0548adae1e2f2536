//! What is kept of a certificate or a private key: public facts only, never key material.

use std::sync::Arc;

use jiff::Timestamp;
use serde::Serialize;

use super::{Evidence, Sha256};

/// What tlstriage knows about one certificate. Identical certificates (same SHA-256) are parsed
/// once and shared through `Arc`.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct CertSummary {
    /// OpenSSL one-line form, as devices log it: `/title=InternalCA/OU=.../CN=.../O=...`.
    pub subject: String,
    pub issuer: String,
    /// Serial number, hex with colons.
    pub serial: String,
    pub not_before: Timestamp,
    pub not_after: Timestamp,
    pub is_ca: bool,
    /// Subject equals issuer and the signature verifies with its own key.
    pub self_signed: bool,
    /// `RSA 2048`, `EC P-256`, `Ed25519`, ...
    pub key: String,
    pub signature_algorithm: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub san: Vec<String>,
    /// SHA-256 of the DER (written as lowercase hex without separators); `None` for a certificate
    /// known only from its printed text (`openssl x509 -text`), which has no DER, unless the paste
    /// shows the fingerprint `-fingerprint -sha256` printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<Sha256>,
    /// SHA-256 of the subjectPublicKey bits: compared with private keys (key-mismatch); `None`
    /// when the certificate is known only from its printed text.
    #[serde(skip)]
    pub public_key_sha256: Option<Sha256>,
    /// The DER itself (public data), for signature checks.
    #[serde(skip)]
    pub der: Arc<[u8]>,
}

impl CertSummary {
    /// Whole days from `now` to notAfter ([`days_left`]).
    pub fn days_left(&self, now: Timestamp) -> i64 {
        days_left(self.not_after, now)
    }
    pub fn valid_at(&self, t: Timestamp) -> bool {
        self.not_before <= t && t <= self.not_after
    }
    /// The value of `CN=` in the subject, if any.
    pub fn common_name(&self) -> Option<&str> {
        self.subject.split('/').find_map(|part| part.strip_prefix("CN="))
    }
    /// What tells this certificate from others: its fingerprint, or for one printed without it,
    /// its issuer and serial number (which name one certificate) with its subject.
    pub fn id(&self) -> CertId {
        match self.sha256 {
            Some(sha) => CertId::Fingerprint(sha),
            None => CertId::Printed {
                issuer: self.issuer.clone(),
                serial: self.serial.clone(),
                subject: self.subject.clone(),
            },
        }
    }
}

/// The identity of a certificate in one run (see [`CertSummary::id`]).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CertId {
    Fingerprint(Sha256),
    Printed { issuer: String, serial: String, subject: String },
}

/// A certificate and where it was seen (a file, or a frame of a capture).
#[derive(Clone, Debug)]
pub struct CertSeen {
    pub cert: Arc<CertSummary>,
    pub evidence: Evidence,
}

/// A certificate of the run with every place it was seen.
#[derive(Clone, Debug)]
pub struct CertEntry {
    pub cert: Arc<CertSummary>,
    pub seen: Vec<Evidence>,
    /// Its role: the most live of the places it was seen in (`firepower::roles`).
    pub role: super::CertRole,
}

/// Whole days from `now` to `end`: the one count of days every view shows (findings, the case
/// summary, the HTML cards, `certs`, `fleet`, the JSON `days_left`). The fraction of a day is
/// dropped, before and after the end alike: 89 days and 23 hours left is 89, and 54 days and 5
/// hours after the end is -54 ("expired 54 days ago"). It is 0 on the last day before the end
/// and on the first day after it; negative only once a whole day has passed since the end.
pub fn days_left(end: Timestamp, now: Timestamp) -> i64 {
    // Integer division rounds towards zero.
    (end.as_second() - now.as_second()) / 86_400
}

/// [`days_left`] in words: `54 days left`, `1 day left`, `expires today`, `expired today`,
/// `expired 1 day ago`, `expired 258 days ago`.
pub fn days_left_words(end: Timestamp, now: Timestamp) -> String {
    let days = days_left(end, now);
    let n = |d: i64| if d == 1 { "1 day".to_string() } else { format!("{d} days") };
    match (days, end < now) {
        (0, false) => "expires today".into(),
        (0, true) => "expired today".into(),
        (d, false) => format!("{} left", n(d)),
        (d, true) => format!("expired {} ago", n(-d)),
    }
}

/// A private key found in the inputs. Only what is safe to say about it is kept: never the key.
#[derive(Clone, Debug, Serialize)]
pub struct KeySummary {
    /// `RSA`, `EC`, `Ed25519`, or `encrypted` when it cannot be read without a passphrase.
    pub algorithm: String,
    /// SHA-256 of the public key bits the private key implies (compare with
    /// `CertSummary::public_key_sha256`); `None` when it cannot be derived.
    #[serde(skip)]
    pub public_key_sha256: Option<Sha256>,
}

/// Errors from certificate parsing.
#[derive(Debug, thiserror::Error)]
pub enum CertError {
    #[error("not a certificate: {0}")]
    Parse(String),
}

/// Turns DER certificates into summaries and checks signatures between them, for the readers
/// (`x509::CertCache` parses each distinct certificate once and remembers the checks).
pub trait CertParser: Send + Sync + std::fmt::Debug {
    /// The summary of one DER certificate (nothing may follow it).
    fn get_or_parse(&self, der: &[u8]) -> Result<Arc<CertSummary>, CertError>;
    /// Whether `child`'s signature verifies with `issuer`'s key; `None` when it cannot be told.
    fn verify(&self, child: &CertSummary, issuer: &CertSummary) -> Option<bool>;
}
