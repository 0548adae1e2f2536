//! The root a check looks under (`/` on the appliance itself, or a copy of its tree) and how
//! the device's paths map into it: a path is used only while, its links resolved, it stays
//! inside the root, so a copied tree cannot send the check to the machine's own `/etc`.

use std::path::{Path, PathBuf};

/// The root and how device paths map into it.
pub(super) struct Root {
    root: PathBuf,
    /// The root with its links resolved, to keep links inside it (`None`: the root is not there).
    canonical: Option<PathBuf>,
}

/// Why a path of the tree is not used.
pub(super) enum Refused {
    Absent,
    Outside,
    Other(String),
}

impl Root {
    pub(super) fn new(root: &Path) -> Self {
        Root { root: root.to_path_buf(), canonical: std::fs::canonicalize(root).ok() }
    }

    /// `device` (`/etc/sf/ims.conf`) under the root.
    pub(super) fn at(&self, device: &str) -> PathBuf {
        self.root.join(device.trim_start_matches('/'))
    }

    /// The path under the root, when it exists and (its links resolved) stays inside the root.
    pub(super) fn inside(&self, real: &Path) -> Result<PathBuf, Refused> {
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

    pub(super) fn is_dir(&self, device: &str) -> bool {
        self.inside(&self.at(device)).is_ok_and(|p| p.is_dir())
    }

    /// The entries of a folder of the device, sorted by name.
    pub(super) fn entries(&self, device_dir: &str) -> Result<Vec<(String, PathBuf)>, Refused> {
        let dir = self.inside(&self.at(device_dir))?;
        let read = std::fs::read_dir(&dir).map_err(|e| Refused::Other(format!("cannot be listed: {e}")))?;
        let mut out: Vec<(String, PathBuf)> =
            read.flatten().filter_map(|e| Some((e.file_name().into_string().ok()?, e.path()))).collect();
        out.sort();
        Ok(out)
    }
}
