//! Field material inside bundles and beside certificate files: a status output in a bundle's
//! `command-outputs/` feeds the bundle's device tunnel; a not-yet-valid error in a log beside the
//! certificate file it is about takes the clock branch.

use crate::common::analyze_json;

use crate::common::{fixture, tgz};

#[test]
fn a_status_output_in_command_outputs_sets_the_bundles_device_tunnel() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("results-ftd-edge-11.tar.gz");
    let entries = [
        ("results-ftd-edge-11/etc/sf/ims.conf", fixture("ftd-edge-11/ims.conf")),
        (
            "results-ftd-edge-11/command-outputs/usr-local-sf-bin-sftunnel-status-brief.output",
            fixture("ftd-edge-11/sftunnel-status-brief-down.output"),
        ),
    ];
    std::fs::write(&bundle, tgz(&entries)).unwrap();
    let (_, v) = analyze_json(&[bundle.to_str().unwrap()], &[]);
    let status = v["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"].as_str().unwrap().ends_with("sftunnel-status-brief.output"))
        .expect("the status output is an input");
    assert_eq!((status["format"].as_str(), status["status"].as_str()), (Some("tunnel-status"), Some("ok")));
    assert_eq!(crate::common::kinds(&v), ["tunnel-down"]);
    let devices: Vec<String> = v["systems"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["devices"].as_array().unwrap().iter())
        .map(|d| format!("{} {}", d["name"], d["tunnel"]))
        .collect();
    assert_eq!(devices, ["\"ftd-edge-11\" \"down\""]);
}

#[test]
fn not_yet_valid_by_a_few_hours_points_at_the_verifying_clock() {
    let dir = tempfile::tempdir().unwrap();
    let pem = crate::common::certs::self_signed("fmc-edge-01", (2026, 3, 15), (2036, 3, 15));
    std::fs::write(dir.path().join("sftunnel-cert.pem"), pem).unwrap();
    std::fs::copy(crate::common::data("ftd-edge-11/messages-not-yet-valid"), dir.path().join("messages")).unwrap();
    let (_, v) = analyze_json(&[dir.path().to_str().unwrap()], &[]);
    let f = crate::common::finding(&v, "not-yet-valid");
    assert_eq!(f["facts"]["clock_behind"], "2 h 29 min");
    assert_eq!(f["certificate"]["not_before"], "2026-03-15T00:00:00Z");
    let first = f["remediation"]["steps"][0].as_str().unwrap();
    assert!(first.starts_with("The certificate was used 2 h 29 min before its notBefore"), "{first}");
    assert!(first.contains("NTP"), "{first}");
}
