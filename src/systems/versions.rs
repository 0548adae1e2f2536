//! What the findings of a system show of its FMC's release against the version its files give:
//! a kind that shows a release (a TLS 1.3 sftunnel comes with 7.6) on an FMC whose ims.conf says
//! an older one is a conflict of the two sources, each with where it was read (`provenance`).

use super::keys::Member;
use super::provenance::{Conflict, ConflictOn, Said};
use super::{Ctx, Fmc};

/// A finding of the system that shows its FMC runs a newer release than the version its files
/// give (a TLS 1.3 sftunnel on an FMC whose ims.conf says 7.4): both, with where each was read.
pub(super) fn version_shown_older(
    fmc: &Fmc,
    version_at: Option<&str>,
    members: &[Member],
    cx: &Ctx<'_>,
) -> Option<Conflict> {
    let (version, at) = (fmc.version.as_deref()?, version_at?);
    let release = crate::firepower::hotfix::release(version)?;
    members.iter().find_map(|m| {
        let Member::Finding(i) = m else { return None };
        let f = &cx.findings[*i];
        let min = f.kind.rule().min_fmc_release.filter(|m| release < (m.major, m.minor))?;
        let e = f.evidence.iter().find(|e| e.text.is_some()).or(f.evidence.first())?;
        let where_shown = match e.line {
            Some(line) => format!("{}:{line}", e.path),
            None => e.path.clone(),
        };
        let shown = format!("{}.{} or later, as the {} shows", min.major, min.minor, min.shown_by);
        Some(Conflict {
            on: ConflictOn::FmcVersion,
            values: vec![Said::new(version, at), Said::new(shown, where_shown)],
        })
    })
}
