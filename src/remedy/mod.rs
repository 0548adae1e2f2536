//! The remediation catalog: for each finding kind and context, the steps to fix it, with the
//! values at hand (peer, device, CA subject and dates, paths) filled in.

mod catalog;
mod field;
pub mod hotfix;

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::diagnose::{Finding, Kind};
use crate::observe::Context;
use catalog::{Entry, ENTRIES, MORE};

/// Steps for one finding.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Remediation {
    /// Stable id of the catalog entry (`sftunnel-renew-internal-ca`, `tls-proxy-k9-license`, ...).
    pub id: String,
    pub title: String,
    pub steps: Vec<String>,
}

/// What is known about the devices in the inputs, for filling in version-specific steps.
#[derive(Clone, Debug, Default)]
pub struct Environment {
    pub devices: Vec<crate::facts::DeviceInfo>,
}

fn entries() -> impl Iterator<Item = &'static Entry> {
    ENTRIES.iter().chain(MORE.iter()).chain(field::FIELD.iter())
}

/// The catalog entry for a kind in a context: the context's own entry, else the kind's fallback.
fn lookup(kind: Kind, context: Context) -> Option<&'static Entry> {
    let context = if context == Context::FmcHa && !entries().any(|e| e.kind == kind && e.context == Some(context)) {
        Context::Sftunnel
    } else {
        context
    };
    entries()
        .find(|e| e.kind == kind && e.context == Some(context))
        .or_else(|| entries().find(|e| e.kind == kind && e.context.is_none()))
}

/// The hotfix line for the FMC versions known from the inputs (all of them when none is known).
fn hotfix_text(env: &Environment) -> String {
    let fmc_versions =
        env.devices.iter().filter(|d| d.role == crate::facts::DeviceRole::Fmc).filter_map(|d| d.version.as_deref());
    for v in fmc_versions {
        if let Some(h) = hotfix::hotfix_for_version(v) {
            return format!("{h} (for FMC {v})");
        }
        let mut parts = v.trim().trim_start_matches(['v', 'V']).split(['.', '-']);
        if (parts.next(), parts.next()) == (Some("7"), Some("1")) {
            return format!("the fix for FMC {v} (7.1 has no hotfix: upgrade to a fixed release, or ask TAC)");
        }
    }
    "the hotfix for the FMC's version (7.0.x: FK 7.0.6.99-9; 7.2.x: FZ 7.2.9.99-4; 7.3.x: AE 7.3.1.99-4; \
7.4.x: AO 7.4.2.99-5; 7.6.0: B 7.6.0.99-5; 7.1.x has none)"
        .to_string()
}

/// Replace `{key}` in `template` with `facts[key]`, or `<key>` when unknown. A part written
/// `[[...]]` is kept only when every value it names is known.
pub fn fill(template: &str, facts: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("[[") {
        out.push_str(&fill_values(&rest[..start], facts));
        let after = &rest[start + 2..];
        let Some(end) = after.find("]]") else {
            rest = after;
            continue;
        };
        let part = &after[..end];
        if placeholders(part).all(|k| facts.contains_key(k)) {
            out.push_str(&fill_values(part, facts));
        }
        rest = &after[end + 2..];
    }
    out.push_str(&fill_values(rest, facts));
    out
}

/// The keys named by `{key}` in `text`.
fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(k, _)| k))
}

fn fill_values(template: &str, facts: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) if after[..end].chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && end > 0 => {
                let key = &after[..end];
                match facts.get(key) {
                    Some(v) => out.push_str(v),
                    None => {
                        let _ = write!(out, "<{key}>");
                    }
                }
                rest = &after[end + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The remediation for a finding.
pub fn remediation(finding: &Finding, env: &Environment) -> Remediation {
    let mut facts = finding.facts.clone();
    facts.entry("hotfix".into()).or_insert_with(|| hotfix_text(env));
    if let Some(p) = &finding.peer {
        facts.entry("peer".into()).or_insert_with(|| p.clone());
    }
    // Where regenerated sftunnel files must go: the device that rejected ours, else the devices
    // that reported the problem.
    let push_to = match finding.kind {
        Kind::PeerRejectedCertificate => finding.peer.clone(),
        _ => facts.get("affected").cloned().or_else(|| finding.device.clone()),
    };
    facts.entry("push_to".into()).or_insert_with(|| push_to.unwrap_or_else(|| "each affected device".into()));
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

/// The full text for `tlstriage explain KIND`: meaning, then the steps of every context.
pub fn explain(kind: Kind) -> String {
    let mut out = format!("{kind}: {}\nDefault severity: {}\n", kind.summary(), kind.default_severity());
    let env = Environment::default();
    let mut facts = BTreeMap::new();
    facts.insert("hotfix".to_string(), hotfix_text(&env));
    for e in entries().filter(|e| e.kind == kind) {
        let ctx = match e.context {
            Some(Context::Sftunnel) => "sftunnel (FMC <-> FTD)",
            Some(Context::FmcHa) => "FMC high availability",
            Some(Context::TlsProxy) => "TLS proxy / decryption",
            Some(Context::Generic) | None => "any other context",
        };
        let _ = write!(out, "\nWhen: {ctx}\nFix [{}]: {}\n", e.id, e.title);
        let steps = e.steps.iter().map(|s| fill(s, &facts)).filter(|s| !s.trim().is_empty());
        for (i, s) in steps.enumerate() {
            let _ = writeln!(out, "  {}. {s}", i + 1);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_known_and_marks_unknown() {
        let mut f = BTreeMap::new();
        f.insert("peer".to_string(), "10.0.0.1".to_string());
        assert_eq!(fill("to {peer} via {port}; {not a key}", &f), "to 10.0.0.1 via <port>; {not a key}");
        assert_eq!(fill("CA[[ {peer}]][[ until {date}]].", &f), "CA 10.0.0.1.");
    }

    #[test]
    fn every_kind_has_an_entry() {
        for k in Kind::ALL {
            assert!(lookup(*k, Context::Generic).is_some(), "{k} has no fallback entry");
        }
    }

    #[test]
    fn context_picks_its_own_entry() {
        assert_eq!(lookup(Kind::CipherMismatch, Context::TlsProxy).unwrap().id, "tls-proxy-k9-license");
        assert_eq!(lookup(Kind::ExpiredCa, Context::Sftunnel).unwrap().id, "sftunnel-renew-internal-ca");
        assert!(lookup(Kind::ExpiredCa, Context::FmcHa).unwrap().title.contains("primary"));
        assert_eq!(lookup(Kind::SelfSigned, Context::TlsProxy).unwrap().id, "tls-proxy-import-server-cert");
    }

    #[test]
    fn hotfix_follows_the_fmc_version() {
        let env = Environment {
            devices: vec![crate::facts::DeviceInfo {
                role: crate::facts::DeviceRole::Fmc,
                uuid: None,
                hostname: None,
                version: Some("7.2.5".into()),
                model: None,
            }],
        };
        assert_eq!(hotfix_text(&env), "Hotfix FZ 7.2.9.99-4 (for FMC 7.2.5)");
    }
}
