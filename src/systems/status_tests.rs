//! Unit tests of what status outputs say about a device's tunnel against each other and
//! against the logs (`devices/statuses.rs`), on hand-built facts and findings.

use super::Tunnels;

#[test]
fn two_status_outputs_that_disagree_on_a_tunnel_are_a_conflict_and_leave_it_unknown() {
    // The FMC's own sftunnel_status.pl says the tunnel to 10.70.1.21 is up; a loose device-side
    // status (whose time cannot be read) says down: both are shown, neither wins.
    use crate::model::{DeviceInfo, DeviceRole, Evidence, Fact, TunnelStatus};
    let fmc = "case/fmc.tgz!/results-fmc";
    let device = DeviceInfo {
        role: DeviceRole::Fmc,
        uuid: crate::model::Uuid::parse("3b9c1e52-8a41-11e4-9c2f-5254001a7c33"),
        hostname: Some("fmc-north-03".into()),
        version: None,
        model: None,
        disputed: Vec::new(),
    };
    let status = |path: &str, command: &str, up: bool, at: Option<&str>| Fact::Tunnel {
        evidence: Evidence { path: path.into(), line: Some(5), ..Default::default() },
        tunnel: TunnelStatus {
            command: command.into(),
            peer: "10.70.1.21".into(),
            channel_a: Some(up),
            channel_b: Some(up),
            at: at.map(|t| t.parse().unwrap()),
            ..Default::default()
        },
    };
    let facts = [
        Fact::Device { evidence: Evidence::file(&format!("{fmc}/dir-archives/etc/sf/ims.conf")), device },
        status(
            &format!("{fmc}/command-outputs/sftunnel_status.pl.output"),
            "sftunnel_status.pl",
            true,
            Some("2026-10-14T02:11:40Z"),
        ),
        status("case/notes/status.txt", "sftunnel-status", false, None),
    ];
    let now = "2026-11-23T00:00:00Z".parse().unwrap();
    let inputs = super::Inputs { facts: &facts, findings: &[], handshakes: &[], certificates: &[], now };
    let (systems, _) = super::build(&inputs);
    let s = &systems[0];
    assert_eq!(s.devices.len(), 1);
    assert_eq!(s.devices[0].tunnel, super::Tunnel::Unknown);
    assert_ne!(s.tunnels, Tunnels::AllUp);
    assert_eq!(s.conflicts.len(), 1);
    assert_eq!(
        s.conflicts[0].text(),
        format!(
            "the sources disagree on the tunnel of 10.70.1.21: up (in {fmc}/command-outputs/sftunnel_status.pl.output, \
line 5, taken 2026-10-14 02:11:40 UTC) or down (in case/notes/status.txt, line 5, no time read)"
        )
    );
    assert!(
        s.notes.iter().all(|n| !n.contains("FMC address")),
        "a peer known as a device is not the FMC: {:?}",
        s.notes
    );
}

#[test]
fn a_status_taken_after_the_last_failure_is_said_in_a_note() {
    // A device's log fails at 06:15:05; its own status output, taken at 06:16:13, shows the
    // tunnel up: the tunnel is up (the newer evidence) and a note says what the status shows.
    use crate::diagnose::rules::{Finding, Kind};
    use crate::model::{Context, DeviceInfo, DeviceRole, Endpoint, Evidence, Fact, TunnelStatus};
    let ftd = "case/ftd.tgz!/results-ftd-branch-07";
    let device = DeviceInfo {
        role: DeviceRole::Ftd,
        uuid: crate::model::Uuid::parse("a7d20c4e-8b3f-11ee-9c41-6f2e81d05b19"),
        hostname: Some("ftd-branch-07".into()),
        version: None,
        model: None,
        disputed: Vec::new(),
    };
    let up = Fact::Tunnel {
        evidence: Evidence {
            path: format!("{ftd}/command-outputs/sftunnel_status_brief.pl.output"),
            line: Some(2),
            ..Default::default()
        },
        tunnel: TunnelStatus {
            command: "sftunnel-status-brief".into(),
            peer: "192.168.45.10".into(),
            channel_a: Some(true),
            channel_b: Some(true),
            at: Some("2026-03-14T06:16:13Z".parse().unwrap()),
            ..Default::default()
        },
    };
    let facts = [Fact::Device { evidence: Evidence::file(&format!("{ftd}/dir-archives/etc/sf/ims.conf")), device }, up];
    let text =
        "Mar 14 06:15:05 ftd-branch-07 SF-IMS[3120]: [4313] sftunneld:sf_ssl [ERROR] Connect:SSL handshake failed";
    let failed = Evidence::line_with(
        &format!("{ftd}/dir-archives/var-log/messages"),
        43,
        Some("2026-03-14T06:15:05Z".parse().unwrap()),
        crate::model::EvidenceText::new(text),
    );
    let mut f = Finding::new(Kind::ExpiredCa, Context::Sftunnel, "CA certificate at depth 1 has expired");
    f.device = Some("ftd-branch-07".into());
    f.peer = Some(Endpoint::parse("192.168.45.10"));
    f.depth = Some(1);
    f.last_seen = failed.time;
    f.evidence = vec![failed];
    let findings = [f];
    let now = "2026-11-23T00:00:00Z".parse().unwrap();
    let inputs = super::Inputs { facts: &facts, findings: &findings, handshakes: &[], certificates: &[], now };
    let (systems, _) = super::build(&inputs);
    let s = &systems[0];
    assert_eq!(s.devices[0].tunnel, super::Tunnel::Up);
    assert!(
        s.notes.contains(&format!(
            "ftd-branch-07: the status output ({ftd}/command-outputs/sftunnel_status_brief.pl.output, line 2, taken \
2026-03-14 06:16:13 UTC) shows the tunnel up, after the last failure its log shows \
({ftd}/dir-archives/var-log/messages, line 43, at 2026-03-14 06:15:05 UTC): the tunnel is taken as up"
        )),
        "{:?}",
        s.notes
    );
}
