//! Finding sftunnel's files under a root, read-only: which appliance the tree is (and why),
//! then, place by place of its layout, the files that are there and what is not. Nothing is
//! written, nothing is run; a symbolic link is followed only while it stays inside the root (a
//! copied tree cannot send the check to the machine's own `/etc`).

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::layout::{places, Place, Role, Shape, FTD_PREFIX, IMS_CONF};

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
    let tree = Tree::new(root);
    let (role, mut why) = role_of(&tree);
    match std::fs::metadata(root) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => why.insert(0, format!("{} is not a folder", root.display())),
        Err(e) => why.insert(0, format!("{}: {e}", root.display())),
    }
    let looked = places(role).into_iter().map(|(place, tried)| look(&tree, place, tried)).collect();
    Discovery { root: root.to_path_buf(), role, why, looked }
}

/// The root and how device paths map into it.
struct Tree {
    root: PathBuf,
    /// The root with its links resolved, to keep links inside it (`None`: the root is not there).
    canonical: Option<PathBuf>,
}

/// Why a path of the tree is not used.
enum Refused {
    Absent,
    Outside,
    Other(String),
}

impl Tree {
    fn new(root: &Path) -> Self {
        Tree { root: root.to_path_buf(), canonical: std::fs::canonicalize(root).ok() }
    }

    /// `device` (`/etc/sf/ims.conf`) under the root.
    fn at(&self, device: &str) -> PathBuf {
        self.root.join(device.trim_start_matches('/'))
    }

    /// The path under the root, when it exists and (its links resolved) stays inside the root.
    fn inside(&self, real: &Path) -> Result<PathBuf, Refused> {
        let canonical = match std::fs::canonicalize(real) {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Refused::Absent),
            Err(e) => return Err(Refused::Other(format!("cannot be read: {e}"))),
        };
        match &self.canonical {
            Some(root) if canonical.starts_with(root) => Ok(real.to_path_buf()),
            _ => Err(Refused::Outside),
        }
    }

    fn is_dir(&self, device: &str) -> bool {
        self.inside(&self.at(device)).is_ok_and(|p| p.is_dir())
    }

    /// The entries of a folder of the device, sorted by name.
    fn entries(&self, device_dir: &str) -> Result<Vec<(String, PathBuf)>, Refused> {
        let dir = self.inside(&self.at(device_dir))?;
        let read = std::fs::read_dir(&dir).map_err(|e| Refused::Other(format!("cannot be listed: {e}")))?;
        let mut out: Vec<(String, PathBuf)> =
            read.flatten().filter_map(|e| Some((e.file_name().into_string().ok()?, e.path()))).collect();
        out.sort();
        Ok(out)
    }
}

/// The first 64 KiB of a device file, when it is a regular file inside the root.
fn small_text(tree: &Tree, device: &str) -> Option<String> {
    use std::io::Read;
    let real = tree.inside(&tree.at(device)).ok()?;
    let file = crate::input::open_regular(&real).ok()?;
    let mut buf = Vec::new();
    file.take(64 << 10).read_to_end(&mut buf).ok()?;
    Some(String::from_utf8_lossy(&buf).into_owned())
}

/// Which appliance the tree is, from what its files say.
fn role_of(tree: &Tree) -> (Role, Vec<String>) {
    let mut why = Vec::new();
    let mut said = Vec::new();
    for device in [IMS_CONF.to_string(), format!("{FTD_PREFIX}{IMS_CONF}")] {
        let Some(text) = small_text(tree, &device) else { continue };
        match crate::logs::conf::parse_ims_conf(&text) {
            Some(info) => {
                let role = match info.role {
                    crate::model::DeviceRole::Fmc => Role::Fmc,
                    crate::model::DeviceRole::Ftd => Role::Ftd,
                    crate::model::DeviceRole::Unknown => Role::Unknown,
                };
                let model =
                    info.model.as_deref().map(|m| format!(" ({})", crate::util::printable(m))).unwrap_or_default();
                match role {
                    Role::Unknown => why.push(format!("{device} does not say which product this is{model}")),
                    _ => why.push(format!("{device} describes an {}{model}", role.as_str())),
                }
                if role != Role::Unknown {
                    said.push(role);
                }
            }
            None => why.push(format!("{device} holds nothing tlstriage reads")),
        }
    }
    let ngfw = tree.is_dir(FTD_PREFIX);
    if ngfw {
        why.push(format!("{FTD_PREFIX} is a folder: an FTD keeps sftunnel's files there"));
    }
    said.dedup();
    let role = match said.as_slice() {
        [one] => {
            if *one == Role::Fmc && ngfw {
                why.push(format!("taken as the FMC that ims.conf names, although {FTD_PREFIX} is there"));
            }
            *one
        }
        [_, _, ..] => {
            why.push("the ims.conf files disagree: every place of both products is looked at".into());
            Role::Unknown
        }
        [] if ngfw => Role::Ftd,
        [] if tree.inside(&tree.at("/etc/sf/ca_root/cacert.pem")).is_ok() => {
            why.push("/etc/sf/ca_root/cacert.pem is there: only an FMC holds the InternalCA (inferred)".into());
            Role::Fmc
        }
        [] => {
            why.push(format!(
                "neither {IMS_CONF}, {FTD_PREFIX} nor /etc/sf/ca_root/cacert.pem is there: every place of both \
products is looked at"
            ));
            Role::Unknown
        }
    };
    (role, why)
}

/// The files of one place: the first device path that holds anything wins.
fn look(tree: &Tree, place: Place, tried: Vec<String>) -> Looked {
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

fn files_of(tree: &Tree, shape: Shape, device: &str, problems: &mut Vec<String>) -> Vec<Found> {
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
fn take(tree: &Tree, device: &str, out: &mut Vec<Found>, problems: &mut Vec<String>, say_absent: bool) {
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
fn peer_folders(tree: &Tree, device: &str, out: &mut Vec<Found>, problems: &mut Vec<String>) {
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
fn rotated(tree: &Tree, device: &str, out: &mut Vec<Found>, problems: &mut Vec<String>) {
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
fn newest_failed_push(tree: &Tree, device: &str, out: &mut Vec<Found>, problems: &mut Vec<String>) {
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
mod tests {
    use super::*;

    fn put(root: &Path, device: &str, text: &str) {
        let p = root.join(device.trim_start_matches('/'));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn looked<'a>(d: &'a Discovery, what: &str) -> &'a Looked {
        d.looked.iter().find(|l| l.what == what).unwrap()
    }

    #[test]
    fn the_role_comes_from_ims_conf_and_ngfw_with_reasons() {
        let dir = tempfile::tempdir().unwrap();
        put(dir.path(), "/ngfw/etc/sf/ims.conf", "MODEL_TYPE=SENSOR\nMODEL=Cisco Firepower Threat Defense for KVM\n");
        let d = discover(dir.path());
        assert_eq!(d.role, Role::Ftd);
        assert_eq!(
            d.why,
            [
                "/ngfw/etc/sf/ims.conf describes an FTD (Cisco Firepower Threat Defense for KVM)",
                "/ngfw is a folder: an FTD keeps sftunnel's files there"
            ]
        );
        // An ims.conf naming an FMC wins over a /ngfw folder, and the conflict is said.
        put(dir.path(), "/etc/sf/ims.conf", "MODEL_TYPE=CONSOLE\n");
        std::fs::remove_file(dir.path().join("ngfw/etc/sf/ims.conf")).unwrap();
        let d = discover(dir.path());
        assert_eq!(d.role, Role::Fmc);
        assert!(d.why.last().unwrap().contains("although /ngfw is there"), "{:?}", d.why);
        // Without ims.conf, the InternalCA's file tells an FMC (inferred); nothing tells nothing.
        let dir = tempfile::tempdir().unwrap();
        put(dir.path(), "/etc/sf/ca_root/cacert.pem", "x");
        assert_eq!(discover(dir.path()).role, Role::Fmc);
        let empty = tempfile::tempdir().unwrap();
        let d = discover(empty.path());
        assert_eq!(d.role, Role::Unknown);
        assert!(d.files().next().is_none());
        assert_eq!(d.looked.len(), 11);
    }

    #[test]
    fn an_ftd_falls_back_to_the_plain_path_and_says_what_is_absent() {
        let dir = tempfile::tempdir().unwrap();
        put(dir.path(), "/ngfw/etc/sf/ims.conf", "MODEL_TYPE=SENSOR\n");
        put(dir.path(), "/var/log/messages", "x");
        put(dir.path(), "/var/log/messages.1", "x");
        let d = discover(dir.path());
        let log = looked(&d, "sftunneld's log");
        assert_eq!(log.files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>().len(), 2);
        assert!(log.files.iter().all(|f| f.path.starts_with("/var/log/messages")));
        let peers = looked(&d, "its FMC's folder (InternalCA, its certificate and key)");
        assert!(peers.files.is_empty());
        assert_eq!(peers.absence(), format!("{}: not there: /ngfw/var/sf/peers/, /var/sf/peers/", peers.what));
    }

    #[test]
    fn rotations_come_oldest_first_and_the_newest_failed_push_is_taken() {
        let dir = tempfile::tempdir().unwrap();
        put(dir.path(), "/etc/sf/ims.conf", "MODEL_TYPE=CONSOLE\n");
        for (name, age) in [("messages", 0), ("messages.1", 1), ("messages.2.gz", 2), ("messages-old", 3), ("other", 0)]
        {
            put(dir.path(), &format!("/var/log/{name}"), "x");
            let t = std::time::SystemTime::now() - std::time::Duration::from_secs(3600 * age);
            std::fs::File::options()
                .write(true)
                .open(dir.path().join("var/log").join(name))
                .unwrap()
                .set_modified(t)
                .unwrap();
        }
        put(dir.path(), "/var/tmp/certs/1700000000/FAILED_PUSH", "x");
        put(dir.path(), "/var/tmp/certs/1773480000/FAILED_PUSH", "x");
        std::fs::create_dir_all(dir.path().join("var/tmp/certs/1780000000")).unwrap();
        let d = discover(dir.path());
        let log: Vec<&str> = looked(&d, "sftunneld's log").files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            log,
            ["/var/log/messages-old", "/var/log/messages.2.gz", "/var/log/messages.1", "/var/log/messages"]
        );
        let push = looked(&d, "the newest FAILED_PUSH of generate_certs.pl");
        assert_eq!(push.files[0].path, "/var/tmp/certs/1773480000/FAILED_PUSH");
        assert_eq!(push.files.len(), 1);
        assert!(push.problems[0].contains("a later run (1780000000) wrote no FAILED_PUSH"), "{:?}", push.problems);
    }

    #[test]
    fn links_out_of_the_root_and_fifos_are_not_read() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        put(dir.path(), "/etc/sf/ims.conf", "MODEL_TYPE=CONSOLE\n");
        std::fs::create_dir_all(dir.path().join("etc/sf/ca_root")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), dir.path().join("etc/sf/ca_root/cacert.pem"))
            .unwrap();
        let fifo = dir.path().join("etc/sf/sftunnel.conf");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        // A link that stays inside the root is followed.
        std::fs::create_dir_all(dir.path().join("data/peers/0c5e8f21-7e3c-11e8-a4b2-5254003c9d05")).unwrap();
        std::fs::write(dir.path().join("data/peers/0c5e8f21-7e3c-11e8-a4b2-5254003c9d05/sftunnel.json"), "{}").unwrap();
        std::fs::create_dir_all(dir.path().join("var/sf")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("data/peers"), dir.path().join("var/sf/peers")).unwrap();
        let d = discover(dir.path());
        let ca = looked(&d, "the InternalCA");
        assert!(ca.files.is_empty());
        assert_eq!(ca.problems, ["/etc/sf/ca_root/cacert.pem: a link out of the root, not followed"]);
        let conf = looked(&d, "sftunnel configuration");
        assert_eq!(conf.problems, ["/etc/sf/sftunnel.conf: a FIFO (named pipe), not read"]);
        let peers = looked(&d, "one folder per managed device");
        assert_eq!(peers.files[0].path, "/var/sf/peers/0c5e8f21-7e3c-11e8-a4b2-5254003c9d05/sftunnel.json");
    }
}
