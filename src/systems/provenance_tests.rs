//! Which facts count, by where they lie: each rule of `provenance` on hand-built facts.

use super::*;
use crate::model::{DeviceInfo, Evidence, PushRow};

const FMC: &str = "3b9c1e52-8a41-11e4-9c2f-5254001a7c33";
const OTHER: &str = "7a93c5e2-0b4d-11ec-9f2e-5254003c9d02";

fn at(path: &str) -> Evidence {
    Evidence { path: path.into(), ..Default::default() }
}

fn ims(path: &str, role: DeviceRole, uuid: &str) -> Fact {
    let device = DeviceInfo {
        role,
        uuid: Uuid::parse(uuid),
        hostname: Some("box".into()),
        version: None,
        model: None,
        disputed: Vec::new(),
    };
    Fact::Device { evidence: at(path), device }
}

fn push(path: &str, fmc: &str) -> Fact {
    let row = PushRow {
        device_uuid: OTHER.into(),
        device_name: "ftd-dc-02".into(),
        device_ip: "192.168.45.22".into(),
        source: "/etc/sf/ca_root/cacert.pem".into(),
        destination: format!("/var/sf/peers/{fmc}/cacert.pem"),
        line: Some(1),
    };
    Fact::FailedPush { evidence: at(path), generated: None, rows: vec![row] }
}

fn reasons(facts: &[Fact]) -> Vec<Option<String>> {
    let trees = Trees::new(facts);
    facts.iter().map(|f| loose_reason(f, &trees)).collect()
}

#[test]
fn a_failed_push_counts_only_where_its_fmc_keeps_it() {
    let fmc = "case/fmc.tgz!/results-fmc/dir-archives";
    let ftd = "case/ftd.tgz!/results-ftd/dir-archives";
    let facts = [
        ims(&format!("{fmc}/etc/sf/ims.conf"), DeviceRole::Fmc, FMC),
        ims(&format!("{ftd}/etc/sf/ims.conf"), DeviceRole::Ftd, OTHER),
        push(&format!("{fmc}/var-tmp/certs/1773480000/FAILED_PUSH"), FMC),
        push(&format!("{fmc}/var-tmp/FAILED_PUSH"), FMC),
        push(&format!("{fmc}/var-tmp/certs/1773480001/FAILED_PUSH"), OTHER),
        push(&format!("{ftd}/var-tmp/certs/1773480000/FAILED_PUSH"), FMC),
        push("case/notes/var/tmp/certs/1800000000/FAILED_PUSH", FMC),
        push("case/FAILED_PUSH", OTHER),
        ims("case/ims.conf", DeviceRole::Fmc, FMC),
    ];
    let r = reasons(&facts);
    assert_eq!((&r[0], &r[1], &r[2]), (&None, &None, &None));
    assert_eq!(
        r[3].as_deref(),
        Some(
            "in box's bundle (case/fmc.tgz) but not where generate_certs.pl writes it (/var/tmp/certs/<Unix \
time>/FAILED_PUSH)"
        )
    );
    assert_eq!(
        r[4].as_deref(),
        Some(&*format!("its rows name the peer folder of the FMC {OTHER}, but it lies in box's bundle (case/fmc.tgz), the FMC {FMC}"))
    );
    assert_eq!(
        r[5].as_deref(),
        Some("inside box's bundle (case/ftd.tgz), a device's tree: generate_certs.pl writes FAILED_PUSH on the FMC")
    );
    assert_eq!(
        r[6].as_deref(),
        Some("not in the FMC's own bundle: the FAILED_PUSH of box's bundle (case/fmc.tgz) is the one used")
    );
    assert_eq!(r[7], None, "no tree of that FMC is in the inputs: a copy given on its own counts");
    assert!(r[8].as_deref().is_some_and(|w| w.starts_with("an ims.conf that is not at /etc/sf/ims.conf")));
}

#[test]
fn a_conflict_says_each_value_and_where_it_was_read() {
    let c = Conflict {
        on: ConflictOn::DeviceAddress { device: "ftd-dc-02".into(), name: Some("ftd-dc-02".into()), uuid: None },
        values: vec![Said::new("192.168.45.22", "a.tgz!/FAILED_PUSH"), Said::new("203.0.113.66", "b/`x`/FAILED_PUSH")],
    };
    assert_eq!(
        c.text(),
        "the sources disagree on the address of ftd-dc-02: 192.168.45.22 (in a.tgz!/FAILED_PUSH) or 203.0.113.66 (in \
b/'x'/FAILED_PUSH)"
    );
}

#[test]
fn an_ims_conf_giving_a_key_twice_is_a_conflict_and_its_failed_push_still_counts() {
    // A second APPLIANCE_UUID and SWVERSION appended to the FMC's own ims.conf: neither value
    // is used, both are shown with their lines, and the FAILED_PUSH beside it keeps its rows.
    let fmc = "case/fmc.tgz!/results-fmc/dir-archives";
    let text = format!(
        "APPLIANCE_UUID={FMC}\nHOSTNAME=fmc-hq-01\nSWVERSION=7.4.1\nMODEL_TYPE=CONSOLE\nSWVERSION=6.2.3\n\
APPLIANCE_UUID=99999999-2222-3333-4444-555555555555\n"
    );
    let device = crate::logs::conf::parse_ims_conf(&text).unwrap();
    assert_eq!((device.uuid, device.version.as_deref()), (None, None));
    let ims_at = format!("{fmc}/etc/sf/ims.conf");
    let facts = [
        Fact::Device { evidence: at(&ims_at), device },
        push(&format!("{fmc}/var-tmp/certs/1773480000/FAILED_PUSH"), FMC),
    ];
    assert_eq!(reasons(&facts), [None, None], "the FAILED_PUSH counts");
    let now = jiff::Timestamp::from_second(1_795_000_000).unwrap();
    let inputs = super::super::Inputs { facts: &facts, findings: &[], handshakes: &[], certificates: &[], now };
    let (systems, _) = super::super::build(&inputs);
    assert_eq!(systems.len(), 1);
    let s = &systems[0];
    assert_eq!((s.fmc.uuid, s.fmc.version.as_deref()), (None, None), "no value of a disputed key is used");
    assert_eq!(s.push_facts, [1]);
    let line = |n: u32| format!("{ims_at}, line {n}");
    assert_eq!(
        s.conflicts,
        [
            Conflict {
                on: ConflictOn::FmcUuid,
                values: vec![Said::new(FMC, line(1)), Said::new("99999999-2222-3333-4444-555555555555", line(6))],
            },
            Conflict {
                on: ConflictOn::FmcVersion,
                values: vec![Said::new("7.4.1", line(3)), Said::new("6.2.3", line(5))]
            },
        ]
    );
    assert!(s.devices.iter().any(|d| d.name.as_deref() == Some("ftd-dc-02") && d.needs_push));
}

#[test]
fn the_fmc_version_says_which_file_it_was_read_from() {
    // Any folder with etc/sf/ims.conf is an appliance root: the version it gives is used, and
    // every view can show where it came from.
    let path = "case/notes/etc/sf/ims.conf";
    let device =
        crate::logs::conf::parse_ims_conf(&format!("APPLIANCE_UUID={FMC}\nSWVERSION=7.0.4\nMODEL_TYPE=CONSOLE\n"));
    let facts = [Fact::Device { evidence: at(path), device: device.unwrap() }];
    let now = jiff::Timestamp::from_second(1_795_000_000).unwrap();
    let inputs = super::super::Inputs { facts: &facts, findings: &[], handshakes: &[], certificates: &[], now };
    let (systems, _) = super::super::build(&inputs);
    let fmc = &systems[0].fmc;
    assert_eq!((fmc.version.as_deref(), fmc.version_at.as_deref()), (Some("7.0.4"), Some(path)));
    let json = serde_json::to_value(fmc).unwrap();
    assert_eq!(json["version_at"], path);
    assert_eq!(version_source(&systems[0]).as_deref(), Some("FMC version 7.0.4 read from case/notes/etc/sf/ims.conf"));
}
