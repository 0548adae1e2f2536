//! The case samples in `samples/cases/`, one folder per situation of the InternalCA decision:
//!
//! - `two-fmcs/`: two unrelated management domains in one run: `fmc-west-02` (FMC 7.2.4) whose
//!   InternalCA ends on 2027-01-18, and the FTD `ftd-east-04`, managed by `fmc-east-01`, whose
//!   peer folder already holds the renewed CA (the old one kept as `cacert.pem.backup`).
//! - `fmc-ha/`: an FMC HA pair (7.0.4): the primary `fmc-ha-a` with an InternalCA that expired
//!   on 2026-09-30 and a device that refuses it, the secondary `fmc-ha-b` with its own CA, valid
//!   until 2027-01-30.
//!
//! - `expired-up/`: `fmc-north-03` (7.3.1) whose InternalCA expired on 2026-11-01 while both of
//!   its devices are still connected, as its `sftunnel_status.pl` output shows.
//!
//! Every run writes the same bytes (fixed keys, serials, dates and tar metadata).

use anyhow::Result;

use crate::archive::{tar_gz, Member};
use crate::bundles::{cert_pem, ims_conf, key_pem, sftunnel_conf};
use crate::pki::{device_dn, internal_ca_dn, issue, Issued, Spec, Window};

const WEST_UUID: &str = "9d4e7a10-3c2b-11e7-8f1a-5254002b8c44";
const WEST_CA_CN: &str = "c0a8e2f4-3c2b-11e7-9b7e-5254002b8c44";
const WEST_FTD_UUID: &str = "1f6b2d90-4e1a-11ec-8a3d-0050569a0b11";
const EAST_UUID: &str = "e2c47b18-5d29-11ef-8e11-0050569c1d01";
const EAST_FTD_UUID: &str = "6b1f0c3e-5d2a-11ef-a3c9-0050569c1d20";
const HA_A_UUID: &str = "41f0d2aa-7e3b-11e8-b0c1-5254003c9d01";
const HA_B_UUID: &str = "7a93c5e2-0b4d-11ec-9f2e-5254003c9d02";
const HA_FTD_UUID: &str = "0c5e8f21-7e3c-11e8-a4b2-5254003c9d05";
const NORTH_UUID: &str = "5a2d9c7e-91f4-11e6-b3a8-5254004d1e03";
const NORTH_FTDS: [(&str, &str, &str); 2] = [
    ("3e7b1a05-6c2d-11ec-9d10-0050569b2e21", "ftd-north-21", "10.70.1.21"),
    ("8c40f6d2-6c2d-11ec-a1e7-0050569b2e22", "ftd-north-22", "10.70.1.22"),
];

/// mtime of every entry (2026-11-20 08:00:00 UTC).
const MTIME: u64 = 1_795_593_600;

const FMC_MODEL: &str = "Cisco Firepower Management Center for VMware";
const FTD_MODEL: &str = "Cisco Firepower Threat Defense for VMware";

fn ca(label: &str, cn: &str, serial: u64, window: Window) -> Result<Issued> {
    let dn = internal_ca_dn(cn);
    issue(label, &Spec { dn: &dn, serial, window, ca: true, dns: &[], ips: &[] }, None)
}

fn device(label: &str, uuid: &str, serial: u64, window: Window, ca: &Issued) -> Result<Issued> {
    let dn = device_dn(uuid);
    issue(label, &Spec { dn: &dn, serial, window, ca: false, dns: &[], ips: &[] }, Some(ca))
}

fn peer_json(uuid: &str, name: &str, ip: &str, role: &str) -> String {
    format!("{{\n  \"uuid\": \"{uuid}\",\n  \"name\": \"{name}\",\n  \"ip\": \"{ip}\",\n  \"role\": \"{role}\",\n  \"port\": 8305\n}}\n")
}

/// An FMC's own files: ims.conf, sftunnel.conf, its InternalCA and its sftunnel certificate.
fn fmc_files(root: &str, uuid: &str, name: &str, version: &str, ca: &Issued, own: &Issued) -> Result<Vec<Member>> {
    Ok(vec![
        Member::file(format!("{root}/etc/sf/ims.conf"), ims_conf(uuid, name, version, "94", FMC_MODEL, "CONSOLE")),
        Member::file(format!("{root}/etc/sf/sftunnel.conf"), sftunnel_conf()),
        Member::file(format!("{root}/etc/sf/ca_root/cacert.pem"), cert_pem(ca)),
        Member::file(format!("{root}/etc/sf/keys/sftunnel-cert.pem"), cert_pem(own)),
        Member::secret(format!("{root}/etc/sf/keys/sftunnel-key.pem"), key_pem(own)?),
    ])
}

/// `fmc-west-02`: InternalCA valid 2017-01-20 .. 2027-01-18; one managed device.
fn fmc_west() -> Result<Vec<u8>> {
    let ca = ca("case-west-ca", WEST_CA_CN, 0x7101, ((2017, 1, 20), (2027, 1, 18)))?;
    let own = device("case-west-fmc", WEST_UUID, 0x7110, ((2017, 1, 20), (2027, 1, 17)), &ca)?;
    let root = "results-fmc-west-02/dir-archives";
    let mut m = fmc_files(root, WEST_UUID, "fmc-west-02", "7.2.4", &ca, &own)?;
    m.push(Member::file(
        format!("{root}/var-sf-peers/{WEST_FTD_UUID}/sftunnel.json"),
        peer_json(WEST_FTD_UUID, "ftd-west-11", "10.60.0.11", "device"),
    ));
    tar_gz(&m, MTIME)
}

/// `ftd-east-04` (FTD 7.4.0): its peer folder for `fmc-east-01` holds the renewed InternalCA
/// (2026-05-28 .. 2036-05-26), its certificate under it, and the old CA as a backup copy.
fn ftd_east() -> Result<Vec<u8>> {
    let old = ca("case-east-ca-2016", EAST_UUID, 0x7201, ((2016, 5, 30), (2026, 5, 30)))?;
    let new = ca("case-east-ca-2026", EAST_UUID, 0x7202, ((2026, 5, 28), (2036, 5, 26)))?;
    let own = device("case-east-ftd-2026", EAST_FTD_UUID, 0x7210, ((2026, 5, 28), (2036, 5, 25)), &new)?;
    let root = "results-ftd-east-04/dir-archives";
    let peer = format!("{root}/var-sf-peers/{EAST_UUID}");
    let m = [
        Member::file(
            format!("{root}/etc/sf/ims.conf"),
            ims_conf(EAST_FTD_UUID, "ftd-east-04", "7.4.0", "112", FTD_MODEL, "SENSOR"),
        ),
        Member::file(format!("{peer}/sftunnel.json"), peer_json(EAST_UUID, "fmc-east-01", "10.80.0.10", "manager")),
        Member::file(format!("{peer}/cacert.pem"), cert_pem(&new)),
        Member::file(format!("{peer}/cacert.pem.backup"), cert_pem(&old)),
        Member::file(format!("{peer}/sftunnel-cert.pem"), cert_pem(&own)),
        Member::secret(format!("{peer}/sftunnel-key.pem"), key_pem(&own)?),
    ];
    tar_gz(&m, MTIME)
}

/// The primary's log: `ftd-ha-05` (10.90.0.5) refuses its certificate twice.
fn ha_a_messages() -> String {
    let mut out = String::new();
    for (t, pid) in [("Nov 20 07:10:03", 7101), ("Nov 20 07:40:03", 7188)] {
        let p = format!("{t} fmc-ha-a SF-IMS[2210]: [{pid}] sftunneld:sf_ssl");
        out.push_str(&format!("{p} [INFO] VERIFY ssl_verify_callback_initial ok=1!\n"));
        out.push_str(&format!("{p} [WARN] establishConnectionUtil: SSL handshake failed\n"));
        out.push_str(&format!("{p} [WARN] establishConnectionUtil: SSL Verification status: ok\n"));
        out.push_str(&format!(
            "{p} [WARN] establishConnectionUtil: SSL handshake failed: error:14094415:SSL routines:ssl3_read_bytes:sslv3 \
alert certificate expired\n"
        ));
        out.push_str(&format!("{p} [INFO] establishConnectionUtil: Failed to connect using SSL to: '10.90.0.5'\n"));
    }
    out
}

fn ha_pair() -> Result<(Vec<u8>, Vec<u8>)> {
    let ca_a = ca("case-ha-a-ca", HA_A_UUID, 0x7301, ((2016, 10, 1), (2026, 9, 30)))?;
    let ca_b = ca("case-ha-b-ca", HA_B_UUID, 0x7302, ((2017, 2, 1), (2027, 1, 30)))?;
    let own_a = device("case-ha-a-fmc", HA_A_UUID, 0x7310, ((2016, 10, 1), (2026, 9, 29)), &ca_a)?;
    let own_b = device("case-ha-b-fmc", HA_B_UUID, 0x7311, ((2017, 2, 1), (2027, 1, 29)), &ca_b)?;
    let b_under_a = device("case-ha-b-peer", HA_B_UUID, 0x7312, ((2021, 8, 15), (2031, 8, 13)), &ca_a)?;
    let root = "results-fmc-ha-a/dir-archives";
    let mut a = fmc_files(root, HA_A_UUID, "fmc-ha-a", "7.0.4", &ca_a, &own_a)?;
    a.push(Member::file(format!("{root}/var-log/messages"), ha_a_messages()));
    a.push(Member::file(
        format!("{root}/var-sf-peers/{HA_B_UUID}/sftunnel.json"),
        peer_json(HA_B_UUID, "fmc-ha-b", "10.90.0.11", "secondary"),
    ));
    a.push(Member::file(
        format!("{root}/var-sf-peers/{HA_FTD_UUID}/sftunnel.json"),
        peer_json(HA_FTD_UUID, "ftd-ha-05", "10.90.0.5", "device"),
    ));
    let root = "results-fmc-ha-b/dir-archives";
    let peer = format!("{root}/var-sf-peers/{HA_A_UUID}");
    let mut b = fmc_files(root, HA_B_UUID, "fmc-ha-b", "7.0.4", &ca_b, &own_b)?;
    b.push(Member::file(format!("{peer}/sftunnel.json"), peer_json(HA_A_UUID, "fmc-ha-a", "10.90.0.10", "manager")));
    b.push(Member::file(format!("{peer}/cacert.pem"), cert_pem(&ca_a)));
    b.push(Member::file(format!("{peer}/sftunnel-cert.pem"), cert_pem(&b_under_a)));
    b.push(Member::secret(format!("{peer}/sftunnel-key.pem"), key_pem(&b_under_a)?));
    Ok((tar_gz(&a, MTIME)?, tar_gz(&b, MTIME)?))
}

/// `sftunnel_status.pl` on the FMC: both channels of every device connected.
fn north_status() -> String {
    let mut out =
        String::from("[root@fmc-north-03 ~]# sftunnel_status.pl\n\nSFTUNNEL Start Time: Wed Oct 14 02:11:09 2026\n");
    for (uuid, _, ip) in NORTH_FTDS {
        out.push_str(&format!(
            "\n**RUN STATUS****{ip}*************\n        Key File = /var/sf/peers/{uuid}/sftunnel-key.pem\n        \
ChannelA Connected: Yes, Interface eth0\n        ChannelB Connected: Yes, Interface eth0\n        Registration: Completed.\n        \
IPv4 Connection to peer '{ip}' Start Time: Wed Oct 14 02:11:40 2026 UTC\n        Cipher used = AES256-GCM-SHA384 (strength:256 bits)\n\
***********************\n"
        ));
    }
    out
}

/// `fmc-north-03`: InternalCA expired 2026-11-01, its tunnels still up since before that.
fn fmc_north() -> Result<Vec<u8>> {
    let ca = ca("case-north-ca", NORTH_UUID, 0x7401, ((2016, 11, 2), (2026, 11, 1)))?;
    let own = device("case-north-fmc", NORTH_UUID, 0x7410, ((2016, 11, 2), (2026, 10, 31)), &ca)?;
    let root = "results-fmc-north-03/dir-archives";
    let mut m = fmc_files(root, NORTH_UUID, "fmc-north-03", "7.3.1", &ca, &own)?;
    m.push(Member::file("results-fmc-north-03/command-outputs/sftunnel_status.pl.output", north_status()));
    for (uuid, name, ip) in NORTH_FTDS {
        m.push(Member::file(format!("{root}/var-sf-peers/{uuid}/sftunnel.json"), peer_json(uuid, name, ip, "device")));
    }
    tar_gz(&m, MTIME)
}

/// Every case archive as (path under `samples/cases/`, bytes).
pub fn all() -> Result<Vec<(String, Vec<u8>)>> {
    let (a, b) = ha_pair()?;
    Ok(vec![
        ("two-fmcs/fmc-west-02.tar.gz".into(), fmc_west()?),
        ("two-fmcs/ftd-east-04.tar.gz".into(), ftd_east()?),
        ("fmc-ha/fmc-ha-a.tar.gz".into(), a),
        ("fmc-ha/fmc-ha-b.tar.gz".into(), b),
        ("expired-up/fmc-north-03.tar.gz".into(), fmc_north()?),
    ])
}

#[cfg(test)]
mod tests {
    #[test]
    fn cases_are_reproducible() {
        assert_eq!(super::all().expect("cases"), super::all().expect("cases"));
    }
}
