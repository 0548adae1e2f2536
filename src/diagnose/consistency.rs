//! The shared glue of the folder consistency rules: which files of one folder (or of one
//! `sftunnel.conf`) belong together, judged by `ca-mismatch` (a certificate and the CA file
//! beside it) and `key-mismatch` (a key and the certificate beside it), and which peer and
//! device the folder belongs to.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

pub use super::rules::folder::SignedBy;
use super::rules::folder::{split, Folder};
use super::rules::{ca_mismatch, key_mismatch, Finding};
use crate::model::CertSummary;
use crate::model::DisplayPath;
use crate::model::Evidence;
use crate::model::{Fact, KeySummary};
use crate::x509::CertCache;

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
            let at = |p: &Option<String>| p.as_ref().map(|p| DisplayPath::new(&evidence.path).sibling(p));
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
            out.extend(ca_mismatch::judge_pair(ev, certs, ca_ev, cas, signed_by, || folder(facts, &cert_path)));
        }
    }
    for (key_path, cert_path) in key_pairs {
        if let (Some(File::Key(key_ev, key)), Some(File::Certs(ev, certs))) =
            (files.get(key_path.as_str()), files.get(cert_path.as_str()))
        {
            out.extend(key_mismatch::judge_pair(key_ev, key, ev, certs, || folder(facts, &cert_path)));
        }
    }
    out
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

/// Which folder, peer and device the files of `cert_path` belong to.
fn folder(facts: &[Fact], cert_path: &str) -> Folder {
    let (dir, _) = split(cert_path);
    let mut folder = Folder { dir: dir.to_string(), ..Default::default() };
    folder.peer_uuid = crate::firepower::peers::uuid_from_path(cert_path);
    // The appliance tree the file lies in (a bundle in its archive or extracted, an appliance
    // root), and the ims.conf that tree keeps at /etc/sf/ims.conf.
    let tree = |p: &str| crate::firepower::tree::place(p).map(|p| (p.tree.to_string(), p.on_box));
    let bundle = tree(cert_path).map(|(t, _)| t);
    for fact in facts {
        match fact {
            Fact::Peer { peer, .. } if peer.uuid.is_some() && peer.uuid == folder.peer_uuid => {
                if let Some(n) = &peer.name {
                    folder.peer_name = Some(n.clone());
                }
                if let Some(ip) = &peer.ip {
                    folder.peer_ip = Some(ip.clone());
                }
            }
            Fact::Device { evidence, device }
                if bundle.is_some()
                    && tree(&evidence.path).is_some_and(|(t, on_box)| {
                        Some(&t) == bundle.as_ref() && crate::firepower::tree::is_identity_file(&on_box)
                    }) =>
            {
                if let Some(u) = device.uuid {
                    folder.device_uuid = Some(u);
                }
                folder.device_role = Some(device.role);
                folder.device = device.hostname.clone().or_else(|| device.uuid.map(|u| u.to_string()));
            }
            _ => {}
        }
    }
    folder
}

#[cfg(test)]
#[path = "consistency_tests.rs"]
mod tests;
