//! Remediation: for a finding about an FMC's InternalCA, the steps of its system (so the two
//! never disagree); for every other finding, the entry its rule gives for its context
//! (`diagnose::rules`), filled with the finding's values and those of its own system only.

mod fill;
mod from_system;

use std::fmt::Write;

use crate::diagnose::rules::{Fix, PushTo};
pub use crate::diagnose::Remediation;
use crate::diagnose::{Finding, Kind};
use crate::model::Context;
use crate::systems::System;
pub use fill::fill;
pub use from_system::step_line;

/// Every remediation entry of every rule, in registry order.
#[cfg(test)]
fn entries() -> impl Iterator<Item = &'static Fix> {
    Kind::ALL.iter().flat_map(|k| k.rule().fixes.iter())
}

/// The entry for a kind in a context: the context's own entry, else the kind's fallback.
fn lookup(kind: Kind, context: Context) -> Option<&'static Fix> {
    kind.rule().fix_for(context)
}

/// The values a system adds to a finding's own: the hotfix sentence for its FMC's version, the
/// FMC's peer folder on the devices, the FMC's name.
fn system_facts(facts: &mut std::collections::BTreeMap<String, String>, system: Option<&System>) {
    let (version, fmc) = match system {
        Some(s) => (s.fmc.version.as_deref(), crate::systems::steps::fmc_label(s)),
        None => (None, "the FMC".to_string()),
    };
    facts.insert("hotfix_step".into(), crate::systems::steps::hotfix_sentence(version, &fmc));
    facts.insert("fmc".into(), fmc);
    if let Some(u) = system.and_then(|s| s.fmc.uuid) {
        facts.insert("peer_folder".into(), format!("/var/sf/peers/{u}/"));
    }
}

/// The remediation for a finding, in its system when it has one.
pub fn remediation(finding: &Finding, system: Option<&System>) -> Remediation {
    if let Some(r) = system.and_then(|s| from_system::remediation(finding, s)) {
        return r;
    }
    let mut facts = finding.facts.clone();
    system_facts(&mut facts, system);
    // FAILED_PUSH names the folder on the device exactly.
    if let Some(d) = finding.facts.get("destination_dir") {
        facts.insert("peer_folder".into(), format!("{d}/"));
    }
    if let Some(p) = &finding.peer {
        facts.entry("peer".into()).or_insert_with(|| p.to_string());
    }
    // Where regenerated sftunnel files must go: the device that rejected ours, else the devices
    // that reported the problem.
    let push_to = match finding.kind.rule().push_to {
        PushTo::Peer => finding.peer.as_ref().map(|p| p.to_string()),
        PushTo::Reporters => facts.get("affected").cloned().or_else(|| finding.device.clone()),
    };
    if let Some(p) = push_to {
        facts.entry("push_to".into()).or_insert(p);
    }
    match lookup(finding.kind, finding.context) {
        Some(e) => Remediation {
            id: e.id.to_string(),
            title: e.title.to_string(),
            // A step made only of `[[...]]` parts whose values are unknown is left out.
            steps: e.steps.iter().map(|s| fill(s, &facts)).filter(|s| !s.trim().is_empty()).collect(),
        },
        None => Remediation { id: finding.kind.as_str().into(), title: finding.kind.summary().into(), steps: vec![] },
    }
}

fn context_name(c: Option<Context>) -> &'static str {
    match c {
        Some(Context::Sftunnel) => "sftunnel (between FMC and FTD)",
        Some(Context::FmcHa) => "FMC high availability",
        Some(Context::TlsProxy) => "TLS proxy / decryption",
        Some(Context::Generic) | None => "any other context",
    }
}

/// The full text for `tlstriage explain KIND`: meaning; for the InternalCA kinds the steps of
/// each system state in the order to do them; then the rule's steps of every context.
pub fn explain(kind: Kind) -> String {
    let mut out = format!("{kind}: {}\nDefault severity: {}\n", kind.summary(), kind.default_severity());
    let probe = {
        let mut f = Finding::new(kind, Context::Sftunnel, "");
        f.certificate.subject = Some("/title=InternalCA/CN=x".into());
        f
    };
    if from_system::covered(&probe) {
        let _ = writeln!(
            out,
            "\nAbout an FMC's InternalCA, the steps depend on the state of that FMC's system (the case summary \
and `systems` in the JSON show it):"
        );
        for (when, s) in crate::systems::examples::all() {
            let _ = writeln!(out, "\nWhen {when} [sftunnel-{}]:", s.state.as_str());
            for (i, st) in s.next_steps.iter().enumerate() {
                let _ = writeln!(out, "  {}. [{}] {}", i + 1, st.id.as_str(), step_line(st));
            }
        }
    }
    let mut facts = std::collections::BTreeMap::new();
    system_facts(&mut facts, None);
    let fixes = kind.rule().fixes;
    for e in fixes {
        let when = if fixes.len() == 1 && e.context.is_none() { "every context" } else { context_name(e.context) };
        let _ = write!(out, "\nWhen: {when}\nFix [{}]: {}\n", e.id, e.title);
        let steps = e.steps.iter().map(|s| fill(s, &facts)).filter(|s| !s.trim().is_empty());
        for (i, s) in steps.enumerate() {
            let _ = writeln!(out, "  {}. {s}", i + 1);
        }
    }
    out
}

#[cfg(test)]
mod tests;
