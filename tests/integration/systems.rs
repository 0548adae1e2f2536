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
    assert_eq!(step_ids(s), ["push-with-copy-script", "copy-by-hand", "restart-sftunnel", "verify-tunnels"]);
    assert_eq!(s["next_steps"][0]["command"], "tlstriage plan samples/bundles/fmc-hq-01.tar.gz");
    assert_eq!(s["next_steps"][2]["on"], "ftd-branch-07 (192.168.45.21), ftd-dc-02 (192.168.45.22)");
    // Every finding of the bundles belongs to the system.
    for f in v["findings"].as_array().unwrap() {
        assert_eq!(f["system"], "fmc-hq-01", "{}", f["kind"]);
    }
}

#[test]
fn the_ftd_log_alone_says_expired_and_what_to_collect() {
    let (_, v) = analyze_json(&["samples/logs/ftd-expired-ca"], &[]);
    assert_eq!(heads(&v), ["ca-3b9c1e52-8a41-11e4-9c2f-5254001a7c33 expired all-down"]);
    let s = &v["systems"][0];
    assert_eq!(s["fmc"]["ip"], "192.168.45.10");
    assert_eq!(s["fmc"]["version"], Value::Null);
    assert_eq!(s["internal_ca"]["not_after"], Value::Null);
    assert_eq!(devices(s), ["ftd-branch-07 - - down false"]);
    assert_eq!(
        step_ids(s),
        [
            "backup-fmc",
            "install-hotfix",
            "upgrade-fmc",
            "check-tunnels",
            "run-generate-certs",
            "push-with-copy-script",
            "copy-by-hand",
            "restart-sftunnel",
            "verify-tunnels"
        ]
    );
    assert_eq!(s["collect"].as_array().unwrap().len(), 2);
}

#[test]
fn unrelated_systems_of_all_samples_stay_apart() {
    let (_, v) = analyze_json(&["samples"], &[]);
    assert_eq!(
        heads(&v),
        [
            "fmc-hq-01 renewed-push-pending all-down",
            "ca-8f3c2a64-5b1e-11ea-9d2f-4a1c7e0b6d35 healthy all-down",
            "ca-2d7b9e10-d1a3-11e3-8c4f-0b5e3a9f7c21 expired all-down",
            "managing-ftd-lab-03 unknown all-down",
        ]
    );
    // The capture lab's FMC and ftd-lab-03 never get fmc-hq-01's version or hotfix.
    for id in
        ["ca-8f3c2a64-5b1e-11ea-9d2f-4a1c7e0b6d35", "ca-2d7b9e10-d1a3-11e3-8c4f-0b5e3a9f7c21", "managing-ftd-lab-03"]
    {
        let s = system(&v, id);
        assert_eq!(s["fmc"]["version"], Value::Null, "{id}");
        assert!(!s.to_string().contains("7.4.1"), "{id}");
    }
    assert_eq!(devices(system(&v, "managing-ftd-lab-03")), ["ftd-lab-03 - - down false"]);
    assert_eq!(step_ids(system(&v, "managing-ftd-lab-03")), Vec::<&str>::new());
    // TLS-proxy and HTTPS findings belong to no system; nor does an sftunnel finding that names
    // neither a device nor a peer (a bare forum paste).
    for f in v["findings"].as_array().unwrap() {
        let sftunnel = f["context"] == "sftunnel" || f["context"] == "fmc-ha";
        let placeable = f.get("device").is_some() || f.get("peer").is_some();
        assert_eq!(f.get("system").is_some(), sftunnel && placeable, "{} {}", f["kind"], f["context"]);
    }
}
