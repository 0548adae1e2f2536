//! Consistency of the files of one folder (or of one `sftunnel.conf`): a certificate that is not
//! signed by the CA file beside it (`ca-mismatch`, what a half-finished manual copy leaves) and
//! a private key that does not belong to the certificate beside it (`key-mismatch`).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::finding::{CertRef, Finding};
use super::kind::Kind;
use crate::model::CertSummary;
use crate::model::{Context, Evidence};
use crate::model::{Fact, KeySummary};
use crate::x509::CertCache;

/// The signature check: the cache's memoised `signed_by` in production, a double in tests.
pub type SignedBy<'a> = &'a dyn Fn(&CertSummary, &CertSummary) -> bool;

/// A file of certificates or a key, by path.
enum File<'a> {
    Certs(&'a Evidence, &'a [Arc<CertSummary>]),
    Key(&'a Evidence, &'a KeySummary),
}

/// Judge the facts with the real signature check, each pair verified once through `certs`.
pub fn judge(facts: &[Fact], certs: &CertCache) -> Vec<Finding> {
    judge_with(facts, &|child, issuer| certs.signed_by(child, issuer))
}

/// Judge the facts with the signature check `signed_by`.
pub fn judge_with(facts: &[Fact], signed_by: SignedBy<'_>) -> Vec<Finding> {
    let mut files: BTreeMap<&str, File<'_>> = BTreeMap::new();
    for f in facts {
        match f {
            Fact::CertFile { evidence, certs } if !certs.is_empty() => {
                files.insert(&evidence.path, File::Certs(evidence, certs));
            }
            Fact::KeyFile { evidence, key } => {
                files.insert(&evidence.path, File::Key(evidence, key));
            }
            _ => {}
        }
    }
    let mut ca_pairs = BTreeSet::new();
    let mut key_pairs = BTreeSet::new();
    for path in files.keys() {
        let (dir, name) = split(path);
        if name == "sftunnel-cert.pem" {
            ca_pairs.insert((path.to_string(), format!("{dir}/cacert.pem")));
        }
        for cert_name in cert_names_for_key(name) {
            key_pairs.insert((path.to_string(), format!("{dir}/{cert_name}")));
        }
    }
    // The files `sftunnel.conf` names belong together wherever they are.
    for f in facts {
        if let Fact::TunnelConf { evidence, conf } = f {
            let root = evidence.path.rfind("!/").map_or("", |i| &evidence.path[..i + 1]);
            let at = |p: &Option<String>| p.as_ref().map(|p| format!("{root}{p}"));
            if let (Some(cert), Some(ca)) = (at(&conf.cert), at(&conf.cacert)) {
                ca_pairs.insert((cert.clone(), ca));
            }
            if let (Some(key), Some(cert)) = (at(&conf.key), at(&conf.cert)) {
                key_pairs.insert((key, cert));
            }
        }
    }
    let mut out = Vec::new();
    for (cert_path, ca_path) in ca_pairs {
        if let (Some(File::Certs(ev, certs)), Some(File::Certs(ca_ev, cas))) =
            (files.get(cert_path.as_str()), files.get(ca_path.as_str()))
        {
            if let Some(f) = ca_mismatch(ev, certs, ca_ev, cas, signed_by) {
                out.push(about(f, facts, &cert_path));
            }
        }
    }
    for (key_path, cert_path) in key_pairs {
        if let (Some(File::Key(key_ev, key)), Some(File::Certs(ev, certs))) =
            (files.get(key_path.as_str()), files.get(cert_path.as_str()))
        {
            if let Some(f) = key_mismatch(key_ev, key, ev, certs) {
                out.push(about(f, facts, &cert_path));
            }
        }
    }
    out
}

/// `(folder, file name)` of a path.
fn split(path: &str) -> (&str, &str) {
    path.rsplit_once('/').unwrap_or(("", path))
}

/// Certificate file names that go with a key file name (`LL-key.pem` → `LL-cert.pem`).
fn cert_names_for_key(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (key, certs) in [
        ("-key.pem", &["-cert.pem", "-crt.pem"][..]),
        ("_key.pem", &["_cert.pem", "_crt.pem"][..]),
        (".key.pem", &[".cert.pem", ".crt.pem"][..]),
        (".key", &[".crt", ".cer", ".pem", "-cert.pem"][..]),
    ] {
        if let Some(stem) = name.strip_suffix(key).filter(|s| !s.is_empty()) {
            out.extend(certs.iter().map(|c| format!("{stem}{c}")));
            break;
        }
    }
    out
}

fn ca_mismatch(
    ev: &Evidence,
    certs: &[Arc<CertSummary>],
    ca_ev: &Evidence,
    cas: &[Arc<CertSummary>],
    signed_by: SignedBy<'_>,
) -> Option<Finding> {
    let leaf = certs.first()?;
    let same_name: Vec<&Arc<CertSummary>> = cas.iter().filter(|ca| ca.subject == leaf.issuer).collect();
    if same_name.iter().any(|ca| signed_by(leaf, ca)) {
        return None;
    }
    let subjects: Vec<&str> = cas.iter().map(|c| c.subject.as_str()).collect();
    let why = if same_name.is_empty() {
        format!("it names {} as its issuer, but {} holds {}", leaf.issuer, ca_ev.path, subjects.join(" and "))
    } else {
        format!("{} has the issuer's name, but the signature does not verify with its key", ca_ev.path)
    };
    let (_, name) = split(&ev.path);
    let (_, ca_name) = split(&ca_ev.path);
    let mut f =
        Finding::new(Kind::CaMismatch, context(&ev.path), format!("{name} is not signed by the {ca_name} beside it"))
            .detail(format!("{} ({}): {why}", ev.path, leaf.subject))
            .fact("cert_path", ev.path.clone())
            .fact("ca_path", ca_ev.path.clone())
            .fact("cert_issuer", leaf.issuer.clone())
            .fact("ca_subject", subjects.join("\n"));
    if let Some(ca) = cas.first() {
        f.facts.insert("ca_not_after".into(), ca.not_after.to_string());
    }
    f.certificate = CertRef::from(&**leaf);
    f.depth = Some(0);
    f.add_evidence(ev.clone());
    f.add_evidence(ca_ev.clone());
    Some(f)
}

fn key_mismatch(key_ev: &Evidence, key: &KeySummary, ev: &Evidence, certs: &[Arc<CertSummary>]) -> Option<Finding> {
    let leaf = certs.first()?;
    let key_hash = key.public_key_sha256.as_deref()?;
    if key_hash == leaf.public_key_sha256 {
        return None;
    }
    let (_, key_name) = split(&key_ev.path);
    let (_, name) = split(&ev.path);
    let mut f = Finding::new(Kind::KeyMismatch, context(&ev.path), format!("{key_name} does not belong to {name}"))
        .detail(format!(
            "the {} private key in {} and the certificate {} in {} have different public keys",
            key.algorithm, key_ev.path, leaf.subject, ev.path
        ))
        .fact("key_path", key_ev.path.clone())
        .fact("cert_path", ev.path.clone())
        .fact("key_algorithm", key.algorithm.clone())
        .fact("cert_key", leaf.key.clone());
    f.certificate = CertRef::from(&**leaf);
    f.depth = Some(0);
    f.add_evidence(key_ev.clone());
    f.add_evidence(ev.clone());
    Some(f)
}

fn context(path: &str) -> Context {
    if path.contains("sftunnel") || path.contains("/peers/") || path.contains("ca_root") {
        Context::Sftunnel
    } else {
        Context::Generic
    }
}

/// Add which folder, peer and device the files belong to.
fn about(mut f: Finding, facts: &[Fact], cert_path: &str) -> Finding {
    let (dir, _) = split(cert_path);
    f.facts.insert("dir".into(), dir.to_string());
    let uuid = crate::logs::conf::uuid_from_path(cert_path);
    if let Some(u) = &uuid {
        f.facts.insert("peer_uuid".into(), u.clone());
        f.peer = Some(u.clone());
    }
    // The archive (bundle) the file came from: the path up to its last `!/`.
    let bundle = cert_path.rfind("!/").map(|i| &cert_path[..i]);
    for fact in facts {
        match fact {
            Fact::Peer { peer, .. } if peer.uuid.is_some() && peer.uuid == uuid => {
                if let Some(n) = &peer.name {
                    f.facts.insert("peer_name".into(), n.clone());
                    f.peer = Some(n.clone());
                }
                if let Some(ip) = &peer.ip {
                    f.facts.insert("peer_ip".into(), ip.clone());
                }
            }
            Fact::Device { evidence, device }
                if bundle.is_some() && evidence.path.rfind("!/").map(|i| &evidence.path[..i]) == bundle =>
            {
                if let Some(u) = &device.uuid {
                    f.facts.insert("device_uuid".into(), u.clone());
                }
                f.facts.insert("device_role".into(), format!("{:?}", device.role).to_ascii_lowercase());
                f.device = device.hostname.clone().or_else(|| device.uuid.clone());
            }
            _ => {}
        }
    }
    f
}

#[cfg(test)]
#[path = "consistency_tests.rs"]
mod tests;
