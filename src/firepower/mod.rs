//! Firepower domain knowledge shared by readers, the classifier, the systems model and the plan:
//! the sftunnel port, peer folders and their UUIDs, which channel a file's path belongs to, the
//! shapes of the values `generate_certs.pl` works with, and the hotfixes that fix it per release.

pub mod hotfix;
pub mod peers;
pub mod shape;

use crate::model::Context;

/// sftunnel between an FMC and its devices (and between the FMCs of an HA pair): TCP 8305.
pub const SFTUNNEL_PORT: u16 = 8305;

/// Whether an `ip:port` (or `[v6]:port`) endpoint is on the sftunnel port.
pub fn is_sftunnel_endpoint(endpoint: &str) -> bool {
    endpoint.rsplit_once(':').is_some_and(|(_, port)| port.parse() == Ok(SFTUNNEL_PORT))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sftunnel_endpoints() {
        assert!(is_sftunnel_endpoint("10.0.0.1:8305"));
        assert!(is_sftunnel_endpoint("[2001:db8::1]:8305"));
        assert!(!is_sftunnel_endpoint("10.0.0.1:443"));
        assert!(!is_sftunnel_endpoint("10.0.0.1:18305"));
        assert!(!is_sftunnel_endpoint("10.0.0.1"));
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
