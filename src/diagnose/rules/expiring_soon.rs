//! `expiring-soon`: a certificate expires within the warning window (90 days by default,
//! `--warn-days`): a warning, an error within the error window (30 days). A file on disk is
//! judged at `--now`; a certificate of a chain seen on the wire at the handshake (its severity)
//! and at `--now` when that is later and it has not expired by then (a warning: the capture
//! does not show it still in use).

use jiff::Timestamp;

use super::data::{gaps, Data};
use super::finding::Finding;
use super::steps::{BACKUP, GENERATE, HA_ORDER, HOTFIX};
use super::{About, Fix, FromSystem, OnDiskVerdict, PushTo, Rule, SystemFix, Verifier, Window};
use crate::diagnose::text::{fill, Values};
use crate::diagnose::Options;
use crate::diagnose::Severity;
use crate::model::{Attempt, CertRole, CertSummary, Context};

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
    min_fmc_release: None,
};

/// What an `expiring-soon` finding carries beyond the shared values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExpiringSoon {
    /// `days_at_handshake`: for a certificate seen on the wire, the whole days it had left when
    /// the handshake took place.
    pub days_at_handshake: Option<i64>,
}

impl Data for ExpiringSoon {
    fn values(&self, out: &mut Values) {
        out.set_some("days_at_handshake", self.days_at_handshake);
    }
    gaps!(days_at_handshake);
}

/// A certificate file valid at `--now` that expires within the windows.
pub(in crate::diagnose) fn on_disk(c: &CertSummary, _role: &CertRole, opts: &Options) -> Option<OnDiskVerdict> {
    let (severity, title) = c.valid_at(opts.now).then(|| within_window(c.days_left(opts.now), opts)).flatten()?;
    Some(OnDiskVerdict::new(severity, title, ExpiringSoon::default()))
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

/// A certificate of a chain on the wire, valid at the handshake (`at`), that expires within the
/// windows: counted from the handshake, or from `--now` when that is later.
pub(in crate::diagnose) fn on_wire(a: &Attempt, c: &CertSummary, at: Timestamp, opts: &Options) -> Option<Finding> {
    let then = c.days_left(at);
    let now = (opts.now > at).then(|| c.days_left(opts.now));
    let (severity, title, detail) = match (within_window(then, opts), now) {
        (Some((severity, _)), _) => (
            severity,
            format!("Certificate had {} left at the handshake", crate::wording::counted(then as u64, "day")),
            format!("{} had {} left when the handshake took place {at}", c.subject, crate::wording::counted(then as u64, "day")),
        ),
        // One that has expired since is no longer expiring; whether it is still in use, the
        // capture cannot show.
        (None, Some(days)) if days >= 0 && opts.window.warns(days) => (
            Severity::Warning,
            format!("Certificate seen in a capture expires in {}", crate::wording::counted(days as u64, "day")),
            format!("{} expires {} ({} after --now); the handshake took place {at}", c.subject, c.not_after, crate::wording::counted(days as u64, "day")),
        ),
        _ => return None,
    };
    let mut f = Finding::of_attempt(a, ExpiringSoon { days_at_handshake: Some(then) }, title).detail(detail);
    f.severity = severity;
    f.shared.days_left = now.filter(|d| *d >= 0);
    Some(f)
}

/// What expires, where and when (also the line before the steps of its InternalCA system).
const SEEN: &str = "{subject}[[ in {path}]] expires[[ on {not_after}]][[ ({time_left} left)]][[; it had \
{days_at_handshake} days left at the handshake the capture shows]].";

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
            "{subject}[[ in {path}]] expires[[ on {not_after}]][[ ({time_left} left)]]: renew it and deploy the new one.",
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
