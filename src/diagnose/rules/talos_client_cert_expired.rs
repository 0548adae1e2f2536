//! `talos-client-cert-expired`: the client certificate an FMC presents to the Talos cloud
//! services (`/var/sf/beaker3/…pem`, issued by `Keymaster CA 2`) has expired, or expires within
//! the windows of `expiring-soon`. Cisco field notice FN74272 (bug CSCwo63951): releases 7.6.0
//! and 7.7.0 may fail to renew it by themselves after 30 March 2025; without it the FMC's
//! updates from Talos (URL reputation database, intrusion rule packages, other enrichment data)
//! stop. It has nothing to do with sftunnel, and its remedy never says so.
//!
//! Known by its role (`firepower::roles`): its path in a bundle, or its issuer in a paste.

use super::data::no_data;
use super::{About, Fix, OnDiskVerdict, PushTo, Rule, Verifier};
use crate::diagnose::{Options, Severity};
use crate::model::{days_left_words, CertRole, CertSummary, Purpose};

pub static RULE: Rule = Rule {
    name: "talos-client-cert-expired",
    severity: Severity::Error,
    summary: "the FMC's client certificate for the Talos cloud services has expired or expires within 90 days \
(field notice FN74272)",
    about: About::Other,
    verifier: Verifier::Nobody,
    marks_tunnel_down: false,
    verify: None,
    window: None,
    push_to: PushTo::Reporters,
    fixes: FIXES,
    system: None,
    min_fmc_release: None,
};

no_data!(TalosClientCertExpired);

/// The Talos cloud client certificate of a live file: an error once expired, a warning within
/// the windows of `expiring-soon`.
pub(in crate::diagnose) fn on_disk(c: &CertSummary, role: &CertRole, opts: &Options) -> Option<OnDiskVerdict> {
    if role.purpose != Some(Purpose::TalosClient) || c.not_before > opts.now {
        return None;
    }
    let when = days_left_words(c.not_after, opts.now);
    if c.not_after < opts.now {
        Some(OnDiskVerdict::new(RULE.severity, format!("Talos cloud client certificate {when}"), TalosClientCertExpired))
    } else if opts.window.warns(c.days_left(opts.now)) {
        Some(OnDiskVerdict::new(Severity::Warning, format!("Talos cloud client certificate: {when}"), TalosClientCertExpired))
    } else {
        None
    }
}

const FIXES: &[Fix] = &[Fix {
    id: "talos-client-cert-renew",
    context: None,
    title: "Have the FMC renew its Talos cloud client certificate (field notice FN74272)",
    steps: &[
        "The FMC shows this certificate to the Talos cloud services[[: {subject}]][[ in {path}]][[, notAfter \
{not_after}]].",
        "While it is not valid the FMC gets no updates from Talos: neither the URL reputation database (URL \
categories) nor the intrusion rule packages (LSP) nor other enrichment data. The certificate is not part \
of the management tunnel to the devices.",
        "Read its dates on the FMC in expert mode: `sudo openssl x509 -noout -dates -in \
/var/sf/beaker3/securefirewall-dev-prod-01_prod.pem`.",
        "Releases 7.6.0 and 7.7.0 may fail to renew it by themselves after 30 March 2025 (bug CSCwo63951). Renew \
it with the process restart that field notice FN74272 describes (https://www.cisco.com/c/en/us/support/docs/\
field-notices/742/fn74272.html), then upgrade the FMC to a release the notice lists as fixed.",
        "Afterwards read the dates again and check that the next URL database and rule package updates succeed.",
    ],
}];

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::diagnose::Kind;
    use crate::diagnose::Severity;

    const KEYMASTER: &str = "/C=US/ST=California/L=San Jose/O=Cisco Systems Inc./OU=Security/CN=Keymaster CA 2";
    const BEAKER: &str = "fmc.tgz!/var/sf/beaker3/securefirewall-dev-prod-01_prod.pem";

    #[test]
    fn an_expired_talos_client_certificate_in_a_bundle() {
        let c = cert("/CN=fmc-hq-01", KEYMASTER, "2024-01-30T22:32:39Z", "2025-03-30T22:32:39Z");
        let found = classified(&[cert_file(BEAKER, vec![c])]);
        assert_eq!(kinds(&found), [Kind::TalosClientCertExpired]);
        let f = &found[0];
        assert_eq!((f.severity, f.title.as_str()), (Severity::Error, "Talos cloud client certificate expired 602 days ago"));
        insta::assert_snapshot!(render(f));
    }

    #[test]
    fn found_by_its_issuer_in_a_paste_and_warned_before_it_ends() {
        let c = cert("/CN=SFW76EVAL", KEYMASTER, "2026-01-30T00:00:00Z", "2027-01-20T00:00:00Z");
        let f = the(classified(&[cert_file("case/notes.txt", vec![c])]), Kind::TalosClientCertExpired);
        assert_eq!((f.severity, f.title.as_str()), (Severity::Warning, "Talos cloud client certificate: 58 days left"));
    }

    #[test]
    fn the_steps_name_the_notice_and_never_sftunnel() {
        for step in super::FIXES.iter().flat_map(|f| f.steps) {
            for word in ["generate_certs", "sftunnel", "push"] {
                assert!(!step.contains(word), "{step}");
            }
        }
        let notice = "https://www.cisco.com/c/en/us/support/docs/field-notices/742/fn74272.html";
        assert!(super::FIXES[0].steps.iter().any(|s| s.contains(notice)));
    }

    #[test]
    fn a_keymaster_ca_or_another_certificate_is_not_this_kind() {
        let mut ca = (*cert(KEYMASTER, KEYMASTER, "2015-01-01T00:00:00Z", "2025-01-01T00:00:00Z")).clone();
        ca.is_ca = true;
        let other = cert("/CN=web", "/CN=Other CA", "2015-01-01T00:00:00Z", "2025-01-01T00:00:00Z");
        let found = classified(&[cert_file("case/keymaster.pem", vec![std::sync::Arc::new(ca)]), cert_file("case/web.pem", vec![other])]);
        assert_eq!(kinds(&found), [Kind::ExpiredCa, Kind::ExpiredCert]);
    }
}
