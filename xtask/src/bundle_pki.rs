//! The certificates inside the sample troubleshoot bundles: an sftunnel InternalCA that expired
//! on 2026-03-10, the new one `generate_certs.pl` made on 2026-03-14, and the FMC and FTD device
//! certificates under each. Ed25519 keys from fixed seeds; nothing depends on the clock.

use anyhow::Result;
use rcgen::DnType;

use crate::pki::{device_dn, issue, title, Issued, Spec, Window};

/// The FMC's UUID, which is also the common name of both InternalCAs.
pub const FMC_UUID: &str = "3b9c1e52-8a41-11e4-9c2f-5254001a7c33";
pub const FMC_NAME: &str = "fmc-hq-01";
pub const FMC_IP: &str = "192.168.45.10";

pub const FTD_UUID: &str = "a7d20c4e-8b3f-11ee-9c41-6f2e81d05b19";
pub const FTD_NAME: &str = "ftd-branch-07";
pub const FTD_IP: &str = "192.168.45.21";

pub const FTD2_UUID: &str = "5e19b3f7-8c20-11ee-b2d6-0c4a7f93e1d8";
pub const FTD2_NAME: &str = "ftd-dc-02";
pub const FTD2_IP: &str = "192.168.45.22";

const OLD_CA: Window = ((2016, 3, 10), (2026, 3, 10));
const NEW_CA: Window = ((2026, 3, 14), (2036, 3, 12));
const OLD_DEVICE: Window = ((2023, 11, 20), (2033, 11, 17));
const NEW_DEVICE: Window = ((2026, 3, 14), (2036, 3, 11));

/// Subject `/title=InternalCA/OU=Intrusion Management System/CN=<FMC UUID>/O=Sourcefire, Inc.`,
/// attributes in that order, as the FTD log prints it.
fn ca_dn() -> Vec<(DnType, &'static str)> {
    vec![
        (title(), "InternalCA"),
        (DnType::OrganizationalUnitName, "Intrusion Management System"),
        (DnType::CommonName, FMC_UUID),
        (DnType::OrganizationName, "Sourcefire, Inc."),
    ]
}

fn device(label: &str, uuid: &str, serial: u64, window: Window, ca: &Issued) -> Result<Issued> {
    let dn = device_dn(uuid);
    issue(label, &Spec { dn: &dn, serial, window, ca: false, dns: &[], ips: &[] }, Some(ca))
}

/// Everything the two bundles hold.
pub struct Cast {
    /// The InternalCA the FTD still trusts; expired 2026-03-10.
    pub old_ca: Issued,
    /// The FTD's device certificate under the old CA.
    pub ftd_old: Issued,
    /// The InternalCA made by `generate_certs.pl` on 2026-03-14: same subject, new key and serial.
    pub new_ca: Issued,
    /// The FMC's device certificate under the new CA.
    pub fmc_new: Issued,
    /// The FTD's new device certificate, waiting in `certs_pushed/` on the FMC.
    pub ftd_new: Issued,
}

impl Cast {
    pub fn new() -> Result<Self> {
        let dn = ca_dn();
        let old_ca = issue(
            "bundle-internal-ca-2016",
            &Spec { dn: &dn, serial: 0x5a01, window: OLD_CA, ca: true, dns: &[], ips: &[] },
            None,
        )?;
        let new_ca = issue(
            "bundle-internal-ca-2026",
            &Spec { dn: &dn, serial: 0x6c02, window: NEW_CA, ca: true, dns: &[], ips: &[] },
            None,
        )?;
        let ftd_old = device("bundle-ftd-branch-07-2023", FTD_UUID, 0x5a17, OLD_DEVICE, &old_ca)?;
        let fmc_new = device("bundle-fmc-hq-01-2026", FMC_UUID, 0x6c10, NEW_DEVICE, &new_ca)?;
        let ftd_new = device("bundle-ftd-branch-07-2026", FTD_UUID, 0x6c11, NEW_DEVICE, &new_ca)?;
        Ok(Self { old_ca, ftd_old, new_ca, fmc_new, ftd_new })
    }
}
