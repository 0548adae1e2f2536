//! Correlation across sources: evidence about the same failure from an FTD's log, the FMC's
//! log, a capture between them and the certificate files of both becomes one finding with a
//! timeline per source.
//!
//! Endpoints are known under several names (host name, IP, UUID); facts that tie them together
//! (`FAILED_PUSH` rows, peer `sftunnel.json`, `ims.conf`) build an alias table first.

use std::collections::HashMap;

use super::rules::shared::{Affected, RejectedBy};
use super::rules::{expired_ca, precedence, Finding, Kind};
use crate::model::Context;
use crate::model::{Fact, Host, Uuid};

/// Names that denote the same device.
#[derive(Default, Debug)]
pub struct Aliases {
    parent: HashMap<String, String>,
}

impl Aliases {
    pub fn from_facts(facts: &[Fact]) -> Self {
        let mut a = Aliases::default();
        for f in facts {
            match f {
                Fact::FailedPush { rows, .. } => {
                    for r in rows {
                        a.join(&r.device_name, &r.device_ip);
                        a.join(&r.device_name, &r.device_uuid);
                    }
                }
                Fact::Peer { peer, .. } => {
                    let uuid = peer.uuid.as_ref().map(Uuid::as_str);
                    let names: Vec<&str> =
                        [peer.name.as_deref(), peer.ip.as_deref(), uuid].into_iter().flatten().collect();
                    for w in names.windows(2) {
                        a.join(w[0], w[1]);
                    }
                }
                Fact::Device { device, .. } => {
                    if let (Some(h), Some(u)) = (&device.hostname, &device.uuid) {
                        a.join(h, u.as_str());
                    }
                }
                _ => {}
            }
        }
        a
    }
    fn root(&self, x: &str) -> String {
        let mut cur = x.to_ascii_lowercase();
        let mut steps = 0;
        while let Some(p) = self.parent.get(&cur) {
            if *p == cur || steps > 64 {
                break;
            }
            cur = p.clone();
            steps += 1;
        }
        cur
    }
    fn join(&mut self, a: &str, b: &str) {
        if a.is_empty() || b.is_empty() {
            return;
        }
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            self.parent.insert(ra, rb);
        }
    }
    /// The root of a host's group (hosts are named by their text, compared without case).
    fn root_of(&self, h: &Host) -> String {
        self.root(&h.to_string())
    }
    /// Whether two hosts denote the same device.
    pub fn same(&self, a: &Host, b: &Host) -> bool {
        self.root_of(a) == self.root_of(b)
    }
}

/// Whether both findings name their peer with a port and the ports differ (the FMC's web
/// server on 443 and its sftunnel on 8305 fail for different reasons).
fn ports_differ(a: &Finding, b: &Finding) -> bool {
    let port = |f: &Finding| f.peer.as_ref().and_then(|p| p.port());
    matches!((port(a), port(b)), (Some(x), Some(y)) if x != y)
}

/// Merge findings that describe the same failure seen from different sources.
pub fn correlate(findings: Vec<Finding>, aliases: &Aliases) -> Vec<Finding> {
    let out = merge_same_failure(findings, aliases);
    // Rule 2 is the kind's own: one expired CA certificate is one root cause.
    let mut out = expired_ca::merge_same_certificate(out);
    fold_rejections(&mut out, aliases);
    for f in &mut out {
        name_affected_once(f, aliases);
    }
    out
}

/// Rule 1: same kind, depth and peer, seen by the same (or an unknown) reporter. Candidates are
/// bucketed by kind, depth and the peer's alias root, so that many distinct peers (a capture of
/// thousands of failing clients) do not make this quadratic.
fn merge_same_failure(findings: Vec<Finding>, aliases: &Aliases) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    let mut buckets: HashMap<(Kind, Option<u32>, String), Vec<usize>> = HashMap::new();
    for f in findings {
        let mergeable = matches!(f.context, Context::Sftunnel | Context::FmcHa | Context::Generic);
        let key = f.peer.as_ref().map(|p| (f.kind, f.depth, aliases.root_of(p.host())));
        if let Some(key) = key {
            let bucket = buckets.entry(key).or_default();
            if mergeable {
                let hit = bucket.iter().copied().find(|&i| {
                    let g = &out[i];
                    g.context != Context::TlsProxy && same_reporter(g, &f, aliases) && !ports_differ(g, &f)
                });
                if let Some(i) = hit {
                    out[i].merge(f);
                    continue;
                }
            }
            bucket.push(out.len());
        }
        out.push(f);
    }
    out
}

/// Rule 3: a peer that rejected our certificate is the device that reported the certificate
/// problem about us: fold the rejection into that specific finding. This stays here rather
/// than in `rules/peer_rejected_certificate.rs` because it needs the alias table and pairs two
/// kinds; which kinds may take the rejection is decided by `precedence::rejection_folds_into`.
fn fold_rejections(out: &mut Vec<Finding>, aliases: &Aliases) {
    let mut i = 0;
    while i < out.len() {
        let f = &out[i];
        if f.kind != Kind::PeerRejectedCertificate {
            i += 1;
            continue;
        }
        let (Some(rejecter), Some(rejected)) = (f.peer.clone(), f.reporter()) else {
            i += 1;
            continue;
        };
        let target = out.iter().position(|g| {
            precedence::rejection_folds_into(g.kind)
                && g.reporter().is_some_and(|r| aliases.same(&r, rejecter.host()))
                && g.peer.as_ref().is_some_and(|p| aliases.same(p.host(), &rejected))
        });
        match target {
            Some(t) => {
                let f = out.remove(i);
                let t = if t > i { t - 1 } else { t };
                out[t].merge(f);
                // The rejection's own `rejected_by` says "client"/"server"; here the device counts.
                out[t].shared.rejected_by = Some(RejectedBy::Device(rejecter.host().clone()));
                out[t].shared.add_affected([rejecter.host().clone()]);
            }
            _ => i += 1,
        }
    }
}

/// One device known by name and address reads as one: `ftd-branch-07 (192.168.45.21)`, not
/// `ftd-branch-07, 192.168.45.21`.
fn name_affected_once(f: &mut Finding, aliases: &Aliases) {
    let mut groups: Vec<(String, Affected)> = Vec::new();
    for a in std::mem::take(&mut f.shared.affected) {
        let root = match (&a.name, a.address) {
            (Some(n), _) => aliases.root(n),
            (None, Some(ip)) => aliases.root(&ip.to_string()),
            (None, None) => continue,
        };
        match groups.iter_mut().find(|g| g.0 == root) {
            Some((_, g)) => {
                g.name = g.name.take().or(a.name);
                g.address = g.address.or(a.address);
            }
            None => groups.push((root, a)),
        }
    }
    f.shared.affected = groups.into_iter().map(|(_, a)| a).collect();
}

fn same_reporter(a: &Finding, b: &Finding, aliases: &Aliases) -> bool {
    match (a.reporter(), b.reporter()) {
        // A capture knows the reporter by IP, a log by host name: without an alias tying them,
        // they are taken as compatible.
        (Some(x), Some(y)) => aliases.same(&x, &y) || (x.ip().is_some() != y.ip().is_some()),
        _ => true,
    }
}
