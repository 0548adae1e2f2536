//! Where an appliance keeps a file, read from its display path: which tree the file lies in (a
//! troubleshoot bundle, the same bundle extracted into a folder, an appliance's root) and its
//! path on the appliance.
//!
//! A troubleshoot bundle keeps the appliance's files under `dir-archives/`, its directories
//! flattened (`var-sf-peers/<UUID>/cacert.pem` is `/var/sf/peers/<UUID>/cacert.pem`, while
//! `etc/sf/` stays as it is), and command outputs under `command-outputs/`; the folder holding
//! those two is the tree, whether it is inside the archive (`fmc.tar.gz!/results-fmc/…`) or was
//! extracted (`case/results-fmc/…`). An appliance's root (what `check` reads, or a copy of it)
//! keeps them where the appliance does (`<root>/etc/sf/`, `<root>/var/sf/peers/`,
//! `<root>/ngfw/var/sf/…` on an FTD); such a root is a tree only when its own
//! `etc/sf/ims.conf` is among the inputs (the systems check that), so a folder of notes that
//! happens to hold `var/tmp/certs/` is no appliance. A bundle whose tree lies directly inside
//! its archive is known by the archive's path, so every member of the archive is in it.

use crate::model::DisplayPath;

/// What kind of tree a file lies in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// A troubleshoot bundle's `dir-archives/` or `command-outputs/` (in its archive or extracted).
    Bundle,
    /// An appliance's root on disk (`<root>/etc/sf/…`): a tree only with its own `ims.conf`.
    Root,
    /// An archive that shows neither layout: the archive is the tree.
    Archive,
}

/// A file in a tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placed<'a> {
    /// The display path of the tree (an archive's path, or a folder's).
    pub tree: &'a str,
    pub layout: Layout,
    /// Its path on the appliance (`/etc/sf/ims.conf`, `/var/tmp/certs/1773480000/FAILED_PUSH`), or
    /// `command-outputs/<file>` for a command's output; the member's path in an archive that
    /// shows no layout.
    pub on_box: String,
}

/// The folders a bundle keeps an appliance's files in.
const BUNDLE_DIRS: [&str; 2] = ["dir-archives/", "command-outputs/"];
/// The folders of an appliance's root that tell its layout.
const ROOT_DIRS: [&str; 5] = ["etc/sf/", "var/sf/", "var/tmp/certs/", "var/log/", "ngfw/"];

/// Where `part` starts in `path` as whole parts (after `/` or `!/`, or at the start), the last
/// place when `last`, else the first.
fn part_at(path: &str, part: &str, last: bool) -> Option<usize> {
    let at_boundary = |i: &usize| *i == 0 || path[..*i].ends_with('/');
    if last {
        path.rmatch_indices(part).map(|(i, _)| i).find(at_boundary)
    } else {
        path.match_indices(part).map(|(i, _)| i).find(at_boundary)
    }
}

/// The tree whose contents start at `at` in `path`: the text before it without its separator; a
/// folder directly inside an archive is known by the archive.
fn tree_before(path: &str, at: usize) -> &str {
    let before = &path[..at];
    if let Some(archive) = before.strip_suffix(crate::model::SEP) {
        return archive;
    }
    let before = before.strip_suffix('/').unwrap_or(before);
    if before.is_empty() {
        return if at > 0 { "/" } else { "." };
    }
    match before.rsplit_once(crate::model::SEP) {
        Some((archive, folder)) if !folder.is_empty() && !folder.contains('/') => archive,
        _ => before,
    }
}

/// A flattened bundle folder as the appliance's path: `var-sf-peers/x` → `/var/sf/peers/x`,
/// `etc/sf/x` → `/etc/sf/x`.
fn unflattened(rest: &str) -> String {
    let (first, tail) = rest.split_once('/').unwrap_or((rest, ""));
    let dir = first.replace('-', "/");
    if tail.is_empty() {
        format!("/{dir}")
    } else {
        format!("/{dir}/{tail}")
    }
}

/// The tree `path` lies in and its path on the appliance; `None` for a file outside any (a
/// loose file of a case folder).
pub fn place(path: &str) -> Option<Placed<'_>> {
    let bundle = BUNDLE_DIRS.iter().filter_map(|d| Some((part_at(path, d, true)?, *d))).max_by_key(|(i, _)| *i);
    if let Some((at, dir)) = bundle {
        let rest = &path[at + dir.len()..];
        let on_box = if dir == "dir-archives/" { unflattened(rest) } else { format!("command-outputs/{rest}") };
        return Some(Placed { tree: tree_before(path, at), layout: Layout::Bundle, on_box });
    }
    let root = ROOT_DIRS.iter().filter_map(|d| part_at(path, d, false)).min();
    let archive = DisplayPath::new(path).innermost_archive();
    if let Some(at) = root {
        let tree = tree_before(path, at);
        let on_box = format!("/{}", &path[at..]);
        let on_box = on_box.strip_prefix("/ngfw").map(str::to_string).unwrap_or(on_box);
        // Inside an archive the archive is the boundary: no ims.conf is needed to trust it.
        let layout = if archive.is_some_and(|a| tree.len() <= a.len()) { Layout::Archive } else { Layout::Root };
        return Some(Placed { tree, layout, on_box });
    }
    let archive = archive?;
    let member = &path[archive.len() + crate::model::SEP.len()..];
    Some(Placed { tree: archive, layout: Layout::Archive, on_box: member.to_string() })
}

/// Whether `on_box` is where an appliance keeps its identity (`/etc/sf/ims.conf`).
pub fn is_identity_file(on_box: &str) -> bool {
    on_box == "/etc/sf/ims.conf"
}

/// Whether `on_box` is the FMC's own InternalCA (`/etc/sf/ca_root/cacert.pem`).
pub fn is_fmc_ca_file(on_box: &str) -> bool {
    on_box == "/etc/sf/ca_root/cacert.pem"
}

/// Whether `on_box` is where `generate_certs.pl` writes its list: `/var/tmp/certs/<Unix time>/FAILED_PUSH`.
pub fn is_failed_push_file(on_box: &str) -> bool {
    on_box
        .strip_prefix("/var/tmp/certs/")
        .and_then(|r| r.strip_suffix("/FAILED_PUSH"))
        .is_some_and(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed(path: &str) -> Option<(&str, Layout, String)> {
        place(path).map(|p| (p.tree, p.layout, p.on_box))
    }

    #[test]
    fn a_bundle_in_its_archive_and_extracted_is_one_tree_each() {
        use Layout::*;
        let member = "case/fmc-hq-01.tar.gz!/results-fmc-hq-01/dir-archives/var-sf-peers/a7d2/cacert.pem";
        assert_eq!(placed(member), Some(("case/fmc-hq-01.tar.gz", Bundle, "/var/sf/peers/a7d2/cacert.pem".into())));
        let ims = "case/fmc-hq-01.tar.gz!/results-fmc-hq-01/dir-archives/etc/sf/ims.conf";
        assert_eq!(placed(ims), Some(("case/fmc-hq-01.tar.gz", Bundle, "/etc/sf/ims.conf".into())));
        let out = "case/fmc-hq-01.tar.gz!/results-fmc-hq-01/command-outputs/sftunnel_status.pl.output";
        assert_eq!(placed(out).unwrap().2, "command-outputs/sftunnel_status.pl.output");
        let push = "case/x/results-fmc-hq-01/dir-archives/var-tmp/certs/1773480000/FAILED_PUSH";
        assert_eq!(
            placed(push),
            Some(("case/x/results-fmc-hq-01", Bundle, "/var/tmp/certs/1773480000/FAILED_PUSH".into()))
        );
        assert!(is_failed_push_file(&placed(push).unwrap().2));
        // Bundles inside a case archive, with `dir-archives` at their root: each its own tree.
        let nested = "case.tar.gz!/results-ftd.tar.gz!/dir-archives/var-log/messages";
        assert_eq!(placed(nested), Some(("case.tar.gz!/results-ftd.tar.gz", Bundle, "/var/log/messages".into())));
        // A member without layout: the archive is its tree.
        assert_eq!(placed("a.tgz!/notes.txt"), Some(("a.tgz", Archive, "notes.txt".into())));
        assert_eq!(placed("b.tgz!/results-x/etc/sf/ims.conf"), Some(("b.tgz", Archive, "/etc/sf/ims.conf".into())));
    }

    #[test]
    fn an_appliance_root_and_loose_files() {
        use Layout::*;
        assert_eq!(placed("/etc/sf/ims.conf"), Some(("/", Root, "/etc/sf/ims.conf".into())));
        assert_eq!(
            placed("copy/ngfw/var/sf/peers/u/cacert.pem"),
            Some(("copy", Root, "/var/sf/peers/u/cacert.pem".into()))
        );
        let notes = "case/notes/var/tmp/certs/1800000000/FAILED_PUSH";
        assert_eq!(placed(notes).map(|p| (p.0, p.1)), Some(("case/notes", Root)));
        assert_eq!(placed("case/cacert.pem"), None);
        assert_eq!(placed("case/FAILED_PUSH"), None);
        // A part that only ends like a layout folder is not one.
        assert_eq!(placed("case/myetc/sf/x"), None);
        assert!(!is_failed_push_file("/var/tmp/certs/FAILED_PUSH"));
        assert!(!is_failed_push_file("/var/tmp/certs/12a/FAILED_PUSH"));
    }
}
