//! The shared glue that judges certificate chains seen on the wire as their receiver does: the
//! path it builds from the certificates sent, in any order (`x509::path`), and the checks it
//! makes on that path in OpenSSL's order, each with OpenSSL's code and the depth in the path
//! (`x509::checks`). What the receiver answered decides what is said:
//!
//! - it refused the chain with a certificate alert: the finding is the check the chain fails
//!   that an OpenSSL peer answers with that alert (else the first check it fails), the alert
//!   beside it as evidence and the other failures listed; an `unknown_ca` with no failing check
//!   of trust is the path's end; a `bad_certificate` that no check at OpenSSL's default security
//!   level explains is tried at level 2 (inferred). Nothing failing: no finding here (the
//!   alert's rule says the capture shows no reason);
//! - it accepted the chain (the handshake completed, or it went on with its own flight): every
//!   failure is a warning, and a leaf sent without its issuer too;
//! - neither (the handshake failed without a certificate alert): the first failure, inferred.
//!
//! Every certificate on the path is also asked whether it expires soon (`expiring-soon`).
//! The findings are the rules' (`VerifyMatch::on_wire`); this file adds what the chain says.

use std::sync::Arc;

use jiff::Timestamp;

mod answers;
#[cfg(test)]
mod tests;

use super::rules::on_wire::OnWire;
use super::rules::{expiring_soon, CertRef, Finding, Kind};
use super::Options;
use crate::codes::{AlertDescription, AlertLevel};
use crate::model::{Attempt, CertSummary, Event, Outcome, Role};
use crate::x509::checks::{check, Failure, Policy};
use crate::x509::path::{build, CertPath};
use answers::{accepted, refused, unanswered};

/// What the chains of one attempt show.
#[derive(Default)]
pub struct Verdicts {
    pub findings: Vec<Finding>,
    /// The sides whose refusal of the other side's chain a finding here explains.
    pub explained: Vec<Role>,
    /// The sides whose chain the evidence shows.
    pub sent: Vec<Role>,
}

/// How the receiver of a chain answered it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reaction {
    /// With this alert, refusing it.
    Refused(AlertDescription),
    /// The handshake completed, or the receiver went on with its own flight.
    Accepted,
    /// Neither; `failed`: the handshake failed all the same.
    Unanswered { failed: bool },
}

/// One chain and what its receiver did with it.
struct Seen<'a> {
    a: &'a Attempt,
    from: Role,
    at: Timestamp,
    /// The server name the client asked for: the server's leaf is checked against it.
    sni: Option<&'a str>,
    reaction: Reaction,
    path: CertPath,
}

/// Judge every chain of the attempt.
pub fn judge(a: &Attempt, opts: &Options) -> Verdicts {
    let mut out = Verdicts::default();
    let sni = a.events.iter().find_map(|o| match &o.event {
        Event::ClientHello { sni, .. } => sni.as_deref(),
        _ => None,
    });
    for (i, o) in a.events.iter().enumerate() {
        let Event::Chain { from, links } = &o.event else { continue };
        if links.is_empty() {
            continue;
        }
        let sent: Vec<Arc<CertSummary>> = links.iter().map(|l| l.cert.clone()).collect();
        let s = Seen {
            a,
            from: *from,
            at: o.evidence.time.or(a.start).unwrap_or(opts.now),
            sni,
            reaction: reaction(a, i, *from),
            path: build(&sent, &opts.anchors, &opts.certs),
        };
        let found = match s.reaction {
            Reaction::Refused(alert) => refused(&s, alert, opts),
            Reaction::Accepted | Reaction::Unanswered { failed: false } => accepted(&s, opts),
            Reaction::Unanswered { failed: true } => unanswered(&s, opts),
        };
        if matches!(s.reaction, Reaction::Refused(_)) && !found.is_empty() {
            out.explained.push(from.other());
        }
        out.sent.push(*from);
        out.findings.extend(found);
        out.findings.extend(expiring(&s, opts));
    }
    out
}

/// How the receiver answered the chain of event `i`, sent by `from`.
fn reaction(a: &Attempt, i: usize, from: Role) -> Reaction {
    let receiver = from.other();
    let refusal = a.events.iter().find_map(|o| match o.event {
        Event::Alert { from: f, level, description }
            if f == receiver
                && (level == AlertLevel::FATAL || level == AlertLevel::UNSPECIFIED)
                && description.refuses_certificate_sent() =>
        {
            Some(description)
        }
        _ => None,
    });
    if let Some(alert) = refusal {
        return Reaction::Refused(alert);
    }
    let went_on = a.events[i + 1..]
        .iter()
        .any(|o| matches!(&o.event, Event::Chain { from: f, .. } | Event::NoCertificate { from: f } if *f == receiver));
    let ended = a.events.iter().find_map(|o| match o.event {
        Event::End { outcome } => Some(outcome),
        _ => None,
    });
    match ended {
        Some(Outcome::Established) => Reaction::Accepted,
        _ if went_on => Reaction::Accepted,
        ended => Reaction::Unanswered { failed: ended == Some(Outcome::Failed) },
    }
}

/// The checks of `s`'s path at a security level; the server's leaf against the SNI when `named`.
fn failures(s: &Seen<'_>, level: u8, named: bool, opts: &Options) -> Vec<Failure> {
    let host = if named && s.from == Role::Server { s.sni } else { None };
    check(&s.path, &Policy { at: s.at, level, role: s.from, host }, &*opts.certs)
}

/// The finding of one failed check, from the rule that claims its code.
fn finding(s: &Seen<'_>, failure: &Failure, level: u8) -> Finding {
    let kind = Kind::for_verify_code(failure.code, Some(failure.depth));
    let verify = kind.rule().verify.as_ref().or(Kind::VerifyFailed.rule().verify.as_ref());
    let host = if s.from == Role::Server { s.sni } else { None };
    let w = OnWire {
        attempt: s.a,
        from: s.from,
        at: s.at,
        code: failure.code,
        depth: failure.depth,
        cert: &failure.cert,
        path: &s.path,
        host,
        level,
    };
    let mut f = match verify {
        Some(v) => (v.on_wire)(&w),
        None => Finding::of_attempt(s.a, kind, "Certificate verification failed"),
    };
    f.shared.verify = Some(failure.code);
    annotate(s, f, &failure.cert, failure.depth)
}

/// `expiring-soon` for the certificates sent that are on the path and valid at the handshake.
fn expiring(s: &Seen<'_>, opts: &Options) -> Vec<Finding> {
    let mut out = Vec::new();
    for (depth, c) in s.path.certs.iter().enumerate() {
        if c.sent.is_none() || !c.cert.valid_at(s.at) {
            continue;
        }
        if let Some(f) = expiring_soon::on_wire(s.a, &c.cert, s.at, opts) {
            out.push(annotate(s, f, &c.cert, depth as u32));
        }
    }
    out
}

/// What the chain adds to a finding about one of its certificates: who sent it, the
/// certificate and its depth in the path.
fn annotate(s: &Seen<'_>, mut f: Finding, cert: &CertSummary, depth: u32) -> Finding {
    let sender = match s.from {
        Role::Client => s.a.client.clone(),
        Role::Server => s.a.server.clone(),
    };
    if let Some(addr) = sender {
        f.shared.peer_ip = Some(addr.host().clone());
        // A client is known by its address: its port changes with every connection.
        let peer = match s.from {
            Role::Client => addr.without_port(),
            Role::Server => addr,
        };
        // The peer a finding about a chain speaks of is the chain's sender, in its texts too.
        f.shared.attempt_peer = Some(peer.clone());
        f.peer = Some(peer);
    }
    f.shared.sent_by = Some(s.from);
    f.depth = Some(depth);
    f.certificate = CertRef::from(cert);
    let values = &mut f.shared.cert;
    values.subject = Some(cert.subject.clone());
    values.issuer = Some(cert.issuer.clone());
    values.not_after = Some(cert.not_after);
    if depth >= 1 || cert.is_ca {
        values.ca_subject = Some(cert.subject.clone());
        values.ca_not_after = Some(cert.not_after);
    }
    f
}
