//! Which finding explains away which: every rule of precedence between kinds, in one place.
//!
//! Within one attempt (applied in this order by `attempt`):
//! 1. A certificate finding of the attempt (a verify error the device logged, or a failed check
//!    of the chain the refusing side received), or an empty Certificate message before the
//!    failure, explains that side's certificate alert: no `peer-rejected-certificate` (nor
//!    `unknown-ca` from the alert alone) is made; a chain that was seen and fails nothing makes
//!    the rejection one the capture shows no reason for ([`refusal_explained`]).
//! 2. A chain finding that repeats what the device already logged (same kind and depth) is
//!    dropped ([`add_chain_findings`]).
//! 3. One finding per kind, depth and peer; the first, with the most specific detail, stays.
//!    A chain verdict (`About::CertificateTrust` or `CertificateVerification`) makes a generic
//!    `peer-rejected-certificate` redundant; `self-signed` explains an `unknown-ca` about the
//!    same end-entity certificate ([`within_attempt`]).
//! 4. `handshake-failed` and `handshake-incomplete` are said only when nothing else was found.
//!
//! Across sources (`correlate`): a `peer-rejected-certificate` folds into the trust verdict the
//! rejecting device reported about the rejected side ([`rejection_folds_into`]).
//!
//! Across the run: certificate evidence of any kind explains a `tunnel-down`
//! ([`explains_tunnel_down`]).
//!
//! On disk: one finding per certificate of a judged file (not a backup nor a trust store), from
//! the first rule of [`ON_DISK`] that applies — the Talos cloud client certificate's expiry (a
//! kind of its own, never sftunnel's) first, then the one that stops the certificate soonest: an expiry (a CA's as
//! `expired-ca`, else `expired-cert`), then a key or digest OpenSSL's default security level
//! refuses (`weak-certificate`, an error), then a start date still to come (`not-yet-valid`),
//! an expiry within the windows (`expiring-soon`), and last a key only security level 2 refuses
//! (`weak-certificate`, a warning). Re-issuing the certificate cures every one of them.

use super::peer_rejected_certificate::Refused;
use super::{
    expired_ca, expired_cert, expiring_soon, not_yet_valid, talos_client_cert_expired, weak_certificate, OnDisk,
};
use crate::diagnose::{Finding, Kind};
use crate::model::Role;

/// On disk: the rules that judge a certificate file at `--now`, first match wins.
pub(in crate::diagnose) const ON_DISK: &[OnDisk] = &[
    talos_client_cert_expired::on_disk,
    expired_ca::on_disk,
    expired_cert::on_disk,
    weak_certificate::refused_on_disk,
    not_yet_valid::on_disk,
    expiring_soon::on_disk,
    weak_certificate::under_level_2_on_disk,
];

/// Rule 1: what the attempt shows of the certificate `by` refused: explained by a verify error
/// the device logged, by a failed check of the chain `by` received, or by an empty Certificate
/// message; else a chain that passes, or nothing.
/// `explained`: the sides whose refusal a failed check of the chain they received explains;
/// `sent`: the sides whose chain the attempt shows.
pub(in crate::diagnose) fn refusal_explained(
    verify_findings: &[Finding],
    (explained, sent): (&[Role], &[Role]),
    no_certificate: bool,
    by: Role,
) -> Refused {
    if !verify_findings.is_empty() || no_certificate || explained.contains(&by) {
        Refused::Explained
    } else if sent.contains(&by.other()) {
        Refused::Passes
    } else {
        Refused::Unseen
    }
}

/// Rule 2: add the chain findings that the device's log does not already say.
pub(in crate::diagnose) fn add_chain_findings(out: &mut Vec<Finding>, chain_findings: Vec<Finding>) {
    for cf in chain_findings {
        if !out.iter().any(|f| f.kind == cf.kind && f.depth == cf.depth) {
            out.push(cf);
        }
    }
}

/// Rule 3: one finding per kind, depth and peer, and the kinds that explain others away.
pub(in crate::diagnose) fn within_attempt(out: &mut Vec<Finding>) {
    let mut seen = std::collections::HashSet::new();
    out.retain(|f| seen.insert((f.kind, f.depth, f.peer.clone())));
    if out.iter().any(|f| f.kind.is_chain_verdict()) {
        out.retain(|f| f.kind != Kind::PeerRejectedCertificate);
    }
    if out.iter().any(|f| f.kind == Kind::SelfSigned) {
        out.retain(|f| f.kind != Kind::UnknownCa || f.depth.unwrap_or(0) > 0);
    }
}

/// Across sources: whether a peer's rejection of our certificate may fold into `target`.
pub(in crate::diagnose) fn rejection_folds_into(target: Kind) -> bool {
    target.is_trust_verdict()
}

/// Across the run: whether a finding of `kind` can explain a tunnel that is down.
pub(in crate::diagnose) fn explains_tunnel_down(kind: Kind) -> bool {
    kind.is_certificate_evidence()
}
