//! The folder a pair of sftunnel files sits in, which `ca-mismatch` and `key-mismatch` both
//! carry: the folder, the peer it belongs to (a `/var/sf/peers/<UUID>/` folder, named by that
//! peer's `sftunnel.json`) and the device whose bundle holds it (its `ims.conf`).

use super::data::{Gap, Identifiers};
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

    /// Forget the peer's address (the finding now counts the attempts to many peers).
    pub fn forget_peer(&mut self) {
        self.peer_ip = None;
    }

    pub fn identifiers<'a>(&'a self, out: &mut Identifiers<'a>) {
        out.addresses.extend(self.peer_ip.as_deref());
        out.uuids.extend(self.device_uuid);
    }
}

/// The folder is the finding's own; only the values it lacks are taken.
impl Gap for Folder {
    fn fill_gap(&mut self, o: Self) {
        self.peer_uuid.fill_gap(o.peer_uuid);
        self.peer_name.fill_gap(o.peer_name);
        self.peer_ip.fill_gap(o.peer_ip);
        self.device_uuid.fill_gap(o.device_uuid);
        self.device_role.fill_gap(o.device_role);
        self.device.fill_gap(o.device);
    }
    fn covers(&self, o: &Self) -> bool {
        self.peer_uuid.covers(&o.peer_uuid)
            && self.peer_name.covers(&o.peer_name)
            && self.peer_ip.covers(&o.peer_ip)
            && self.device_uuid.covers(&o.device_uuid)
            && self.device_role.covers(&o.device_role)
            && self.device.covers(&o.device)
    }
}

fn role_name(role: DeviceRole) -> &'static str {
    match role {
        DeviceRole::Fmc => "fmc",
        DeviceRole::Ftd => "ftd",
        DeviceRole::Unknown => "unknown",
    }
}
