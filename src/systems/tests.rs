//! Unit tests of the systems model: the steps of each state and the hotfix of each version.

use super::examples;
use super::steps::for_system;
use super::{State, StepId, Tunnels};

fn ids(s: &super::System) -> Vec<&'static str> {
    s.next_steps.iter().map(|st| st.id.as_str()).collect()
}

fn example(state: State, tunnels: Tunnels) -> super::System {
    examples::all().into_iter().map(|(_, s)| s).find(|s| s.state == state && s.tunnels == tunnels).unwrap()
}

#[test]
fn each_state_gets_the_sources_order() {
    use State::*;
    use Tunnels::*;
    const RENEW: [&str; 4] = ["backup-fmc", "install-hotfix", "check-tunnels", "run-generate-certs"];
    const PUSH: [&str; 4] = ["push-with-copy-script", "copy-by-hand", "restart-sftunnel", "verify-tunnels"];
    let renew_then = |rest: &[&'static str]| -> Vec<&'static str> { RENEW.iter().chain(rest).copied().collect() };
    let mut all_down = renew_then(&PUSH);
    all_down.insert(2, "upgrade-fmc");
    let cases: [(State, Tunnels, Vec<&str>); 6] = [
        (Expiring, AllUp, renew_then(&["verify-tunnels"])),
        (Expired, AllUp, renew_then(&["verify-tunnels"])),
        (Expired, SomeDown, renew_then(&PUSH)),
        (Expired, AllDown, all_down),
        (RenewedPushPending, SomeDown, PUSH.to_vec()),
        (Renewed, AllUp, vec!["verify-tunnels"]),
    ];
    for (state, tunnels, want) in cases {
        assert_eq!(ids(&example(state, tunnels)), want, "{state:?} {tunnels:?}");
    }
    // Only with every device down is the upgrade offered, and then as an option.
    let all_down = example(Expired, AllDown);
    assert!(all_down.next_steps.iter().find(|s| s.id == StepId::UpgradeFmc).unwrap().optional);
    // While tunnels are up on an expired CA: no reboot, no upgrade.
    let up = example(Expired, AllUp);
    assert!(up.next_steps[0].text.contains("do not reboot or upgrade"));
    assert!(!ids(&up).contains(&"upgrade-fmc"));
}

#[test]
fn the_hotfix_step_follows_the_version_exactly() {
    let with = |state, tunnels, v: &str| {
        let mut s = example(state, tunnels);
        s.fmc.version = Some(v.into());
        s.fmc.name = Some("fmc-x".into());
        s.next_steps = for_system(&s, &[]);
        s
    };
    let hotfix = |s: &super::System| s.next_steps[1].clone();
    for (v, name) in [
        ("7.0.0", "FK 7.0.6.99-9"),
        ("7.0.6", "FK 7.0.6.99-9"),
        ("7.2.0", "FZ 7.2.9.99-4"),
        ("7.2.9", "FZ 7.2.9.99-4"),
        ("7.3.0", "AE 7.3.1.99-4"),
        ("7.3.1", "AE 7.3.1.99-4"),
        ("7.4.0", "AO 7.4.2.99-5"),
        ("7.4.2", "AO 7.4.2.99-5"),
        ("7.6.0", "B 7.6.0.99-5"),
    ] {
        let st = hotfix(&with(State::Expiring, Tunnels::AllUp, v));
        assert_eq!(st.id, StepId::InstallHotfix, "{v}");
        assert!(
            st.text.to_string().starts_with(&format!("Install Hotfix {name} on fmc-x (FMC {v})")),
            "{v}: {}",
            st.text
        );
    }
    for v in ["6.7.0", "7.0.7", "7.2.10", "7.3.2", "7.4.3", "7.5.0", "7.6.1"] {
        let st = hotfix(&with(State::Expiring, Tunnels::AllUp, v));
        assert_eq!(st.id, StepId::ContactTac, "{v}");
        assert!(
            st.text.to_string().starts_with(&format!("FMC {v} is outside the source's hotfix list")),
            "{v}: {}",
            st.text
        );
        assert!(!st.text.contains("needs no reboot"), "{v}");
    }
    // 7.1: no hotfix. With tunnels up on an expired CA an upgrade would drop them: TAC only.
    let up = with(State::Expired, Tunnels::AllUp, "7.1.0");
    assert_eq!(hotfix(&up).id, StepId::ContactTac);
    assert!(!ids(&up).contains(&"upgrade-fmc"));
    let expiring = with(State::Expiring, Tunnels::AllUp, "7.1.0.2");
    assert_eq!(ids(&expiring)[1..3], ["upgrade-fmc", "contact-tac"]);
    assert!(!expiring.next_steps.iter().any(|s| s.text.contains("needs no reboot")));
}

#[test]
fn subject_and_address_parts_read_as_their_plain_definitions_say() {
    // The scans are written for speed; these are what they must agree with.
    let cn = |s: &'static str| s.split(['/', ',']).map(str::trim).find_map(|p| p.strip_prefix("CN="));
    let internal = |s: &'static str| s.to_ascii_lowercase().contains("title=internalca");
    let subjects = [
        "/title=InternalCA/OU=Intrusion Management System/CN=8f3c2a64-5b1e-11ea-9d2f-4a1c7e0b6d35/O=Cisco",
        "O=Cisco Systems, CN= device-1 ,OU=x",
        "/CN=first/CN=second",
        "CN=",
        "",
        "TITLE=INTERNALCA",
        "tItle=internalc",
        "t",
        "/CN=é/title=InternalCA",
        "  CN=spaced  ",
        "cn=lower",
        "/O=a,b/CN=c",
    ];
    // Addresses: through the parser, with or without a port.
    fn ip(addr: &str) -> Option<std::net::IpAddr> {
        let a = addr.trim();
        let shown = |s: &str| s.parse::<std::net::IpAddr>().ok();
        shown(a)
            .or_else(|| a.strip_prefix('[').and_then(|r| r.split_once(']')).and_then(|(i, _)| shown(i)))
            .or_else(|| if a.starts_with('[') { None } else { a.rsplit_once(':').and_then(|(i, _)| shown(i)) })
    }
    for a in
        ["10.0.0.1", "010.0.0.1", "10.0.0.1:8305", "[fe80::0001]:8305", "FE80::1", "1.2.3.4.5", " 1.2.3.4 ", "[1.2.3.4"]
    {
        assert_eq!(super::keys::ip_of(a), ip(a), "{a:?}");
    }
    for s in subjects {
        assert_eq!(super::keys::cn_of(s), cn(s), "{s:?}");
        assert_eq!(crate::firepower::is_internal_ca(s), internal(s), "{s:?}");
    }
}

#[test]
fn the_state_expires_in_the_window_of_expiring_soon() {
    let now: jiff::Timestamp = "2026-11-23T00:00:00Z".parse().unwrap();
    let state_with = |days: i64| {
        let mut s = example(State::Expiring, Tunnels::AllUp);
        let end = now.checked_add(jiff::SignedDuration::from_hours(24 * days)).unwrap();
        s.internal_ca = Some(super::CaInfo { not_after: Some(end), days_left: Some(days), ..Default::default() });
        super::state::judge(&mut s, now);
        s.state
    };
    // Exactly 90 whole days left is not yet in the window; 89 is (as for `expiring-soon`).
    assert_eq!(state_with(90), State::Healthy);
    assert_eq!(state_with(89), State::Expiring);
}

/// Every known device down is not every device down while nothing from the FMC's side lists
/// them: no upgrade is offered, the tunnel check says how many are known, and the reboot warning
/// stays.
#[test]
fn all_known_down_without_the_fmc_list_offers_no_upgrade() {
    let mut s = example(State::Expired, Tunnels::AllDown);
    s.device_list = None;
    s.next_steps = for_system(&s, &[]);
    assert!(!ids(&s).contains(&"upgrade-fmc"), "{:?}", ids(&s));
    let check = s.next_steps.iter().find(|st| st.id == StepId::CheckTunnels).unwrap();
    assert!(
        check.text.to_string().starts_with(
            "Only 1 device of the FMC is known from the inputs (each disconnected device), and it is disconnected; \
nothing in them lists the FMC's devices"
        ),
        "{}",
        check.text
    );
    assert!(s.next_steps[0].text.contains("do not reboot or upgrade"));
}

#[test]
fn a_finding_folded_from_two_devices_logs_makes_both_devices_of_the_system() {
    // One expired CA reported by ftd-alpha and by ftd-bravo is one finding; the system knows
    // both devices, each down at its own last line, and the summary counts both.
    use crate::diagnose::rules::{Finding, Kind};
    use crate::model::Context;
    use crate::model::{Endpoint, Evidence, Host};
    let line = |path: &str, t: &str, host: &str| {
        let text = format!(
            "Mar 14 06:00:05 {host} SF-IMS[3120]: [4310] sftunneld:sf_ssl [ERROR] Connect:SSL handshake failed"
        );
        Evidence::line_with(path, 5, Some(t.parse().unwrap()), crate::model::EvidenceText::new(&text))
    };
    let mut f = Finding::new(Kind::ExpiredCa, Context::Sftunnel, "CA certificate at depth 1 has expired");
    f.device = Some("ftd-alpha".into());
    f.peer = Some(Endpoint::parse("192.168.45.10"));
    f.depth = Some(1);
    f.certificate.subject = Some("/CN=3b9c1e52-8a41-11e4-9c2f-5254001a7c33".into());
    f.first_seen = Some("2026-03-14T06:00:05Z".parse().unwrap());
    f.last_seen = Some("2026-03-15T07:15:05Z".parse().unwrap());
    f.evidence = vec![
        line("a/messages", "2026-03-14T06:15:05Z", "ftd-alpha"),
        line("b/messages", "2026-03-15T07:15:05Z", "ftd-bravo"),
    ];
    f.shared.add_affected([Host::Name("ftd-alpha".into()), Host::Name("ftd-bravo".into())]);
    let findings = [f];
    let now = "2026-11-23T00:00:00Z".parse().unwrap();
    let inputs = super::Inputs { facts: &[], findings: &findings, handshakes: &[], certificates: &[], now };
    let (systems, _) = super::build(&inputs);
    assert_eq!(systems.len(), 1);
    let s = &systems[0];
    let devices: Vec<(Option<&str>, super::Tunnel, Option<&str>)> =
        s.devices.iter().map(|d| (d.name.as_deref(), d.tunnel, d.evidence[0].text.as_deref())).collect();
    assert_eq!(devices.len(), 2);
    assert_eq!((devices[0].0, devices[0].1), (Some("ftd-alpha"), super::Tunnel::Down));
    assert_eq!((devices[1].0, devices[1].1), (Some("ftd-bravo"), super::Tunnel::Down));
    assert!(devices[0].2.unwrap().contains(" ftd-alpha "), "each device's evidence is its own line");
    assert!(devices[1].2.unwrap().contains(" ftd-bravo "));
    assert_eq!(s.tunnels, Tunnels::AllDown);
    assert!(super::summary::line(s).contains("all 2 devices disconnected"), "{}", super::summary::line(s));
}

#[test]
fn the_push_step_names_the_devices_whose_rows_the_plan_refuses() {
    // A FAILED_PUSH row naming "ftd branch 07" is refused by the plan: the step that points to
    // the plan says so, so that analyze and plan agree.
    let mut s = example(State::RenewedPushPending, Tunnels::SomeDown);
    s.push_facts = vec![0];
    s.plan_inputs = vec!["case/fmc".into()];
    s.devices = vec![super::Device {
        name: Some("ftd branch 07".into()),
        needs_push: true,
        tunnel: super::Tunnel::Down,
        ..Default::default()
    }];
    s.next_steps = for_system(&s, &[]);
    let push = s.next_steps.iter().find(|st| st.id == StepId::PushWithCopyScript).unwrap();
    assert!(
        push.text.to_string().ends_with(
            "The plan refuses the rows of ftd branch 07 (a name with characters a device name never has): add them \
to devices.csv by hand, under the name the FMC shows."
        ),
        "{}",
        push.text
    );
}
