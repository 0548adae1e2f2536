//! Which hotfix brings `generate_certs.pl` (and the certificate copy scripts) to a given FMC
//! software version, so the internal CA can be regenerated without a reboot.

/// The hotfix for FMC version `v` (`7.2.5`, `7.2.5-208`, `7.4.1.1`); `None` for versions that
/// have none (7.1.x reached its end of maintenance) or that are not known here.
pub fn hotfix_for_version(v: &str) -> Option<&'static str> {
    let v = v.trim().trim_start_matches(['v', 'V']);
    let mut parts = v.split(['.', '-', ' ']).map(|p| p.parse::<u32>().ok());
    let (major, minor, patch) = (parts.next()??, parts.next()??, parts.next().flatten());
    match (major, minor, patch) {
        (7, 0, _) => Some("Hotfix FK 7.0.6.99-9"),
        (7, 2, _) => Some("Hotfix FZ 7.2.9.99-4"),
        (7, 3, _) => Some("Hotfix AE 7.3.1.99-4"),
        (7, 4, _) => Some("Hotfix AO 7.4.2.99-5"),
        (7, 6, Some(0)) => Some("Hotfix B 7.6.0.99-5"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        assert_eq!(hotfix_for_version("7.0.1"), Some("Hotfix FK 7.0.6.99-9"));
        assert_eq!(hotfix_for_version("7.0.6.3"), Some("Hotfix FK 7.0.6.99-9"));
        assert_eq!(hotfix_for_version("7.1.0"), None);
        assert_eq!(hotfix_for_version("7.2.5-208"), Some("Hotfix FZ 7.2.9.99-4"));
        assert_eq!(hotfix_for_version(" 7.3.1 "), Some("Hotfix AE 7.3.1.99-4"));
        assert_eq!(hotfix_for_version("7.4.2.1"), Some("Hotfix AO 7.4.2.99-5"));
        assert_eq!(hotfix_for_version("7.6.0"), Some("Hotfix B 7.6.0.99-5"));
        assert_eq!(hotfix_for_version("7.6.1"), None);
        assert_eq!(hotfix_for_version("7.6"), None);
        assert_eq!(hotfix_for_version("6.7.0"), None);
        assert_eq!(hotfix_for_version("7.x"), None);
        assert_eq!(hotfix_for_version(""), None);
    }
}
