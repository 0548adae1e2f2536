//! The `systems` array: the evidence grouped by FMC and InternalCA, each system's state,
//! devices and next-step ids, asserted exactly on the shipped samples.

use serde_json::Value;

use crate::common::analyze_json;

/// `id state tunnels` of every system.
fn heads(v: &Value) -> Vec<String> {
    v["systems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!("{} {} {}", s["id"].as_str().unwrap(), s["state"].as_str().unwrap(), s["tunnels"].as_str().unwrap())
        })
        .collect()
}

fn system<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["systems"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap_or_else(|| panic!("no system {id}"))
}

/// The renewal steps, then the pushes to the devices whose tunnel is down.
const RENEW: [&str; 4] = ["backup-fmc", "install-hotfix", "check-tunnels", "run-generate-certs"];
const PUSH: [&str; 4] = ["push-with-copy-script", "copy-by-hand", "restart-sftunnel", "verify-tunnels"];

fn joined(parts: &[&[&'static str]]) -> Vec<&'static str> {
    parts.iter().flat_map(|p| p.iter().copied()).collect()
}

fn step_ids(s: &Value) -> Vec<&str> {
    s["next_steps"].as_array().unwrap().iter().map(|st| st["id"].as_str().unwrap()).collect()
}

/// `name ip uuid tunnel needs_push` of every device.
fn devices(s: &Value) -> Vec<String> {
    let t = |x: &Value| x.as_str().unwrap_or("-").to_string();
    s["devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("{} {} {} {} {}", t(&d["name"]), t(&d["ip"]), t(&d["uuid"]), t(&d["tunnel"]), d["needs_push"]))
        .collect()
}

#[test]
fn the_renewed_fmc_bundle_only_needs_its_pushes() {
    let (_, v) = analyze_json(&["samples/bundles"], &[]);
    assert_eq!(heads(&v), ["fmc-hq-01 renewed-push-pending all-down"]);
    let s = system(&v, "fmc-hq-01");
    assert_eq!(s["fmc"]["uuid"], "3b9c1e52-8a41-11e4-9c2f-5254001a7c33");
    assert_eq!(s["fmc"]["version"], "7.4.1");
    assert_eq!(s["fmc"]["ip"], "192.168.45.10");
    assert_eq!(s["internal_ca"]["serial"], "6c:02");
    assert_eq!(s["internal_ca"]["not_after"], "2036-03-12T00:00:00Z");
    assert_eq!(s["previous_ca"]["serial"], "5a:01");
    assert_eq!(s["renewed_at"], "2026-03-14T09:20:00Z");
    assert_eq!(
        devices(s),
        [
            "ftd-branch-07 192.168.45.21 a7d20c4e-8b3f-11ee-9c41-6f2e81d05b19 down true",
            "ftd-dc-02 192.168.45.22 5e19b3f7-8c20-11ee-b2d6-0c4a7f93e1d8 down true",
        ]
    );
    assert_eq!(step_ids(s), PUSH);
    assert_eq!(s["next_steps"][0]["command"], "tlstriage plan 'samples/bundles/fmc-hq-01.tar.gz' -o 'plan-fmc-hq-01'");
    assert_eq!(s["next_steps"][2]["on"], "ftd-branch-07 (192.168.45.21), ftd-dc-02 (192.168.45.22)");
    // Every finding of the bundles belongs to the system.
    for f in v["findings"].as_array().unwrap() {
        assert_eq!(f["system"], "fmc-hq-01", "{}", f["kind"]);
    }
}

#[test]
fn the_ftd_log_alone_says_expired_and_what_to_collect() {
    let (_, v) = analyze_json(&["samples/logs/ftd-expired-ca"], &[]);
    // Named by the log's host; its FMC by the CA's CN only (which end is the FMC, no input says).
    assert_eq!(heads(&v), ["ftd-branch-07 expired all-down"]);
    let s = &v["systems"][0];
    assert_eq!(s["fmc"]["ip"], Value::Null);
    assert_eq!(s["fmc"]["uuid"], "3b9c1e52-8a41-11e4-9c2f-5254001a7c33");
    assert_eq!(s["internal_ca"]["reported"], true);
    assert_eq!(s["fmc"]["version"], Value::Null);
    assert_eq!(s["internal_ca"]["not_after"], Value::Null);
    assert_eq!(devices(s), ["ftd-branch-07 - - down false"]);
    // One device known, and nothing from the FMC's side lists its devices: no upgrade offered.
    assert_eq!(step_ids(s), joined(&[&RENEW, &PUSH]));
    assert_eq!(s["collect"].as_array().unwrap().len(), 3);
}

#[test]
fn unrelated_systems_of_all_samples_stay_apart() {
    let (_, v) = analyze_json(&["samples"], &[]);
    assert_eq!(
        heads(&v),
        [
            "fmc-hq-01 renewed-push-pending all-down",
            "fmc-north-03 expired all-up",
            "fmc-ha-a expired some-down",
            "fmc-ha-b expiring unknown",
            "fmc-west-02 expiring unknown",
            "fmc-east-01 renewed unknown",
            "ftd-lab-09 expired unknown",
            "10.48.79.232 (8f3c2a64-5b1e-11ea-9d2f-4a1c7e0b6d35) healthy all-down",
            "10.48.79.232 (2d7b9e10-d1a3-11e3-8c4f-0b5e3a9f7c21) expired all-down",
            "ftd-lab-03 unknown all-down",
            "ftd-lab-05 unknown all-down",
        ]
    );
    // The openssl checks on ftd-lab-09: its verify errors report the expired CA (the system is
    // named after the device that printed them); the CA it printed lies in no appliance's tree.
    let lab09 = system(&v, "ftd-lab-09");
    assert_eq!(lab09["internal_ca"]["reported"], true);
    assert_eq!(lab09["fmc"]["uuid"], "6f0d2a91-3c4e-11ef-8b7a-5d2c9e4f1a03");
    assert_eq!(lab09["loose"][0]["path"], "samples/openssl/ftd-lab-09-checks.txt");
    // The capture lab's FMC and ftd-lab-03 never get fmc-hq-01's version or hotfix.
    for id in [
        "10.48.79.232 (8f3c2a64-5b1e-11ea-9d2f-4a1c7e0b6d35)",
        "10.48.79.232 (2d7b9e10-d1a3-11e3-8c4f-0b5e3a9f7c21)",
        "ftd-lab-03",
    ] {
        let s = system(&v, id);
        assert_eq!(s["fmc"]["version"], Value::Null, "{id}");
        assert!(!s.to_string().contains("7.4.1"), "{id}");
    }
    assert_eq!(devices(system(&v, "ftd-lab-03")), ["ftd-lab-03 - - down false"]);
    assert_eq!(step_ids(system(&v, "ftd-lab-03")), Vec::<&str>::new());
    // TLS-proxy and HTTPS findings belong to no system; nor does an sftunnel finding that names
    // neither a device nor a peer nor a bundle (a bare forum paste).
    for f in v["findings"].as_array().unwrap() {
        let sftunnel = f["context"] == "sftunnel" || f["context"] == "fmc-ha";
        let in_bundle = f["evidence"].as_array().unwrap().iter().any(|e| e["path"].as_str().unwrap().contains("!/"));
        let placeable = f.get("device").is_some() || f.get("peer").is_some() || in_bundle;
        assert_eq!(f.get("system").is_some(), sftunnel && placeable, "{} {}", f["kind"], f["context"]);
    }
}

#[test]
fn two_unrelated_fmcs_keep_their_own_facts() {
    let (_, v) = analyze_json(&["samples/cases/two-fmcs"], &[]);
    assert_eq!(heads(&v), ["fmc-west-02 expiring unknown", "fmc-east-01 renewed unknown"]);
    let west = system(&v, "fmc-west-02");
    assert_eq!(west["fmc"]["version"], "7.2.4");
    assert_eq!(west["internal_ca"]["days_left"], 56);
    assert_eq!(devices(west), ["ftd-west-11 10.60.0.11 1f6b2d90-4e1a-11ec-8a3d-0050569a0b11 unknown false"]);
    assert_eq!(step_ids(west), joined(&[&RENEW, &["verify-tunnels"]]));
    assert!(west["next_steps"][1]["text"].as_str().unwrap().starts_with("Install Hotfix FZ 7.2.9.99-4 on fmc-west-02"));
    let east = system(&v, "fmc-east-01");
    // The other FMC's version never leaks into this system.
    assert_eq!(east["fmc"]["version"], Value::Null);
    assert_eq!(east["fmc"]["ip"], "10.80.0.10");
    assert_eq!(east["internal_ca"]["serial"], "72:02");
    assert_eq!(east["previous_ca"]["serial"], "72:01");
    assert_eq!(devices(east), ["ftd-east-04 - 6b1f0c3e-5d2a-11ef-a3c9-0050569c1d20 unknown false"]);
    assert_eq!(step_ids(east), ["verify-tunnels"]);
    // Each finding's remediation is its system's.
    for f in v["findings"].as_array().unwrap() {
        let s = system(&v, f["system"].as_str().unwrap());
        if f["remediation"]["id"].as_str().unwrap().starts_with("sftunnel-") && f["kind"] != "expiring-soon" {
            assert_eq!(f["remediation"]["id"], format!("sftunnel-{}", s["state"].as_str().unwrap()));
        }
        assert!(!f.to_string().contains("7.2.9.99") || f["system"] == "fmc-west-02", "{f}");
    }
}

#[test]
fn fmc_ha_primary_first_secondary_as_a_managed_peer() {
    let (_, v) = analyze_json(&["samples/cases/fmc-ha"], &[]);
    assert_eq!(heads(&v), ["fmc-ha-a expired some-down", "fmc-ha-b expiring unknown"]);
    let a = system(&v, "fmc-ha-a");
    assert_eq!(a["fmc"]["ha_role"], "primary");
    assert_eq!(a["internal_ca"]["serial"], "73:01");
    assert_eq!(
        devices(a),
        [
            "fmc-ha-b 10.90.0.11 7a93c5e2-0b4d-11ec-9f2e-5254003c9d02 unknown false",
            "ftd-ha-05 10.90.0.5 0c5e8f21-7e3c-11e8-a4b2-5254003c9d05 down false",
        ]
    );
    assert_eq!(a["devices"][0]["fmc"], true);
    assert_eq!(step_ids(a), joined(&[&["switch-ha-active"], &RENEW, &PUSH]));
    assert_eq!(a["next_steps"][0]["optional"], true);
    assert!(a["next_steps"][2]["text"].as_str().unwrap().starts_with("Install Hotfix FK 7.0.6.99-9 on fmc-ha-a"));
    assert!(a["next_steps"][1]["text"].as_str().unwrap().contains("do not reboot or upgrade"));
    let b = system(&v, "fmc-ha-b");
    assert_eq!(b["fmc"]["ha_role"], "secondary");
    assert_eq!(b["fmc"]["ip"], "10.90.0.11");
    assert_eq!(b["internal_ca"]["serial"], "73:02");
    assert_eq!(devices(b), Vec::<String>::new());
    assert_eq!(
        step_ids(b),
        ["backup-fmc", "install-hotfix", "check-tunnels", "regenerate-on-secondary", "verify-tunnels"]
    );
}

#[test]
fn the_case_summary_comes_first_in_the_table() {
    let r = crate::common::run(&["analyze", "--year", "2026", "--now", "2026-11-23", "samples/bundles"]);
    let mut lines = r.stdout.lines();
    assert_eq!(lines.next(), Some("Case: 5 findings (2 critical, 3 error) in 17 inputs read"));
    assert_eq!(
        lines.next(),
        Some("fmc-hq-01 (7.4.1): InternalCA renewed 2026-03-14 09:20; 2 devices still hold the old one → push them:")
    );
    assert_eq!(lines.next(), Some("    `tlstriage plan 'samples/bundles/fmc-hq-01.tar.gz' -o 'plan-fmc-hq-01'`"));
    // The rejecting peer is named by its FAILED_PUSH name (the detail, shown with -v).
    let v = crate::common::run(&["analyze", "--year", "2026", "--now", "2026-11-23", "samples/bundles", "-v"]);
    assert!(v.stdout.contains("192.168.45.22 is ftd-dc-02"), "{}", v.stdout);
    assert!(r.stdout.contains("192.168.45.22 (ftd-dc-02)"), "{}", r.stdout);
    assert!(!r.stdout.contains("generate_certs.pl on fmc-hq-01"), "no new regeneration: {}", r.stdout);
}

#[test]
fn plan_follows_the_state() {
    let r = crate::common::run(&["plan", "--year", "2026", "--now", "2026-11-23", "samples/logs/ftd-expired-ca"]);
    assert!(r.stdout.contains("generate_certs.pl has not made a new InternalCA yet"), "{}", r.stdout);
    assert!(r.stdout.contains("[backup-fmc]") && r.stdout.contains("[run-generate-certs]"), "{}", r.stdout);
    let r = crate::common::run(&["plan", "--year", "2026", "--now", "2026-11-23", "samples/bundles"]);
    assert!(r.stdout.contains("Push only: generate_certs.pl has already made the new InternalCA"), "{}", r.stdout);
    assert!(!r.stdout.contains("[run-generate-certs]"), "{}", r.stdout);
}

/// The FTD bundle (old CA only) and the FMC's FAILED_PUSH as a loose file: no new CA in the
/// inputs, but generate_certs.pl ran after the expiry, so only the pushes are left.
#[test]
fn failed_push_newer_than_the_expiry_means_push_pending() {
    use std::io::Read;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let gz = std::fs::File::open(root.join("samples/bundles/fmc-hq-01.tar.gz")).unwrap();
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(gz));
    let mut failed_push = String::new();
    for entry in archive.entries().unwrap() {
        let mut e = entry.unwrap();
        if e.path().unwrap().ends_with("FAILED_PUSH") {
            e.read_to_string(&mut failed_push).unwrap();
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("var/tmp/certs/1773480000");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("FAILED_PUSH"), failed_push).unwrap();
    let ftd = root.join("samples/bundles/ftd-branch-07.tar.gz");
    let (_, v) = analyze_json(&[ftd.to_str().unwrap(), dir.path().to_str().unwrap()], &[]);
    assert_eq!(heads(&v), ["fmc-hq-01 renewed-push-pending all-down"]);
    let s = &v["systems"][0];
    assert_eq!(s["internal_ca"]["not_after"], "2026-03-10T00:00:00Z");
    assert_eq!(s["renewed_at"], "2026-03-14T09:20:00Z");
    assert!(s["collect"][0].as_str().unwrap().contains("/etc/sf/ca_root/cacert.pem"));
    assert_eq!(step_ids(s), PUSH);
    assert_eq!(
        devices(s),
        [
            "ftd-branch-07 192.168.45.21 a7d20c4e-8b3f-11ee-9c41-6f2e81d05b19 down true",
            "ftd-dc-02 192.168.45.22 5e19b3f7-8c20-11ee-b2d6-0c4a7f93e1d8 down true",
        ]
    );
}

#[test]
fn expired_with_every_tunnel_up_means_no_reboot_and_no_push() {
    let (_, v) = analyze_json(&["samples/cases/expired-up"], &[]);
    assert_eq!(heads(&v), ["fmc-north-03 expired all-up"]);
    let s = system(&v, "fmc-north-03");
    assert_eq!(
        devices(s),
        [
            "ftd-north-21 10.70.1.21 3e7b1a05-6c2d-11ec-9d10-0050569b2e21 up false",
            "ftd-north-22 10.70.1.22 8c40f6d2-6c2d-11ec-a1e7-0050569b2e22 up false",
        ]
    );
    assert_eq!(step_ids(s), joined(&[&RENEW, &["verify-tunnels"]]));
    let backup = s["next_steps"][0]["text"].as_str().unwrap();
    assert!(backup.contains("do not reboot or upgrade the FMC or any device"), "{backup}");
    assert!(s["next_steps"][1]["text"].as_str().unwrap().starts_with("Install Hotfix AE 7.3.1.99-4 on fmc-north-03"));
}

#[test]
fn a_valid_internal_ca_with_a_device_down_does_not_say_nothing_to_do() {
    // The capture lab's newer InternalCA is valid, but its device fails on port 8305 for other
    // reasons (client certificate expired, no common cipher or version, refused).
    let r =
        crate::common::run(&["analyze", "samples/captures", "--year", "2026", "--now", "2026-11-23", "--width", "200"]);
    // Two FMCs at one address (two InternalCAs, each CN an FMC's UUID): the address and the UUID.
    let name = "10.48.79.232 (8f3c2a64-5b1e-11ea-9d2f-4a1c7e0b6d35)";
    let line = r.stdout.lines().find(|l| l.starts_with(name)).unwrap_or_default();
    assert_eq!(
        line,
        "10.48.79.232 (8f3c2a64-5b1e-11ea-9d2f-4a1c7e0b6d35): InternalCA valid until 2030-02-20 (1185 days left); \
         not the cause of 1 device down (4 findings) → see the findings below",
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("nothing to do"), "{}", r.stdout);
}
