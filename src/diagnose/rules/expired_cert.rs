//! `expired-cert`: an end-entity certificate (depth 0) was expired. A device logs it as verify
//! code 10 at depth 0 (or without a depth); a capture shows it in the chain; a certificate file
//! on disk shows it against today.

use super::data::no_data;
use super::expired_ca::{expired_detail, expired_on_disk_title};
use super::finding::Finding;
use super::steps::{BACKUP, GENERATE, HOTFIX, PUSH, VERIFY};
use super::{About, Depth, Fix, FromSystem, OnDiskVerdict, PushTo, Rule, SystemFix, Verifier, VerifyMatch};
use crate::codes::VerifyCode;
use crate::diagnose::text::fill;
use crate::diagnose::{Options, Severity};
use super::on_wire::OnWire;
use crate::model::{CertRole, CertSummary, Context};

pub static RULE: Rule = Rule {
    name: "expired-cert",
    severity: Severity::Error,
    summary: "an end-entity certificate (depth 0) was expired",
    about: About::CertificateTrust,
    verifier: Verifier::Reporter,
    marks_tunnel_down: true,
    verify: Some(VerifyMatch {
        codes: &[VerifyCode::CERT_HAS_EXPIRED],
        depth: Depth::Leaf,
        title: |_, _| "End-entity certificate has expired".into(),
        data: |_| ExpiredCert.into(),
        on_wire,
    }),
    window: None,
    push_to: PushTo::Reporters,
    fixes: FIXES,
    // generate_certs.pl re-issues the device certificates with the InternalCA.
    system: Some(SystemFix { when: FromSystem::WhileRenewing, about: |f, _| fill(IN_SYSTEM, &f.values()) }),
    min_fmc_release: None,
};

no_data!(ExpiredCert);

/// The line before the steps of a system renewing its InternalCA.
const IN_SYSTEM: &str = "The certificate[[ {subject}]] has expired[[ (notAfter {not_after})]]: generate_certs.pl issues \
a new one with the InternalCA.";

/// An end-entity certificate file that has expired by `--now`.
pub(in crate::diagnose) fn on_disk(c: &CertSummary, role: &CertRole, opts: &Options) -> Option<OnDiskVerdict> {
    (!c.is_ca && c.not_after < opts.now)
        .then(|| OnDiskVerdict::new(RULE.severity, expired_on_disk_title(c, role, opts), ExpiredCert))
}

/// The end-entity certificate of a chain seen on the wire had expired at the handshake.
fn on_wire(w: &OnWire<'_>) -> Finding {
    w.finding(ExpiredCert, format!("The {}'s certificate had expired at handshake time", w.sender()))
        .detail(expired_detail(w))
}

const FIXES: &[Fix] = &[
    Fix {
        id: "sftunnel-reissue-device-cert",
        context: Some(Context::Sftunnel),
        title: "Re-issue the expired sftunnel certificate",
        steps: &[
            "The certificate[[ {subject}]] (depth 0) has expired[[ (notAfter {not_after})]].",
            BACKUP,
            HOTFIX,
            GENERATE,
            PUSH,
            VERIFY,
        ],
    },
    Fix {
        id: "renew-cert",
        context: None,
        title: "Renew the expired certificate",
        steps: &[
            "The certificate[[ {subject}]] sent by the {sent_by} has expired[[ (on {not_after})]].",
            "Issue a new certificate from the same CA and install it with its key on {peer}; check the new file's \
dates with `openssl x509 -dates -noout -in` followed by its path.",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::diagnose::Kind;
    use crate::codes::VerifyCode;
    use crate::model::{Context, Outcome, Role};

    const LEAF: &str = "/CN=ftd-branch-07/O=Cisco Systems, Inc";
    const CA: &str = "/title=InternalCA/CN=fmc/O=Cisco Systems, Inc";

    #[test]
    fn verify_code_10_at_depth_0_is_the_leaf() {
        let a = sftunnel_log().with(verify_error(VerifyCode::CERT_HAS_EXPIRED, 0, LEAF, CA)).with(end(Outcome::Failed));
        let f = the(judged(&a), Kind::ExpiredCert);
        assert_eq!(f.shared.cert.ca_subject, None);
        insta::assert_snapshot!(render(&f));
    }

    #[test]
    fn an_accepted_expired_chain_is_only_a_warning() {
        let leaf = cert("/CN=www.example.com", "/CN=Example Root", "2024-01-01T00:00:00Z", "2026-06-01T00:00:00Z");
        let a = capture(Context::Generic).with(chain(Role::Server, &[leaf])).with(end(Outcome::Established));
        let f = the(judged(&a), Kind::ExpiredCert);
        assert_eq!(f.severity, crate::diagnose::Severity::Warning);
    }

    #[test]
    fn an_expired_device_certificate_on_disk() {
        let leaf = cert(LEAF, CA, "2024-11-01T00:00:00Z", "2026-11-01T00:00:00Z");
        let found = classified(&[cert_file("ftd.tgz!/etc/sf/sftunnel-cert.pem", vec![leaf])]);
        assert_eq!(kinds(&found), [Kind::ExpiredCert]);
        assert_eq!((found[0].title.as_str(), found[0].depth), ("Certificate on disk expired 22 days ago", Some(0)));
        insta::assert_snapshot!(render(&found[0]));
    }

    #[test]
    fn an_expired_ca_file_is_not_an_expired_cert() {
        let ca = cert(CA, CA, "2016-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
        assert_eq!(kinds(&classified(&[cert_file("cacert.pem", vec![ca])])), [Kind::ExpiredCa]);
    }
}
