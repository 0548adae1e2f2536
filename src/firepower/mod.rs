//! Firepower domain knowledge shared by readers, the classifier, the systems model and the plan:
//! the sftunnel port, peer folders and their UUIDs, which channel a file's path belongs to, which
//! product a device is, the shapes of the values `generate_certs.pl` works with, the hotfixes
//! that fix it per release, where an appliance keeps a file (`tree`) and which role a
//! certificate file plays (`roles`).

pub mod hotfix;
pub mod peers;
pub mod roles;
pub mod shape;
pub mod tree;

use crate::model::{Context, DeviceRole};

/// sftunnel between an FMC and its devices (and between the FMCs of an HA pair): TCP 8305.
pub const SFTUNNEL_PORT: u16 = 8305;

/// Whether a subject is a Firepower InternalCA (`title=InternalCA`, in any case).
pub fn is_internal_ca(subject: &str) -> bool {
    const TITLE: &[u8] = b"title=internalca";
    let b = subject.as_bytes();
    memchr::memchr2_iter(b't', b'T', b)
        .any(|at| b.get(at..at + TITLE.len()).is_some_and(|w| w.eq_ignore_ascii_case(TITLE)))
}

/// The channel a file found on disk belongs to, by where it sits: the sftunnel certificates,
/// keys, peer folders (`/var/sf/peers/`, flattened `var-sf-peers` in bundles) and the FMC's CA
/// (`ca_root`) are sftunnel's; anything else is generic.
pub fn context_of_path(path: &str) -> Context {
    if path.contains("sftunnel") || path.contains("peers") || path.contains("ca_root") {
        Context::Sftunnel
    } else {
        Context::Generic
    }
}

/// Which product a device is, FMC or FTD, from its `ims.conf` (or a peer's `sftunnel.json`): `MODEL_TYPE` (`CONSOLE` / `SENSOR`) is the surest sign, then `MODEL_CLASS`, then
/// words in the model name.
pub fn role_of(model_type: Option<&str>, model_class: Option<&str>, model: Option<&str>) -> DeviceRole {
    match model_type.map(str::to_ascii_uppercase).as_deref() {
        Some("CONSOLE") => return DeviceRole::Fmc,
        Some("SENSOR") | Some("DEVICE") => return DeviceRole::Ftd,
        _ => {}
    }
    let words = format!("{} {}", model_class.unwrap_or(""), model.unwrap_or("")).to_ascii_lowercase();
    let fmc = ["defense center", "management center", "fmc", "firesight"];
    let ftd = ["threat defense", "ftd", "sensor", "firepower", "secure firewall"];
    if fmc.iter().any(|w| words.contains(w)) {
        DeviceRole::Fmc
    } else if ftd.iter().any(|w| words.contains(w)) {
        DeviceRole::Ftd
    } else {
        DeviceRole::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_by_configuration_words() {
        assert_eq!(role_of(Some("console"), None, None), DeviceRole::Fmc);
        assert_eq!(role_of(Some("SENSOR"), Some("Cisco Secure Firewall Management Center"), None), DeviceRole::Ftd);
        assert_eq!(role_of(None, Some("Cisco Secure Firewall Management Center"), None), DeviceRole::Fmc);
        assert_eq!(role_of(None, None, Some("Cisco Firepower Threat Defense for VMware")), DeviceRole::Ftd);
        assert_eq!(role_of(None, None, Some("ASA 5506")), DeviceRole::Unknown);
    }

    #[test]
    fn context_by_path() {
        assert_eq!(context_of_path("b.tgz!/etc/sf/keys/sftunnel-cert.pem"), Context::Sftunnel);
        assert_eq!(context_of_path("b.tgz!/var/sf/peers/x/cacert.pem"), Context::Sftunnel);
        assert_eq!(context_of_path("b.tgz!/results/dir-archives/var-sf-peers/x/cacert.pem"), Context::Sftunnel);
        assert_eq!(context_of_path("b.tgz!/etc/sf/ca_root/cacert.pem"), Context::Sftunnel);
        assert_eq!(context_of_path("certs/web.pem"), Context::Generic);
    }
}
