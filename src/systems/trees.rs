//! The appliance trees of a run (troubleshoot bundles, in their archives or extracted, and
//! appliance roots with their own `ims.conf`) and who each one is: the identity its own
//! `/etc/sf/ims.conf` gives. One tree is one appliance: everything in it is that appliance's.

use std::collections::HashMap;

use crate::firepower::tree::{is_identity_file, place, Layout, Placed};
use crate::model::{DeviceInfo, DeviceRole, Fact, Uuid};

/// The trees of a run, by display path.
#[derive(Debug, Default)]
pub struct Trees<'a> {
    /// Each tree's identity, from the `ims.conf` at its `/etc/sf/ims.conf` (the first one).
    identity: HashMap<&'a str, &'a DeviceInfo>,
}

impl<'a> Trees<'a> {
    pub fn new(facts: &'a [Fact]) -> Self {
        let mut identity = HashMap::new();
        for f in facts {
            let Fact::Device { evidence, device } = f else { continue };
            if let Some(p) = place(&evidence.path).filter(|p| is_identity_file(&p.on_box)) {
                identity.entry(p.tree).or_insert(device);
            }
        }
        Trees { identity }
    }

    /// Where `path` lies: its tree and its path on the appliance; `None` outside any tree (an
    /// appliance root counts only with its own `ims.conf`).
    pub fn place<'p>(&self, path: &'p str) -> Option<Placed<'p>> {
        place(path).filter(|p| p.layout != Layout::Root || self.identity.contains_key(p.tree))
    }

    /// The tree `path` lies in.
    pub fn tree_of<'p>(&self, path: &'p str) -> Option<&'p str> {
        self.place(path).map(|p| p.tree)
    }

    /// Who the tree is, as its own `ims.conf` says.
    pub fn identity(&self, tree: &str) -> Option<&'a DeviceInfo> {
        self.identity.get(tree).copied()
    }

    /// The appliance whose tree holds `path`.
    pub fn owner_of(&self, path: &str) -> Option<&'a DeviceInfo> {
        self.tree_of(path).and_then(|t| self.identity(t))
    }

    /// The trees of the FMC with this UUID (its own `ims.conf` says so), in no particular order.
    pub fn fmc_trees(&self, uuid: Uuid) -> impl Iterator<Item = &'a str> + '_ {
        self.identity.iter().filter(move |(_, d)| d.role == DeviceRole::Fmc && d.uuid == Some(uuid)).map(|(t, _)| *t)
    }

    /// Whether an `ims.conf` at `path` is its tree's own (where the appliance keeps it).
    pub fn is_identity(&self, path: &str) -> bool {
        self.place(path).is_some_and(|p| is_identity_file(&p.on_box))
    }

    /// How a tree is named in a sentence: its appliance's host name, else the tree's path.
    pub fn label(&self, tree: &str) -> String {
        match self.identity(tree).and_then(|d| d.hostname.as_deref()) {
            Some(h) => format!("{h}'s bundle ({tree})"),
            None => tree.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Evidence;

    fn ims(path: &str, host: &str, role: DeviceRole) -> Fact {
        let device = DeviceInfo {
            role,
            uuid: Uuid::parse("3b9c1e52-8a41-11e4-9c2f-5254001a7c33"),
            hostname: Some(host.into()),
            version: None,
            model: None,
            disputed: Vec::new(),
        };
        Fact::Device { evidence: Evidence { path: path.into(), ..Default::default() }, device }
    }

    #[test]
    fn a_root_is_a_tree_only_with_its_own_ims_conf() {
        let facts = [
            ims("case/fmc.tar.gz!/results-fmc/dir-archives/etc/sf/ims.conf", "fmc-hq-01", DeviceRole::Fmc),
            ims("case/appliance/etc/sf/ims.conf", "ftd-7", DeviceRole::Ftd),
            ims("case/loose/ims.conf", "fmc-evil", DeviceRole::Fmc),
        ];
        let t = Trees::new(&facts);
        assert_eq!(t.tree_of("case/fmc.tar.gz!/results-fmc/dir-archives/var-log/messages"), Some("case/fmc.tar.gz"));
        assert_eq!(t.owner_of("case/appliance/var/sf/peers/x/cacert.pem").unwrap().hostname.as_deref(), Some("ftd-7"));
        assert_eq!(t.tree_of("case/notes/var/tmp/certs/1800000000/FAILED_PUSH"), None, "no ims.conf of its own");
        assert!(!t.is_identity("case/loose/ims.conf"));
        assert!(t.is_identity("case/appliance/etc/sf/ims.conf"));
        let fmc: Vec<&str> = t.fmc_trees(Uuid::parse("3b9c1e52-8a41-11e4-9c2f-5254001a7c33").unwrap()).collect();
        assert_eq!(fmc, ["case/fmc.tar.gz"]);
    }
}
