//! The registry of finding kinds: one rule file per kind, each holding the kind's metadata, the
//! checks and texts that make its findings, its remediation entries and its tests.
//!
//! [`Kind`], [`Kind::ALL`], the SARIF rules, `explain all` and the schema's kind enum all come
//! from the one list in [`registry!`]; the order of that list is the order of the kinds (and of
//! findings of equal rank), so a new kind goes at its end.

pub(crate) mod precedence;
pub(crate) mod steps;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod registry_tests;

use super::kind::Severity;
use super::Options;
use crate::codes::VerifyCode;
use crate::model::{CertSummary, Context};

/// A rule's judgement of one certificate file at `--now`: its severity and title when the rule
/// applies. [`precedence::ON_DISK`] lists them in the order they are asked.
pub(in crate::diagnose) type OnDisk = fn(&CertSummary, &Options) -> Option<(Severity, String)>;

/// Declares the rule modules, the [`Kind`] enum (one variant per rule, in this order) and the
/// map from a kind to its rule.
macro_rules! registry {
    ($($variant:ident => $module:ident,)*) => {
        $(pub mod $module;)*

        /// What went wrong. The string names (the rules' `name`) are part of the JSON contract.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind { $($variant,)* }

        impl Kind {
            /// Every kind, in registry order.
            pub const ALL: &'static [Kind] = &[$(Kind::$variant,)*];
            /// The rule of this kind.
            pub fn rule(self) -> &'static Rule {
                match self { $(Kind::$variant => &$module::RULE,)* }
            }
        }
    };
}

// The registry: one line per finding kind. New kinds go at the end.
registry! {
    ExpiredCa => expired_ca,
    ExpiredCert => expired_cert,
    NotYetValid => not_yet_valid,
    SelfSigned => self_signed,
    UnknownCa => unknown_ca,
    VerifyFailed => verify_failed,
    CipherMismatch => cipher_mismatch,
    ProtocolMismatch => protocol_mismatch,
    PeerRejectedCertificate => peer_rejected_certificate,
    ConnectionRefused => connection_refused,
    HandshakeIncomplete => handshake_incomplete,
    CaMismatch => ca_mismatch,
    KeyMismatch => key_mismatch,
    CertPushFailed => cert_push_failed,
    ExpiringSoon => expiring_soon,
    HandshakeFailed => handshake_failed,
    TunnelDown => tunnel_down,
    PostHandshakeAuthFailed => post_handshake_auth_failed,
    WeakCertificate => weak_certificate,
    InvalidPurpose => invalid_purpose,
}

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
    /// The OpenSSL verify codes a device logs for this kind, when it has any.
    pub verify: Option<VerifyMatch>,
    /// Where regenerated sftunnel files go when the steps say to push them.
    pub push_to: PushTo,
    /// The remediation entries, one per context (`context: None` is the fallback).
    pub fixes: &'static [Fix],
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

/// The verify codes that make a kind, and at which depth.
pub struct VerifyMatch {
    pub codes: &'static [VerifyCode],
    pub depth: Depth,
    /// The finding's title for a code at a depth.
    pub title: fn(Option<u32>, VerifyCode) -> String,
    /// Facts the kind adds for a code (e.g. what is too weak).
    pub facts: fn(VerifyCode) -> &'static [(&'static str, &'static str)],
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

/// No facts beyond the common ones.
pub(crate) fn no_facts(_: VerifyCode) -> &'static [(&'static str, &'static str)] {
    &[]
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
/// Templates name values with `{key}`; `remedy::fill` replaces them with the finding's facts,
/// or a plain wording when a value is unknown. A part written `[[...]]` is kept only when every
/// value it names is known.
pub struct Fix {
    pub id: &'static str,
    /// `None` matches any context (the fallback for the kind).
    pub context: Option<Context>,
    pub title: &'static str,
    pub steps: &'static [&'static str],
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

impl Kind {
    pub fn as_str(self) -> &'static str {
        self.rule().name
    }
    /// Default severity; rules may raise or lower it (e.g. `expiring-soon`).
    pub fn default_severity(self) -> Severity {
        self.rule().severity
    }
    /// One line saying what the kind means.
    pub fn summary(self) -> &'static str {
        self.rule().summary
    }
    /// Kinds a verification of a chain reports: the certificate itself is the problem.
    pub fn is_chain_verdict(self) -> bool {
        matches!(self.rule().about, About::CertificateTrust | About::CertificateVerification)
    }
    /// Kinds about a certificate's dates or trust.
    pub fn is_trust_verdict(self) -> bool {
        self.rule().about == About::CertificateTrust
    }
    /// Kinds that show a certificate (or the tunnel's credentials) as the problem.
    pub fn is_certificate_evidence(self) -> bool {
        self.rule().about != About::Other
    }
    /// The kind a device's verify code (at a depth) stands for; `verify-failed` for the rest.
    pub fn for_verify_code(code: VerifyCode, depth: Option<u32>) -> Kind {
        Kind::ALL
            .iter()
            .copied()
            .find(|k| k.rule().verify.as_ref().is_some_and(|v| v.matches(code, depth)))
            .unwrap_or(Kind::VerifyFailed)
    }
}
