//! `not-yet-valid`: a certificate was used before its notBefore date. A device logs verify code
//! 9; a capture shows it in the chain; a file on disk shows it against today. When it was used
//! less than a day early, the clock of the verifying device is the likely cause (the clock
//! branch), also for a log whose certificate is among the inputs' files.

use jiff::Timestamp;

use super::data::{gaps, Data};
use super::finding::Finding;
use super::{About, Depth, Fix, Kind, KindData, OnDiskVerdict, PushTo, Rule, Verifier, VerifyMatch};
use crate::codes::VerifyCode;
use crate::diagnose::text::Values;
use crate::diagnose::{Options, Severity};
use crate::model::Fact;
use super::on_wire::OnWire;
use crate::model::{CertRole, CertSummary};

pub static RULE: Rule = Rule {
    name: "not-yet-valid",
    severity: Severity::Error,
    summary: "a certificate was used before its notBefore date",
    about: About::CertificateTrust,
    verifier: Verifier::Reporter,
    marks_tunnel_down: true,
    verify: Some(VerifyMatch {
        codes: &[VerifyCode::CERT_NOT_YET_VALID],
        depth: Depth::Any,
        title: |_, _| "Certificate is not yet valid".into(),
        data: |_| NotYetValid::default().into(),
        on_wire,
    }),
    window: None,
    push_to: PushTo::Reporters,
    fixes: FIXES,
    system: None,
    min_fmc_release: None,
};

/// What a `not-yet-valid` finding carries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NotYetValid {
    /// `clock_behind`: how many seconds (less than a day) before its notBefore the certificate
    /// was used, when that points at the verifying device's clock.
    pub clock_behind: Option<i64>,
}

impl Data for NotYetValid {
    fn values(&self, out: &mut Values) {
        out.set_some("clock_behind", self.clock_behind.map(behind));
    }
    gaps!(clock_behind);
}

/// `2 h 30 min`, `30 min`.
fn behind(gap: i64) -> String {
    if gap >= 3600 {
        format!("{} h {} min", gap / 3600, gap % 3600 / 60)
    } else {
        format!("{} min", (gap / 60).max(1))
    }
}

/// A certificate file whose notBefore is still to come at `--now`: a warning, as nothing has
/// used it yet.
pub(in crate::diagnose) fn on_disk(c: &CertSummary, _role: &CertRole, opts: &Options) -> Option<OnDiskVerdict> {
    (c.not_before > opts.now)
        .then(|| OnDiskVerdict::new(Severity::Warning, "Certificate on disk is not valid yet".into(), NotYetValid::default()))
}

/// A certificate whose notBefore lies less than this far after the time it was used points at
/// the verifying device's clock rather than at the certificate.
const CLOCK_WINDOW_SECONDS: i64 = 24 * 3600;

/// A certificate of a chain on the wire was used before its notBefore.
fn on_wire(w: &OnWire<'_>) -> Finding {
    let c = w.cert;
    let mut f = w.finding(NotYetValid::default(), "Certificate not yet valid at handshake time").detail(format!(
        "{} is valid from {} but the handshake took place {}",
        w.certificate_words(),
        c.not_before,
        w.at
    ));
    clock_branch(&mut f, c.not_before, w.at);
    f
}

/// The clock branch: when `used` precedes `not_before` by less than a day, the verifying
/// device's clock is the likely cause.
pub(in crate::diagnose) fn clock_branch(f: &mut Finding, not_before: Timestamp, used: Timestamp) {
    let gap = not_before.as_second() - used.as_second();
    let KindData::NotYetValid(data) = &mut f.data else { return };
    if gap <= 0 || gap >= CLOCK_WINDOW_SECONDS {
        return;
    }
    data.clock_behind = Some(gap);
    let text = behind(gap);
    f.detail.push_str(&format!(
        "; it was used {text} before its notBefore: the clock of the device that verified it is probably behind"
    ));
}

/// A `not-yet-valid` found in a log names only the certificate: take its notBefore from a file
/// of the inputs with the same CN, and judge the clock branch with it.
pub(in crate::diagnose) fn refine_from_files(findings: &mut [Finding], facts: &[Fact]) {
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
}

/// The CN of a subject written either way (`/CN=x/O=y` or `CN=x, O=y`).
fn common_name(subject: &str) -> Option<&str> {
    let at = subject.find("CN=")?;
    let rest = &subject[at + 3..];
    let end = rest.find(['/', ',']).unwrap_or(rest.len());
    Some(rest[..end].trim()).filter(|s| !s.is_empty())
}

const FIXES: &[Fix] = &[
    Fix {
        id: "check-clocks",
        context: None,
        title: "Fix the clock, or wait for the certificate's start date",
        steps: &[
            "[[The certificate was used {clock_behind} before its notBefore: that is the verifying device's clock running \
behind. Check NTP there first (`ntpq -p`, `date -u`) and correct the clock; the certificate itself is fine.]]",
            "A certificate[[ ({subject})]] is used before its notBefore date: the clock of the verifying side is behind, \
or the issuer's clock was ahead when the certificate was made.",
            "Compare `date -u` on both ends and check NTP (`ntpq -p` on Firepower); fix the clock before re-issuing.",
            "If the clocks are right, re-issue the certificate with a correct notBefore.",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::diagnose::Kind;
    use super::{clock_branch, common_name};
    use crate::codes::VerifyCode;
    use crate::diagnose::Finding;
    use crate::model::{Context, Outcome, Role};

    #[test]
    fn used_two_hours_early_blames_the_clock() {
        let leaf = cert("/CN=ftd-lab-03", "/title=InternalCA/CN=fmc", "2026-11-20T10:45:00Z", "2036-11-20T00:00:00Z");
        let a = capture(Context::Sftunnel).with(chain(Role::Client, &[leaf])).with(end(Outcome::Failed));
        let f = the(judged(&a), Kind::NotYetValid);
        assert_eq!(&f.values()["clock_behind"], "2 h 30 min");
        insta::assert_snapshot!(render(&f));
    }

    #[test]
    fn a_logged_code_9_takes_the_date_from_the_file() {
        let nb = "2026-11-20T08:45:00Z";
        let a = sftunnel_log()
            .with(verify_error(VerifyCode::CERT_NOT_YET_VALID, 0, "/CN=ftd-lab-03/O=Cisco", "/CN=fmc"))
            .with(end(Outcome::Failed));
        let mut found = judged(&a);
        super::refine_from_files(&mut found, &[cert_file("x/sftunnel-cert.pem", vec![cert("CN=ftd-lab-03", "CN=fmc", nb, NOW)])]);
        assert_eq!(&the(found, Kind::NotYetValid).values()["clock_behind"], "30 min");
    }

    #[test]
    fn clock_branch_only_within_a_day() {
        let nb = ts("2026-03-14T12:00:00Z");
        let mut g = Finding::new(Kind::NotYetValid, Context::Sftunnel, "t");
        clock_branch(&mut g, nb, ts("2026-03-12T09:30:00Z"));
        assert!(!g.values().contains("clock_behind"));
        assert_eq!(common_name("CN=ftd-lab-03, O=Cisco"), Some("ftd-lab-03"));
        assert_eq!(common_name("O=Cisco"), None);
    }

    #[test]
    fn a_file_valid_only_from_next_week() {
        let leaf = cert("/CN=ftd-lab-03", "/title=InternalCA/CN=fmc", "2026-11-30T00:00:00Z", "2036-11-30T00:00:00Z");
        let found = classified(&[cert_file("ftd.tgz!/etc/sf/sftunnel-cert.pem", vec![leaf])]);
        assert_eq!(kinds(&found), [Kind::NotYetValid]);
        assert_eq!(found[0].severity, crate::diagnose::Severity::Warning);
        insta::assert_snapshot!(render(&found[0]));
    }

    #[test]
    fn a_file_valid_since_yesterday_is_fine() {
        let leaf = cert("/CN=ftd-lab-03", "/title=InternalCA/CN=fmc", "2026-11-22T00:00:00Z", "2036-11-22T00:00:00Z");
        assert_eq!(kinds(&classified(&[cert_file("sftunnel-cert.pem", vec![leaf])])), []);
    }
}
