//! The registry of finding kinds: one rule file per kind, each holding the kind's [`Rule`] (its
//! metadata and every attribute other stages ask about), its data type (what its findings carry,
//! named like the kind), the checks and texts that make its findings, its remediation entries and
//! its tests.
//!
//! [`Kind`], [`Kind::ALL`], [`KindData`], the SARIF rules, `explain all` and the schema's kind
//! enum all come from the one list in [`registry!`]; the order of that list is the order of the
//! kinds (and of findings of equal rank), so a new kind goes at its end.
//!
//! Beside the rule files: [`finding`] (the finding every rule builds) and [`merge`], [`shared`]
//! (the values many kinds share), [`data`] (what a kind's data can do), [`rule`] (the rule's
//! fields), [`folder`] and [`offered`] (data two kinds share), [`on_wire`] (a check a chain on
//! the wire fails, as the rules that claim its code get it), [`steps`] (shared step texts),
//! [`precedence`] (which finding explains which away).

pub mod data;
pub mod finding;
pub mod folder;
pub mod hello_answer;
pub mod merge;
pub mod offered;
pub mod on_wire;
pub(crate) mod precedence;
pub mod rule;
pub mod shared;
pub(crate) mod steps;

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod registry_tests;

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use super::severity::Severity;
use super::text::Values;
use super::Options;
use crate::codes::VerifyCode;
use crate::model::{CertRole, CertSummary};
use data::{Data, Identifiers};
pub use finding::{CertRef, Finding, FoldKey, SourceSeen, MAX_EVIDENCE};
pub use rule::{
    About, Depth, Fix, FromSystem, InSystem, MinRelease, PushTo, Rule, SystemFix, Verifier, VerifyMatch, Window,
};

/// A rule's judgement of one certificate of a judged file at `--now`, given the file's role, when
/// the rule applies. [`precedence::ON_DISK`] lists them in the order they are asked.
pub(in crate::diagnose) type OnDisk = fn(&CertSummary, &CertRole, &Options) -> Option<OnDiskVerdict>;

/// What an on-disk rule says of a certificate: its finding's severity, title and data (the
/// finding's kind is the data's), and what it adds to the detail every on-disk finding has
/// (which certificate, until when, where).
pub(in crate::diagnose) struct OnDiskVerdict {
    pub severity: Severity,
    pub title: String,
    pub data: KindData,
    pub why: Option<String>,
    /// The security level the certificate was judged at, when the rule judged one.
    pub security_level: Option<u8>,
}

impl OnDiskVerdict {
    /// A verdict that adds nothing to the shared detail.
    pub fn new(severity: Severity, title: String, data: impl Into<KindData>) -> Self {
        OnDiskVerdict { severity, title, data: data.into(), why: None, security_level: None }
    }
}

/// Declares the rule modules, the [`Kind`] enum (one variant per rule, in this order), the
/// [`KindData`] enum (each rule's data type, named like its variant) and the map from a kind to
/// its rule.
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

        /// A finding's own data: its kind's type, from the kind's rule file (boxed: a finding
        /// stays small whatever its kind carries; an empty type allocates nothing).
        #[derive(Clone, Debug, PartialEq)]
        pub enum KindData { $($variant(Box<$module::$variant>),)* }

        impl KindData {
            /// The kind of this data.
            pub fn kind(&self) -> Kind {
                match self { $(KindData::$variant(_) => Kind::$variant,)* }
            }
            /// Its values as text.
            pub fn values(&self, out: &mut Values) {
                match self { $(KindData::$variant(d) => d.values(out),)* }
            }
            /// Take what this lacks from the data of a finding folded into this one (nothing
            /// from the data of another kind).
            pub fn fill_gaps(&mut self, other: KindData) {
                match self {
                    $(KindData::$variant(d) => if let KindData::$variant(o) = other { d.fill_gaps(*o) },)*
                }
            }
            /// Whether this has a value wherever `other` (of the same kind) has one.
            pub fn covers(&self, other: &KindData) -> bool {
                match self {
                    $(KindData::$variant(d) => matches!(other, KindData::$variant(o) if d.covers(o)),)*
                }
            }
            /// Forget what names one peer.
            pub fn forget_peer(&mut self) {
                match self { $(KindData::$variant(d) => d.forget_peer(),)* }
            }
            /// The name of the finding's peer, when the data names it.
            pub fn peer_name(&self) -> Option<&str> {
                match self { $(KindData::$variant(d) => d.peer_name(),)* }
            }
            /// The device names, addresses and UUIDs it gives.
            pub fn identifiers(&self) -> Identifiers<'_> {
                let mut out = Identifiers::default();
                match self { $(KindData::$variant(d) => d.identifiers(&mut out),)* }
                out
            }
        }

        /// The empty data of a kind.
        impl From<Kind> for KindData {
            fn from(kind: Kind) -> KindData {
                match kind { $(Kind::$variant => KindData::$variant(Box::default()),)* }
            }
        }

        $(impl From<$module::$variant> for KindData {
            fn from(d: $module::$variant) -> KindData {
                KindData::$variant(Box::new(d))
            }
        })*
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
    TalosClientCertExpired => talos_client_cert_expired,
    RpcFailed => rpc_failed,
    NotJudged => not_judged,
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

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Kind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL.iter().copied().find(|k| k.as_str() == s).ok_or_else(|| {
            let names: Vec<_> = Kind::ALL.iter().map(|k| k.as_str()).collect();
            format!("unknown finding kind '{s}' (known: {})", names.join(", "))
        })
    }
}
