//! Which facts the advice may use, and what it does when sources disagree.
//!
//! A `FAILED_PUSH`, a `cacert.pem` or an `ims.conf` counts for a system only from where that
//! system keeps it: an `ims.conf` at `/etc/sf/ims.conf` of a tree names that tree's appliance; a
//! `FAILED_PUSH` at `/var/tmp/certs/<Unix time>/` of the FMC's own tree, its rows naming that
//! FMC's peer folder (given on its own, outside any tree, it counts only while no tree of that
//! FMC is among the inputs); an InternalCA file inside the tree of a known appliance (one with
//! its own `ims.conf`) is what that appliance holds, and the FMC's InternalCA is the one at
//! `/etc/sf/ca_root/cacert.pem` of the FMC's tree whose CN is the FMC's UUID. Anything else is
//! [`Loose`]: listed with the reason, never used.
//!
//! Two counted sources that disagree on a device's address, on the FMC's version or on its
//! InternalCA are a [`Conflict`]: shown with both values and where each was read; the state is
//! judged on the worse of two CAs, a version in conflict is not used, and a device whose address
//! is in conflict gets no row in the plan. One `ims.conf` that gives a key twice with different
//! values disagrees with itself: a conflict too (each value with its line), the value not used.

use serde::Serialize;

use super::trees::Trees;
use crate::firepower::is_internal_ca;
use crate::firepower::peers::uuid_from_path;
use crate::firepower::tree::is_failed_push_file;
use crate::model::{DeviceInfo, DeviceRole, Fact, Uuid};

/// A fact that does not count, and why.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Loose {
    pub path: String,
    pub reason: String,
}

/// What two sources disagree on.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case", tag = "about")]
pub enum ConflictOn {
    /// A device's address (the plan leaves its row out).
    DeviceAddress {
        /// How the texts name it.
        device: String,
        #[serde(skip)]
        name: Option<String>,
        #[serde(skip)]
        uuid: Option<Uuid>,
    },
    FmcVersion,
    /// The FMC's UUID (then not used: the devices' peer folder is named after it).
    FmcUuid,
    /// Another key an appliance's `ims.conf` gives twice with different values.
    ImsConf {
        /// How the texts name the appliance.
        appliance: String,
        key: String,
    },
    InternalCa,
    /// Two status outputs about one device's tunnel, one up and one down (the newer decides).
    Tunnel {
        /// How the texts name it: `the tunnel of ftd-north-21 (10.70.1.21)`.
        device: String,
    },
}

/// One source's value.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Said {
    pub value: String,
    /// Where it was read.
    pub at: String,
}

impl Said {
    pub fn new(value: impl Into<String>, at: impl Into<String>) -> Self {
        Said { value: value.into(), at: at.into() }
    }
}

/// Two (or more) counted sources that disagree.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Conflict {
    #[serde(flatten)]
    pub on: ConflictOn,
    /// What each source says, in the order met.
    pub values: Vec<Said>,
}

impl Conflict {
    /// `the address of ftd-dc-02: 192.168.45.22 (in a.tgz!/…) or 203.0.113.66 (in b/FAILED_PUSH)`.
    pub fn text(&self) -> String {
        let what = match &self.on {
            ConflictOn::DeviceAddress { device, .. } => format!("the address of {device}"),
            ConflictOn::FmcVersion => "the FMC's version".to_string(),
            ConflictOn::FmcUuid => "the FMC's UUID".to_string(),
            ConflictOn::ImsConf { appliance, key } => format!("{key} of {appliance}"),
            ConflictOn::InternalCa => "the FMC's InternalCA".to_string(),
            ConflictOn::Tunnel { device } => device.clone(),
        };
        let values: Vec<String> =
            self.values.iter().map(|s| format!("{} (in {})", quiet(&s.value), quiet(&s.at))).collect();
        format!("the sources disagree on {what}: {}", values.join(" or "))
    }
}

/// One conflict per key an `ims.conf` gives twice with different values: each value with the
/// file and line it was read at. An FMC's UUID and version are the FMC's; any other key is
/// named with the appliance (`who`).
pub fn disputed(device: &DeviceInfo, path: &str, who: &str) -> Vec<Conflict> {
    let fmc = device.role == DeviceRole::Fmc;
    device
        .disputed
        .iter()
        .map(|d| {
            let on = match d.key.as_str() {
                "APPLIANCE_UUID" if fmc => ConflictOn::FmcUuid,
                "SWVERSION" if fmc => ConflictOn::FmcVersion,
                key => ConflictOn::ImsConf { appliance: who.to_string(), key: key.to_string() },
            };
            let values = d.values.iter().map(|(v, n)| Said::new(v, format!("{path}, line {n}"))).collect();
            Conflict { on, values }
        })
        .collect()
}

/// Where the FMC version a system's steps use was read: `FMC version 7.0.4 read from <file>`
/// (any folder with `etc/sf/ims.conf` is an appliance root, so the file is always said).
pub fn version_source(s: &super::System) -> Option<String> {
    match (&s.fmc.version, &s.fmc.version_at) {
        (Some(v), Some(at)) => Some(format!("FMC version {} read from {}", quiet(v), quiet(at))),
        _ => None,
    }
}

/// Input text put into a sentence: a backtick would make the views take what follows for a
/// command, so it is shown as a plain quote.
pub(crate) fn quiet(text: &str) -> String {
    text.replace('`', "'")
}

/// Why a fact does not count; `None` when it does.
pub fn loose_reason(fact: &Fact, trees: &Trees<'_>) -> Option<String> {
    let path = fact.evidence().path.as_str();
    match fact {
        Fact::Device { .. } if !trees.is_identity(path) => Some(
            "an ims.conf that is not at /etc/sf/ims.conf of a troubleshoot bundle or an appliance tree names no \
appliance"
                .into(),
        ),
        Fact::FailedPush { rows, .. } => {
            let names = rows.iter().find_map(|r| uuid_from_path(&r.destination));
            failed_push_reason(path, names, trees)
        }
        Fact::CertFile { certs, .. } if certs.iter().any(|c| is_internal_ca(&c.subject)) => {
            trees.owner_of(path).is_none().then(|| {
                "an InternalCA file outside the tree of a known appliance (a troubleshoot bundle or an appliance root \
with its own /etc/sf/ims.conf): which appliance holds it cannot be told"
                    .into()
            })
        }
        _ => None,
    }
}

/// Why a FAILED_PUSH at `path`, whose rows name the peer folder of the FMC `names`, does not count.
fn failed_push_reason(path: &str, names: Option<Uuid>, trees: &Trees<'_>) -> Option<String> {
    match trees.place(path) {
        Some(p) => {
            let label = trees.label(p.tree);
            match trees.identity(p.tree) {
                Some(d) if d.role == DeviceRole::Fmc => {
                    if !is_failed_push_file(&p.on_box) {
                        return Some(format!(
                            "in {label} but not where generate_certs.pl writes it (/var/tmp/certs/<Unix time>/FAILED_PUSH)"
                        ));
                    }
                    match (names, d.uuid) {
                        (Some(n), Some(own)) if n != own => Some(format!(
                            "its rows name the peer folder of the FMC {n}, but it lies in {label}, the FMC {own}"
                        )),
                        _ => None,
                    }
                }
                Some(d) if d.role == DeviceRole::Ftd => {
                    Some(format!("inside {label}, a device's tree: generate_certs.pl writes FAILED_PUSH on the FMC"))
                }
                _ => elsewhere(names, trees),
            }
        }
        None => elsewhere(names, trees),
    }
}

/// A FAILED_PUSH outside the FMC's trees counts only while no tree of that FMC is in the inputs.
fn elsewhere(names: Option<Uuid>, trees: &Trees<'_>) -> Option<String> {
    let tree = names.and_then(|u| {
        let mut t: Vec<&str> = trees.fmc_trees(u).collect();
        t.sort_unstable();
        t.first().copied()
    })?;
    Some(format!("not in the FMC's own bundle: the FAILED_PUSH of {} is the one used", trees.label(tree)))
}

/// Each fact that does not count is listed in the system it claims to be about (by the FMC's
/// or a device's UUID or name), with why; a loose fact that claims no system of the run is
/// about none and is listed nowhere.
pub(super) fn attach_loose(systems: &mut [super::System], cx: &super::Ctx<'_>) {
    for (i, reason) in cx.loose.iter().enumerate() {
        let Some(reason) = reason else { continue };
        let fact = &cx.facts[i];
        let (uuids, names) = claims(fact);
        let about = |s: &super::System| {
            let uuid = |u: &Uuid| s.fmc.uuid == Some(*u) || s.devices.iter().any(|d| d.uuid == Some(*u));
            let eq = |a: &Option<String>, b: &str| a.as_deref().is_some_and(|a| a.eq_ignore_ascii_case(b));
            let name = |n: &String| eq(&s.fmc.name, n) || s.devices.iter().any(|d| eq(&d.name, n));
            uuids.iter().any(uuid) || names.iter().any(name)
        };
        if let Some(s) = systems.iter_mut().find(|s| about(s)) {
            let loose = Loose { path: fact.evidence().path.clone(), reason: reason.clone() };
            if !s.loose.contains(&loose) {
                s.loose.push(loose);
            }
        }
    }
}

/// The UUIDs and names a fact says it is about.
fn claims(fact: &Fact) -> (Vec<Uuid>, Vec<String>) {
    match fact {
        Fact::Device { device, .. } => (device.uuid.into_iter().collect(), device.hostname.iter().cloned().collect()),
        Fact::FailedPush { rows, .. } => {
            let mut uuids: Vec<Uuid> = rows.iter().filter_map(|r| uuid_from_path(&r.destination)).collect();
            uuids.extend(rows.iter().filter_map(|r| Uuid::parse(&r.device_uuid)));
            (uuids, rows.iter().map(|r| r.device_name.clone()).collect())
        }
        Fact::CertFile { certs, .. } => {
            let cn = |s: &str| s.split(['/', ',']).find_map(|p| p.trim().strip_prefix("CN=")).and_then(Uuid::parse);
            (certs.iter().filter(|c| is_internal_ca(&c.subject)).filter_map(|c| cn(&c.subject)).collect(), Vec::new())
        }
        _ => (Vec::new(), Vec::new()),
    }
}

#[cfg(test)]
#[path = "provenance_tests.rs"]
mod tests;
