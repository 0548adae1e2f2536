//! The folder a pair of sftunnel files sits in, which `ca-mismatch` and `key-mismatch` both
//! carry: the folder, the peer it belongs to (a `/var/sf/peers/<UUID>/` folder, named by that
//! peer's `sftunnel.json`) and the device whose bundle holds it (its `ims.conf`).

use super::data::Identifiers;
use super::finding::Finding;
use crate::diagnose::text::Values;
use crate::model::{CertSummary, DeviceRole, Endpoint, Uuid};

/// The signature check: the cache's memoised `signed_by` in production, a double in tests.
pub type SignedBy<'a> = &'a dyn Fn(&CertSummary, &CertSummary) -> bool;

/// `(folder, file name)` of a path.
pub fn split(path: &str) -> (&str, &str) {
    path.rsplit_once('/').unwrap_or(("", path))
}

/// Where a pair of files sits, and whose they are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Folder {
    /// `dir`: the folder.
    pub dir: String,
    /// `peer_uuid`: the peer whose folder it is (`/var/sf/peers/<UUID>/`).
    pub peer_uuid: Option<Uuid>,
    /// `peer_name`, `peer_ip`: that peer as its `sftunnel.json` names it (as written).
    pub peer_name: Option<String>,
    pub peer_ip: Option<String>,
    /// `device_uuid`, `device_role`: the device whose bundle holds the folder.
    pub device_uuid: Option<Uuid>,
    pub device_role: Option<DeviceRole>,
    /// That device's name (else its UUID): the finding's device.
    pub device: Option<String>,
}

impl Folder {
    /// The peer the files belong to: its name, else the UUID of its folder.
    pub fn peer(&self) -> Option<Endpoint> {
        self.peer_name.as_deref().map(Endpoint::named).or_else(|| self.peer_uuid.map(|u| Endpoint::named(u.as_str())))
    }

    /// Tell the finding about its peer and device.
    pub fn place(&self, f: &mut Finding) {
        f.peer = self.peer();
        f.device.clone_from(&self.device);
    }

    pub fn values(&self, out: &mut Values) {
        out.set("dir", &self.dir);
        out.set_some("peer_uuid", self.peer_uuid);
        out.set_some("peer_name", self.peer_name.as_ref());
        out.set_some("peer_ip", self.peer_ip.as_ref());
        out.set_some("device_uuid", self.device_uuid);
        out.set_some("device_role", self.device_role.map(role_name));
    }

    super::data::gaps!(pub peer_uuid, peer_name, peer_ip, device_uuid, device_role, device);

    pub fn identifiers<'a>(&'a self, out: &mut Identifiers<'a>) {
        out.addresses.extend(self.peer_ip.as_deref());
        out.uuids.extend(self.device_uuid);
    }
}

fn role_name(role: DeviceRole) -> &'static str {
    match role {
        DeviceRole::Fmc => "fmc",
        DeviceRole::Ftd => "ftd",
        DeviceRole::Unknown => "unknown",
    }
}
