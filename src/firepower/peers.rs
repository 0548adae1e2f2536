//! Peer folders: every device keeps what it knows of each peer (its FMC, its managed devices) in
//! `/var/sf/peers/<UUID>/`, and troubleshoot bundles flatten that path to `var-sf-peers`.

/// Where every device keeps the files of its peers.
pub const PEERS: &str = "/var/sf/peers/";

/// The files `generate_certs.pl` pushes into a peer folder of a device.
pub const PUSHED_FILES: [&str; 3] = ["cacert.pem", "sftunnel-cert.pem", "sftunnel-key.pem"];

use crate::model::Uuid;

/// Whether `s` has the 8-4-4-4-12 hex form of a UUID.
pub fn is_uuid(s: &str) -> bool {
    Uuid::parse(s).is_some()
}

/// The `<UUID>` of `.../peers/<UUID>/...` in a path.
pub fn uuid_from_path(path: &str) -> Option<Uuid> {
    let mut parts = path.split('/');
    while let Some(p) = parts.next() {
        if p == "peers" {
            return parts.next().and_then(Uuid::parse);
        }
    }
    None
}

/// The peer folder UUID of a path as a bundle stores it: `.../var/sf/peers/<UUID>/...`, or the
/// flattened `.../var-sf-peers/<UUID>/...` of the troubleshoot archives.
pub fn peer_folder_uuid(path: &str) -> Option<Uuid> {
    uuid_from_path(&path.replace("var-sf-peers", "var/sf/peers"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const UUID: &str = "cdb123c8-4347-11ef-aca1-f3aa241412a1";

    #[test]
    fn uuid_shape() {
        assert!(is_uuid(UUID));
        assert!(!is_uuid("cdb123c8-4347-11ef-aca1-f3aa241412a"));
        assert!(!is_uuid("cdb123c8-4"));
        assert!(!is_uuid("zdb123c8-4347-11ef-aca1-f3aa241412a1"));
    }

    #[test]
    fn uuid_of_a_peer_folder() {
        assert_eq!(
            uuid_from_path(&format!("b.tgz!/var/sf/peers/{UUID}/sftunnel.json")).as_ref().map(Uuid::as_str),
            Some(UUID)
        );
        assert_eq!(uuid_from_path("b.tgz!/var/sf/peers/not-a-uuid/sftunnel.json"), None);
        assert_eq!(uuid_from_path(&format!("b.tgz!/var/sf/{UUID}/x")), None);
        let flat = format!("b.tar.gz!/results/dir-archives/var-sf-peers/{UUID}/cacert.pem");
        assert_eq!(uuid_from_path(&flat), None);
        assert_eq!(peer_folder_uuid(&flat).as_ref().map(Uuid::as_str), Some(UUID));
    }
}
