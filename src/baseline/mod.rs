//! Baselines for CI: the identity of a finding, and the comparison of a run's findings with the
//! findings accepted earlier (new, unchanged, resolved).
//!
//! A finding's identity is what stays the same when the same problem is seen again: its kind,
//! context, reporting device, peer, chain depth and the certificate it is about (SHA-256
//! fingerprint, and the subject, which is all a log line gives). Line numbers, times, counts,
//! evidence paths, titles and severities are not part of it. See `docs/ci.md`.

mod file;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diagnose::{Finding, Severity};

pub use file::{load, render, write_out, BASELINE_VERSION, MAX_BASELINE_BYTES};

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
        Identity {
            kind: f.kind.as_str().to_string(),
            context: context_name(f),
            device: f.device.clone(),
            peer: f.peer.clone(),
            depth: f.depth,
            subject: f.certificate.subject.clone(),
            sha256: f.certificate.sha256.clone(),
        }
    }

    /// A short stable hash of the identity (SARIF `partialFingerprints`).
    pub fn fingerprint(&self) -> String {
        let canonical = serde_json::to_string(self).unwrap_or_default();
        let digest = Sha256::digest(canonical.as_bytes());
        digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
    }
}

/// The context's JSON name (`sftunnel`, `fmc-ha`, ...).
fn context_name(f: &Finding) -> String {
    match serde_json::to_value(f.context) {
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
}

impl Accepted {
    pub fn of(f: &Finding) -> Self {
        Accepted {
            identity: Identity::of(f),
            severity: Some(f.severity.as_str().to_string()),
            title: Some(f.title.clone()),
        }
    }
}

/// A finding of this run against the baseline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    New,
    Unchanged,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Unchanged => "unchanged",
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
    /// Accepted findings that this run no longer shows, sorted by identity.
    pub resolved: Vec<Accepted>,
}

impl Comparison {
    pub fn new_count(&self) -> usize {
        self.status.iter().filter(|s| **s == Status::New).count()
    }
    pub fn unchanged_count(&self) -> usize {
        self.status.iter().filter(|s| **s == Status::Unchanged).count()
    }
    /// Status of the finding at `index` (`None` past the end).
    pub fn status_of(&self, index: usize) -> Option<Status> {
        self.status.get(index).copied()
    }
}

/// Compare `findings` with the accepted ones. Identities are matched as a multiset: two equal
/// findings now against one accepted make one unchanged and one new.
pub fn compare(file: &str, findings: &[Finding], accepted: &[Accepted]) -> Comparison {
    let mut pool: BTreeMap<&Identity, Vec<&Accepted>> = BTreeMap::new();
    for a in accepted {
        pool.entry(&a.identity).or_default().push(a);
    }
    let status = findings
        .iter()
        .map(|f| match pool.get_mut(&Identity::of(f)).and_then(|v| v.pop()) {
            Some(_) => Status::Unchanged,
            None => Status::New,
        })
        .collect();
    let mut resolved: Vec<Accepted> = pool.into_values().flatten().cloned().collect();
    resolved.sort_by(|a, b| a.identity.cmp(&b.identity));
    Comparison { file: file.to_string(), status, resolved }
}

/// Whether the run fails `threshold`: with a baseline only new findings count.
pub fn fails(findings: &[Finding], threshold: Option<Severity>, cmp: Option<&Comparison>) -> bool {
    let Some(t) = threshold else { return false };
    findings
        .iter()
        .enumerate()
        .any(|(i, f)| f.severity >= t && cmp.is_none_or(|c| c.status_of(i).unwrap_or(Status::New) == Status::New))
}

#[cfg(test)]
mod tests;
