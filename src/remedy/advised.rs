//! A finding as the views show it: the finding as diagnosed, the system it belongs to, its peer
//! as a device of that system, and its remediation. Made once per run by [`advise`], after the
//! systems; nothing here writes back into the finding.

use std::ops::Deref;

use serde::{Serialize, Serializer};

use super::{remediation, Remediation};
use crate::diagnose::text::Values;
use crate::diagnose::Finding;
use crate::systems::{FindingSystems, System};

/// A finding with what the later stages say about it.
#[derive(Clone, Debug)]
pub struct Advised {
    pub finding: Finding,
    /// The name of its system.
    pub system: Option<String>,
    /// The box it was seen on, as the systems name it (the log's host, the appliance whose
    /// tree holds its file, a capture's device end, or a device of its system).
    pub seen_on: Option<String>,
    /// Its peer as that system names it (a device known by another name than the peer's text,
    /// or the FMC at its address): the name, and whether that device still lacks the current
    /// InternalCA's files.
    pub peer_device: Option<(String, bool)>,
    pub remediation: Option<Remediation>,
}

/// The views read a finding's own fields through its advice.
impl Deref for Advised {
    type Target = Finding;
    fn deref(&self) -> &Finding {
        &self.finding
    }
}

impl AsRef<Finding> for Advised {
    fn as_ref(&self) -> &Finding {
        &self.finding
    }
}

impl Advised {
    /// A finding no later stage has said anything about (tests, tools that only classify).
    pub fn alone(finding: Finding) -> Self {
        Advised { finding, system: None, seen_on: None, peer_device: None, remediation: None }
    }

    /// The box the finding was seen on: what the systems say, else the finding's own device.
    pub fn device_name(&self) -> Option<&str> {
        self.seen_on.as_deref().or(self.finding.device.as_deref())
    }

    /// The name the finding's peer is known by: the device of its system it is, else the name
    /// the finding's own data gives it.
    pub fn peer_name(&self) -> Option<&str> {
        self.peer_device.as_ref().map(|(name, _)| name.as_str()).or_else(|| self.finding.data.peer_name())
    }

    /// The finding's values with what its system says of its peer (`peer_name`, and
    /// `peer_push: pending` while that device lacks the new files): the JSON `facts`.
    pub fn values(&self) -> Values {
        let mut values = self.finding.values();
        if let Some(d) = &self.seen_on {
            values.set_default("device", d);
        }
        if let Some((name, pending)) = &self.peer_device {
            values.replace("peer_name", name);
            if *pending {
                values.replace("peer_push", "pending");
            }
        }
        values
    }
}

/// As written in the JSON `findings[]`: the finding's fields, then its values as text
/// (`facts`), its remediation and the id of its system.
impl Serialize for Advised {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Out<'a> {
            #[serde(flatten)]
            finding: &'a Finding,
            facts: Values,
            #[serde(skip_serializing_if = "Option::is_none")]
            remediation: Option<&'a Remediation>,
            #[serde(skip_serializing_if = "Option::is_none")]
            system: Option<&'a str>,
        }
        let out = Out {
            finding: &self.finding,
            facts: self.values(),
            remediation: self.remediation.as_ref(),
            system: self.system.as_deref(),
        };
        out.serialize(s)
    }
}

/// Each finding with its system, its peer's device and its remediation, in the findings' order.
pub fn advise(findings: Vec<Finding>, systems: &[System], of: &FindingSystems) -> Vec<Advised> {
    findings
        .into_iter()
        .enumerate()
        .map(|(i, finding)| {
            let system = of.of_finding(i).and_then(|at| systems.get(at));
            let peer_device = system.zip(finding.peer.as_ref()).and_then(|(s, p)| s.name_of_peer(p));
            let remediation = Some(remediation(&finding, system));
            let seen_on = of.seen_on(i).map(str::to_string);
            Advised { system: system.map(|s| s.id.clone()), seen_on, peer_device, remediation, finding }
        })
        .collect()
}
