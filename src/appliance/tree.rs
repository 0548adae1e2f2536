//! A troubleshoot bundle laid out as the appliance's own tree, so that `tlstriage check --root`
//! can be tried and tested on a copy of an FMC or an FTD: `results-<host>/dir-archives/etc/…`
//! becomes `etc/…`, `var-log` `var/log`, `var-sf-peers` `var/sf/peers`, `var-tmp` `var/tmp`;
//! an FTD's (its `ims.conf` names a sensor) go under `ngfw/`, where the device keeps them. The
//! outputs of status commands (`command-outputs/`) are no file of the appliance: they are written
//! beside the tree, in `<tree>.command-outputs/`, for `check --with`. Modes and times are kept
//! (a syslog's year comes from its file's time).
//!
//! Used by the tests and the xtask; `check` itself writes nothing.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use super::layout::FTD_PREFIX;

/// Where the bundle's folders go in the tree.
const MAPPED: &[(&str, &str)] =
    &[("etc", "etc"), ("var-log", "var/log"), ("var-sf-peers", "var/sf/peers"), ("var-tmp", "var/tmp")];

/// Largest bundle read (all entries together).
const MAX_BYTES: u64 = 1 << 30;

/// A tree written from a bundle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tree {
    pub root: PathBuf,
    /// Whether the bundle is an FTD's (its files went under `ngfw/`).
    pub ftd: bool,
    /// The status command outputs written beside the tree (for `check --with`).
    pub outputs: Vec<PathBuf>,
    /// Entries of the bundle with no place in the tree.
    pub skipped: Vec<String>,
}

struct Entry {
    path: String,
    mode: u32,
    mtime: u64,
    data: Vec<u8>,
}

/// The bundle's path parts after `results-<host>/`, when they are plain names.
fn parts(path: &str) -> Option<Vec<&str>> {
    let p = Path::new(path);
    if p.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let mut parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if parts.first().is_some_and(|p| p.starts_with("results-")) {
        parts.remove(0);
    }
    Some(parts)
}

/// Write the tree of `bundle` (a `.tar.gz` troubleshoot bundle) at `root`.
pub fn from_bundle(bundle: &Path, root: &Path) -> std::io::Result<Tree> {
    let file = std::fs::File::open(bundle)?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file).take(MAX_BYTES));
    let mut entries = Vec::new();
    let mut skipped = Vec::new();
    for e in archive.entries()? {
        let mut e = e?;
        let path = e.path()?.to_string_lossy().into_owned();
        if !e.header().entry_type().is_file() {
            continue;
        }
        let mode = e.header().mode().unwrap_or(0o644) & 0o777;
        let mtime = e.header().mtime().unwrap_or(0);
        let mut data = Vec::new();
        e.read_to_end(&mut data)?;
        entries.push(Entry { path, mode, mtime, data });
    }
    let ims = entries.iter().find(|e| e.path.ends_with("dir-archives/etc/sf/ims.conf"));
    let ftd = ims
        .and_then(|e| crate::logs::conf::parse_ims_conf(&String::from_utf8_lossy(&e.data)))
        .is_some_and(|d| d.role == crate::model::DeviceRole::Ftd);
    let prefix = if ftd { FTD_PREFIX.trim_start_matches('/') } else { "" };
    let outputs_dir = PathBuf::from(format!("{}.command-outputs", root.display()));
    let mut outputs = Vec::new();
    std::fs::create_dir_all(root)?;
    for e in &entries {
        let target = match parts(&e.path).as_deref() {
            Some(["dir-archives", top, rest @ ..]) if !rest.is_empty() => MAPPED
                .iter()
                .find(|(from, _)| from == top)
                .map(|(_, to)| root.join(prefix).join(to).join(rest.join("/"))),
            Some(["command-outputs", name]) => {
                outputs.push(outputs_dir.join(name));
                outputs.last().cloned()
            }
            _ => None,
        };
        let Some(target) = target else {
            skipped.push(e.path.clone());
            continue;
        };
        write(&target, e)?;
    }
    Ok(Tree { root: root.to_path_buf(), ftd, outputs, skipped })
}

fn write(target: &Path, e: &Entry) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(target, &e.data)?;
    std::fs::set_permissions(target, std::fs::Permissions::from_mode(e.mode))?;
    let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(e.mtime);
    std::fs::File::options().write(true).open(target)?.set_modified(time)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_below_results_map_into_the_tree() {
        assert_eq!(parts("results-x/dir-archives/etc/sf/ims.conf").unwrap(), ["dir-archives", "etc", "sf", "ims.conf"]);
        assert_eq!(parts("dir-archives/var-log/messages").unwrap(), ["dir-archives", "var-log", "messages"]);
        assert!(parts("results-x/../../etc/passwd").is_none());
        assert!(parts("/etc/passwd").is_none());
    }
}
