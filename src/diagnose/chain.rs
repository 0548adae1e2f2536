//! The shared glue that judges certificate chains seen on the wire: each link's validity at the
//! time of the handshake and its signature, then the trust of the chain's top. The findings
//! themselves are made by the rules (`expired-ca`, `expired-cert`, `not-yet-valid`,
//! `verify-failed`, `self-signed`, `unknown-ca`); this file adds what the chain says about them.

use jiff::Timestamp;

use super::rules::{expired_ca, expired_cert, not_yet_valid, self_signed, unknown_ca, verify_failed};
use super::rules::{CertRef, Finding};
use super::{Options, Severity};
use crate::codes::AlertDescription;
use crate::model::{Attempt, ChainLink, Event, Outcome, Role};

/// What every finding about one chain shares.
struct Seen<'a> {
    a: &'a Attempt,
    from: Role,
    at: Timestamp,
    /// The alert the receiver of the chain sent, if any.
    receiver_alert: Option<AlertDescription>,
    /// The handshake completed all the same.
    established: bool,
}

/// Judge every chain of the attempt. `alerts` are the alerts of the attempt with their sender.
pub fn judge(a: &Attempt, alerts: &[(Role, AlertDescription)], opts: &Options) -> Vec<Finding> {
    let established = a.events.iter().any(|o| matches!(o.event, Event::End { outcome: Outcome::Established }));
    let mut out = Vec::new();
    for o in &a.events {
        let Event::Chain { from, links } = &o.event else { continue };
        if links.is_empty() {
            continue;
        }
        let seen = Seen {
            a,
            from: *from,
            at: o.evidence.time.or(a.start).unwrap_or(opts.now),
            receiver_alert: alerts.iter().find(|(r, _)| *r == from.other()).map(|(_, d)| *d),
            established,
        };
        for l in links {
            out.extend(judge_link(&seen, l).into_iter().map(|f| annotate(&seen, f, l)));
        }
        out.extend(judge_trust(&seen, links, opts).map(|f| annotate(&seen, f, links.last().expect("non-empty"))));
    }
    out
}

/// One link's dates at the handshake and its signature.
fn judge_link(s: &Seen<'_>, l: &ChainLink) -> Vec<Finding> {
    let who = s.from.as_str();
    let mut out = Vec::new();
    if l.cert.not_after < s.at {
        out.push(if l.depth >= 1 {
            expired_ca::on_wire(s.a, l, who, s.at)
        } else {
            expired_cert::on_wire(s.a, l, who, s.at)
        });
    } else if l.cert.not_before > s.at {
        out.push(not_yet_valid::on_wire(s.a, l, who, s.at));
    }
    if l.signature_ok == Some(false) {
        out.push(verify_failed::bad_signature(s.a, l));
    }
    out
}

/// Trust: the top of the chain must be (or be issued by) something the receiver trusts. Judged
/// when the receiver refused the chain as untrusted, or when `--ca` anchors were given.
fn judge_trust(s: &Seen<'_>, links: &[ChainLink], opts: &Options) -> Option<Finding> {
    let top = links.last()?;
    let anchored = opts.anchors.iter().any(|t| t.sha256 == top.cert.sha256 || opts.certs.signed_by(&top.cert, t));
    let rejected_as_untrusted = matches!(
        s.receiver_alert,
        Some(AlertDescription::UNKNOWN_CA)
            | Some(AlertDescription::BAD_CERTIFICATE)
            | Some(AlertDescription::CERTIFICATE_UNKNOWN)
    );
    let judged = rejected_as_untrusted || !opts.anchors.is_empty();
    if anchored || !judged {
        return None;
    }
    Some(if links.len() == 1 && top.cert.self_signed {
        self_signed::on_wire(s.a, s.from, top)
    } else if !top.cert.self_signed {
        unknown_ca::missing_issuer(s.a, s.from, top)
    } else {
        unknown_ca::untrusted_root(s.a, s.from, top)
    })
}

/// What the chain adds to a finding about one of its links: who sent it, the certificate, the
/// receiver's alert; a chain the receiver accepted anyway is only a warning.
fn annotate(s: &Seen<'_>, mut f: Finding, l: &ChainLink) -> Finding {
    let sender = match s.from {
        Role::Client => s.a.client.clone(),
        Role::Server => s.a.server.clone(),
    };
    if let Some(addr) = sender {
        f.shared.peer_ip = Some(addr.host().clone());
        // A client is known by its address: its port changes with every connection.
        f.peer = Some(match s.from {
            Role::Client => addr.without_port(),
            Role::Server => addr,
        });
    }
    f.shared.sent_by = Some(s.from);
    f.depth = Some(l.depth);
    f.certificate = CertRef::from(&*l.cert);
    let cert = &mut f.shared.cert;
    cert.subject = Some(l.cert.subject.clone());
    cert.issuer = Some(l.cert.issuer.clone());
    cert.not_after = Some(l.cert.not_after);
    if l.depth >= 1 || l.cert.is_ca {
        cert.ca_subject = Some(l.cert.subject.clone());
        cert.ca_not_after = Some(l.cert.not_after);
    }
    if let Some(d) = s.receiver_alert {
        f.shared.alert = Some(d);
    }
    if s.established {
        // The receiver accepted it anyway: worth knowing, not the cause of a failure.
        f.severity = f.severity.min(Severity::Warning);
    }
    f
}
