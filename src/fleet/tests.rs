//! Rows from hand-built systems, merging by system id and urgency order (the exporters' tests are
//! in `report/fleet_tests.rs`).

use super::row::{merge, Fleet, InputRow, RowState, SystemRow};
use super::systems::{error_row, row_from_system};
use crate::diagnose::{Command, StepText};
use crate::systems::{CaInfo, Device, Fmc, State, Step, StepId, System, Tunnel, Tunnels};

const UUID: &str = "3b9c1e52-8a41-11e4-9c2f-5254001a7c33";

fn ca(not_after: &str, days: i64) -> CaInfo {
    CaInfo {
        subject: format!("/title=InternalCA/OU=Intrusion Management System/CN={UUID}/O=Sourcefire, Inc."),
        not_after: Some(not_after.parse().unwrap()),
        days_left: Some(days),
        ..Default::default()
    }
}

fn device(name: &str, needs_push: bool) -> Device {
    Device { name: Some(name.into()), tunnel: Tunnel::Unknown, needs_push, ..Default::default() }
}

/// A system as an FMC bundle shows it (name, UUID, version) or, with `fmc_known` false, as a
/// device's bundle does (only the CA, whose CN is the FMC's UUID).
fn system(state: State, not_after: &str, days: i64, pending: &[&str], fmc_known: bool) -> System {
    let fmc = match fmc_known {
        true => Fmc {
            name: Some("fmc-hq-01".into()),
            uuid: crate::model::Uuid::parse(UUID),
            version: Some("7.4.1".into()),
            ..Default::default()
        },
        false => Fmc::default(),
    };
    let optional =
        Step { id: StepId::CopyByHand, on: "x".into(), text: StepText::ours("by hand"), command: None, optional: true };
    let push = Step {
        id: StepId::PushWithCopyScript,
        on: "fmc-hq-01".into(),
        text: StepText::ours("push them"),
        command: Some(Command::fixed("copy_sftunnel_certs.py devices.csv")),
        optional: false,
    };
    System {
        id: if fmc_known { "fmc-hq-01".into() } else { format!("ca-{UUID}") },
        fmc,
        internal_ca: Some(ca(not_after, days)),
        previous_ca: None,
        state,
        tunnels: Tunnels::Unknown,
        renewed_at: None,
        devices: pending.iter().map(|n| device(n, true)).chain([device("ftd-ok", false)]).collect(),
        device_list: None,
        next_steps: vec![optional, push],
        collect: Vec::new(),
        notes: Vec::new(),
        findings: Vec::new(),
        inputs: Vec::new(),
        plan_inputs: Vec::new(),
        loose: Vec::new(),
        conflicts: Vec::new(),
        push_facts: Vec::new(),
    }
}

/// A system whose FMC has a UUID made from a short tag (`e1` → `000000e1-0000-…`).
fn with_id(mut s: System, tag: &str) -> System {
    s.fmc.uuid = crate::model::Uuid::parse(&uuid_of(tag));
    s
}

fn uuid_of(tag: &str) -> String {
    format!("{tag:0>8}-0000-4000-8000-000000000000")
}

fn part(bundle: &str, systems: Vec<SystemRow>) -> Fleet {
    let n = systems.len();
    Fleet {
        systems,
        inputs: vec![InputRow { path: bundle.into(), status: "ok".into(), systems: n, findings: 1, message: None }],
    }
}

#[test]
fn a_system_becomes_a_row_with_its_pending_devices_and_first_step() {
    let r = row_from_system(
        &system(State::RenewedPushPending, "2036-03-12T00:00:00Z", 3397, &["ftd-dc-02"], true),
        "a.tgz",
    );
    assert_eq!(r.id, format!("fmc:{UUID}"));
    assert_eq!(r.fmc.as_deref(), Some("fmc-hq-01"));
    assert_eq!(r.version.as_deref(), Some("7.4.1"));
    assert_eq!(r.days_left, Some(3397));
    assert_eq!(r.devices_pending, vec!["ftd-dc-02"]);
    let step = r.next_step.as_ref().unwrap();
    assert_eq!(step.id, "push-with-copy-script", "the first step everyone takes, not an option");
    assert_eq!(step.command.as_deref(), Some("copy_sftunnel_certs.py devices.csv"));
    assert_eq!(r.bundles, vec!["a.tgz"]);
}

#[test]
fn the_same_system_in_two_bundles_is_one_row_led_by_the_newest_ca() {
    // The FTD's bundle knows only the old CA; its id comes from the CA's CN.
    let old = row_from_system(&system(State::Expired, "2026-03-10T00:00:00Z", -258, &["a", "stale"], false), "ftd.tgz");
    let new =
        row_from_system(&system(State::RenewedPushPending, "2036-03-12T00:00:00Z", 3397, &["b", "a"], true), "fmc.tgz");
    assert_eq!(old.id, new.id);
    let one = merge([part("ftd.tgz", vec![old.clone()]), part("fmc.tgz", vec![new.clone()])]);
    let other = merge([part("fmc.tgz", vec![new]), part("ftd.tgz", vec![old])]);
    assert_eq!(one, other, "merging does not depend on the order");
    assert_eq!(one.systems.len(), 1);
    let row = &one.systems[0];
    assert_eq!(row.state, super::row::RowState::RenewedPushPending);
    assert_eq!(row.days_left, Some(3397));
    assert_eq!(row.devices_pending, vec!["a", "b"], "pending as the newest CA's bundle says");
    assert_eq!(row.fmc.as_deref(), Some("fmc-hq-01"));
    assert_eq!(row.bundles, vec!["fmc.tgz", "ftd.tgz"]);
    assert_eq!(one.inputs.iter().map(|i| i.path.as_str()).collect::<Vec<_>>(), vec!["fmc.tgz", "ftd.tgz"]);
}

#[test]
fn rows_are_sorted_by_urgency_then_days_left() {
    let rows = [
        ("a", State::Healthy, 2000),
        ("e2", State::Expiring, 60),
        ("d", State::Expired, -3),
        ("e1", State::Expiring, 10),
        ("b", State::RenewedPushPending, 3000),
        ("c", State::Unknown, 3000),
    ];
    let mut parts: Vec<Fleet> = rows
        .iter()
        .map(|(id, st, d)| {
            part(id, vec![row_from_system(&with_id(system(*st, "2030-01-01T00:00:00Z", *d, &[], true), id), id)])
        })
        .collect();
    parts.push(part("bad.tgz", vec![error_row("bad.tgz", "gzip: invalid header")]));
    let fleet = merge(parts);
    let ids: Vec<&str> = fleet.systems.iter().map(|r| r.id.as_str()).collect();
    let fmc = |tag: &str| format!("fmc:{}", uuid_of(tag));
    let want = [fmc("d"), fmc("b"), fmc("e1"), fmc("e2"), "input:bad.tgz".into(), fmc("c"), fmc("a")];
    assert_eq!(ids, want);
}

#[test]
fn a_system_known_only_by_address_stays_in_its_bundle() {
    let mut s = system(State::Expired, "2026-03-10T00:00:00Z", -1, &[], false);
    s.internal_ca = None;
    s.id = "fmc-192.168.1.1".into();
    let a = row_from_system(&s, "a.tgz");
    let b = row_from_system(&s, "b.tgz");
    assert_eq!(a.id, "fmc-192.168.1.1@a.tgz");
    assert_eq!(merge([part("a.tgz", vec![a]), part("b.tgz", vec![b])]).systems.len(), 2);
}

#[test]
fn a_part_with_a_state_of_no_known_urgency_does_not_read() {
    let row = serde_json::to_value(error_row("bad.tgz", "gzip: invalid header")).unwrap();
    assert_eq!(row["state"], "error");
    let mut odd = row.clone();
    odd["state"] = "fine-probably".into();
    assert!(serde_json::from_value::<SystemRow>(row).is_ok());
    assert!(serde_json::from_value::<SystemRow>(odd).is_err(), "no state is guessed an urgency");
}

#[test]
fn rows_of_one_uuid_merge_only_when_their_cas_agree() {
    use crate::model::Sha256;
    let sha = |b: u8| Some(Sha256([b; 32]));
    // The FTD's bundle holds the old CA (1); the FMC's bundle shows the new one (2) and the old
    // one it replaced: they agree.
    let mut old = system(State::Expired, "2026-03-10T00:00:00Z", -258, &["ftd-branch-07"], false);
    old.internal_ca.as_mut().unwrap().sha256 = sha(1);
    let mut renewed = system(State::RenewedPushPending, "2036-03-12T00:00:00Z", 3397, &["ftd-branch-07"], true);
    renewed.internal_ca.as_mut().unwrap().sha256 = sha(2);
    renewed.previous_ca = Some(CaInfo { sha256: sha(1), ..ca("2026-03-10T00:00:00Z", -258) });
    let agree = merge([
        part("ftd.tgz", vec![row_from_system(&old, "ftd.tgz")]),
        part("fmc.tgz", vec![row_from_system(&renewed, "fmc.tgz")]),
    ]);
    assert_eq!(agree.systems.len(), 1);
    assert_eq!((agree.systems[0].state, agree.systems[0].name.as_str()), (RowState::RenewedPushPending, "fmc-hq-01"));
    assert!(agree.systems[0].conflicts.is_empty());
    // Another bundle claiming the same UUID with an unrelated CA (3): two rows, each keeps its
    // state, both say so and ask for action.
    let mut claim = system(State::Healthy, "2036-09-30T00:00:00Z", 3600, &[], true);
    claim.internal_ca.as_mut().unwrap().sha256 = sha(3);
    let apart = merge([
        part("ftd.tgz", vec![row_from_system(&old, "ftd.tgz")]),
        part("claim.tgz", vec![row_from_system(&claim, "claim.tgz")]),
    ]);
    let states: Vec<RowState> = apart.systems.iter().map(|r| r.state).collect();
    assert_eq!(states, [RowState::Expired, RowState::Healthy]);
    assert_ne!(apart.systems[0].id, apart.systems[1].id);
    assert!(apart.systems.iter().all(|r| r.needs_action() && r.conflicts.len() == 1));
    assert!(apart.systems[0].conflicts[0].contains("claim.tgz (CA 0303030303030303…, valid until 2036-09-30)"));
}
