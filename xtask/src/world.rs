//! The cast of the sample captures: addresses, the sftunnel InternalCA with FMC and FTD device
//! certificates (valid and expired variants), and a small lab PKI for the HTTPS scenarios.

use std::net::{IpAddr, Ipv4Addr};

use anyhow::Result;
use rcgen::DnType;
use rustls::pki_types::CertificateDer;

use crate::pki::{device_dn, internal_ca_dn, issue, Issued, Spec};

/// Capture time of every scenario: 2025-06-12 09:30:00 UTC.
pub const CAPTURE_TIME: u64 = 1_749_720_600;

pub const FMC: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 48, 79, 232));
pub const FTD: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 48, 79, 23));
pub const ADMIN: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 48, 79, 101));
pub const LAB_NAME: &str = "fmc.lab.example";

const CA_UUID: &str = "8f3c2a64-5b1e-11ea-9d2f-4a1c7e0b6d35";
const OLD_CA_UUID: &str = "2d7b9e10-d1a3-11e3-8c4f-0b5e3a9f7c21";
const FMC_UUID: &str = "e6a1f0b8-5b1f-11ea-a7c3-6d2e9b4f8a12";
const FTD_UUID: &str = "c41e7d92-7a30-11ec-b8e6-93f2d45a10bf";

const VALID_CA: crate::pki::Window = ((2020, 2, 20), (2030, 2, 20));
const EXPIRED_CA: crate::pki::Window = ((2014, 5, 6), (2024, 5, 6));
const DEVICE: crate::pki::Window = ((2022, 1, 10), (2032, 1, 10));
const EXPIRED_DEVICE: crate::pki::Window = ((2020, 3, 2), (2025, 3, 2));

/// An sftunnel trust domain: CA plus FMC (server) and FTD (client) certificates.
pub struct Sftunnel {
    pub ca: Issued,
    pub fmc: Issued,
    pub ftd: Issued,
}

impl Sftunnel {
    /// `ca_expired`: the InternalCA's ten years are over; `ftd_expired`: the FTD's own
    /// certificate is past its notAfter.
    pub fn new(ca_expired: bool, ftd_expired: bool) -> Result<Self> {
        let (ca_uuid, window, tag) =
            if ca_expired { (OLD_CA_UUID, EXPIRED_CA, "old") } else { (CA_UUID, VALID_CA, "cur") };
        let dn = internal_ca_dn(ca_uuid);
        let ca = issue(
            &format!("sftunnel-ca-{tag}"),
            &Spec { dn: &dn, serial: 0x1001, window, ca: true, dns: &[], ips: &[] },
            None,
        )?;
        let dn = device_dn(FMC_UUID);
        let fmc = issue(
            &format!("fmc-{tag}"),
            &Spec { dn: &dn, serial: 0x1002, window: DEVICE, ca: false, dns: &[], ips: &[FMC] },
            Some(&ca),
        )?;
        let dn = device_dn(FTD_UUID);
        let ftd_window = if ftd_expired { EXPIRED_DEVICE } else { DEVICE };
        let ftd = issue(
            &format!("ftd-{tag}"),
            &Spec { dn: &dn, serial: 0x1003, window: ftd_window, ca: false, dns: &[], ips: &[FTD] },
            Some(&ca),
        )?;
        Ok(Self { ca, fmc, ftd })
    }

    pub fn fmc_chain(&self) -> Vec<CertificateDer<'static>> {
        vec![self.fmc.der.clone(), self.ca.der.clone()]
    }

    pub fn ftd_chain(&self) -> Vec<CertificateDer<'static>> {
        vec![self.ftd.der.clone(), self.ca.der.clone()]
    }
}

fn lab_dn<'a>(org: &'a str, cn: &'a str) -> Vec<(DnType, &'a str)> {
    vec![(DnType::OrganizationName, org), (DnType::CommonName, cn)]
}

/// A root, an intermediate under it and a server certificate for [`LAB_NAME`] under that.
pub struct Lab {
    pub root: Issued,
    pub inter: Issued,
    pub leaf: Issued,
}

impl Lab {
    /// `org` names the organisation (and seeds the keys), so two labs never trust each other.
    pub fn new(org: &str) -> Result<Self> {
        let dn = lab_dn(org, "Lab Root CA");
        let spec = Spec { dn: &dn, serial: 0x2001, window: ((2021, 1, 1), (2041, 1, 1)), ca: true, dns: &[], ips: &[] };
        let root = issue(&format!("{org}-root"), &spec, None)?;
        let dn = lab_dn(org, "Lab Issuing CA 1");
        let spec = Spec { dn: &dn, serial: 0x2002, window: ((2021, 1, 1), (2031, 1, 1)), ca: true, dns: &[], ips: &[] };
        let inter = issue(&format!("{org}-inter"), &spec, Some(&root))?;
        let dn = lab_dn(org, LAB_NAME);
        let spec = Spec {
            dn: &dn,
            serial: 0x2003,
            window: ((2025, 1, 15), (2026, 1, 15)),
            ca: false,
            dns: &[LAB_NAME],
            ips: &[FMC],
        };
        let leaf = issue(&format!("{org}-leaf"), &spec, Some(&inter))?;
        Ok(Self { root, inter, leaf })
    }

    pub fn chain(&self) -> Vec<CertificateDer<'static>> {
        vec![self.leaf.der.clone(), self.inter.der.clone()]
    }
}

/// A self-signed server certificate for [`LAB_NAME`], as appliances make on first boot.
pub fn self_signed() -> Result<Issued> {
    let dn = lab_dn("Cisco Systems, Inc", LAB_NAME);
    let spec = Spec {
        dn: &dn,
        serial: 0x3001,
        window: ((2024, 9, 1), (2027, 9, 1)),
        ca: false,
        dns: &[LAB_NAME],
        ips: &[FMC],
    };
    issue("self-signed", &spec, None)
}
