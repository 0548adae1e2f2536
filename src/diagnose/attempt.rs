//! Rules for one connection attempt: verification errors, alerts, OpenSSL errors, what was
//! offered and chosen, how it ended.

use super::chain;
use super::field;
use super::finding::{CertRef, Finding};
use super::kind::Kind;
use super::Options;
use crate::codes::{AlertDescription, AlertLevel, VerifyCode};
use crate::model::{Attempt, Event, Evidence, Outcome, Role};

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

/// Start a finding for this attempt with device, peer and all of its evidence.
pub(super) fn base(a: &Attempt, kind: Kind, title: impl Into<String>) -> Finding {
    let mut f = Finding::new(kind, a.context, title);
    f.device = a.device.clone();
    f.peer = a.peer().map(str::to_string);
    if let Some(p) = &f.peer {
        f.facts.insert("peer".into(), p.clone());
        f.facts.insert("peer_ip".into(), strip_port(p).to_string());
    }
    if let Some(d) = &f.device {
        f.facts.insert("device".into(), d.clone());
    }
    if let Some(c) = &a.client {
        f.facts.insert("client".into(), strip_port(c).to_string());
    }
    if let Some(sv) = &a.server {
        f.facts.insert("server".into(), strip_port(sv).to_string());
    }
    if let Some(s) = &a.session {
        f.facts.insert("session".into(), s.clone());
    }
    for o in &a.events {
        f.add_evidence(o.evidence.clone());
    }
    if f.first_seen.is_none() {
        f.first_seen = a.start;
        f.last_seen = a.start;
    }
    f
}

pub(crate) fn strip_port(peer: &str) -> &str {
    if let Some(rest) = peer.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match peer.rsplit_once(':') {
        Some((ip, port)) if !ip.contains(':') && port.chars().all(|c| c.is_ascii_digit()) => ip,
        _ => peer,
    }
}

/// Judge one attempt; what its source could only infer is said beside every finding.
pub fn judge(a: &Attempt, opts: &Options) -> Vec<Finding> {
    let mut out = judge_events(a, opts);
    if let Some(note) = &a.inferred {
        for f in &mut out {
            f.detail.push_str(&format!(" ({note})"));
            f.facts.insert("inferred".into(), note.clone());
        }
    }
    out
}

fn judge_events(a: &Attempt, opts: &Options) -> Vec<Finding> {
    let s = gather(a);
    let mut out = Vec::new();

    if let Some(ev) = s.refused {
        let f = base(a, Kind::ConnectionRefused, "Connection refused before TLS began").detail(format!(
            "the TCP connection to {} was refused or reset ({})",
            a.peer().unwrap_or("the peer"),
            ev.location()
        ));
        out.push(f);
        return out;
    }

    // Certificate verification errors a device reported about the other side's chain.
    let mut explained_rejection = false;
    for o in &a.events {
        if let Event::VerifyError { by, code, depth, subject, issuer } = &o.event {
            if *code == VerifyCode::OK {
                continue;
            }
            let kind = kind_for_verify_code(*code, *depth);
            let mut f = base(a, kind, verify_title(kind, *depth, *code))
                .detail(field::verify_detail(a, *by, code, *depth))
                .fact("verify_code", code.0.to_string())
                .fact("verify_text", code.meaning().unwrap_or("unknown"));
            if kind == Kind::WeakCertificate {
                f.facts.insert("weak_reason".into(), field::weak_reason(*code).into());
            }
            f.depth = *depth;
            f.certificate = CertRef::names(subject.clone(), issuer.clone());
            if let Some(sub) = subject {
                f.facts.insert("subject".into(), sub.clone());
                if depth.unwrap_or(0) >= 1 {
                    f.facts.insert("ca_subject".into(), sub.clone());
                }
            }
            if let Some(iss) = issuer {
                f.facts.insert("issuer".into(), iss.clone());
            }
            out.push(f);
            explained_rejection = true;
        }
    }

    // Chains seen on the wire, judged at the time of the handshake.
    let chain_findings = chain::judge(a, &s_alerts(a), opts);
    if !chain_findings.is_empty() {
        explained_rejection = true;
    }
    // A chain finding that repeats what a device already logged is dropped.
    for cf in chain_findings {
        if !out.iter().any(|f| f.kind == cf.kind && f.depth == cf.depth) {
            out.push(cf);
        }
    }

    // Alerts and OpenSSL errors.
    let no_server_hello = !s.server_hello;
    for o in &a.events {
        match &o.event {
            Event::Alert { from, level, description }
                if *level == AlertLevel::FATAL || *level == AlertLevel::UNSPECIFIED =>
            {
                if let Some(f) = judge_alert(a, &s, *from, *description, no_server_hello, explained_rejection) {
                    out.push(f);
                }
            }
            Event::SslError { reason, function, code, .. } => {
                if let Some(f) = judge_ssl_error(a, reason, function.as_deref(), code) {
                    out.push(f);
                }
            }
            _ => {}
        }
    }

    out.extend(field::tunnel_steps(a));
    dedup_kinds(&mut out);

    if out.is_empty() {
        match s.outcome {
            Outcome::Failed => {
                out.push(base(a, Kind::HandshakeFailed, "TLS handshake failed").detail(
                    "the handshake failed and the evidence does not say why; capture the handshake or raise the log level",
                ));
            }
            Outcome::Incomplete => {
                out.push(
                    base(a, Kind::HandshakeIncomplete, "Handshake cut off")
                        .detail("the source ends before the handshake finished"),
                );
            }
            _ => {}
        }
    }
    out
}

fn s_alerts(a: &Attempt) -> Vec<(Role, AlertDescription)> {
    a.events
        .iter()
        .filter_map(|o| match &o.event {
            Event::Alert { from, description, .. } => Some((*from, *description)),
            _ => None,
        })
        .collect()
}

/// Map an OpenSSL verify code (and depth) to a finding kind.
pub fn kind_for_verify_code(code: VerifyCode, depth: Option<u32>) -> Kind {
    match code {
        VerifyCode::CERT_HAS_EXPIRED if depth.unwrap_or(0) >= 1 => Kind::ExpiredCa,
        VerifyCode::CERT_HAS_EXPIRED => Kind::ExpiredCert,
        VerifyCode::CERT_NOT_YET_VALID => Kind::NotYetValid,
        VerifyCode::DEPTH_ZERO_SELF_SIGNED_CERT => Kind::SelfSigned,
        VerifyCode::EE_KEY_TOO_SMALL | VerifyCode::CA_KEY_TOO_SMALL | VerifyCode::CA_MD_TOO_WEAK => {
            Kind::WeakCertificate
        }
        VerifyCode::UNABLE_TO_GET_ISSUER_CERT
        | VerifyCode::SELF_SIGNED_CERT_IN_CHAIN
        | VerifyCode::UNABLE_TO_GET_ISSUER_CERT_LOCALLY
        | VerifyCode::UNABLE_TO_VERIFY_LEAF_SIGNATURE
        | VerifyCode::CERT_UNTRUSTED => Kind::UnknownCa,
        _ => Kind::VerifyFailed,
    }
}

fn verify_title(kind: Kind, depth: Option<u32>, code: VerifyCode) -> String {
    match kind {
        Kind::ExpiredCa => format!("CA certificate at depth {} has expired", depth.unwrap_or(1)),
        Kind::ExpiredCert => "End-entity certificate has expired".into(),
        Kind::NotYetValid => "Certificate is not yet valid".into(),
        Kind::SelfSigned => "Self-signed certificate is not trusted".into(),
        Kind::UnknownCa => "Certificate issuer is not trusted".into(),
        Kind::WeakCertificate => {
            format!(
                "Certificate refused as too weak (OpenSSL error {}: {})",
                code.0,
                code.meaning().unwrap_or("unknown")
            )
        }
        _ => "Certificate verification failed".into(),
    }
}

fn judge_alert(
    a: &Attempt,
    s: &Summary<'_>,
    from: Role,
    d: AlertDescription,
    no_server_hello: bool,
    explained_rejection: bool,
) -> Option<Finding> {
    let to = from.other();
    let alert_fact = d.to_string();
    if d == AlertDescription::PROTOCOL_VERSION {
        let mut f = base(a, Kind::ProtocolMismatch, "No common TLS version")
            .detail(format!("the {} sent alert protocol_version", from.as_str()))
            .fact("alert", alert_fact);
        offered(&mut f, s);
        return Some(f);
    }
    if (d == AlertDescription::HANDSHAKE_FAILURE || d == AlertDescription::INSUFFICIENT_SECURITY) && no_server_hello {
        let mut f = base(a, Kind::CipherMismatch, "No common cipher suite")
            .detail(format!("the {} answered the ClientHello with alert {d} before any ServerHello", from.as_str()))
            .fact("alert", alert_fact);
        offered(&mut f, s);
        return Some(f);
    }
    if d.is_certificate_rejection() {
        if explained_rejection {
            return None;
        }
        let f = base(
            a,
            Kind::PeerRejectedCertificate,
            format!("The {} rejected the {}'s certificate", from.as_str(), to.as_str()),
        )
        .detail(format!(
            "the {} sent alert {d}: it does not accept the certificate the {} presented",
            from.as_str(),
            to.as_str()
        ))
        .fact("alert", alert_fact)
        .fact("rejected_by", from.as_str());
        return Some(f);
    }
    None
}

fn offered(f: &mut Finding, s: &Summary<'_>) {
    if let Some(Event::ClientHello { versions, suites, .. }) = s.client_hello {
        let v: Vec<String> = versions.iter().filter(|v| !v.is_grease()).map(|v| v.to_string()).collect();
        let c: Vec<String> = suites.iter().filter(|c| !c.is_signalling()).map(|c| c.to_string()).collect();
        f.facts.insert("offered_versions".into(), v.join(", "));
        f.facts.insert("offered_suites".into(), c.join(", "));
    }
}

fn judge_ssl_error(a: &Attempt, reason: &str, function: Option<&str>, code: &str) -> Option<Finding> {
    let r = reason.to_ascii_lowercase();
    let func = function.unwrap_or("").to_ascii_uppercase();
    let no_cipher = r.contains("no shared cipher") || r.contains("no cipher") || r.contains("no ciphers available");
    let kind = if no_cipher || (r.contains("handshake failure") && func.contains("GET_SERVER_HELLO")) {
        Kind::CipherMismatch
    } else if r.contains("unsupported protocol")
        || r.contains("wrong version number")
        || r.contains("protocol version")
        || r.contains("no protocols available")
        || r.contains("unknown protocol")
        || r.contains("version too low")
    {
        Kind::ProtocolMismatch
    } else {
        return None;
    };
    let title = if kind == Kind::CipherMismatch { "No common cipher suite" } else { "No common TLS version" };
    Some(
        base(a, kind, title)
            .detail(format!("OpenSSL reported error {code}: {reason}"))
            .fact("ssl_error", format!("error:{code}:{reason}")),
    )
}

/// Keep one finding per kind and depth for an attempt (alerts and error strings often say the
/// same thing twice); keep the first, which carries the most specific detail.
fn dedup_kinds(out: &mut Vec<Finding>) {
    let mut seen = std::collections::HashSet::new();
    out.retain(|f| seen.insert((f.kind, f.depth, f.peer.clone())));
    // A specific certificate diagnosis makes a generic rejection redundant.
    if out.iter().any(|f| is_cert_kind(f.kind)) {
        out.retain(|f| f.kind != Kind::PeerRejectedCertificate);
    }
    // Self-signed explains an unknown-CA alert for the same chain.
    if out.iter().any(|f| f.kind == Kind::SelfSigned) {
        out.retain(|f| f.kind != Kind::UnknownCa || f.depth.unwrap_or(0) > 0);
    }
}

/// Kinds a verification of a chain reports (the certificate itself is the problem).
pub(super) fn is_cert_kind(k: Kind) -> bool {
    matches!(
        k,
        Kind::ExpiredCa
            | Kind::ExpiredCert
            | Kind::NotYetValid
            | Kind::SelfSigned
            | Kind::UnknownCa
            | Kind::VerifyFailed
            | Kind::WeakCertificate
    )
}
