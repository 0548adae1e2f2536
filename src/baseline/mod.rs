//! Baselines for CI: the identity of a finding, and the comparison of a run's findings with the
//! findings accepted earlier (new, unchanged, resolved).
//!
//! A finding's identity is what stays the same when the same problem is seen again: its kind,
//! context, reporting device, peer, chain depth and the certificate it is about (SHA-256
//! fingerprint, and the subject, which is all a log line gives). Line numbers, times, counts,
//! evidence paths, titles and severities are not part of it. See `docs/ci.md`.
//!
//! A finding folded from several sources (a log line and a CA file, a rejection folded into the
//! certificate problem it reveals) also carries the identities of its parts, one per system and
//! peer. Two findings are the same when they share a part, so the identity does not depend on
//! which other inputs were read with it: a subset of the inputs gives a subset of the findings.

mod file;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diagnose::{Finding, FoldKey, Severity};

pub use file::{load, render, BASELINE_VERSION, MAX_BASELINE_BYTES, REPORT_SCHEMA_VERSION};

/// What identifies a finding across runs. Kind and context are kept as their JSON names so that
/// a baseline written by another version of tlstriage still reads.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Identity {
    pub kind: String,
    pub context: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depth: Option<u32>,
    /// Subject of the certificate the finding is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// SHA-256 fingerprint of that certificate, when a file or capture gave the certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

impl Identity {
    pub fn of(f: &Finding) -> Self {
        Identity::from_key(&f.fold_key())
    }

    /// The identity of one fold key (a finding, or a part of a merged one).
    pub fn from_key(k: &FoldKey) -> Self {
        Identity {
            kind: k.kind.as_str().to_string(),
            context: context_name(k.context),
            device: k.device.clone(),
            peer: k.peer.as_ref().map(|p| p.to_string()),
            depth: k.depth,
            subject: k.subject.clone(),
            sha256: k.sha256.map(|s| s.to_hex()),
        }
    }

    /// The identities of the parts of `f` other than its own, sorted.
    pub fn parts_of(f: &Finding) -> Vec<Identity> {
        let own = Identity::of(f);
        let mut parts: Vec<Identity> = f.parts().iter().map(Identity::from_key).filter(|p| *p != own).collect();
        parts.sort();
        parts.dedup();
        parts
    }

    /// A short stable hash of the identity (SARIF `partialFingerprints`).
    pub fn fingerprint(&self) -> String {
        let canonical = serde_json::to_string(self).unwrap_or_default();
        let digest = Sha256::digest(canonical.as_bytes());
        digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
    }
}

/// The context's JSON name (`sftunnel`, `fmc-ha`, ...).
fn context_name(c: crate::model::Context) -> String {
    match serde_json::to_value(c) {
        Ok(serde_json::Value::String(s)) => s,
        _ => "generic".into(),
    }
}

/// One accepted finding: its identity plus what a person reading the file wants to see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accepted {
    #[serde(flatten)]
    pub identity: Identity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The identities of the parts folded into this finding, besides its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Identity>,
}

impl Accepted {
    pub fn of(f: &Finding) -> Self {
        Accepted {
            identity: Identity::of(f),
            severity: Some(f.severity.as_str().to_string()),
            title: Some(f.title.clone()),
            parts: Identity::parts_of(f),
        }
    }

    fn all_parts(&self) -> impl Iterator<Item = &Identity> {
        std::iter::once(&self.identity).chain(&self.parts)
    }
}

/// A finding of this run against the baseline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    New,
    Unchanged,
    /// Accepted, but its severity is another now.
    Changed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Unchanged => "unchanged",
            Status::Changed => "changed",
        }
    }
}

/// The outcome of comparing a run with a baseline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    /// The baseline file as given on the command line.
    pub file: String,
    /// One status per finding of the report, in the report's order.
    pub status: Vec<Status>,
    /// For a `changed` finding, the severity it was accepted with.
    pub accepted_severity: Vec<Option<String>>,
    /// Accepted findings that this run no longer shows, sorted by identity.
    pub resolved: Vec<Accepted>,
}

impl Comparison {
    fn count(&self, s: Status) -> usize {
        self.status.iter().filter(|x| **x == s).count()
    }
    pub fn new_count(&self) -> usize {
        self.count(Status::New)
    }
    pub fn unchanged_count(&self) -> usize {
        self.count(Status::Unchanged)
    }
    pub fn changed_count(&self) -> usize {
        self.count(Status::Changed)
    }
    /// Status of the finding at `index` (`None` past the end).
    pub fn status_of(&self, index: usize) -> Option<Status> {
        self.status.get(index).copied()
    }
    /// The accepted severity of the finding at `index` when it is `changed`.
    pub fn accepted_severity_of(&self, index: usize) -> Option<&str> {
        self.accepted_severity.get(index).and_then(|s| s.as_deref())
    }
}

/// Compare `findings` with the accepted ones. A finding is accepted when one of its parts (see
/// the module documentation) is a part of an accepted finding; several findings may match one
/// accepted finding and the other way round. A matched finding is `changed` when the accepted
/// finding of its own kind (the one with its identity first) had another severity.
pub fn compare<F: AsRef<Finding>>(file: &str, findings: &[F], accepted: &[Accepted]) -> Comparison {
    let mut by_part: BTreeMap<&Identity, Vec<usize>> = BTreeMap::new();
    for (i, a) in accepted.iter().enumerate() {
        for p in a.all_parts() {
            by_part.entry(p).or_default().push(i);
        }
    }
    let mut matched = vec![false; accepted.len()];
    let mut status = Vec::with_capacity(findings.len());
    let mut accepted_severity = Vec::with_capacity(findings.len());
    for f in findings.iter().map(AsRef::as_ref) {
        let own = Identity::of(f);
        let mut hits: Vec<usize> = Vec::new();
        for k in f.parts() {
            for &i in by_part.get(&Identity::from_key(&k)).into_iter().flatten() {
                if !hits.contains(&i) {
                    hits.push(i);
                }
            }
        }
        for &i in &hits {
            matched[i] = true;
        }
        let same = hits.iter().map(|&i| &accepted[i]);
        let kind = own.kind.as_str();
        let judge = same.clone().find(|a| a.identity == own).or_else(|| same.clone().find(|a| a.identity.kind == kind));
        let (st, was) = match (hits.is_empty(), judge.and_then(|a| a.severity.as_deref())) {
            (true, _) => (Status::New, None),
            (false, Some(sev)) if sev != f.severity.as_str() => (Status::Changed, Some(sev.to_string())),
            (false, _) => (Status::Unchanged, None),
        };
        status.push(st);
        accepted_severity.push(was);
    }
    let mut resolved: Vec<Accepted> =
        accepted.iter().zip(&matched).filter(|(_, m)| !**m).map(|(a, _)| a.clone()).collect();
    resolved.sort_by(|a, b| a.identity.cmp(&b.identity));
    Comparison { file: file.to_string(), status, accepted_severity, resolved }
}

fn severity_named(name: &str) -> Option<Severity> {
    [Severity::Info, Severity::Warning, Severity::Error, Severity::Critical].into_iter().find(|s| s.as_str() == name)
}

/// Whether the run fails `threshold`: with a baseline only new findings count, and changed ones
/// whose severity rose.
pub fn fails<F: AsRef<Finding>>(findings: &[F], threshold: Option<Severity>, cmp: Option<&Comparison>) -> bool {
    let Some(t) = threshold else { return false };
    findings.iter().map(AsRef::as_ref).enumerate().any(|(i, f)| f.severity >= t && cmp.is_none_or(|c| c.counts(i, f)))
}

impl Comparison {
    /// Whether finding `f` at `index` counts for `--fail-on`: new, or changed to a higher
    /// severity than it was accepted with.
    pub fn counts(&self, index: usize, f: &Finding) -> bool {
        match self.status_of(index).unwrap_or(Status::New) {
            Status::New => true,
            Status::Changed => {
                self.accepted_severity_of(index).and_then(severity_named).is_none_or(|was| was < f.severity)
            }
            Status::Unchanged => false,
        }
    }

    /// How a report names the status of finding `index`: `changed (was error)` for a changed one.
    pub fn label(&self, index: usize) -> Option<String> {
        let s = self.status_of(index)?;
        Some(match (s, self.accepted_severity_of(index)) {
            (Status::Changed, Some(was)) => format!("changed (was {was})"),
            _ => s.as_str().to_string(),
        })
    }
}

#[cfg(test)]
mod tests;
