//! Tests of the recovery plan for a FAILED_PUSH list of two devices.

use jiff::Timestamp;

use super::*;
use crate::model::Evidence;
use crate::model::Parsed;
use crate::model::{PeerInfo, PushRow};

const FMC: &str = "cdb123c8-4347-11ef-aca1-f3aa241412a1";
const A: &str = "c8d5d5c6-87c9-11ef-a993-b9831565bc4e";
const B: &str = "6bf1143a-8a2e-11ef-92d8-fd927e807d77";

fn rows() -> Vec<PushRow> {
    let mut out = Vec::new();
    for (uuid, name, ip) in [(A, "BSNS-1120-1", "10.48.67.54"), (B, "EMEA-FPR3110-08", "10.48.189.37")] {
        for file in ["cacert.pem", "sftunnel-key.pem", "sftunnel-cert.pem"] {
            let source = if file == "cacert.pem" {
                "/etc/sf/ca_root/cacert.pem".to_string()
            } else {
                format!("/var/sf/peers/{uuid}/certs_pushed//{file}")
            };
            out.push(PushRow {
                device_uuid: uuid.into(),
                device_name: name.into(),
                device_ip: ip.into(),
                source,
                destination: format!("/var/sf/peers/{FMC}/{file}"),
                line: None,
            });
        }
    }
    out
}

fn report(with_fmc: bool) -> Report {
    let mut facts = vec![Fact::FailedPush {
        evidence: Evidence::file("fmc.tgz!/var/tmp/certs/1728915794/FAILED_PUSH"),
        generated: Some(Timestamp::from_second(1_728_915_794).unwrap()),
        rows: rows(),
    }];
    if with_fmc {
        facts.push(Fact::Peer {
            evidence: Evidence::file(&format!("ftd.tgz!/var/sf/peers/{FMC}/sftunnel.json")),
            peer: PeerInfo {
                uuid: Uuid::parse(FMC),
                name: Some("fmcv72-stejanss".into()),
                ip: Some("10.48.67.10".into()),
                role: None,
            },
        });
    }
    let parsed = Parsed { facts, ..Default::default() };
    crate::analyze::build_report(parsed, Vec::new(), Timestamp::from_second(1_729_000_000).unwrap())
}

const EXPECTED: &str = r#"# Plan: copy the new sftunnel certificates that generate_certs.pl could not push
# (FAILED_PUSH written 2024-10-14T14:23:14Z)
#
# Order: the FMC fmcv72-stejanss (cdb123c8-4347-11ef-aca1-f3aa241412a1) keeps its new files; then, one after the other:
#   - BSNS-1120-1 (FTD, 10.48.67.54, UUID c8d5d5c6-87c9-11ef-a993-b9831565bc4e)
#   - EMEA-FPR3110-08 (FTD, 10.48.189.37, UUID 6bf1143a-8a2e-11ef-92d8-fd927e807d77)
#
# With SSH from the FMC to the devices: put the admin passwords into devices.csv (below), then run
# as root in expert mode on fmcv72-stejanss (cdb123c8-4347-11ef-aca1-f3aa241412a1):
        copy_sftunnel_certs.py devices.csv
# (from a jump server that reaches all of them: copy_sftunnel_certs_jumpserver.py devices.csv)
#
#     #device_name,ipaddr,login,password
#     fmcv72-stejanss,10.48.67.10,admin,
#     BSNS-1120-1,10.48.67.54,admin,
#     EMEA-FPR3110-08,10.48.189.37,admin,
#
# By hand, for each device the script cannot reach:
#
# 1. BSNS-1120-1 (FTD, 10.48.67.54, UUID c8d5d5c6-87c9-11ef-a993-b9831565bc4e)
#    a. On fmcv72-stejanss (cdb123c8-4347-11ef-aca1-f3aa241412a1), show each new file and copy its text:
        cat '/etc/sf/ca_root/cacert.pem'    # for cacert.pem
        cat '/var/sf/peers/c8d5d5c6-87c9-11ef-a993-b9831565bc4e/certs_pushed//sftunnel-key.pem'    # for sftunnel-key.pem
        cat '/var/sf/peers/c8d5d5c6-87c9-11ef-a993-b9831565bc4e/certs_pushed//sftunnel-cert.pem'    # for sftunnel-cert.pem
#    b. On BSNS-1120-1: expert, then sudo su, then keep the current files:
        cd '/var/sf/peers/cdb123c8-4347-11ef-aca1-f3aa241412a1/'
        cp 'cacert.pem' 'cacert.pem.backup'
        cp 'sftunnel-key.pem' 'sftunnel-key.pem.backup'
        cp 'sftunnel-cert.pem' 'sftunnel-cert.pem.backup'
#    c. Replace the content of each file with the text copied in step a:
#         /var/sf/peers/cdb123c8-4347-11ef-aca1-f3aa241412a1/cacert.pem  <-  /etc/sf/ca_root/cacert.pem (on the FMC)
#         /var/sf/peers/cdb123c8-4347-11ef-aca1-f3aa241412a1/sftunnel-key.pem  <-  /var/sf/peers/c8d5d5c6-87c9-11ef-a993-b9831565bc4e/certs_pushed//sftunnel-key.pem (on the FMC)
#         /var/sf/peers/cdb123c8-4347-11ef-aca1-f3aa241412a1/sftunnel-cert.pem  <-  /var/sf/peers/c8d5d5c6-87c9-11ef-a993-b9831565bc4e/certs_pushed//sftunnel-cert.pem (on the FMC)
#    d. Owner and mode, then restart the tunnel:
        chmod 644 'cacert.pem' 'sftunnel-key.pem' 'sftunnel-cert.pem'
        chown root:root 'cacert.pem' 'sftunnel-key.pem' 'sftunnel-cert.pem'
        pmtool restartbyid sftunnel
#    e. On fmcv72-stejanss (cdb123c8-4347-11ef-aca1-f3aa241412a1), check that BSNS-1120-1 is connected again:
        sftunnel_status.pl
#
# 2. EMEA-FPR3110-08 (FTD, 10.48.189.37, UUID 6bf1143a-8a2e-11ef-92d8-fd927e807d77)
#    a. On fmcv72-stejanss (cdb123c8-4347-11ef-aca1-f3aa241412a1), show each new file and copy its text:
        cat '/etc/sf/ca_root/cacert.pem'    # for cacert.pem
        cat '/var/sf/peers/6bf1143a-8a2e-11ef-92d8-fd927e807d77/certs_pushed//sftunnel-key.pem'    # for sftunnel-key.pem
        cat '/var/sf/peers/6bf1143a-8a2e-11ef-92d8-fd927e807d77/certs_pushed//sftunnel-cert.pem'    # for sftunnel-cert.pem
#    b. On EMEA-FPR3110-08: expert, then sudo su, then keep the current files:
        cd '/var/sf/peers/cdb123c8-4347-11ef-aca1-f3aa241412a1/'
        cp 'cacert.pem' 'cacert.pem.backup'
        cp 'sftunnel-key.pem' 'sftunnel-key.pem.backup'
        cp 'sftunnel-cert.pem' 'sftunnel-cert.pem.backup'
#    c. Replace the content of each file with the text copied in step a:
#         /var/sf/peers/cdb123c8-4347-11ef-aca1-f3aa241412a1/cacert.pem  <-  /etc/sf/ca_root/cacert.pem (on the FMC)
#         /var/sf/peers/cdb123c8-4347-11ef-aca1-f3aa241412a1/sftunnel-key.pem  <-  /var/sf/peers/6bf1143a-8a2e-11ef-92d8-fd927e807d77/certs_pushed//sftunnel-key.pem (on the FMC)
#         /var/sf/peers/cdb123c8-4347-11ef-aca1-f3aa241412a1/sftunnel-cert.pem  <-  /var/sf/peers/6bf1143a-8a2e-11ef-92d8-fd927e807d77/certs_pushed//sftunnel-cert.pem (on the FMC)
#    d. Owner and mode, then restart the tunnel:
        chmod 644 'cacert.pem' 'sftunnel-key.pem' 'sftunnel-cert.pem'
        chown root:root 'cacert.pem' 'sftunnel-key.pem' 'sftunnel-cert.pem'
        pmtool restartbyid sftunnel
#    e. On fmcv72-stejanss (cdb123c8-4347-11ef-aca1-f3aa241412a1), check that EMEA-FPR3110-08 is connected again:
        sftunnel_status.pl
"#;

#[test]
fn plan_of_two_devices_text() {
    let p = plan(&report(true));
    assert_eq!(p.render_text(), EXPECTED);
}

#[test]
fn plan_of_two_devices_fields() {
    let p = plan(&report(true));
    assert_eq!(p.generated, Some(Timestamp::from_second(1_728_915_794).unwrap()));
    assert_eq!(
        p.primary,
        Target { name: Some("fmcv72-stejanss".into()), uuid: Uuid::parse(FMC), ip: Some("10.48.67.10".into()) }
    );
    let names: Vec<&str> = p.devices.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["BSNS-1120-1", "EMEA-FPR3110-08"]);
    assert_eq!(p.devices[0].dir, format!("/var/sf/peers/{FMC}"));
    assert_eq!(
        p.devices[0].files[1],
        (format!("/var/sf/peers/{A}/certs_pushed//sftunnel-key.pem"), format!("/var/sf/peers/{FMC}/sftunnel-key.pem"))
    );
}

#[test]
fn devices_csv_with_and_without_the_fmc() {
    assert_eq!(
        plan(&report(true)).devices_csv(),
        "#device_name,ipaddr,login,password\nfmcv72-stejanss,10.48.67.10,admin,\nBSNS-1120-1,10.48.67.54,admin,\n\
         EMEA-FPR3110-08,10.48.189.37,admin,\n"
    );
    assert_eq!(
        plan(&report(false)).devices_csv(),
        "#device_name,ipaddr,login,password\n\
         #FMC-NAME,FMC-IP,admin,  (add the FMC as the first line)\n\
         BSNS-1120-1,10.48.67.54,admin,\nEMEA-FPR3110-08,10.48.189.37,admin,\n"
    );
}

#[test]
fn secondary_fmc_comes_before_the_ftds() {
    let mut r = report(false);
    r.facts.push(Fact::Device {
        evidence: Evidence::file("fmc2.tgz!/etc/sf/ims.conf"),
        device: crate::model::DeviceInfo {
            role: DeviceRole::Fmc,
            uuid: Uuid::parse(B),
            hostname: None,
            version: Some("7.2.5".into()),
            model: None,
            disputed: Vec::new(),
        },
    });
    let p = plan(&r);
    let order: Vec<(&str, DeviceRole)> = p.devices.iter().map(|d| (d.name.as_str(), d.role)).collect();
    assert_eq!(order, [("EMEA-FPR3110-08", DeviceRole::Fmc), ("BSNS-1120-1", DeviceRole::Ftd)]);
    let text = p.render_text();
    assert!(text
        .contains("\n# 1. EMEA-FPR3110-08 (secondary FMC, 10.48.189.37, UUID 6bf1143a-8a2e-11ef-92d8-fd927e807d77)\n"));
    assert!(text.contains("#    a. On cdb123c8-4347-11ef-aca1-f3aa241412a1, show each new file and copy its text:\n"));
    assert!(text.contains("\n# Order: the primary FMC cdb123c8-4347-11ef-aca1-f3aa241412a1 keeps its new files;"));
}

#[test]
fn empty_plan() {
    let r = crate::analyze::build_report(Parsed::default(), Vec::new(), Timestamp::UNIX_EPOCH);
    let p = plan(&r);
    assert!(p.is_empty());
    assert_eq!(p.render_text(), "# No FAILED_PUSH rows in the inputs: there are no certificates to copy by hand.\n");
}

/// The FMC's name known but its address in no input: the row says so instead of an empty cell.
#[test]
fn an_fmc_address_no_input_gives_is_said() {
    let mut p = plan(&report(true));
    p.primary.ip = None;
    assert_eq!(
        p.devices_csv().lines().nth(1),
        Some(
            "#fmcv72-stejanss,FMC-IP,admin,  (the FMC's address is in none of the inputs: write it in place of \
FMC-IP and remove the leading #)"
        )
    );
    assert!(p.render_text().contains(
        "\n# The address of the FMC fmcv72-stejanss (cdb123c8-4347-11ef-aca1-f3aa241412a1) is in none of the inputs: \
write it into the first line of devices.csv\n"
    ));
}
