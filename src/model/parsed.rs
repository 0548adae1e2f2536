//! What a parser produced from one source: statuses, attempts, handshakes, facts, certificates.

use std::sync::Arc;

use super::{Attempt, CertSummary, Duplicate, Evidence, Fact, Format, Handshake, InputStatus, Judged, Status};

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

/// What a parser produced from one source.
#[derive(Debug, Default)]
pub struct Parsed {
    pub inputs: Vec<InputStatus>,
    pub attempts: Vec<Attempt>,
    pub handshakes: Vec<Handshake>,
    pub facts: Vec<Fact>,
    pub certificates: Vec<CertSeen>,
    /// What sinks made of the attempts handed to them while reading (see
    /// [`IngestContext::judge`](super::IngestContext::judge)), in input order.
    pub judged: Vec<Judged>,
    /// Places not read because an earlier place held the same bytes.
    pub duplicates: Vec<Duplicate>,
}

impl Parsed {
    pub fn extend(&mut self, other: Parsed) {
        self.inputs.extend(other.inputs);
        self.attempts.extend(other.attempts);
        self.handshakes.extend(other.handshakes);
        self.facts.extend(other.facts);
        self.certificates.extend(other.certificates);
        self.judged.extend(other.judged);
        self.duplicates.extend(other.duplicates);
    }
    /// A result that only reports the input's status.
    pub fn status(path: &str, format: Format, status: Status, message: Option<String>, bytes: u64) -> Parsed {
        Parsed {
            inputs: vec![InputStatus { path: path.to_string(), format, status, message, bytes }],
            ..Default::default()
        }
    }
}
