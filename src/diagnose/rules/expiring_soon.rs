//! `expiring-soon`: a certificate file on disk expires within the warning window (90 days by
//! default, `--warn-days`): a warning, an error within the error window (30 days).

use super::data::no_data;
use super::steps::{BACKUP, GENERATE, HA_ORDER, HOTFIX};
use super::{About, Fix, FromSystem, OnDiskVerdict, PushTo, Rule, SystemFix, Verifier, Window};
use crate::diagnose::text::fill;
use crate::diagnose::Severity;
use crate::diagnose::Options;
use crate::model::{CertSummary, Context};

/// The window `expiring-soon` warns in, read the same way by the systems' `expiring` state: a
/// warning with fewer than 90 whole days left, an error with fewer than 30.
pub const EXPIRY_WINDOW: Window = Window { warn_days: 90, error_days: 30 };

pub static RULE: Rule = Rule {
    name: "expiring-soon",
    severity: Severity::Warning,
    summary: "a certificate expires within 90 days (error within 30)",
    about: About::Other,
    verifier: Verifier::Nobody,
    marks_tunnel_down: false,
    verify: None,
    window: Some(EXPIRY_WINDOW),
    push_to: PushTo::Reporters,
    fixes: FIXES,
    system: Some(SystemFix { when: FromSystem::WhileRenewingOrInternalCa, about: |f, _| fill(SEEN, &f.values()) }),
};

no_data!(ExpiringSoon);

/// A certificate file valid at `--now` that expires within the windows.
pub(in crate::diagnose) fn on_disk(c: &CertSummary, opts: &Options) -> Option<OnDiskVerdict> {
    let (severity, title) = c.valid_at(opts.now).then(|| within_window(c.days_left(opts.now), opts)).flatten()?;
    Some(OnDiskVerdict::new(severity, title, ExpiringSoon))
}

/// For a certificate with `days` left: its severity and title, when it is within a window.
pub(in crate::diagnose) fn within_window(days: i64, opts: &Options) -> Option<(Severity, String)> {
    let severity = if opts.window.errs(days) {
        Severity::Error
    } else if opts.window.warns(days) {
        Severity::Warning
    } else {
        return None;
    };
    Some((severity, format!("Certificate expires in {}", crate::wording::counted(days as u64, "day"))))
}

/// What expires, where and when (also the line before the steps of its InternalCA system).
const SEEN: &str = "{subject} in {path} expires[[ on {not_after}]][[ ({time_left} left)]].";

const FIXES: &[Fix] = &[
    Fix {
        id: "sftunnel-renew-before-expiry",
        context: Some(Context::Sftunnel),
        title: "Renew the sftunnel certificates while the tunnels are still up",
        steps: &[
            SEEN,
            "Renewing now is the easy case: the tunnels are up, so generate_certs.pl pushes the new files itself.",
            BACKUP,
            HOTFIX,
            HA_ORDER,
            GENERATE,
            "Afterwards check `sftunnel_status.pl` and push by hand only to the devices listed in FAILED_PUSH.",
        ],
    },
    Fix {
        id: "renew-before-expiry",
        context: None,
        title: "Renew the certificate before it expires",
        steps: &[
            "{subject} in {path} expires[[ on {not_after}]][[ ({time_left} left)]]: renew it and deploy the new one.",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::diagnose::Kind;
    use crate::diagnose::Severity;

    const CA: &str = "/title=InternalCA/CN=fmc";

    #[test]
    fn twenty_days_left_is_an_error() {
        let facts = [cert_file("fmc.tgz!/etc/sf/ca_root/cacert.pem", vec![cert(CA, CA, "2016-12-13T00:00:00Z", "2026-12-13T00:00:00Z")])];
        let f = the(classified(&facts), Kind::ExpiringSoon);
        assert_eq!((f.severity, f.shared.days_left), (Severity::Error, Some(20)));
        insta::assert_snapshot!(render(&f));
    }

    #[test]
    fn the_windows() {
        let o = opts();
        assert_eq!(super::within_window(60, &o).map(|w| w.0), Some(Severity::Warning));
        assert_eq!(super::within_window(29, &o).map(|w| w.0), Some(Severity::Error));
        assert_eq!(super::within_window(30, &o).map(|w| w.0), Some(Severity::Warning));
        assert_eq!(super::within_window(89, &o).map(|w| w.0), Some(Severity::Warning));
        assert_eq!(super::within_window(90, &o), None);
    }

    #[test]
    fn a_file_with_exactly_90_days_left_is_not_expiring_89_is() {
        // NOW is midnight: a notAfter 90 days later leaves exactly 90 whole days.
        let at_90 = cert("/CN=ftd-1", CA, "2025-01-01T00:00:00Z", "2027-02-21T00:00:00Z");
        assert_eq!(kinds(&classified(&[cert_file("sftunnel-cert.pem", vec![at_90])])), []);
        let at_89 = cert("/CN=ftd-1", CA, "2025-01-01T00:00:00Z", "2027-02-20T23:59:59Z");
        let f = the(classified(&[cert_file("sftunnel-cert.pem", vec![at_89])]), Kind::ExpiringSoon);
        assert_eq!((f.severity, f.shared.days_left), (Severity::Warning, Some(89)));
    }

    #[test]
    fn sixty_days_left_on_disk_is_a_warning() {
        let leaf = cert("/CN=ftd-1", CA, "2025-01-01T00:00:00Z", "2027-01-22T12:00:00Z");
        let f = the(classified(&[cert_file("sftunnel-cert.pem", vec![leaf])]), Kind::ExpiringSoon);
        assert_eq!((f.severity, f.title.as_str()), (Severity::Warning, "Certificate expires in 60 days"));
    }

    #[test]
    fn an_expired_file_is_not_expiring_soon() {
        let leaf = cert("/CN=ftd-1", CA, "2025-01-01T00:00:00Z", "2026-11-22T00:00:00Z");
        assert_eq!(kinds(&classified(&[cert_file("sftunnel-cert.pem", vec![leaf])])), [Kind::ExpiredCert]);
    }

    #[test]
    fn a_file_not_valid_yet_is_not_expiring_soon() {
        let leaf = cert("/CN=ftd-1", CA, "2026-12-01T00:00:00Z", "2026-12-10T00:00:00Z");
        assert_eq!(kinds(&classified(&[cert_file("sftunnel-cert.pem", vec![leaf])])), [Kind::NotYetValid]);
    }
}
