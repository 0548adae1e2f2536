//! Where an FMC and an FTD keep what sftunnel uses, as paths of the device: the places
//! `tlstriage check` looks at, in the order a troubleshoot bundle holds them. An FTD keeps the
//! same files under `/ngfw` (its log is `/ngfw/var/log/messages`, its tools
//! `/ngfw/usr/local/sf/bin/`); the plain path is looked at when the `/ngfw` one is absent.

use serde::Serialize;

/// Which kind of appliance a tree is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// A management center: it holds the InternalCA and one peer folder per managed device.
    Fmc,
    /// A managed device: one peer folder for its FMC (two for an FMC HA pair).
    Ftd,
    /// Neither could be told: every place of both is looked at.
    Unknown,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Fmc => "FMC",
            Role::Ftd => "FTD",
            Role::Unknown => "unknown",
        }
    }
}

/// How the files of a place are found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// One file.
    File,
    /// These files in the folder.
    Named(&'static [&'static str]),
    /// Every file of each folder in it, and of their `certs_pushed/` (the peer folders).
    PeerFolders,
    /// The log and its rotations (`messages`, `messages.1`, `messages.2.gz`, ...), oldest first.
    Rotated,
    /// The `FAILED_PUSH` of the newest folder in it (`generate_certs.pl` names them by time).
    NewestFailedPush,
}

/// One place sftunnel keeps something.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place {
    /// What is kept there, in words.
    pub what: &'static str,
    /// The path on the device (a folder ends with `/`).
    pub path: &'static str,
    pub shape: Shape,
    /// What it means when nothing is there.
    pub when_absent: &'static str,
}

/// The prefix under which an FTD keeps its files.
pub const FTD_PREFIX: &str = "/ngfw";

const IMS: Place = Place {
    what: "identity, product and version",
    path: "/etc/sf/ims.conf",
    shape: Shape::File,
    when_absent: "the product, name and version are not known (the hotfix cannot be picked)",
};
const TUNNEL_CONF: Place = Place {
    what: "sftunnel configuration",
    path: "/etc/sf/sftunnel.conf",
    shape: Shape::File,
    when_absent: "the certificate files sftunnel is configured with are not known",
};
const CA_ROOT: Place = Place {
    what: "the InternalCA",
    path: "/etc/sf/ca_root/cacert.pem",
    shape: Shape::File,
    when_absent: "the InternalCA's dates cannot be read here",
};
const OWN_KEYS: Place = Place {
    what: "its own sftunnel certificate and key",
    path: "/etc/sf/keys/",
    shape: Shape::Named(&["sftunnel-cert.pem", "sftunnel-key.pem"]),
    when_absent: "its own certificate cannot be checked against the InternalCA",
};
const PEERS_FMC: Place = Place {
    what: "one folder per managed device",
    path: "/var/sf/peers/",
    shape: Shape::PeerFolders,
    when_absent: "no managed device is known from its folder",
};
const PEERS_FTD: Place = Place {
    what: "its FMC's folder (InternalCA, its certificate and key)",
    path: "/var/sf/peers/",
    shape: Shape::PeerFolders,
    when_absent: "the InternalCA this device trusts cannot be read",
};
const MESSAGES: Place = Place {
    what: "sftunneld's log",
    path: "/var/log/messages",
    shape: Shape::Rotated,
    when_absent: "no tunnel can be seen connecting or failing",
};
const FAILED_PUSH: Place = Place {
    what: "the newest FAILED_PUSH of generate_certs.pl",
    path: "/var/tmp/certs/",
    shape: Shape::NewestFailedPush,
    when_absent: "none: generate_certs.pl writes one only when it could not push to a device",
};

/// The places of an FMC, in the order a troubleshoot bundle holds them.
pub const FMC: &[Place] = &[IMS, TUNNEL_CONF, CA_ROOT, OWN_KEYS, MESSAGES, FAILED_PUSH, PEERS_FMC];

/// The places of an FTD (each under [`FTD_PREFIX`] first).
pub const FTD: &[Place] = &[IMS, TUNNEL_CONF, MESSAGES, PEERS_FTD];

/// The identity file, read first to tell which appliance a tree is.
pub const IMS_CONF: &str = IMS.path;

/// The places to look at for `role`, each with the device paths to try in order.
pub fn places(role: Role) -> Vec<(Place, Vec<String>)> {
    let ftd = |p: &Place| vec![format!("{FTD_PREFIX}{}", p.path), p.path.to_string()];
    match role {
        Role::Fmc => FMC.iter().map(|p| (*p, vec![p.path.to_string()])).collect(),
        Role::Ftd => FTD.iter().map(|p| (*p, ftd(p))).collect(),
        // Unknown: the FMC's places, then the FTD's own under /ngfw.
        Role::Unknown => FMC
            .iter()
            .map(|p| (*p, vec![p.path.to_string()]))
            .chain(FTD.iter().map(|p| (*p, vec![format!("{FTD_PREFIX}{}", p.path)])))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ftd_is_looked_at_under_ngfw_first() {
        let ftd = places(Role::Ftd);
        assert_eq!(ftd.len(), 4);
        assert_eq!(ftd[2].1, ["/ngfw/var/log/messages", "/var/log/messages"]);
        assert_eq!(ftd[3].1, ["/ngfw/var/sf/peers/", "/var/sf/peers/"]);
        let fmc = places(Role::Fmc);
        assert_eq!(fmc.iter().map(|(p, _)| p.path).collect::<Vec<_>>()[2], "/etc/sf/ca_root/cacert.pem");
        assert!(fmc.iter().all(|(_, at)| at.len() == 1 && !at[0].starts_with("/ngfw")));
        assert_eq!(places(Role::Unknown).len(), FMC.len() + FTD.len());
    }
}
