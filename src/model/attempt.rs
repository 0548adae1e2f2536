//! A connection attempt: the unit the classifier judges.
//!
//! A log line, a captured TLS record and a certificate file found in a bundle all end up as the
//! types of this model. The classifier (`diagnose`) only ever sees these, never the parser
//! that produced them, so evidence about one failure from several sources can be folded together.

use jiff::Timestamp;
use serde::Serialize;

use super::{Context, Endpoint, Event, Evidence, Role};

/// An event with its evidence.
#[derive(Clone, Debug, Serialize)]
pub struct Observed {
    pub event: Event,
    pub evidence: Evidence,
}

/// Most events one attempt keeps.
pub const MAX_EVENTS: usize = 256;

/// A connection attempt: the unit the classifier judges. Logs group their lines into attempts
/// (by process/thread or session id and time); captures produce one per TCP connection.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Attempt {
    pub context: Context,
    /// The side whose point of view the source gives (a device's log is written by one side; a
    /// capture sees both, `None`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observer: Option<Role>,
    /// The device that wrote the log (syslog host name), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// The client and the server (an address with or without its port, or the name a log
    /// gives), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<Endpoint>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<Endpoint>,
    /// TLS-proxy session id (`x2fd1f6`) or another id the source gives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// Time of the first event (the handshake time, used to judge certificate validity).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<Timestamp>,
    pub events: Vec<Observed>,
    /// What the source could only infer (an excerpt without thread ids or times): said beside
    /// every finding of the attempt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inferred: Option<String>,
}

impl Attempt {
    /// The other end as seen by the observer: the server for a client-side log or a capture.
    pub fn peer(&self) -> Option<&Endpoint> {
        match self.observer {
            Some(Role::Server) => self.client.as_ref(),
            _ => self.server.as_ref(),
        }
    }
    /// Hold every event's text on its own (see `EvidenceText::detach`): for an attempt kept
    /// beyond the reading of its input.
    pub fn detach_texts(&mut self) {
        self.events.iter_mut().for_each(|o| o.evidence.detach());
    }
    /// Add an event. An attempt keeps at most [`MAX_EVENTS`]; a source that repeats itself
    /// endlessly inside one attempt cannot grow it further (the last `End` still counts).
    pub fn push(&mut self, event: Event, evidence: Evidence) {
        if self.start.is_none() {
            self.start = evidence.time;
        }
        if self.events.len() >= MAX_EVENTS {
            if let (Event::End { .. }, Some(last)) = (&event, self.events.last_mut()) {
                *last = Observed { event, evidence };
            }
            return;
        }
        self.events.push(Observed { event, evidence });
    }
}
