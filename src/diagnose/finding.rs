//! The finding: one diagnosed problem with its evidence, counts, the values its remediation
//! steps are filled with, and the remediation itself.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;

use super::kind::{Kind, Severity};
use crate::model::CertSummary;
use crate::model::{Context, Evidence};

/// How many pieces of evidence a folded finding keeps (the count keeps counting).
pub const MAX_EVIDENCE: usize = 20;

/// The steps for one finding (filled by `remedy` from the kind's entries and the finding's
/// values).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Remediation {
    /// Stable id: `sftunnel-<state>` when drawn from the system, else the rule entry's
    /// (`tls-proxy-k9-license`, ...).
    pub id: String,
    pub title: String,
    pub steps: Vec<String>,
}

/// The certificate a finding is about, as far as the sources describe it (a log gives only the
/// names; a capture or a file gives everything).
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CertRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_before: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_after: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

impl CertRef {
    pub fn names(subject: Option<String>, issuer: Option<String>) -> Self {
        CertRef { subject, issuer, ..Default::default() }
    }
    pub fn is_empty(&self) -> bool {
        self == &CertRef::default()
    }
}

impl From<&CertSummary> for CertRef {
    fn from(c: &CertSummary) -> Self {
        CertRef {
            subject: Some(c.subject.clone()),
            issuer: Some(c.issuer.clone()),
            not_before: Some(c.not_before),
            not_after: Some(c.not_after),
            // A certificate known only from its printed text has no DER, so no fingerprint.
            sha256: (!c.sha256.is_empty()).then(|| c.sha256.clone()),
        }
    }
}

/// First and last time one source reported the problem (the timeline of a correlated finding).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct SourceSeen {
    pub path: String,
    pub count: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<Timestamp>,
}

/// One diagnosed problem.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub kind: Kind,
    pub severity: Severity,
    pub context: Context,
    pub title: String,
    pub detail: String,
    /// The device whose log or bundle reports the problem (syslog host name, FAILED_PUSH name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// The other end: `ip`, `ip:port`, or a device name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth: Option<u32>,
    #[serde(skip_serializing_if = "CertRef::is_empty")]
    pub certificate: CertRef,
    /// How many attempts (or files) showed it.
    pub count: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<Timestamp>,
    pub evidence: Vec<Evidence>,
    /// Per source, when several sources report the same failure.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceSeen>,
    /// Named values the remediation text fills in (`peer`, `ca_subject`, `ca_not_after`, ...).
    pub facts: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remediation: Option<Remediation>,
    /// The id of the system (`systems[]`) the finding belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// The fold keys of every finding merged into this one (empty: only its own). A baseline
    /// matches on them, so that which inputs were folded together does not change identity.
    #[serde(skip)]
    pub merged: Vec<FoldKey>,
}

impl Finding {
    pub fn new(kind: Kind, context: Context, title: impl Into<String>) -> Self {
        Finding {
            kind,
            severity: kind.default_severity(),
            context,
            title: title.into(),
            detail: String::new(),
            device: None,
            peer: None,
            depth: None,
            certificate: CertRef::default(),
            count: 1,
            first_seen: None,
            last_seen: None,
            evidence: Vec::new(),
            sources: Vec::new(),
            facts: BTreeMap::new(),
            remediation: None,
            system: None,
            merged: Vec::new(),
        }
    }
    pub fn fact(mut self, key: &str, value: impl Into<String>) -> Self {
        self.facts.insert(key.to_string(), value.into());
        self
    }
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }
    pub fn with_evidence(mut self, evidence: impl IntoIterator<Item = Evidence>) -> Self {
        for e in evidence {
            self.add_evidence(e);
        }
        self
    }
    pub fn add_evidence(&mut self, e: Evidence) {
        if let Some(t) = e.time {
            self.first_seen = Some(self.first_seen.map_or(t, |f| f.min(t)));
            self.last_seen = Some(self.last_seen.map_or(t, |l| l.max(t)));
        }
        if self.evidence.len() < MAX_EVIDENCE && !self.evidence.contains(&e) {
            self.evidence.push(e);
        }
    }
    /// Identity used to fold repeated attempts: same kind, same peer, same certificate.
    /// Who reported the finding: the device that wrote the log, or for a capture the side
    /// that received the certificate.
    pub fn reporter(&self) -> Option<String> {
        if let Some(d) = &self.device {
            return Some(d.clone());
        }
        let sent_by = self.facts.get("sent_by")?;
        let other = if sent_by == "server" { "client" } else { "server" };
        self.facts.get(other).cloned()
    }

    /// Add names to the `affected` fact (a comma-separated list, each name once).
    pub fn add_affected(&mut self, names: Vec<String>) {
        let mut list: Vec<String> =
            self.facts.get("affected").map(|s| s.split(", ").map(str::to_string).collect()).unwrap_or_default();
        for n in names {
            if !n.is_empty() && !list.contains(&n) {
                list.push(n);
            }
        }
        if !list.is_empty() {
            self.facts.insert("affected".into(), list.join(", "));
        }
    }

    pub fn fold_key(&self) -> FoldKey {
        FoldKey {
            kind: self.kind,
            context: self.context,
            device: self.device.clone(),
            peer: self.peer.clone(),
            depth: self.depth,
            subject: self.certificate.subject.clone(),
            sha256: self.certificate.sha256.clone(),
        }
    }
}

/// Most fold keys a finding remembers in [`Finding::merged`].
pub const MAX_MERGED: usize = 256;

impl Finding {
    /// The fold keys of what this finding is made of: those merged into it, or its own.
    pub fn parts(&self) -> Vec<FoldKey> {
        if self.merged.is_empty() {
            vec![self.fold_key()]
        } else {
            self.merged.clone()
        }
    }
}

/// See [`Finding::fold_key`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FoldKey {
    pub kind: Kind,
    pub context: Context,
    pub device: Option<String>,
    pub peer: Option<String>,
    pub depth: Option<u32>,
    pub subject: Option<String>,
    pub sha256: Option<String>,
}
