//! Rules for what field material shows beyond the handshake itself: the steps after a TLS 1.3
//! handshake (post-handshake client authentication, reloading credentials, adding services),
//! certificates refused as weak, a clock behind a certificate's start, and tunnels that a status
//! output shows down, with whether the certificate findings of the run explain them.

use jiff::Timestamp;

use super::attempt::base;
use super::finding::Finding;
use super::kind::Kind;
use crate::codes::VerifyCode;
use crate::model::{Attempt, Context, Event, Evidence, Role, TunnelStep};
use crate::model::{Fact, TunnelState, TunnelStatus};

/// A certificate whose notBefore lies less than this far after the time it was used points at
/// the verifying device's clock rather than at the certificate.
const CLOCK_WINDOW_SECONDS: i64 = 24 * 3600;

/// The `post-handshake-auth-failed` finding of an attempt whose log shows a step after the
/// TLS 1.3 handshake failing; `None` when it shows none (a `needs re-connect` alone is routine).
pub(super) fn tunnel_steps(a: &Attempt) -> Option<Finding> {
    let mut failed: Vec<&str> = Vec::new();
    let mut reconnect: Option<&str> = None;
    for o in &a.events {
        if let Event::TunnelError { what, peer } = &o.event {
            let name = match what {
                TunnelStep::PostHandshakeAuth => "post-handshake authentication (no client certificate received)",
                TunnelStep::ReloadCredentials => "reloading credentials",
                TunnelStep::AddServices => "adding services",
                TunnelStep::NeedsReconnect => {
                    reconnect = reconnect.or(peer.as_deref());
                    continue;
                }
            };
            if !failed.contains(&name) {
                failed.push(name);
            }
        }
    }
    if failed.is_empty() {
        return None;
    }
    let mut f = base(a, Kind::PostHandshakeAuthFailed, "TLS 1.3 post-handshake client authentication failed")
        .detail(format!(
            "after the TLS 1.3 handshake the tunnel failed at {}: the client's certificate was not accepted or not sent, \
which is what a device holding sftunnel certificates of another InternalCA than the FMC's current one shows",
            failed.join(", then ")
        ))
        .fact("failed_steps", failed.join(", "));
    if let Some(p) = reconnect {
        f.facts.insert("reconnect_peer".into(), p.to_string());
    }
    Some(f)
}

/// Whether the evidence shows which side of the connection verified: a capture sees both, the TLS
/// proxy is always the client, and a device log that opened the connection is the client's.
fn roles_shown(a: &Attempt) -> bool {
    a.observer.is_none()
        || a.context == Context::TlsProxy
        || a.events.iter().any(|o| matches!(o.event, Event::Connecting | Event::Connected))
}

/// The detail sentence of a verification error: who verified whom only when the evidence shows it.
pub(super) fn verify_detail(a: &Attempt, by: Role, code: impl std::fmt::Display, depth: Option<u32>) -> String {
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

/// For `weak-certificate`: what the code says is too weak.
pub(super) fn weak_reason(code: VerifyCode) -> &'static str {
    match code {
        VerifyCode::EE_KEY_TOO_SMALL => {
            "the end-entity certificate's key is too small for the verifier's security level"
        }
        VerifyCode::CA_KEY_TOO_SMALL => "a CA certificate's key is too small for the verifier's security level",
        _ => "the CA signed the certificate with a digest the verifier no longer accepts (such as SHA-1 or MD5)",
    }
}

/// The clock branch of `not-yet-valid`: when `used` precedes `not_before` by less than a day, the
/// verifying device's clock is the likely cause.
pub(super) fn clock_branch(f: &mut Finding, not_before: Timestamp, used: Timestamp) {
    let gap = not_before.as_second() - used.as_second();
    if gap <= 0 || gap >= CLOCK_WINDOW_SECONDS {
        return;
    }
    let text = if gap >= 3600 {
        format!("{} h {} min", gap / 3600, gap % 3600 / 60)
    } else {
        format!("{} min", (gap / 60).max(1))
    };
    f.facts.insert("clock_behind".into(), text.clone());
    f.detail.push_str(&format!(
        "; it was used {text} before its notBefore: the clock of the device that verified it is probably behind"
    ));
}

/// The CN of a subject written either way (`/CN=x/O=y` or `CN=x, O=y`).
fn common_name(subject: &str) -> Option<&str> {
    let at = subject.find("CN=")?;
    let rest = &subject[at + 3..];
    let end = rest.find(['/', ',']).unwrap_or(rest.len());
    Some(rest[..end].trim()).filter(|s| !s.is_empty())
}

/// Kinds that show a certificate (or the tunnel's credentials) as the problem.
fn is_certificate_evidence(k: Kind) -> bool {
    super::attempt::is_cert_kind(k)
        || matches!(
            k,
            Kind::PeerRejectedCertificate
                | Kind::CaMismatch
                | Kind::KeyMismatch
                | Kind::CertPushFailed
                | Kind::PostHandshakeAuthFailed
        )
}

/// A `tunnel-down` finding for each status output that shows a tunnel down.
pub(super) fn judge_tunnels(facts: &[Fact]) -> Vec<Finding> {
    facts
        .iter()
        .filter_map(|f| match f {
            Fact::Tunnel { evidence, tunnel } if tunnel.state() == TunnelState::Down => {
                Some(tunnel_down(evidence, tunnel))
            }
            _ => None,
        })
        .collect()
}

fn tunnel_down(evidence: &Evidence, t: &TunnelStatus) -> Finding {
    let mut shown: Vec<String> = Vec::new();
    for (name, up) in [("channel A (control)", t.channel_a), ("channel B (events)", t.channel_b)] {
        match up {
            Some(true) => shown.push(format!("{name} connected")),
            Some(false) => shown.push(format!("{name} not connected")),
            None => {}
        }
    }
    if t.attempting && t.channel_a.is_none() && t.channel_b.is_none() {
        shown.push("only a connection attempt, no channel up".into());
    }
    if let Some(r) = &t.registration {
        shown.push(format!("registration {r}"));
    }
    if let Some(r) = &t.rpc_status {
        shown.push(format!("RPC status {r}"));
    }
    if let Some(r) = &t.last_disconnect_reason {
        let when = t.last_disconnect_time.as_deref().map(|w| format!(" ({w})")).unwrap_or_default();
        shown.push(format!("last disconnect{when}: {r}"));
    }
    let mut f = Finding::new(Kind::TunnelDown, Context::Sftunnel, format!("sftunnel to {} is down", t.peer))
        .detail(format!("{} shows {}", t.command, shown.join("; ")))
        .fact("peer", t.peer.clone())
        .fact("peer_ip", t.peer.clone())
        .fact("status_command", t.command.clone());
    f.peer = Some(t.peer.clone());
    for (key, value) in [
        ("last_disconnect_reason", &t.last_disconnect_reason),
        ("last_disconnect_time", &t.last_disconnect_time),
        ("rpc_status", &t.rpc_status),
        ("peer_version", &t.peer_version),
        ("registration", &t.registration),
    ] {
        if let Some(v) = value {
            f.facts.insert(key.into(), v.clone());
        }
    }
    f.add_evidence(evidence.clone());
    f
}

/// Work that needs every finding and fact of the run: the clock branch of `not-yet-valid` found
/// in logs (the certificate's notBefore from a file of the inputs with the same CN), and whether
/// certificate findings explain each `tunnel-down`.
pub(super) fn refine(findings: &mut [Finding], facts: &[Fact]) {
    for f in findings.iter_mut().filter(|f| f.kind == Kind::NotYetValid && f.certificate.not_before.is_none()) {
        let (Some(cn), Some(used)) = (f.certificate.subject.as_deref().and_then(common_name), f.first_seen) else {
            continue;
        };
        let cn = cn.to_string();
        let on_disk = facts.iter().find_map(|fact| match fact {
            Fact::CertFile { certs, .. } => {
                certs.iter().find(|c| common_name(&c.subject) == Some(cn.as_str())).cloned()
            }
            _ => None,
        });
        if let Some(c) = on_disk {
            f.certificate.not_before = Some(c.not_before);
            clock_branch(f, c.not_before, used);
        }
    }
    let evidence: Vec<(Kind, Option<String>)> = findings
        .iter()
        .filter(|f| is_certificate_evidence(f.kind))
        .map(|f| (f.kind, f.peer.clone().or_else(|| f.device.clone())))
        .collect();
    for f in findings.iter_mut().filter(|f| f.kind == Kind::TunnelDown) {
        let peer = f.peer.clone();
        let mut kinds: Vec<&str> =
            evidence.iter().filter(|(_, p)| p.is_none() || *p == peer).map(|(k, _)| k.as_str()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        let text = if kinds.is_empty() {
            "No certificate evidence in these inputs explains it, so look outside TLS first.".to_string()
        } else {
            format!("The certificate findings of this run ({}) can explain it: fix those first.", kinds.join(", "))
        };
        f.facts.insert("tls_explanation".into(), text);
        f.facts.insert("explained_by".into(), if kinds.is_empty() { "none".into() } else { kinds.join(", ") });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_names_of_both_spellings() {
        assert_eq!(common_name("/CN=ftd-lab-03/O=Cisco"), Some("ftd-lab-03"));
        assert_eq!(common_name("CN=ftd-lab-03, O=Cisco"), Some("ftd-lab-03"));
        assert_eq!(common_name("O=Cisco"), None);
    }

    #[test]
    fn clock_branch_only_within_a_day() {
        let nb: Timestamp = "2026-03-14T12:00:00Z".parse().unwrap();
        let mut f = Finding::new(Kind::NotYetValid, Context::Sftunnel, "t");
        clock_branch(&mut f, nb, "2026-03-14T09:30:00Z".parse().unwrap());
        assert_eq!(f.facts.get("clock_behind").map(String::as_str), Some("2 h 30 min"));
        let mut g = Finding::new(Kind::NotYetValid, Context::Sftunnel, "t");
        clock_branch(&mut g, nb, "2026-03-12T09:30:00Z".parse().unwrap());
        assert!(!g.facts.contains_key("clock_behind"));
    }
}
