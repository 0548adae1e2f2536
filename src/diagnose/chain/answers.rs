//! What the receiver's answer to a chain makes of the checks it fails: a refusal is explained
//! by the failure its alert stands for (the others listed), a chain accepted all the same gives
//! warnings, a failure without a certificate alert is inferred.

use super::{failures, finding, Seen};
use crate::codes::{AlertDescription, VerifyCode};
use crate::diagnose::rules::shared::OtherFailure;
use crate::diagnose::rules::{unknown_ca, Finding};
use crate::diagnose::{Options, Severity};
use crate::x509::checks::Failure;
use crate::x509::path::{CertPath, PathEnd};

/// OpenSSL's verdict on where the path ends, when the receiver's store is not known: 18, 19,
/// 2 or 20 at the top of the path (20 too for a path that reaches a `--ca` anchor the receiver
/// does not trust).
fn trust_failure(path: &CertPath) -> Option<Failure> {
    let top = path.certs.last()?;
    let n = path.certs.len();
    let code = match path.end {
        PathEnd::SelfSigned if n == 1 => VerifyCode::DEPTH_ZERO_SELF_SIGNED_CERT,
        PathEnd::SelfSigned => VerifyCode::SELF_SIGNED_CERT_IN_CHAIN,
        PathEnd::AnchorWithoutIssuer => VerifyCode::UNABLE_TO_GET_ISSUER_CERT,
        PathEnd::MissingIssuer | PathEnd::TooLong | PathEnd::Anchored => VerifyCode::UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
    };
    Some(Failure { code, depth: (n - 1) as u32, cert: top.cert.clone() })
}

fn same(a: &Failure, b: &Failure) -> bool {
    a.code == b.code && a.depth == b.depth
}

/// The receiver refused the chain with `alert`: the failure it most likely hit, the others listed.
pub(super) fn refused(s: &Seen<'_>, alert: AlertDescription, opts: &Options) -> Vec<Finding> {
    let level1 = failures(s, 1, true, opts);
    let fits = |f: &&Failure| f.code.openssl_alert() == alert;
    let (pick, all, level, fitting) = if let Some(f) = level1.iter().find(fits) {
        (f.clone(), level1.clone(), 1, true)
    } else if alert == AlertDescription::UNKNOWN_CA {
        let Some(f) = trust_failure(&s.path) else { return Vec::new() };
        // OpenSSL judges trust right after the leaf's key, before everything else.
        let mut all = level1.clone();
        let at = usize::from(all.first().is_some_and(|g| g.code == VerifyCode::EE_KEY_TOO_SMALL));
        all.insert(at, f.clone());
        (f, all, 1, true)
    } else {
        let level2 = if alert == AlertDescription::BAD_CERTIFICATE { failures(s, 2, true, opts) } else { Vec::new() };
        let new_at_2 = level2.iter().filter(|f| !level1.iter().any(|g| same(f, g))).find(fits).cloned();
        // Else the first failure, a name the peer may not check only when nothing else fails.
        let first = level1.iter().find(|f| !f.code.is_name_mismatch()).or(level1.first());
        match (new_at_2, first) {
            (Some(f), _) => (f, level2, 2, true),
            (None, Some(first)) => (first.clone(), level1.clone(), 1, false),
            (None, None) => return Vec::new(),
        }
    };
    let mut f = finding(s, &pick, level);
    f.shared.alert = Some(alert);
    let receiver = s.from.other().as_str();
    f.detail.push_str(&format!("; the {receiver} answered with alert {alert}"));
    if fitting {
        f.detail.push_str(", the alert OpenSSL sends for this check");
    }
    if level == 2 {
        let note = format!(
            "the chain passes OpenSSL's default security level 1; the {receiver} most likely runs at level 2 (the \
default of many Linux distributions), where this check fails and is answered with {alert}"
        );
        f.detail.push_str(&format!(" ({note}, inferred)"));
        f.shared.inferred = Some(note);
        f.shared.security_level = Some(2);
    }
    list_others(&mut f, &pick, &all);
    vec![f]
}

/// The receiver went on with the handshake: what fails is worth knowing, not the cause of a
/// failure.
pub(super) fn accepted(s: &Seen<'_>, opts: &Options) -> Vec<Finding> {
    let receiver = s.from.other().as_str();
    let mut found: Vec<Finding> = failures(s, 1, false, opts)
        .iter()
        .map(|failure| {
            let mut f = finding(s, failure, 1);
            f.detail.push_str(&format!("; the {receiver} accepted the chain all the same"));
            f
        })
        .collect();
    for f in &mut found {
        f.severity = f.severity.min(Severity::Warning);
    }
    // A leaf sent alone that its receiver accepted: it holds the issuer (a root, or an
    // intermediate it was given) or does not verify; the completed handshake refutes a problem
    // with this peer, so it is only mentioned, for peers that may lack the issuer.
    let leaf_alone = s.path.certs.len() == 1 && s.path.end == PathEnd::MissingIssuer;
    if leaf_alone && !s.path.anchors_given && !s.path.certs[0].cert.is_ca {
        if let Some(missing) = trust_failure(&s.path) {
            let mut f = finding(s, &missing, 1);
            f.title = "Certificate sent without its issuer, accepted".into();
            f.detail.push_str(&unknown_ca::issuer_not_sent_note(&missing.cert, s.from.other()));
            f.severity = Severity::Info;
            found.push(f);
        }
    }
    found
}

/// The handshake failed after the chain without a certificate alert: the first failure, inferred.
pub(super) fn unanswered(s: &Seen<'_>, opts: &Options) -> Vec<Finding> {
    let all = failures(s, 1, true, opts);
    let Some(first) = all.first() else { return Vec::new() };
    let mut f = finding(s, first, 1);
    let receiver = s.from.other().as_str();
    let note = format!("the {receiver} sent no certificate alert: that this check ended the handshake is inferred");
    f.detail.push_str(&format!(" ({note})"));
    f.shared.inferred = Some(note);
    list_others(&mut f, first, &all);
    vec![f]
}

/// Say which other checks of `all` (in OpenSSL's order) fail, and why `pick` is the one the
/// peer most likely hit. A name the client asked for (SNI) that the leaf does not carry is
/// listed only when it is the pick: whether the peer checks names at all, the capture cannot
/// show.
fn list_others(f: &mut Finding, pick: &Failure, all: &[Failure]) {
    let all: Vec<&Failure> = all.iter().filter(|g| same(g, pick) || !g.code.is_name_mismatch()).collect();
    let others: Vec<OtherFailure> = all
        .iter()
        .filter(|g| !same(g, pick))
        .map(|g| OtherFailure { code: g.code, depth: g.depth, subject: g.cert.subject.clone() })
        .collect();
    if others.is_empty() {
        return;
    }
    let list: Vec<String> = others.iter().map(OtherFailure::to_string).collect();
    let order = if all.first().is_some_and(|g| same(g, pick)) {
        "OpenSSL makes this check before the others and stops at the first that fails"
    } else {
        "this check, not the ones OpenSSL makes earlier, is the one the alert names"
    };
    f.detail.push_str(&format!(". The chain also fails: {}; {order}", list.join("; ")));
    f.shared.also_fails = others;
}
