//! Linking the evidence of a run into components: two pieces belong together when they name
//! the same appliance tree, UUID, host name, address or InternalCA.
//!
//! A CA named only by a log line (no certificate bytes) is a weak link: it joins two groups
//! only when at most one of them knows any address, so an FTD of another lab whose log happens
//! to quote a CA name is not pulled into a system it never talked to.

use std::collections::HashMap;
use std::net::IpAddr;

use super::keys::{Key, Member};
use super::links::{fact_links, finding_links, handshake_links, Links};
use super::Ctx;
use crate::util::fasthash::FastMap;

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

/// The links of every piece of evidence: one [`Links`] per fact and finding, and one per
/// distinct (client address, server address, port class, chain) of the handshakes, which a
/// dense capture repeats thousands of times.
struct AllLinks {
    members: Vec<Member>,
    /// By member: the index of its links in `links`.
    link_of: Vec<usize>,
    links: Vec<Links>,
}

impl AllLinks {
    fn read(cx: &Ctx<'_>) -> Self {
        let mut links: Vec<Links> = (0..cx.facts.len()).map(|i| fact_links(i, cx)).collect();
        links.extend(cx.findings.iter().map(|f| finding_links(f, &cx.trees)));
        let mut members: Vec<Member> = (0..cx.facts.len()).map(Member::Fact).collect();
        members.extend((0..cx.findings.len()).map(Member::Finding));
        let mut link_of: Vec<usize> = (0..links.len()).collect();
        let mut seen: FastMap<(IpAddr, IpAddr, bool, usize), usize> = FastMap::default();
        for (i, h) in cx.handshakes.iter().enumerate() {
            let port = h.server.port() == crate::firepower::SFTUNNEL_PORT;
            let key = (h.client.ip(), h.server.ip(), port, cx.chains.index_of(i));
            let at = *seen.entry(key).or_insert_with(|| {
                links.push(handshake_links(i, cx));
                links.len() - 1
            });
            members.push(Member::Handshake(i));
            link_of.push(at);
        }
        AllLinks { members, link_of, links }
    }
}

/// The components of a run's sftunnel evidence, in the order of their first member.
pub(super) fn components(inputs: &Ctx<'_>) -> Vec<Component> {
    let AllLinks { members, link_of, links } = AllLinks::read(inputs);
    let mut sets = Sets::default();
    // Each distinct set of links is joined once: the groups do not depend on the order.
    let first: Vec<Option<usize>> = links
        .iter()
        .map(|l| {
            let ids: Vec<usize> = l.strong.iter().map(|k| sets.id(k)).collect();
            for w in ids.windows(2) {
                sets.union(w[0], w[1]);
            }
            ids.first().copied()
        })
        .collect();
    let mut anchor: Vec<Option<usize>> = link_of.iter().map(|&l| first[l]).collect();
    for (n, &l) in link_of.iter().enumerate() {
        for k in &links[l].weak {
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
    for (n, member) in members.iter().enumerate() {
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
