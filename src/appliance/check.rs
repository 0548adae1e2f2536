//! One check of an appliance's tree: what was looked for and found, and the analysis of it,
//! whose typed systems and findings every view of `tlstriage check` is written from.

use std::path::{Path, PathBuf};

use super::discover::{discover, Discovery};
use super::read::{read, PathMap, ReadOptions};
use crate::analyze::Report;
use crate::diagnose::Severity;
use crate::model::DeviceInfo;
use crate::systems::State;

/// The result of `tlstriage check`.
#[derive(Debug)]
pub struct Check {
    pub discovery: Discovery,
    /// Files given with `--with` (saved outputs of status commands), read as this system's.
    pub extra: Vec<PathBuf>,
    pub report: Report,
    /// From the names the analysis read the files under to the paths of this machine.
    pub paths: PathMap,
    pub options: ReadOptions,
}

/// Look at the tree under `root`, read what is there (and `extra`) as one system, and judge it.
pub fn check(root: &Path, extra: &[PathBuf], options: ReadOptions) -> Check {
    let discovery = discover(root);
    let (report, paths) = read(&discovery, extra, &options);
    Check { discovery, extra: extra.to_vec(), report, paths, options }
}

impl Check {
    /// The appliance itself as its `ims.conf` describes it.
    pub fn identity(&self) -> Option<&DeviceInfo> {
        self.report.devices.first()
    }

    /// The systems judged (one FMC and its InternalCA each).
    pub fn systems(&self) -> &[crate::systems::System] {
        &self.report.systems
    }

    /// Whether a system needs action (expired, expiring, renewal to push, as `fleet` counts
    /// them) or a finding is an error or worse.
    pub fn needs_action(&self) -> bool {
        let state = |s: State| matches!(s, State::Expired | State::Expiring | State::RenewedPushPending);
        self.report.systems.iter().any(|s| state(s.state))
            || self.report.findings.iter().any(|f| f.severity >= Severity::Error)
    }

    /// Files read (fully or in part).
    pub fn files_read(&self) -> usize {
        self.report.read_count()
    }

    /// Nothing could be read: the tree is not there, not readable, or holds none of the places.
    pub fn nothing_read(&self) -> bool {
        self.report.nothing_readable()
    }

    /// The places that gave no file, each with the paths tried and what that means.
    pub fn missing(&self) -> impl Iterator<Item = &super::discover::Looked> {
        self.discovery.looked.iter().filter(|l| l.files.is_empty())
    }
}
