//! Remediation of the InternalCA findings drawn from their system's next steps, so a finding
//! and its system never disagree: a line about this finding, then the system's steps in order.

use std::collections::BTreeMap;

use super::fill::fill;
use super::Remediation;
use crate::diagnose::{Finding, Kind};
use crate::systems::{State, Step, System};

/// Whether the finding is about the InternalCA and its copies (the system's business).
pub(super) fn covered(f: &Finding) -> bool {
    covered_in(f, None)
}

/// [`covered`], and in a system that is renewing its CA also the expired device certificates
/// (generate_certs.pl re-issues them with the CA).
fn covered_in(f: &Finding, s: Option<&System>) -> bool {
    let renewing = s.is_some_and(|s| matches!(s.state, State::Expiring | State::Expired | State::RenewedPushPending));
    match f.kind {
        Kind::ExpiredCert | Kind::ExpiringSoon if renewing && f.context != crate::model::Context::TlsProxy => true,
        Kind::ExpiredCa | Kind::PeerRejectedCertificate | Kind::CertPushFailed | Kind::CaMismatch => true,
        Kind::KeyMismatch => true,
        Kind::ExpiringSoon => f.certificate.subject.as_deref().is_some_and(crate::systems::is_internal_ca),
        _ => false,
    }
}

/// A system step as one line of a finding's remediation.
pub fn step_line(st: &Step) -> String {
    let mut line = String::new();
    if st.optional {
        line.push_str("Option: ");
    }
    line.push_str(&st.text);
    if let Some(c) = &st.command {
        if st.text.contains(&st.on) {
            line.push_str(&format!(" Command: `{c}`"));
        } else {
            line.push_str(&format!(" (on {}: `{c}`)", st.on));
        }
    }
    line
}

fn title(s: &System) -> String {
    let fmc = crate::systems::steps::fmc_label(s);
    match s.state {
        State::Expiring => format!("Renew the InternalCA of {fmc} before it expires"),
        State::Expired => format!("Renew the expired InternalCA of {fmc}"),
        State::RenewedPushPending => format!("Push {fmc}'s new InternalCA files to the devices that lack them"),
        State::Renewed => format!("Check that every device of {fmc} uses the renewed InternalCA"),
        State::Healthy | State::Unknown => format!("Check the InternalCA of {fmc}"),
    }
}

/// The line about the finding itself, before the system's steps.
fn about(f: &Finding, s: &System) -> String {
    let facts = &f.facts;
    match f.kind {
        Kind::ExpiredCa => {
            let mut line = fill("The InternalCA {ca_subject} has expired[[ (notAfter {ca_not_after})]].", &with_subject(f));
            let replaced = s.previous_ca.as_ref().is_some_and(|p| {
                p.sha256.is_some() && p.sha256 == f.certificate.sha256
                    || Some(&p.subject) == f.certificate.subject.as_ref()
            });
            if let (true, Some(cur)) = (replaced || renewed(s), &s.internal_ca) {
                let until = cur.not_after.map(|t| format!(", valid until {}", t.strftime("%Y-%m-%d"))).unwrap_or_default();
                line.push_str(&format!(
                    " It has been replaced already: the current InternalCA{}{until} is in place on the FMC; what is left \
concerns the devices and copies that still hold the old one.",
                    cur.serial.as_ref().map(|x| format!(" (serial {x})")).unwrap_or_default()
                ));
            }
            if s.internal_ca.as_ref().is_none_or(|c| c.not_after.is_none()) {
                line.push_str(
                    " Only the log names it: read its dates on the FMC, in expert mode as root, with `openssl x509 \
-dates -noout -in /etc/sf/ca_root/cacert.pem`.",
                );
            }
            line
        }
        Kind::PeerRejectedCertificate => {
            let ip = f.peer.as_ref().map(|p| p.host.to_string()).unwrap_or_default();
            match facts.get("peer_name") {
                Some(name) => {
                    let pending = if facts.get("peer_push").is_some_and(|p| p == "pending") {
                        " Its push is pending: it is one of the devices below."
                    } else {
                        ""
                    };
                    // Input values never go into a template: only `fill` places them.
                    let alert = fill("[[ (alert {alert})]]", facts);
                    format!(
                        "{ip} is {name}: it refuses the certificate the FMC sends{alert}, because it still holds the old \
InternalCA.{pending}"
                    )
                }
                None => fill("{peer} refuses the certificate this side sends[[ (alert {alert})]].", facts),
            }
        }
        Kind::CertPushFailed => fill(
            "generate_certs.pl could not copy the new files to {device_name}[[ ({peer_ip}]][[, UUID {device_uuid}]][[)]]:\n{files}",
            facts,
        ),
        Kind::CaMismatch => fill(
            "{cert_path} is not signed by {ca_path} beside it: the folder holds files of two generations (a copy that \
stopped half-way). Copy all three files again from the same run.",
            facts,
        ),
        Kind::KeyMismatch => fill(
            "{key_path} does not belong to {cert_path}: copy the key and the certificate again from the same run.",
            facts,
        ),
        Kind::ExpiredCert => fill(
            "The certificate {subject} has expired[[ (notAfter {not_after})]]: generate_certs.pl issues a new one \
with the InternalCA.",
            facts,
        ),
        _ => fill("{subject} in {path} expires[[ on {not_after}]][[ ({time_left} left)]].", facts),
    }
}

fn renewed(s: &System) -> bool {
    matches!(s.state, State::Renewed | State::RenewedPushPending)
}

fn with_subject(f: &Finding) -> BTreeMap<String, String> {
    let mut facts = f.facts.clone();
    if let Some(s) = &f.certificate.subject {
        facts.entry("ca_subject".into()).or_insert_with(|| s.clone());
    }
    facts
}

/// The remediation of an InternalCA finding from its system; `None` when the system has no
/// steps (the catalog speaks then).
pub(super) fn remediation(f: &Finding, s: &System) -> Option<Remediation> {
    if !covered_in(f, Some(s)) || s.next_steps.is_empty() {
        return None;
    }
    let mut steps = vec![about(f, s)];
    steps.extend(s.next_steps.iter().map(step_line));
    Some(Remediation { id: format!("sftunnel-{}", s.state.as_str()), title: title(s), steps })
}
