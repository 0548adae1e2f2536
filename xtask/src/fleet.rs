//! Generated fleets for `tlstriage fleet` and its Dask runner: N bundles made after the shape of
//! the sample bundles, each system with its own FMC name, UUID, version and InternalCA dates, so
//! that every state shows up (expired, expiring, healthy, renewed with devices still to push)
//! and some systems are seen in two bundles (their FMC's and one FTD's). Deterministic: the same
//! N gives the same bytes.

use anyhow::Result;
use time::{Date, Duration, Month};

use crate::archive::{tar_gz, Member};
use crate::bundles::{cert_pem, ims_conf};
use crate::pki::{device_dn, internal_ca_dn, issue, Issued, Spec, Window};

/// The sample FTD log, rewritten per system: its device and FMC names are replaced.
const FTD_MESSAGES: &str = include_str!("../../samples/logs/ftd-expired-ca/messages");
const SAMPLE_FTD: &str = "ftd-branch-07";
const SAMPLE_FMC_UUID: &str = "3b9c1e52-8a41-11e4-9c2f-5254001a7c33";

const VERSIONS: [&str; 10] = ["6.7.0", "7.0.1", "7.0.6", "7.1.0", "7.2.5", "7.2.9", "7.3.1", "7.4.1", "7.4.2", "7.6.0"];
/// Every entry's mtime (2026-03-14 09:40:00 UTC, as the sample FMC bundle).
const MTIME: u64 = 1_773_481_200;

/// What happened to a system's InternalCA, relative to `--now 2026-11-23`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
    Expired,
    Expiring,
    Healthy,
    RenewedPushPending,
}

struct System {
    index: u32,
    uuid: String,
    fmc: String,
    version: &'static str,
    fate: Fate,
    /// The CA the FMC holds now, and the one before it (renewed systems only).
    current: Issued,
    previous: Option<Issued>,
}

fn base() -> Date {
    Date::from_calendar_date(2026, Month::November, 23).expect("a real date")
}

fn ymd(d: Date) -> (i32, u8, u8) {
    (d.year(), d.month() as u8, d.day())
}

/// A ten-year window ending `days` after 2026-11-23 (negative: before).
fn window(days: i64) -> Window {
    let end = base() + Duration::days(days);
    (ymd(end - Duration::days(3650)), ymd(end))
}

fn ca(label: &str, uuid: &str, serial: u64, w: Window) -> Result<Issued> {
    let dn = internal_ca_dn(uuid);
    issue(label, &Spec { dn: &dn, serial, window: w, ca: true, dns: &[], ips: &[] }, None)
}

fn system(index: u32) -> Result<System> {
    let i = i64::from(index);
    let uuid = format!(
        "{:08x}-{:04x}-11e4-9c2f-{:012x}",
        0x5eed_0000u32 + index,
        index % 0x10000,
        0x5254_0000_0000u64 + u64::from(index)
    );
    let fate = [Fate::Expired, Fate::Expiring, Fate::Healthy, Fate::RenewedPushPending][index as usize % 4];
    let (current, previous) = match fate {
        Fate::Expired => {
            (ca(&format!("fleet-ca-{index}"), &uuid, 0x1000 + u64::from(index), window(-(30 + (i * 37) % 700)))?, None)
        }
        Fate::Expiring => {
            (ca(&format!("fleet-ca-{index}"), &uuid, 0x1000 + u64::from(index), window(5 + (i * 13) % 80))?, None)
        }
        Fate::Healthy => {
            (ca(&format!("fleet-ca-{index}"), &uuid, 0x1000 + u64::from(index), window(200 + (i * 53) % 3000))?, None)
        }
        Fate::RenewedPushPending => {
            let ended = -(10 + i % 200);
            let old = ca(&format!("fleet-ca-{index}-old"), &uuid, 0x1000 + u64::from(index), window(ended))?;
            let new = ca(&format!("fleet-ca-{index}-new"), &uuid, 0x9000 + u64::from(index), window(ended + 3650 + 4))?;
            (new, Some(old))
        }
    };
    let version = VERSIONS[index as usize % VERSIONS.len()];
    Ok(System { index, uuid, fmc: format!("fmc-site-{index:04}"), version, fate, current, previous })
}

fn ftd_name(s: &System, n: u32) -> String {
    format!("ftd-site-{:04}-{n}", s.index)
}

fn ftd_uuid(s: &System, n: u32) -> String {
    format!("{:08x}-{:04x}-11ee-9c41-{:012x}", 0xf7d0_0000u32 + s.index, n, 0x6f2e_0000_0000u64 + u64::from(s.index))
}

/// `FAILED_PUSH`: three rows per device that did not get the new files.
fn failed_push(s: &System, devices: u32) -> String {
    let dest = format!("/var/sf/peers/{}", s.uuid);
    let mut out = String::new();
    for n in 1..=devices {
        let (name, uuid, ip) =
            (ftd_name(s, n), ftd_uuid(s, n), format!("10.{}.{}.{}", s.index / 250, s.index % 250, n + 1));
        out.push_str(&format!("{uuid} {name} {ip} /etc/sf/ca_root/cacert.pem {dest}/cacert.pem\n"));
        for file in ["sftunnel-key.pem", "sftunnel-cert.pem"] {
            out.push_str(&format!("{uuid} {name} {ip} /var/sf/peers/{uuid}/certs_pushed//{file} {dest}/{file}\n"));
        }
    }
    out
}

fn fmc_bundle(s: &System) -> Result<Vec<u8>> {
    let root = format!("results-{}/dir-archives", s.fmc);
    let model = "Cisco Firepower Management Center for VMware";
    let dn = device_dn(&s.uuid);
    let (from, _) = window(0);
    let own = issue(
        &format!("fleet-fmc-{}", s.index),
        &Spec {
            dn: &dn,
            serial: 0x2000 + u64::from(s.index),
            window: (from, ymd(base() + Duration::days(3000))),
            ca: false,
            dns: &[],
            ips: &[],
        },
        Some(&s.current),
    )?;
    let mut members = vec![
        Member::file(format!("{root}/etc/sf/ims.conf"), ims_conf(&s.uuid, &s.fmc, s.version, "100", model, "CONSOLE")),
        Member::file(format!("{root}/etc/sf/ca_root/cacert.pem"), cert_pem(&s.current)),
        Member::file(format!("{root}/etc/sf/keys/sftunnel-cert.pem"), cert_pem(&own)),
    ];
    if let Some(old) = &s.previous {
        let devices = 1 + s.index % 2;
        members.push(Member::file(format!("{root}/var-tmp/certs/{MTIME}/FAILED_PUSH"), failed_push(s, devices)));
        let pushed = format!("{root}/var-sf-peers/{}/certs_pushed", ftd_uuid(s, 1));
        members.push(Member::file(format!("{pushed}/cacert.pem"), cert_pem(old)));
    }
    tar_gz(&members, MTIME)
}

/// The bundle of the system's first FTD: the CA it trusts, and its log when that CA has expired.
fn ftd_bundle(s: &System) -> Result<Vec<u8>> {
    let name = ftd_name(s, 1);
    let root = format!("results-{name}/dir-archives");
    let peer = format!("{root}/var-sf-peers/{}", s.uuid);
    let model = "Cisco Firepower Threat Defense for VMware";
    let trusted = s.previous.as_ref().unwrap_or(&s.current);
    let mut members = vec![
        Member::file(
            format!("{root}/etc/sf/ims.conf"),
            ims_conf(&ftd_uuid(s, 1), &name, "7.2.5", "208", model, "SENSOR"),
        ),
        Member::file(format!("{peer}/cacert.pem"), cert_pem(trusted)),
    ];
    if matches!(s.fate, Fate::Expired | Fate::RenewedPushPending) {
        let log = FTD_MESSAGES.replace(SAMPLE_FTD, &name).replace(SAMPLE_FMC_UUID, &s.uuid);
        members.push(Member::file(format!("{root}/var-log/messages"), log));
    }
    tar_gz(&members, MTIME)
}

/// `count` bundles as (file name, bytes): every system's FMC bundle, and every third system's
/// first FTD bundle beside it.
pub fn bundles(count: u32) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    let mut index = 0;
    while out.len() < count as usize {
        let s = system(index)?;
        out.push((format!("{}.tar.gz", s.fmc), fmc_bundle(&s)?));
        if index % 3 == 0 && out.len() < count as usize {
            out.push((format!("{}.tar.gz", ftd_name(&s, 1)), ftd_bundle(&s)?));
        }
        index += 1;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_is_exact_and_the_bytes_reproducible() {
        let a = bundles(7).expect("bundles");
        assert_eq!(a.len(), 7);
        let names: Vec<&str> = a.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names[..3], ["fmc-site-0000.tar.gz", "ftd-site-0000-1.tar.gz", "fmc-site-0001.tar.gz"]);
        assert_eq!(a, bundles(7).expect("bundles"));
    }

    #[test]
    fn failed_push_names_each_pending_device_three_times() {
        let s = system(3).expect("system");
        let text = failed_push(&s, 2);
        assert_eq!(text.lines().count(), 6);
        assert!(text.lines().all(|l| l.contains("ftd-site-0003-")));
    }
}
