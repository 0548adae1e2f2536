//! The role of a certificate file: whether it is the copy a box uses or a backup, a record of
//! what was pushed, a trust store, and what the public record says the file is for. The values
//! only; `firepower::roles` tells them from a file's path and contents.

use serde::Serialize;

/// Where a certificate file stands among the copies on a box.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Place {
    /// The file the box uses (or a certificate seen on the wire, in a log or a paste).
    #[default]
    Live,
    /// A copy kept beside the live file: `*.backup`, `*.bak`, `*.orig`, `*~`, `cacert.pem.old`,
    /// `cacert.pem.2024`. What was replaced, not what is in use.
    Backup,
    /// A file of an FMC's `/var/sf/peers/<UUID>/certs_pushed/` history: what was pushed to a
    /// device, kept on the FMC.
    Pushed,
    /// One of several unrelated root certificates in one file or folder (a CA bundle).
    TrustStore,
}

impl Place {
    /// How the views name it; `None` for the live file, which needs no word.
    pub fn label(self) -> Option<&'static str> {
        match self {
            Place::Live => None,
            Place::Backup => Some("backup"),
            Place::Pushed => Some("pushed"),
            Place::TrustStore => Some("trust store"),
        }
    }
}

/// What the public record says a certificate file is for.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Purpose {
    /// `cacert.pem` of sftunnel: the FMC's InternalCA or a peer folder's copy of it.
    SftunnelCa,
    /// `sftunnel-cert.pem`: a box's sftunnel certificate.
    SftunnelCert,
    /// The client certificate an FMC presents to the Talos cloud services
    /// (`/var/sf/beaker3/…pem`, issued by `Keymaster CA 2`; field notice FN74272).
    TalosClient,
}

impl Purpose {
    pub fn label(self) -> &'static str {
        match self {
            Purpose::SftunnelCa => "sftunnel CA",
            Purpose::SftunnelCert => "sftunnel cert",
            Purpose::TalosClient => "Talos client",
        }
    }
}

/// The role of a certificate (or of the file holding it).
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CertRole {
    pub place: Place,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<Purpose>,
}

impl CertRole {
    /// Whether it is judged on its own: the live file, and a record of a push (what a device was
    /// sent, which the systems read too); a backup or a trust store never is.
    pub fn judged(&self) -> bool {
        matches!(self.place, Place::Live | Place::Pushed)
    }
    /// The role in words (`backup, sftunnel CA`), `None` for a live file of no named purpose.
    pub fn label(&self) -> Option<String> {
        match (self.place.label(), self.purpose.map(Purpose::label)) {
            (None, None) => None,
            (Some(p), None) => Some(p.into()),
            (None, Some(u)) => Some(u.into()),
            (Some(p), Some(u)) => Some(format!("{p}, {u}")),
        }
    }
}
