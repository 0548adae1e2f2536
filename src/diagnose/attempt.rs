//! The shared glue that judges one connection attempt: what the attempt shows (gathered once)
//! and the order in which the rules' checks run on its events (every finding about it starts as
//! [`Finding::of_attempt`]). What makes each kind is in its rule file (`rules/<kind>.rs`); which finding
//! explains away which is in `rules/precedence`.

use super::chain;
use super::rules::peer_rejected_certificate::Refused;
use super::rules::{
    cipher_mismatch, connection_refused, handshake_failed, handshake_incomplete, not_judged, peer_rejected_certificate,
    post_handshake_auth_failed, precedence, protocol_mismatch, unknown_ca,
};
use super::rules::{CertRef, Finding, Kind};
use super::Options;
use crate::codes::{AlertLevel, VerifyCode};
use crate::model::{Attempt, Context, Event, Evidence, Outcome, Role};

/// What one attempt shows, gathered once.
struct Summary<'a> {
    client_hello: Option<&'a Event>,
    server_hello: bool,
    outcome: Outcome,
    refused: Option<&'a Evidence>,
}

fn gather(a: &Attempt) -> Summary<'_> {
    let mut s = Summary { client_hello: None, server_hello: false, outcome: Outcome::Unknown, refused: None };
    for o in &a.events {
        match &o.event {
            Event::ClientHello { .. } => s.client_hello = Some(&o.event),
            Event::ServerHello { .. } => s.server_hello = true,
            Event::Refused => s.refused = Some(&o.evidence),
            Event::End { outcome } => s.outcome = *outcome,
            _ => {}
        }
    }
    s
}

/// Judge one attempt; what its source could only infer is said beside every finding.
pub fn judge(a: &Attempt, opts: &Options) -> Vec<Finding> {
    let mut out = judge_events(a, opts);
    if let Some(note) = &a.inferred {
        for f in &mut out {
            f.detail.push_str(&format!(" ({note})"));
            f.shared.inferred = Some(note.clone());
        }
    }
    out
}

/// The rules' checks in their order (see `rules/precedence` for what each step drops).
fn judge_events(a: &Attempt, opts: &Options) -> Vec<Finding> {
    let s = gather(a);
    if let Some(ev) = s.refused {
        return vec![connection_refused::on_refused(a, ev)];
    }
    let mut out = verify_errors(a);
    let chains = chain::judge(a, opts);
    let no_certificate = handshake_failed::on_no_certificate(a, s.outcome);
    let refused =
        |by: Role| precedence::refusal_explained(&out, (&chains.explained, &chains.sent), no_certificate.is_some(), by);
    let answers = alerts_and_errors(a, &s, &refused, &chains);
    precedence::add_chain_findings(&mut out, chains.findings);
    out.extend(no_certificate);
    out.extend(answers);
    out.extend(post_handshake_auth_failed::on_tunnel_errors(a));
    precedence::within_attempt(&mut out);
    if out.is_empty() {
        out.extend(
            handshake_failed::on_outcome(a, s.outcome)
                .or_else(|| handshake_incomplete::on_outcome(a, s.outcome))
                .or_else(|| not_judged::on_outcome(a, s.outcome)),
        );
    }
    out
}

/// Certificate verification errors a device reported about the other side's chain.
fn verify_errors(a: &Attempt) -> Vec<Finding> {
    let mut out = Vec::new();
    for o in &a.events {
        if let Event::VerifyError { by, code, depth, subject, issuer } = &o.event {
            if *code != VerifyCode::OK {
                out.push(verify_error(a, *by, *code, *depth, subject.as_deref(), issuer.as_deref()));
            }
        }
    }
    out
}

/// The finding of one verify error, of the kind whose rule claims the code.
fn verify_error(
    a: &Attempt,
    by: Role,
    code: VerifyCode,
    depth: Option<u32>,
    subject: Option<&str>,
    issuer: Option<&str>,
) -> Finding {
    let kind = Kind::for_verify_code(code, depth);
    let verify = kind.rule().verify.as_ref();
    let title = verify.map_or_else(|| "Certificate verification failed".to_string(), |v| (v.title)(depth, code));
    let data = verify.map_or_else(|| kind.into(), |v| (v.data)(code));
    let mut f = Finding::of_attempt(a, data, title).detail(verify_detail(a, by, code, depth));
    f.shared.verify = Some(code);
    f.depth = depth;
    f.certificate = CertRef::names(subject.map(str::to_string), issuer.map(str::to_string));
    let cert = &mut f.shared.cert;
    cert.subject = subject.map(str::to_string);
    if depth.unwrap_or(0) >= 1 {
        cert.ca_subject = subject.map(str::to_string);
    }
    cert.issuer = issuer.map(str::to_string);
    f
}

/// Whether the evidence shows which side of the connection verified: a capture sees both, the TLS
/// proxy is always the client, and a device log that opened the connection is the client's.
fn roles_shown(a: &Attempt) -> bool {
    a.observer.is_none()
        || a.context == Context::TlsProxy
        || a.events.iter().any(|o| matches!(o.event, Event::Connecting | Event::Connected))
}

/// The detail sentence of a verification error: who verified whom only when the evidence shows it.
fn verify_detail(a: &Attempt, by: Role, code: VerifyCode, depth: Option<u32>) -> String {
    let at = depth.map(|d| format!(" at depth {d}")).unwrap_or_default();
    if roles_shown(a) {
        return format!(
            "the {} reported OpenSSL verify error {code}{at} for the {}'s certificate",
            by.as_str(),
            by.other().as_str()
        );
    }
    let who = a.device.as_deref().map_or("the device that wrote the log".to_string(), str::to_string);
    format!(
        "{who} reported OpenSSL verify error {code}{at} about its peer's certificate (the log does not show whether it was \
the client or the server of that connection)"
    )
}

/// Fatal alerts and OpenSSL errors, each judged by the rules that read them; `refused` says
/// what the attempt shows of the certificate a side refused.
fn alerts_and_errors(
    a: &Attempt,
    s: &Summary<'_>,
    refused: &dyn Fn(Role) -> Refused,
    chains: &chain::Verdicts,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for o in &a.events {
        let found = match &o.event {
            Event::Alert { from, level, description: d }
                if *level == AlertLevel::FATAL || *level == AlertLevel::UNSPECIFIED =>
            {
                let chain_seen = chains.sent.contains(&from.other());
                protocol_mismatch::on_alert(a, *from, *d, s.client_hello)
                    .or_else(|| cipher_mismatch::on_alert(a, *from, *d, !s.server_hello))
                    .or_else(|| match refused(*from) {
                        Refused::Explained => None,
                        r => unknown_ca::on_alert(a, *from, *d, chain_seen)
                            .or_else(|| peer_rejected_certificate::on_alert(a, *from, *d, r)),
                    })
            }
            Event::SslError { reason, function, code, .. } => {
                cipher_mismatch::on_ssl_error(a, reason, function.as_deref(), code)
                    .or_else(|| protocol_mismatch::on_ssl_error(a, reason, code))
            }
            _ => None,
        };
        out.extend(found);
    }
    out
}
