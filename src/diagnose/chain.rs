//! Rules for certificate chains seen on the wire: validity at the time of the handshake,
//! signatures between links, trust (self-signed, unknown issuer).

use super::attempt::{base, strip_port};
use super::finding::{CertRef, Finding};
use super::kind::{Kind, Severity};
use super::Options;
use crate::codes::AlertDescription;
use crate::model::{Attempt, ChainLink, Event, Outcome, Role};

/// Judge every chain of the attempt. `alerts` are the alerts of the attempt with their sender.
pub fn judge(a: &Attempt, alerts: &[(Role, AlertDescription)], opts: &Options) -> Vec<Finding> {
    let established = a.events.iter().any(|o| matches!(o.event, Event::End { outcome: Outcome::Established }));
    let mut out = Vec::new();
    for o in &a.events {
        let Event::Chain { from, links } = &o.event else { continue };
        if links.is_empty() {
            continue;
        }
        let at = o.evidence.time.or(a.start).unwrap_or(opts.now);
        let receiver_alert = alerts.iter().find(|(r, _)| *r == from.other()).map(|(_, d)| *d);
        let mut push = |mut f: Finding, link: Option<&ChainLink>| {
            let sender = match from {
                Role::Client => a.client.clone(),
                Role::Server => a.server.clone(),
            };
            if let Some(s) = sender {
                f.facts.insert("peer_ip".into(), strip_port(&s).to_string());
                // A client is known by its address: its port changes with every connection.
                f.peer = Some(match from {
                    Role::Client => strip_port(&s).to_string(),
                    Role::Server => s,
                });
            }
            f.facts.insert("sent_by".into(), from.as_str().into());
            if let Some(l) = link {
                f.depth = Some(l.depth);
                f.certificate = CertRef::from(&*l.cert);
                f.facts.insert("subject".into(), l.cert.subject.clone());
                f.facts.insert("issuer".into(), l.cert.issuer.clone());
                f.facts.insert("not_after".into(), l.cert.not_after.to_string());
                if l.depth >= 1 || l.cert.is_ca {
                    f.facts.insert("ca_subject".into(), l.cert.subject.clone());
                    f.facts.insert("ca_not_after".into(), l.cert.not_after.to_string());
                }
            }
            if let Some(d) = receiver_alert {
                f.facts.insert("alert".into(), d.to_string());
            }
            if established {
                // The receiver accepted it anyway: worth knowing, not the cause of a failure.
                f.severity = f.severity.min(Severity::Warning);
            }
            out.push(f);
        };
        for l in links {
            let c = &l.cert;
            let who = from.as_str();
            if c.not_after < at {
                let kind = if l.depth >= 1 { Kind::ExpiredCa } else { Kind::ExpiredCert };
                let title = if kind == Kind::ExpiredCa {
                    format!("CA certificate at depth {} had expired at handshake time", l.depth)
                } else {
                    format!("The {who}'s certificate had expired at handshake time")
                };
                let f = base(a, kind, title).detail(format!(
                    "{} (depth {}, sent by the {who}) expired {} and the handshake took place {}",
                    c.subject, l.depth, c.not_after, at
                ));
                push(f, Some(l));
            } else if c.not_before > at {
                let mut f = base(a, Kind::NotYetValid, "Certificate not yet valid at handshake time").detail(format!(
                    "{} (depth {}, sent by the {who}) is valid from {} but the handshake took place {}",
                    c.subject, l.depth, c.not_before, at
                ));
                super::field::clock_branch(&mut f, c.not_before, at);
                push(f, Some(l));
            }
            if l.signature_ok == Some(false) {
                let f = base(a, Kind::VerifyFailed, "Certificate signature does not verify").detail(format!(
                    "the signature of {} (depth {}) does not verify with the key of the next certificate in the chain",
                    c.subject, l.depth
                ));
                push(f, Some(l));
            }
        }
        // Trust: the top of the chain must be (or be issued by) something the receiver trusts.
        let top = links.last().expect("non-empty");
        let anchored = opts.anchors.iter().any(|t| t.sha256 == top.cert.sha256 || opts.certs.signed_by(&top.cert, t));
        let rejected_as_untrusted = matches!(
            receiver_alert,
            Some(AlertDescription::UNKNOWN_CA)
                | Some(AlertDescription::BAD_CERTIFICATE)
                | Some(AlertDescription::CERTIFICATE_UNKNOWN)
        );
        let judge_trust = rejected_as_untrusted || (!opts.anchors.is_empty() && !anchored);
        if judge_trust && !anchored {
            let who = from.as_str();
            if links.len() == 1 && top.cert.self_signed {
                let f = base(a, Kind::SelfSigned, format!("The {who} presented a self-signed certificate")).detail(
                    format!("{} is self-signed and not trusted by the {}", top.cert.subject, from.other().as_str()),
                );
                push(f, Some(top));
            } else if !top.cert.self_signed {
                let f = base(a, Kind::UnknownCa, "Certificate issuer is not trusted").detail(format!(
                    "the chain sent by the {who} ends at {}, issued by {} which is neither in the chain nor trusted",
                    top.cert.subject, top.cert.issuer
                ));
                push(f, Some(top));
            } else {
                let f = base(a, Kind::UnknownCa, "Root CA of the chain is not trusted").detail(format!(
                    "the chain sent by the {who} ends at the root {} which the {} does not trust",
                    top.cert.subject,
                    from.other().as_str()
                ));
                push(f, Some(top));
            }
        }
    }
    out
}
