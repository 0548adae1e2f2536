//! Which role a certificate file plays, from its path and its contents: the live file, a backup
//! beside it, a record of an FMC's pushes (`certs_pushed/`), or a trust store; and what the
//! public record says it is for (the sftunnel files, the Talos cloud client certificate).
//!
//! A backup holds what was replaced and a trust store the roots a box may trust: neither is what
//! the box presents, and neither is judged on its own. `certs_pushed/` holds what was sent to a
//! device: the plan and the systems read it for that, and it is judged as before.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::{CertRole, CertSummary, Fact, Place, Purpose, Sha256};

/// The suffixes of a copy kept beside a live file.
const BACKUP_SUFFIXES: [&str; 6] = [".backup", ".bak", ".orig", ".old", ".save", "~"];
/// The extensions of a certificate or key file: `<name>.<ext>.<anything>` is a copy of `<name>.<ext>`.
const CERT_EXTENSIONS: [&str; 5] = [".pem", ".crt", ".cer", ".der", ".key"];
/// What follows `<name>.<ext>.` in a copy's name, besides a date or a number (`cacert.pem.2024`).
const COPY_WORDS: [&str; 8] = ["backup", "bak", "orig", "old", "save", "prev", "prior", "copy"];
/// Unrelated roots in one file or folder from which it is a trust store.
const TRUST_STORE_ROOTS: usize = 3;
/// The issuer of the Talos cloud client certificate (field notice FN74272).
pub const TALOS_ISSUER_CN: &str = "Keymaster CA 2";
/// Where an FMC keeps its Talos cloud client certificate (field notice FN74272).
pub const TALOS_CLIENT_DIR: &str = "/var/sf/beaker3/";

/// The file's own name: what follows the last `/` (or the archive separator).
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '!']).next().unwrap_or(path)
}

/// The name the live file has when `name` is a copy beside it (`cacert.pem.2024` → `cacert.pem`).
fn live_name(name: &str) -> Option<&str> {
    let lower = name.to_ascii_lowercase();
    if let Some(s) = BACKUP_SUFFIXES.iter().find(|s| lower.ends_with(*s)) {
        return Some(&name[..name.len() - s.len()]);
    }
    CERT_EXTENSIONS.iter().find_map(|ext| {
        let at = lower.find(&format!("{ext}."))?;
        let rest = &lower[at + ext.len() + 1..];
        let dated = !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit() || b == b'-' || b == b'_');
        let worded = COPY_WORDS.iter().any(|w| rest.starts_with(w));
        (dated || worded).then(|| &name[..at + ext.len()])
    })
}

/// Where a file stands, from its path alone (a trust store needs its contents: [`Roles`]).
pub fn place_of_path(path: &str) -> Place {
    if path.contains("/certs_pushed/") || path.contains("-certs_pushed/") {
        Place::Pushed
    } else if live_name(file_name(path)).is_some() {
        Place::Backup
    } else {
        Place::Live
    }
}

/// What the public record says the certificate `c` at `path` is for.
pub fn purpose_of(path: &str, c: &CertSummary) -> Option<Purpose> {
    let name = file_name(path);
    let name = live_name(name).unwrap_or(name);
    let flat = TALOS_CLIENT_DIR.trim_matches('/').replace('/', "-");
    if (path.contains(TALOS_CLIENT_DIR) || path.contains(&format!("{flat}/")) || issued_by_keymaster(c)) && !c.is_ca {
        Some(Purpose::TalosClient)
    } else if name == "sftunnel-cert.pem" {
        Some(Purpose::SftunnelCert)
    } else if name == "cacert.pem" && crate::firepower::context_of_path(path) == crate::model::Context::Sftunnel {
        Some(Purpose::SftunnelCa)
    } else {
        None
    }
}

/// Whether the issuer's CN is the Talos client certificates' CA.
fn issued_by_keymaster(c: &CertSummary) -> bool {
    c.issuer.split(['/', ',']).filter_map(|p| p.trim().strip_prefix("CN=")).any(|cn| cn.trim() == TALOS_ISSUER_CN)
}

/// A self-signed CA that is not Firepower's own InternalCA: a root a trust store holds.
fn public_root(c: &CertSummary) -> bool {
    c.is_ca && c.self_signed && !crate::firepower::is_internal_ca(&c.subject)
}

/// The roles of a run's certificate files: which files are trust stores, by their contents.
#[derive(Debug, Default)]
pub struct Roles {
    trust_stores: BTreeSet<String>,
}

impl Roles {
    /// A file holding several unrelated roots is a trust store, and so is every file of roots in
    /// a folder whose files hold several unrelated roots together.
    pub fn of(facts: &[Fact]) -> Roles {
        let mut folders: BTreeMap<&str, (BTreeSet<&str>, Vec<&str>)> = BTreeMap::new();
        let mut trust_stores = BTreeSet::new();
        for f in facts {
            let Fact::CertFile { evidence, certs } = f else { continue };
            let path = evidence.path.as_str();
            let roots: BTreeSet<&str> = certs.iter().filter(|c| public_root(c)).map(|c| c.subject.as_str()).collect();
            if roots.len() >= TRUST_STORE_ROOTS {
                trust_stores.insert(path.to_string());
            }
            if !roots.is_empty() && roots.len() == certs.len() {
                let folder = path.rsplit_once('/').map_or("", |(d, _)| d);
                let (subjects, files) = folders.entry(folder).or_default();
                subjects.extend(roots);
                files.push(path);
            }
        }
        for (subjects, files) in folders.into_values() {
            if subjects.len() >= TRUST_STORE_ROOTS {
                trust_stores.extend(files.into_iter().map(str::to_string));
            }
        }
        Roles { trust_stores }
    }

    /// The role of the certificate `c` of the file at `path`.
    pub fn of_cert(&self, path: &str, c: &CertSummary) -> CertRole {
        let purpose = purpose_of(path, c);
        // The Talos client certificate is judged wherever it lies beside roots.
        let place = if self.trust_stores.contains(path) && purpose != Some(Purpose::TalosClient) {
            Place::TrustStore
        } else {
            place_of_path(path)
        };
        CertRole { place, purpose }
    }

    /// [`of_cert`](Self::of_cert) worked out once per certificate (by fingerprint) and path: a
    /// capture shows the same few certificates at one path thousands of times.
    pub fn memo(&self) -> RoleMemo<'_> {
        RoleMemo { roles: self, known: HashMap::new() }
    }
}

/// The roles already worked out, by certificate fingerprint, then by path.
pub struct RoleMemo<'a> {
    roles: &'a Roles,
    known: HashMap<Sha256, HashMap<String, CertRole>>,
}

impl RoleMemo<'_> {
    /// The role of the certificate `c` of the file at `path`, as [`Roles::of_cert`] gives it.
    /// A certificate without a fingerprint is worked out every time.
    pub fn of_cert(&mut self, path: &str, c: &CertSummary) -> CertRole {
        let Some(sha) = c.sha256 else { return self.roles.of_cert(path, c) };
        let at = self.known.entry(sha).or_default();
        if let Some(role) = at.get(path) {
            return *role;
        }
        let role = self.roles.of_cert(path, c);
        at.insert(path.to_string(), role);
        role
    }
}

#[cfg(test)]
#[path = "roles_tests.rs"]
mod tests;
