//! What a rule declares about its kind: its name, severity and summary, and every attribute the
//! other stages ask about a kind (how it concerns a certificate, who it shows verifying, whether
//! it marks a tunnel down, its window, where regenerated files go, its remediation entries and
//! its line in an InternalCA system's steps). Stages read these fields; none keeps its own list
//! of kinds.

use jiff::Timestamp;

use super::finding::Finding;
use super::on_wire::OnWire;
use super::KindData;
use crate::codes::VerifyCode;
use crate::diagnose::severity::Severity;
use crate::model::Context;

/// What a rule knows about one finding kind.
pub struct Rule {
    /// The stable name users script against (`expired-ca`).
    pub name: &'static str,
    /// Default severity; a check may raise or lower it (e.g. `expiring-soon`).
    pub severity: Severity,
    /// One line saying what the kind means.
    pub summary: &'static str,
    /// How the kind concerns a certificate (drives precedence and correlation).
    pub about: About,
    /// Who a finding of the kind shows checking certificates.
    pub verifier: Verifier,
    /// Whether a finding of the kind, seen at a time, shows the tunnel of the device it concerns
    /// down at that time (a file on disk, a copy that failed, an expiry to come do not).
    pub marks_tunnel_down: bool,
    /// The OpenSSL verify codes a device logs for this kind, when it has any.
    pub verify: Option<VerifyMatch>,
    /// The window of days before an expiry the kind warns in, when it has one.
    pub window: Option<Window>,
    /// Where regenerated sftunnel files go when the steps say to push them.
    pub push_to: PushTo,
    /// The remediation entries, one per context (`context: None` is the fallback).
    pub fixes: &'static [Fix],
    /// For the kinds about an FMC's InternalCA and its copies: when a finding takes its steps
    /// from its system, and the line about the finding that comes before them.
    pub system: Option<SystemFix>,
    /// The oldest FMC release a finding of the kind shows its FMC runs, when the kind shows one
    /// (a TLS 1.3 sftunnel comes with 7.6): the systems hold it against the FMC's version.
    pub min_fmc_release: Option<MinRelease>,
}

/// An FMC release a finding shows at least, and what shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MinRelease {
    pub major: u32,
    pub minor: u32,
    /// What in the finding shows it, in words (`a TLS 1.3 sftunnel`).
    pub shown_by: &'static str,
}

/// How a kind concerns a certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum About {
    /// Not a certificate's fault (the network, the protocol, the cipher suites).
    Other,
    /// A certificate's dates or trust (expired, not yet valid, self-signed, unknown issuer).
    CertificateTrust,
    /// A verification of the certificate failed for another reason (a code, a weak key).
    CertificateVerification,
    /// The tunnel's credentials as a whole (a rejected certificate, files that do not match,
    /// files not pushed, post-handshake authentication).
    TunnelCredentials,
}

/// Who a kind shows checking certificates (the systems tell an FMC from a device by it: a
/// device verifies the one FMC it talks to; an FMC is refused by its many devices).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verifier {
    /// Nobody in particular.
    Nobody,
    /// The device that reported it verified its peer's certificate.
    Reporter,
    /// The peer refused the certificate of the device that reported it.
    Peer,
}

/// An expiry window in days, read one way everywhere: a certificate with `days_left` whole
/// days left (rounded down) is within a window of `n` days when `days_left < n`, i.e. it ends
/// less than `n` days from now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// A warning within this many days.
    pub warn_days: i64,
    /// An error within this many.
    pub error_days: i64,
}

impl Window {
    /// Whether `days_left` is within the warning window.
    pub fn warns(&self, days_left: i64) -> bool {
        days_left < self.warn_days
    }
    /// Whether `days_left` is within the error window.
    pub fn errs(&self, days_left: i64) -> bool {
        days_left < self.error_days
    }
}

/// The verify codes that make a kind, and at which depth.
pub struct VerifyMatch {
    pub codes: &'static [VerifyCode],
    pub depth: Depth,
    /// The finding's title for a code at a depth.
    pub title: fn(Option<u32>, VerifyCode) -> String,
    /// The kind's data for a code (e.g. what is too weak).
    pub data: fn(VerifyCode) -> KindData,
    /// The finding when a chain seen on the wire fails one of the codes (its title and detail
    /// say what the capture shows).
    pub on_wire: fn(&OnWire<'_>) -> Finding,
}

/// Where in the chain a verify code has to be for a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Depth {
    Any,
    /// A CA (depth 1 or more).
    Ca,
    /// The end-entity certificate (depth 0, or no depth logged).
    Leaf,
}

impl VerifyMatch {
    pub fn matches(&self, code: VerifyCode, depth: Option<u32>) -> bool {
        let at_ca = depth.unwrap_or(0) >= 1;
        let depth_ok = match self.depth {
            Depth::Any => true,
            Depth::Ca => at_ca,
            Depth::Leaf => !at_ca,
        };
        depth_ok && self.codes.contains(&code)
    }
}

/// Where regenerated sftunnel files must go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PushTo {
    /// The devices that reported the problem (`affected`, else the finding's device).
    Reporters,
    /// The peer: the device that rejected this side's certificate.
    Peer,
}

/// One remediation entry of a kind: a title and step templates for a context.
///
/// Templates name values with `{key}`; `text::fill` replaces them with the finding's values
/// (its [`Finding::values`] and its system's), or a plain wording when a value is unknown. A
/// part written `[[...]]` is kept only when every value it names is known.
pub struct Fix {
    pub id: &'static str,
    /// `None` matches any context (the fallback for the kind).
    pub context: Option<Context>,
    pub title: &'static str,
    pub steps: &'static [&'static str],
}

/// How the findings of a kind about an FMC's InternalCA take their steps from their system.
pub struct SystemFix {
    pub when: FromSystem,
    /// The line about the finding itself, before the system's steps.
    pub about: fn(&Finding, &InSystem<'_>) -> crate::diagnose::StepText,
}

/// When a finding takes its steps from its InternalCA system.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FromSystem {
    /// Always: the finding is about the InternalCA or the copies of its files.
    Always,
    /// While the system renews its InternalCA (generate_certs.pl re-issues the certificate with
    /// it), outside the TLS proxy.
    WhileRenewing,
    /// As [`FromSystem::WhileRenewing`], and always when the certificate is an InternalCA.
    WhileRenewingOrInternalCa,
}

/// What a finding's system says that the line about the finding uses (remedy fills it in from
/// the system; a rule never sees the system itself).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InSystem<'a> {
    /// The system is renewing its InternalCA (expiring, expired, or renewed with a push pending).
    pub renewing: bool,
    /// The CA the finding is about has been replaced by a newer one, or the system renewed.
    pub ca_replaced: bool,
    /// The current InternalCA, when the system has one: its serial and its notAfter.
    pub current_ca: Option<(Option<&'a str>, Option<Timestamp>)>,
    /// The system has read its InternalCA's dates (a file or a capture, not only a log line).
    pub ca_dates_known: bool,
    /// The finding's peer as a device of the system: its name, and whether it still lacks the
    /// current InternalCA's files.
    pub peer_device: Option<(&'a str, bool)>,
}

impl SystemFix {
    /// Whether a finding takes its steps from a system that is (or is not) `renewing`.
    pub fn applies(&self, f: &Finding, renewing: bool) -> bool {
        let renewing = renewing && f.context != Context::TlsProxy;
        match self.when {
            FromSystem::Always => true,
            FromSystem::WhileRenewing => renewing,
            FromSystem::WhileRenewingOrInternalCa => {
                renewing || f.certificate.subject.as_deref().is_some_and(crate::firepower::is_internal_ca)
            }
        }
    }
}

impl Rule {
    /// The entry for a context: the context's own, else the FMC-HA one falls back to sftunnel's,
    /// else the kind's fallback.
    pub fn fix_for(&self, context: Context) -> Option<&'static Fix> {
        let own = |c: Context| self.fixes.iter().find(|e| e.context == Some(c));
        let context_fix = match context {
            Context::FmcHa => own(Context::FmcHa).or_else(|| own(Context::Sftunnel)),
            c => own(c),
        };
        context_fix.or_else(|| self.fixes.iter().find(|e| e.context.is_none()))
    }
}
