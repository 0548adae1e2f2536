//! Remediation, a pure function of a finding and its system: for a finding about an FMC's
//! InternalCA (its rule's [`SystemFix`](crate::diagnose::rules::SystemFix) applies), its rule's
//! line about the finding and then the system's steps, so the two never disagree; for every other
//! finding, the entry its rule gives for its context, filled with the finding's values and those
//! of its own system only. Every text is its rule's (`diagnose::rules`); this module only chooses
//! and fills.
//!
//! [`advise`] puts each finding of a run together with its system and remediation, as the views
//! show it ([`Advised`]).

mod advised;
mod from_system;

use std::fmt::Write;

use serde::Serialize;

use crate::diagnose::rules::{Fix, PushTo};
pub use crate::diagnose::text::fill;
use crate::diagnose::text::Values;
use crate::diagnose::{Command, Finding, Kind, StepText};
use crate::model::Context;
use crate::systems::System;
pub use advised::{advise, Advised};
pub use from_system::step_line;

/// The steps for one finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Remediation {
    /// Stable id: `sftunnel-<state>` when drawn from the system, else the rule entry's
    /// (`tls-proxy-k9-license`, ...).
    pub id: String,
    pub title: String,
    pub steps: Vec<StepText>,
}

/// As written in the JSON: `steps[]` in their plain form (commands between backticks), and
/// `commands[]`, the commands of each step: only those are commands (a value from an input
/// in a step's text may hold backticks too).
impl Serialize for Remediation {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Out<'a> {
            id: &'a str,
            title: &'a str,
            steps: &'a [StepText],
            commands: Vec<Vec<&'a Command>>,
        }
        let commands = self.steps.iter().map(|st| st.commands().collect()).collect();
        Out { id: &self.id, title: &self.title, steps: &self.steps, commands }.serialize(s)
    }
}

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
fn system_values(values: &mut Values, system: Option<&System>) {
    let (version, fmc) = match system {
        Some(s) => (s.fmc.version.as_deref(), crate::systems::steps::fmc_label(s)),
        None => (None, "the FMC".to_string()),
    };
    values.set_default("hotfix_step", crate::systems::steps::hotfix_sentence(version, &fmc));
    values.set_default("fmc", fmc);
    if let Some(u) = system.and_then(|s| s.fmc.uuid) {
        values.set_default("peer_folder", format!("/var/sf/peers/{u}/"));
    }
}

/// The values an entry of the finding's rule is filled with: the finding's, its system's, and
/// where regenerated files go.
fn values_for(finding: &Finding, system: Option<&System>) -> Values {
    let mut values = finding.values();
    system_values(&mut values, system);
    // FAILED_PUSH names the folder on the device exactly.
    if let Some(d) = values.get("destination_dir").map(|d| format!("{d}/")) {
        values.replace("peer_folder", d);
    }
    if let Some(p) = &finding.peer {
        values.set_default("peer", p);
    }
    // Where regenerated sftunnel files must go: the device that rejected ours, else the devices
    // that reported the problem.
    let push_to = match finding.kind.rule().push_to {
        PushTo::Peer => finding.peer.as_ref().map(|p| p.to_string()),
        PushTo::Reporters => values.get("affected").map(str::to_string).or_else(|| finding.device.clone()),
    };
    if let Some(p) = push_to {
        values.set_default("push_to", p);
    }
    values
}

/// The remediation for a finding, in its system when it has one; what the system's sources
/// disagree on comes first (`systems::provenance`).
pub fn remediation(finding: &Finding, system: Option<&System>) -> Remediation {
    let mut r = match system.and_then(|s| from_system::remediation(finding, s)) {
        Some(r) => r,
        None => {
            let mut r = from_entry(finding.kind, finding.context, &values_for(finding, system));
            if let Some(instead) = system.and_then(crate::systems::instead_of_regenerating) {
                give_way(&mut r.steps, instead);
            }
            r
        }
    };
    if let Some(s) = system {
        let first: Vec<StepText> = s.conflicts.iter().filter(|c| concerns(c, finding, s)).map(conflict_step).collect();
        r.steps.splice(0..0, first);
    }
    r
}

/// An entry's steps never contradict the finding's system: the first step that runs
/// generate_certs.pl becomes what the system says instead (`instead`), and any later one is
/// dropped.
fn give_way(steps: &mut Vec<StepText>, instead: StepText) {
    let regenerates = |st: &StepText| st.commands().any(|c| c.as_str() == "generate_certs.pl");
    let Some(first) = steps.iter().position(regenerates) else { return };
    steps[first] = instead;
    let mut i = 0;
    steps.retain(|st| {
        i += 1;
        i - 1 == first || !regenerates(st)
    });
}

/// Whether a conflict of its system concerns a finding: the FMC's InternalCA concerns every
/// finding whose steps come from the system; the FMC's version those whose steps use it (the
/// system's hotfix, while it renews its CA) and those that show a release themselves; a device's
/// address the findings that name that device.
fn concerns(c: &crate::systems::Conflict, f: &Finding, s: &System) -> bool {
    use crate::systems::{ConflictOn, State};
    let hotfix_used = matches!(s.state, State::Expiring | State::Expired);
    match &c.on {
        ConflictOn::FmcVersion => {
            (f.kind.rule().system.is_some() && hotfix_used) || f.kind.rule().min_fmc_release.is_some()
        }
        ConflictOn::FmcUuid | ConflictOn::ImsConf { .. } | ConflictOn::InternalCa => f.kind.rule().system.is_some(),
        ConflictOn::Tunnel { .. } => f.kind.rule().marks_tunnel_down,
        ConflictOn::DeviceAddress { name, uuid, .. } => {
            let named = f.data.identifiers();
            let by_name = name.as_deref().is_some_and(|n| {
                named.names.iter().any(|x| x.eq_ignore_ascii_case(n))
                    || f.peer.as_ref().is_some_and(|p| p.to_string().eq_ignore_ascii_case(n))
            });
            by_name || uuid.is_some_and(|u| named.uuids.contains(&u))
        }
    }
}

/// The step that says what the sources disagree on.
fn conflict_step(c: &crate::systems::Conflict) -> StepText {
    use crate::systems::ConflictOn;
    let what = match &c.on {
        ConflictOn::DeviceAddress { .. } => {
            "Until it is settled, tlstriage plan writes no row for this device: check the address on the device \
itself (`show network`) before copying anything to it."
        }
        ConflictOn::FmcVersion => {
            "Read the version on the FMC itself (Help > About) first: the hotfix, and whether its sftunnel speaks \
TLS 1.3, depend on it."
        }
        ConflictOn::FmcUuid => {
            "The devices keep the FMC's files in a folder named after its UUID, so neither value is used: read the \
UUID the InternalCA names on the FMC itself (`openssl x509 -subject -noout -in /etc/sf/ca_root/cacert.pem`) and which \
folder each device has under /var/sf/peers/ before copying anything."
        }
        ConflictOn::ImsConf { .. } => "Neither value is used: read it on the appliance itself before acting.",
        ConflictOn::Tunnel { .. } => {
            "The newer output gives the tunnel's state; run `sftunnel_status.pl` on the FMC again to see which holds now."
        }
        ConflictOn::InternalCa => {
            "The state is judged on the CA that ends first; read /etc/sf/ca_root/cacert.pem on the FMC itself \
(`openssl x509 -dates -noout -in /etc/sf/ca_root/cacert.pem`) before acting."
        }
    };
    let text = c.text();
    let mut first = text.chars();
    let text = first.next().map(|c| c.to_uppercase().chain(first).collect::<String>()).unwrap_or_default();
    let mut step = StepText::prose(format!("{text}. "));
    step.push_ours(what);
    step
}

/// The rule's entry for a kind in a context, filled with `values`.
fn from_entry(kind: Kind, context: Context, values: &Values) -> Remediation {
    match lookup(kind, context) {
        Some(e) => Remediation {
            id: e.id.to_string(),
            title: e.title.to_string(),
            // A step made only of `[[...]]` parts whose values are unknown is left out.
            steps: e.steps.iter().map(|s| fill(s, values)).filter(|s| !s.is_blank()).collect(),
        },
        None => Remediation { id: kind.as_str().into(), title: kind.summary().into(), steps: vec![] },
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
    if kind.rule().system.as_ref().is_some_and(|fix| fix.applies(&probe, false)) {
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
    let mut values = Values::default();
    system_values(&mut values, None);
    let fixes = kind.rule().fixes;
    for e in fixes {
        let when = if fixes.len() == 1 && e.context.is_none() { "every context" } else { context_name(e.context) };
        let _ = write!(out, "\nWhen: {when}\nFix [{}]: {}\n", e.id, e.title);
        let steps = e.steps.iter().map(|s| fill(s, &values)).filter(|s| !s.is_blank());
        for (i, s) in steps.enumerate() {
            let _ = writeln!(out, "  {}. {s}", i + 1);
        }
    }
    out
}

#[cfg(test)]
mod tests;
