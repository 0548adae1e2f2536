//! Finding sftunnel's files under a root, read-only: which appliance the tree is (and why),
//! then, place by place of its layout, the files that are there and what is not. Nothing is
//! written, nothing is run; a symbolic link is followed only while it stays inside the root (a
//! copied tree cannot send the check to the machine's own `/etc`).

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::layout::{places, Place, Role, Shape};
use super::root::{Refused, Root};

/// At most this many peer folders are read (the rest are counted).
const MAX_PEER_FOLDERS: usize = 10_000;
/// At most this many files of one peer folder.
const MAX_FILES_PER_FOLDER: usize = 64;
/// At most this many rotations of the log.
const MAX_ROTATIONS: usize = 64;

/// A file found: where it is on this machine and which path of the device it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Found {
    #[serde(skip)]
    pub real: PathBuf,
    /// The path on the device (`/ngfw/var/log/messages`).
    pub path: String,
}

/// What one place of the layout gave.
#[derive(Clone, Debug, Serialize)]
pub struct Looked {
    pub what: &'static str,
    /// The device paths tried, in order (an FTD's `/ngfw` one first).
    pub tried: Vec<String>,
    pub files: Vec<Found>,
    /// What was not taken, and why (absent, not readable, not a regular file, outside the root).
    pub problems: Vec<String>,
    /// What it means when nothing is there.
    #[serde(skip)]
    pub when_absent: &'static str,
    #[serde(skip)]
    pub shape: Shape,
}

/// Which appliance a tree is, why, and what each place holds.
#[derive(Clone, Debug, Serialize)]
pub struct Discovery {
    #[serde(skip)]
    pub root: PathBuf,
    pub role: Role,
    /// What told the role (or why it could not be told), in words.
    pub why: Vec<String>,
    pub looked: Vec<Looked>,
}

impl Looked {
    /// Why a place gave nothing: `what: not there: /paths` or its problems.
    pub fn absence(&self) -> String {
        let why = if self.problems.is_empty() {
            format!("not there: {}", self.tried.join(", "))
        } else {
            self.problems.join("; ")
        };
        format!("{}: {why}", self.what)
    }
}

impl Discovery {
    /// Every file found, in the order of the layout.
    pub fn files(&self) -> impl Iterator<Item = (&Looked, &Found)> {
        self.looked.iter().flat_map(|l| l.files.iter().map(move |f| (l, f)))
    }
}

/// Look at the tree under `root` (`/` on the appliance itself).
pub fn discover(root: &Path) -> Discovery {
    let tree = Root::new(root);
    let (role, mut why) = super::role::role_of(&tree);
    match std::fs::metadata(root) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => why.insert(0, format!("{} is not a folder", root.display())),
        Err(e) => why.insert(0, format!("{}: {e}", root.display())),
    }
    let looked = places(role).into_iter().map(|(place, tried)| look(&tree, place, tried)).collect();
    Discovery { root: root.to_path_buf(), role, why, looked }
}

/// The system's own messages log under `root` (what `watch` follows by default): the first of
/// the places the appliance keeps it that holds a file inside the root, else the first place
/// (it may appear later). An FTD's is `/ngfw/var/log/messages`.
pub fn messages_log(root: &Path) -> PathBuf {
    let tree = Root::new(root);
    let (role, _) = super::role::role_of(&tree);
    let tried: Vec<String> =
        places(role).into_iter().filter(|(p, _)| p.shape == Shape::Rotated).flat_map(|(_, tried)| tried).collect();
    let at = |device: &String| tree.at(device);
    tried
        .iter()
        .map(at)
        .find(|p| tree.inside(p).is_ok_and(|p| p.is_file()))
        .or_else(|| tried.first().map(at))
        .unwrap_or_else(|| tree.at("/var/log/messages"))
}

/// The files of one place: the first device path that holds anything wins.
fn look(tree: &Root, place: Place, tried: Vec<String>) -> Looked {
    let mut looked = Looked {
        what: place.what,
        tried: tried.clone(),
        files: Vec::new(),
        problems: Vec::new(),
        when_absent: place.when_absent,
        shape: place.shape,
    };
    let mut absent = Vec::new();
    for device in &tried {
        let mut problems = Vec::new();
        let files = files_of(tree, place.shape, device, &mut problems);
        if files.is_empty() && problems.is_empty() {
            absent.push(device.clone());
            continue;
        }
        looked.files = files;
        looked.problems = problems;
        return looked;
    }
    if !absent.is_empty() {
        looked.problems.push(format!("not there: {}", absent.join(", ")));
    }
    looked
}

fn files_of(tree: &Root, shape: Shape, device: &str, problems: &mut Vec<String>) -> Vec<Found> {
    let mut out = Vec::new();
    match shape {
        Shape::File => take(tree, device, &mut out, problems, false),
        Shape::Named(names) => {
            if tree.is_dir(device) {
                for n in names {
                    take(tree, &format!("{device}{n}"), &mut out, problems, true);
                }
            }
        }
        Shape::PeerFolders => peer_folders(tree, device, &mut out, problems),
        Shape::Rotated => rotated(tree, device, &mut out, problems),
        Shape::NewestFailedPush => newest_failed_push(tree, device, &mut out, problems),
    }
    out
}

/// Take one device file when it is a readable regular file inside the root; say why not.
fn take(tree: &Root, device: &str, out: &mut Vec<Found>, problems: &mut Vec<String>, say_absent: bool) {
    let real = match tree.inside(&tree.at(device)) {
        Ok(r) => r,
        Err(Refused::Absent) => {
            if say_absent {
                problems.push(format!("{device}: not there"));
            }
            return;
        }
        Err(Refused::Outside) => return problems.push(format!("{device}: a link out of the root, not followed")),
        Err(Refused::Other(why)) => return problems.push(format!("{device}: {why}")),
    };
    match crate::input::open_regular(&real) {
        Ok(_) => out.push(Found { real, path: device.to_string() }),
        Err(crate::input::OpenError::NotRegular(what)) => problems.push(format!("{device}: {what}, not read")),
        Err(crate::input::OpenError::Io(e)) => problems.push(format!("{device}: cannot be read: {e}")),
    }
}

/// Every file of each peer folder and of its `certs_pushed/`.
fn peer_folders(tree: &Root, device: &str, out: &mut Vec<Found>, problems: &mut Vec<String>) {
    let folders = match tree.entries(device) {
        Ok(e) => e,
        Err(Refused::Absent) => return,
        Err(Refused::Outside) => return problems.push(format!("{device}: a link out of the root, not followed")),
        Err(Refused::Other(why)) => return problems.push(format!("{device}: {why}")),
    };
    let folders: Vec<String> = folders.into_iter().filter(|(_, p)| p.is_dir()).map(|(n, _)| n).collect();
    if folders.is_empty() {
        problems.push(format!("{device}: no peer folder in it"));
    }
    if folders.len() > MAX_PEER_FOLDERS {
        problems.push(format!("{device}: {} more peer folders not read", folders.len() - MAX_PEER_FOLDERS));
    }
    for name in folders.iter().take(MAX_PEER_FOLDERS) {
        for sub in [format!("{device}{name}/"), format!("{device}{name}/certs_pushed/")] {
            let Ok(entries) = tree.entries(&sub) else { continue };
            let files: Vec<String> = entries.into_iter().filter(|(_, p)| !p.is_dir()).map(|(n, _)| n).collect();
            if files.len() > MAX_FILES_PER_FOLDER {
                problems.push(format!("{sub}: {} more files not read", files.len() - MAX_FILES_PER_FOLDER));
            }
            for f in files.iter().take(MAX_FILES_PER_FOLDER) {
                take(tree, &format!("{sub}{f}"), out, problems, false);
            }
        }
    }
}

/// The log and its rotations, oldest first (by modification time, then name).
fn rotated(tree: &Root, device: &str, out: &mut Vec<Found>, problems: &mut Vec<String>) {
    let (dir, base) = device.rsplit_once('/').map_or(("", device), |(d, b)| (d, b));
    let Ok(entries) = tree.entries(&format!("{dir}/")) else { return };
    let rotation = |n: &str| n == base || n.strip_prefix(base).is_some_and(|rest| rest.starts_with(['.', '-']));
    let mut logs: Vec<(Option<std::time::SystemTime>, String)> = entries
        .into_iter()
        .filter(|(n, _)| rotation(n))
        .map(|(n, p)| (std::fs::metadata(p).and_then(|m| m.modified()).ok(), n))
        .collect();
    logs.sort();
    if logs.len() > MAX_ROTATIONS {
        let skipped = logs.len() - MAX_ROTATIONS;
        problems.push(format!("{device}: the {skipped} oldest rotations not read"));
        logs.drain(..skipped);
    }
    for (_, name) in logs {
        take(tree, &format!("{dir}/{name}"), out, problems, false);
    }
}

/// The `FAILED_PUSH` of the newest run of `generate_certs.pl` that wrote one (folders are named
/// by the time of the run; the newest by number, else by modification time).
fn newest_failed_push(tree: &Root, device: &str, out: &mut Vec<Found>, problems: &mut Vec<String>) {
    let Ok(entries) = tree.entries(device) else { return };
    let mut runs: Vec<(Option<u64>, Option<std::time::SystemTime>, String)> = entries
        .into_iter()
        .filter(|(_, p)| p.is_dir())
        .map(|(n, p)| (n.parse().ok(), std::fs::metadata(p).and_then(|m| m.modified()).ok(), n))
        .collect();
    runs.sort();
    let with_list = |n: &str| tree.inside(&tree.at(&format!("{device}{n}/FAILED_PUSH"))).is_ok();
    let Some(at) = runs.iter().rposition(|(_, _, n)| with_list(n)) else { return };
    let newer: Vec<&str> = runs[at + 1..].iter().map(|(_, _, n)| n.as_str()).collect();
    if !newer.is_empty() {
        problems.push(format!(
            "{device}: a later run ({}) wrote no FAILED_PUSH; if it pushed to every device, the list read here is \
outdated",
            newer.join(", ")
        ));
    }
    take(tree, &format!("{device}{}/FAILED_PUSH", runs[at].2), out, problems, false);
}

#[cfg(test)]
#[path = "discover_tests.rs"]
mod tests;
