//! Field material inside bundles and beside certificate files: a status output in a bundle's
//! `command-outputs/` feeds the bundle's device tunnel; a not-yet-valid error in a log beside the
//! certificate file it is about takes the clock branch.

use crate::common::analyze_json;

use crate::common::tgz;

const IMS: &[u8] =
    b"APPLIANCE_UUID=7a1d3c52-2e4f-11f0-8b6a-0c9d2e4f5a61\nHOSTNAME=ftd-edge-11\nSWVERSION=7.6.0\nMODEL_TYPE=SENSOR\n";
const BRIEF_DOWN: &[u8] = b"PEER:172.16.60.10
        Registration: Completed.
        IPv4 Connection to peer '172.16.60.10' Attempted at Sat Mar 14 08:12:40 2026 UTC
        Last disconnect time : Sat Mar 14 08:01:02 2026 UTC
        Last disconnect reason : Both control and event channel connections with peer went down
";

#[test]
fn a_status_output_in_command_outputs_sets_the_bundles_device_tunnel() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("results-ftd-edge-11.tar.gz");
    let entries: [(&str, &[u8]); 2] = [
        ("results-ftd-edge-11/etc/sf/ims.conf", IMS),
        ("results-ftd-edge-11/command-outputs/usr-local-sf-bin-sftunnel-status-brief.output", BRIEF_DOWN),
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
    let log = "Mar 14 21:30:05 ftd-edge-11 SF-IMS[4101]: [4188] sftunneld:sf_ssl [INFO] Initiating IPv4 connection to 172.16.60.10:8305/tcp
Mar 14 21:30:05 ftd-edge-11 SF-IMS[4101]: [4188] sftunneld:sf_ssl [ERROR] -Error with certificate at depth: 0
Mar 14 21:30:05 ftd-edge-11 SF-IMS[4101]: [4188] sftunneld:sf_ssl [ERROR] subject = /O=Cisco Systems/CN=fmc-edge-01
Mar 14 21:30:05 ftd-edge-11 SF-IMS[4101]: [4188] sftunneld:sf_ssl [ERROR] err 9:certificate is not yet valid
Mar 14 21:30:05 ftd-edge-11 SF-IMS[4101]: [4188] sftunneld:sf_ssl [ERROR] establishConnectionUtil: SSL handshake failed
";
    std::fs::write(dir.path().join("messages"), log).unwrap();
    let (_, v) = analyze_json(&[dir.path().to_str().unwrap()], &[]);
    let f = crate::common::finding(&v, "not-yet-valid");
    assert_eq!(f["facts"]["clock_behind"], "2 h 29 min");
    assert_eq!(f["certificate"]["not_before"], "2026-03-15T00:00:00Z");
    let first = f["remediation"]["steps"][0].as_str().unwrap();
    assert!(first.starts_with("The certificate was used 2 h 29 min before its notBefore"), "{first}");
    assert!(first.contains("NTP"), "{first}");
}
