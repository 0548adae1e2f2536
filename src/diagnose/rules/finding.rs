//! The finding: one diagnosed problem with its evidence and counts, the values many kinds share,
//! and its kind's own data (a type of its rule file). Its text values exist only where text is
//! filled in: [`Finding::values`].

use jiff::Timestamp;
use serde::Serialize;

use super::shared::Shared;
use super::{Kind, KindData};
use crate::diagnose::severity::Severity;
use crate::diagnose::text::Values;
use crate::model::{Attempt, CertSummary, Context, Endpoint, Evidence, Host, Role, Sha256};

/// How many pieces of evidence a folded finding keeps (the count keeps counting).
pub const MAX_EVIDENCE: usize = 20;

/// Most fold keys a finding remembers in [`Finding::merged`].
pub const MAX_MERGED: usize = 256;

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
    pub sha256: Option<Sha256>,
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
            sha256: c.sha256,
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

/// One diagnosed problem. Serialized, it is the part of a `findings[]` entry before `facts`
/// (the report's JSON writer adds the text values, the remediation and the system).
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// Always the kind of `data`.
    pub kind: Kind,
    pub severity: Severity,
    pub context: Context,
    pub title: String,
    pub detail: String,
    /// The device whose log or bundle reports the problem (syslog host name, FAILED_PUSH name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// The other end: an address with or without its port, or a device name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peer: Option<Endpoint>,
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
    /// The values many kinds share (ends, chain, verify code, certificate, file, devices); boxed,
    /// as the kind's data, so that the many findings a big input folds stay small.
    #[serde(skip)]
    pub shared: Box<Shared>,
    /// The kind's own data.
    #[serde(skip)]
    pub data: KindData,
    /// The fold keys of every finding merged into this one (empty: only its own). A baseline
    /// matches on them, so that which inputs were folded together does not change identity.
    #[serde(skip)]
    pub merged: Vec<FoldKey>,
}

impl Finding {
    /// A finding of the kind of `data` (a [`Kind`] gives its kind's empty data).
    pub fn new(data: impl Into<KindData>, context: Context, title: impl Into<String>) -> Self {
        let data = data.into();
        let kind = data.kind();
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
            shared: Box::default(),
            data,
            merged: Vec::new(),
        }
    }

    /// A finding about attempt `a`, with its device, peer, ends and all of its evidence.
    pub fn of_attempt(a: &Attempt, data: impl Into<KindData>, title: impl Into<String>) -> Self {
        let mut f = Finding::new(data, a.context, title);
        f.device = a.device.clone();
        f.peer = a.peer().cloned();
        f.shared = Box::new(Shared::of_attempt(a));
        for o in &a.events {
            f.add_evidence(o.evidence.clone());
        }
        if f.first_seen.is_none() {
            f.first_seen = a.start;
            f.last_seen = a.start;
        }
        f
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
    /// Keep `e` (its text on its own: a finding outlives the reading) unless the finding has
    /// enough; its time counts either way.
    pub fn add_evidence(&mut self, mut e: Evidence) {
        if let Some(t) = e.time {
            self.first_seen = Some(self.first_seen.map_or(t, |f| f.min(t)));
            self.last_seen = Some(self.last_seen.map_or(t, |l| l.max(t)));
        }
        if self.evidence.len() < MAX_EVIDENCE && !self.evidence.contains(&e) {
            e.detach();
            self.evidence.push(e);
        }
    }

    /// The text values of the finding: the shared ones and its kind's, each under the name
    /// templates and the JSON `facts` use.
    pub fn values(&self) -> Values {
        let mut out = Values::default();
        self.shared.values(&mut out);
        self.data.values(&mut out);
        out
    }

    /// Who reported the finding: the device that wrote the log, or for a capture the side that
    /// received the certificate.
    pub fn reporter(&self) -> Option<Host> {
        if let Some(d) = &self.device {
            return Some(Host::parse(d));
        }
        let receiver = match self.shared.sent_by? {
            Role::Server => Role::Client,
            Role::Client => Role::Server,
        };
        self.shared.side(receiver).cloned()
    }

    /// Identity used to fold repeated attempts: same kind, same peer, same certificate.
    pub fn fold_key(&self) -> FoldKey {
        FoldKey {
            kind: self.kind,
            context: self.context,
            device: self.device.clone(),
            peer: self.peer.clone(),
            depth: self.depth,
            subject: self.certificate.subject.clone(),
            sha256: self.certificate.sha256,
        }
    }

    /// The fold keys of what this finding is made of: those merged into it, or its own.
    pub fn parts(&self) -> Vec<FoldKey> {
        if self.merged.is_empty() {
            vec![self.fold_key()]
        } else {
            self.merged.clone()
        }
    }
}

impl AsRef<Finding> for Finding {
    fn as_ref(&self) -> &Finding {
        self
    }
}

/// See [`Finding::fold_key`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FoldKey {
    pub kind: Kind,
    pub context: Context,
    pub device: Option<String>,
    pub peer: Option<Endpoint>,
    pub depth: Option<u32>,
    pub subject: Option<String>,
    pub sha256: Option<Sha256>,
}
