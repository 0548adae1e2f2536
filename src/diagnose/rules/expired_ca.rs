//! `expired-ca`: a CA certificate (depth 1 or more) of a chain was expired; for sftunnel, the
//! FMC's InternalCA after its ten years. A device logs it as verify code 10 at depth 1 or more;
//! a capture shows it in the chain; a CA file on disk shows it against today.

use super::data::no_data;
use super::finding::Finding;
use super::steps::{BACKUP, CHECK_CA, GENERATE, HA_ORDER, HOTFIX, NO_REBOOT, PUSH, VERIFY};
use super::{About, Depth, Fix, FromSystem, InSystem, Kind, OnDiskVerdict, PushTo, Rule, SystemFix, Verifier, VerifyMatch};
use crate::codes::VerifyCode;
use crate::diagnose::text::fill;
use crate::diagnose::{Options, Severity, StepText};
use super::on_wire::OnWire;
use crate::model::{CertRole, CertSummary, Context, Place};

pub static RULE: Rule = Rule {
    name: "expired-ca",
    severity: Severity::Critical,
    summary: "a CA certificate (depth 1 or more) of the chain was expired",
    about: About::CertificateTrust,
    verifier: Verifier::Reporter,
    marks_tunnel_down: true,
    verify: Some(VerifyMatch {
        codes: &[VerifyCode::CERT_HAS_EXPIRED],
        depth: Depth::Ca,
        title,
        data: |_| ExpiredCa.into(),
        on_wire,
    }),
    window: None,
    push_to: PushTo::Reporters,
    fixes: FIXES,
    system: Some(SystemFix { when: FromSystem::Always, about: in_system }),
    min_fmc_release: None,
};

no_data!(ExpiredCa);

fn title(depth: Option<u32>, _: VerifyCode) -> String {
    format!("CA certificate at depth {} has expired", depth.unwrap_or(1))
}

/// A CA certificate file that has expired by `--now`.
pub(in crate::diagnose) fn on_disk(c: &CertSummary, role: &CertRole, opts: &Options) -> Option<OnDiskVerdict> {
    (c.is_ca && c.not_after < opts.now)
        .then(|| OnDiskVerdict::new(RULE.severity, expired_on_disk_title(c, role, opts), ExpiredCa))
}

/// The title of an expired certificate file (`expired-cert` says it the same way): a file of
/// an FMC's `certs_pushed/` is what a device was last sent, not what the FMC itself uses.
pub(in crate::diagnose) fn expired_on_disk_title(c: &CertSummary, role: &CertRole, opts: &Options) -> String {
    let ago = crate::wording::duration(opts.now.as_second() - c.not_after.as_second());
    match role.place {
        Place::Pushed => format!("Certificate last pushed to a device (certs_pushed) expired {ago} ago"),
        _ => format!("Certificate on disk expired {ago} ago"),
    }
}

/// A CA of a chain seen on the wire had expired when the handshake took place.
fn on_wire(w: &OnWire<'_>) -> Finding {
    w.finding(ExpiredCa, format!("CA certificate at depth {} had expired at handshake time", w.depth))
        .detail(expired_detail(w))
}

/// The detail of an expiry seen on the wire (`expired-cert` says it the same way).
pub(in crate::diagnose) fn expired_detail(w: &OnWire<'_>) -> String {
    format!("{} expired {} and the handshake took place {}", w.certificate_words(), w.cert.not_after, w.at)
}

/// Across sources: one expired CA is one root cause, whichever device, log, capture or file
/// shows it. Findings about the same CA certificate (same subject, and same fingerprint when
/// both know it) merge into the first, which lists every device involved as `affected`.
pub(in crate::diagnose) fn merge_same_certificate(findings: Vec<Finding>) -> Vec<Finding> {
    let mut merged: Vec<Finding> = Vec::with_capacity(findings.len());
    for mut f in findings {
        if f.kind != Kind::ExpiredCa || f.certificate.subject.is_none() {
            merged.push(f);
            continue;
        }
        // The devices that hold (or were sent) the expired CA's chain: the reporter of the
        // finding, the device whose log or disk shows it, or for a capture the side that
        // received the chain.
        let involved = f.reporter();
        match merged.iter_mut().find(|g| g.kind == Kind::ExpiredCa && same_certificate(g, &f)) {
            Some(g) => {
                g.merge(f);
                g.shared.add_affected(involved);
            }
            None => {
                f.shared.add_affected(involved);
                merged.push(f);
            }
        }
    }
    merged
}

fn same_certificate(a: &Finding, b: &Finding) -> bool {
    let (x, y) = (&a.certificate, &b.certificate);
    x.subject == y.subject
        && match (&x.sha256, &y.sha256) {
            (Some(p), Some(q)) => p == q,
            _ => true,
        }
}

/// The line before its system's steps: which CA expired, whether a newer one is in place, and
/// where to read its dates when only a log names it.
fn in_system(f: &Finding, s: &InSystem<'_>) -> StepText {
    let mut values = f.values();
    if let Some(subject) = &f.certificate.subject {
        values.set_default("ca_subject", subject);
    }
    let mut line = fill("The InternalCA[[ {ca_subject}]] has expired[[ (notAfter {ca_not_after})]].", &values);
    if let (true, Some((serial, until))) = (s.ca_replaced, s.current_ca) {
        let serial = serial.map(|x| format!(" (serial {x})")).unwrap_or_default();
        let until = until.map(|t| format!(", valid until {}", t.strftime("%Y-%m-%d"))).unwrap_or_default();
        line.push_prose(&format!(
            " It has been replaced already: the current InternalCA{serial}{until} is in place on the FMC; what is left \
concerns the devices and copies that still hold the old one."
        ));
    }
    if !s.ca_dates_known {
        line.push_ours(
            " Only the log names it: read its dates on the FMC, in expert mode as root, with `openssl x509 -dates \
-noout -in /etc/sf/ca_root/cacert.pem`.",
        );
    }
    line
}

const FIXES: &[Fix] = &[
    Fix {
        id: "sftunnel-renew-internal-ca",
        context: Some(Context::Sftunnel),
        title: "Renew the FMC InternalCA and re-issue the sftunnel certificates",
        steps: &[CHECK_CA, BACKUP, NO_REBOOT, HOTFIX, HA_ORDER, GENERATE, PUSH, VERIFY],
    },
    Fix {
        id: "sftunnel-renew-internal-ca",
        context: Some(Context::FmcHa),
        title: "Renew the InternalCA of the primary FMC, then of the secondary",
        steps: &[CHECK_CA, BACKUP, NO_REBOOT, HOTFIX, HA_ORDER, GENERATE, PUSH, VERIFY],
    },
    Fix {
        id: "renew-ca",
        context: None,
        title: "Renew the expired CA certificate and re-issue what it signed",
        steps: &[
            "The CA[[ {ca_subject}]] has expired[[ (on {ca_not_after})]]: every certificate it signed is refused from then on.",
            "Issue a new CA certificate (or renew it with the same key), re-issue the end-entity certificates, and \
install both the new chain and the new CA in the trust stores of the peers.",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::codes::VerifyCode;
    use crate::diagnose::{Finding, Kind};
    use crate::model::{Context, Outcome, Role};

    const CA: &str = "/title=InternalCA/OU=Intrusion Management System/CN=fmc-old/O=Cisco Systems, Inc";
    const LEAF: &str = "/CN=ftd-branch-07/O=Cisco Systems, Inc";

    #[test]
    fn verify_code_10_at_depth_1_is_the_ca() {
        let a = sftunnel_log().with(verify_error(VerifyCode::CERT_HAS_EXPIRED, 1, CA, CA)).with(end(Outcome::Failed));
        let f = the(judged(&a), Kind::ExpiredCa);
        assert_eq!((f.depth, f.shared.cert.ca_subject.as_deref()), (Some(1), Some(CA)));
        insta::assert_snapshot!(render(&f));
    }

    #[test]
    fn expired_ca_in_a_captured_chain() {
        let ca = cert(CA, CA, "2016-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
        let leaf = cert(LEAF, CA, "2025-01-01T00:00:00Z", "2030-01-01T00:00:00Z");
        let a = capture(Context::Sftunnel).with(chain(Role::Server, &[leaf, ca])).with(end(Outcome::Failed));
        let found = judged(&a);
        assert_eq!(kinds(&found), [Kind::ExpiredCa]);
        assert_eq!(found[0].title, "CA certificate at depth 1 had expired at handshake time");
    }

    #[test]
    fn an_expired_ca_file_on_disk() {
        let ca = cert(CA, CA, "2016-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
        let found = classified(&[cert_file("fmc.tgz!/etc/sf/ca_root/cacert.pem", vec![ca])]);
        assert_eq!(kinds(&found), [Kind::ExpiredCa]);
        assert_eq!(found[0].shared.cert.ca_subject.as_deref(), Some(CA));
        insta::assert_snapshot!(render(&found[0]));
    }

    #[test]
    fn a_ca_file_valid_today_is_not_expired() {
        let ca = cert(CA, CA, "2016-01-01T00:00:00Z", "2027-06-01T00:00:00Z");
        assert_eq!(kinds(&classified(&[cert_file("cacert.pem", vec![ca])])), []);
    }

    fn expired_ca_seen_by(device: &str, key: u8) -> Finding {
        let mut f = Finding::new(Kind::ExpiredCa, Context::Sftunnel, "CA certificate at depth 1 has expired");
        f.device = Some(device.into());
        f.certificate.subject = Some(CA.into());
        f.certificate.sha256 = Some(crate::model::Sha256([key; 32]));
        f
    }

    #[test]
    fn one_expired_ca_seen_by_two_devices_is_one_finding() {
        let merged =
            super::merge_same_certificate(vec![expired_ca_seen_by("ftd-a", 1), expired_ca_seen_by("ftd-b", 1)]);
        assert_eq!(kinds(&merged), [Kind::ExpiredCa]);
        assert_eq!(&merged[0].values()["affected"], "ftd-a, ftd-b");
    }

    #[test]
    fn two_cas_with_the_same_subject_but_other_keys_stay_apart() {
        let merged = super::merge_same_certificate(vec![expired_ca_seen_by("ftd-a", 1), expired_ca_seen_by("ftd-b", 2)]);
        let affected: Vec<String> = merged.iter().map(|f| f.values()["affected"].to_string()).collect();
        assert_eq!(affected, ["ftd-a", "ftd-b"]);
    }

    /// A CA no input names is "the InternalCA" once, never "The InternalCA the InternalCA".
    #[test]
    fn an_unnamed_ca_is_named_once() {
        let f = Finding::new(Kind::ExpiredCa, Context::Sftunnel, "CA certificate at depth 1 has expired");
        let line = super::in_system(&f, &crate::diagnose::rules::InSystem { ca_dates_known: true, ..Default::default() });
        assert_eq!(line.to_string(), "The InternalCA has expired.");
        let generic = super::RULE.fix_for(Context::Generic).unwrap();
        let first = crate::diagnose::text::fill(generic.steps[0], &f.values());
        assert_eq!(first.to_string(), "The CA has expired: every certificate it signed is refused from then on.");
    }
}
