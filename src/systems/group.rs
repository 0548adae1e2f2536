//! Linking the evidence of a run into components: two pieces belong together when they name
//! the same appliance tree, UUID, host name, address or InternalCA.
//!
//! A CA named only by a log line (no certificate bytes) is a weak link: it joins two groups
//! only when at most one of them knows any address, so an FTD of another lab whose log happens
//! to quote a CA name is not pulled into a system it never talked to.

use std::collections::HashMap;

use rayon::prelude::*;

use super::keys::{Key, Member};
use super::links::{fact_links, finding_links, handshake_links, Links};
use super::Ctx;

/// Evidence that belongs together, in the order of the report.
#[derive(Clone, Debug, Default)]
pub(super) struct Component {
    pub members: Vec<Member>,
}

/// Union-find over keys; each root knows whether its group holds an address.
#[derive(Default)]
struct Sets {
    ids: HashMap<Key, usize>,
    parent: Vec<usize>,
    has_ip: Vec<bool>,
}

impl Sets {
    fn id(&mut self, k: &Key) -> usize {
        if let Some(&i) = self.ids.get(k) {
            return i;
        }
        let i = self.parent.len();
        self.parent.push(i);
        self.has_ip.push(matches!(k, Key::Ip(_)));
        self.ids.insert(k.clone(), i);
        i
    }
    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }
    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.parent[b] = a;
            self.has_ip[a] |= self.has_ip[b];
        }
    }
}

/// The components of a run's sftunnel evidence, in the order of their first member.
pub(super) fn components(inputs: &Ctx<'_>) -> Vec<Component> {
    let mut members: Vec<(Member, Links)> = Vec::new();
    members.extend((0..inputs.facts.len()).map(|i| (Member::Fact(i), fact_links(i, inputs))));
    let trees = &inputs.trees;
    members.extend(inputs.findings.iter().enumerate().map(|(i, f)| (Member::Finding(i), finding_links(f, trees))));
    // A capture brings thousands of handshakes: their links are read in parallel.
    let handshakes: Vec<Links> = inputs.handshakes.par_iter().map(handshake_links).collect();
    members.extend(handshakes.into_iter().enumerate().map(|(i, l)| (Member::Handshake(i), l)));
    let mut sets = Sets::default();
    let mut anchor: Vec<Option<usize>> = Vec::with_capacity(members.len());
    for (_, links) in &members {
        let ids: Vec<usize> = links.strong.iter().map(|k| sets.id(k)).collect();
        for w in ids.windows(2) {
            sets.union(w[0], w[1]);
        }
        anchor.push(ids.first().copied());
    }
    for (n, (_, links)) in members.iter().enumerate() {
        for k in &links.weak {
            let target = sets.id(k);
            match anchor[n] {
                None => anchor[n] = Some(target),
                Some(a) => {
                    let (ra, rt) = (sets.find(a), sets.find(target));
                    if ra != rt && !(sets.has_ip[ra] && sets.has_ip[rt]) {
                        sets.union(ra, rt);
                    }
                }
            }
        }
    }
    let mut by_root: HashMap<usize, usize> = HashMap::new();
    let mut out: Vec<Component> = Vec::new();
    for (n, (member, _)) in members.iter().enumerate() {
        let Some(a) = anchor[n] else { continue };
        let root = sets.find(a);
        let at = *by_root.entry(root).or_insert_with(|| {
            out.push(Component::default());
            out.len() - 1
        });
        out[at].members.push(*member);
    }
    out
}
