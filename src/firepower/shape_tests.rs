//! Tests of the value shapes: each accepted form, and the attacks seen on bundles.

use super::*;

const U: &str = "cdb123c8-4347-11ef-aca1-f3aa241412a1";

#[test]
fn uuids_addresses_names() {
    assert!(check_uuid("UUID", U).is_ok());
    assert!(check_uuid("UUID", &U.to_uppercase()).is_ok());
    assert!(check_uuid("UUID", "cdb123c8-4347-11ef-aca1-f3aa241412a").is_err());
    assert!(check_uuid("UUID", "cdb123c84347-11ef-aca1-f3aa241412a1-").is_err());
    assert!(check_ip("address", "10.48.67.54").is_ok());
    assert!(check_ip("address", "fd00::1").is_ok());
    assert!(check_ip("address", "10.48.67.54;id").is_err());
    assert!(check_ip("address", "fmc.example.com").is_err());
    assert!(check_name("name", "EMEA-FPR3110-08").is_ok());
    assert!(check_name("name", "ftd_2.lab").is_ok());
    for bad in ["", "-rf", "=cmd|' /C calc'!A0", "a`id`", "a$(id)", "a\nb", "a b", "[EMEA]", "a;b", "a'b"] {
        assert!(check_name("name", bad).is_err(), "{bad:?}");
    }
}

#[test]
fn destinations_are_exactly_the_peer_files() {
    assert_eq!(check_destination(&format!("/var/sf/peers/{U}/sftunnel-key.pem")), Ok(&*format!("/var/sf/peers/{U}")));
    let bad = [
        "/etc/shadow".to_string(),
        format!("/var/sf/peers/{U}/../../../../root/.ssh/authorized_keys"),
        format!("/var/sf/peers/{U}/$(touch${{IFS}}PWNED)"),
        format!("/var/sf/peers/{U}//cacert.pem"),
        format!("/var/sf/peers/{U}/sub/cacert.pem"),
        format!("/var/sf/peers/{U}/cacert.pem.bak"),
        "/var/sf/peers/../cacert.pem".to_string(),
    ];
    for b in &bad {
        let e = check_destination(b).unwrap_err();
        assert!(e.starts_with("destination \""), "{e}");
    }
}

#[test]
fn sources_are_the_paths_generate_certs_writes() {
    assert!(check_files("/etc/sf/ca_root/cacert.pem", &format!("/var/sf/peers/{U}/cacert.pem")).is_ok());
    let key = format!("/var/sf/peers/{U}/sftunnel-key.pem");
    for ok in ["certs_pushed//", "certs_pushed/", ""] {
        assert!(check_files(&format!("/var/sf/peers/{U}/{ok}sftunnel-key.pem"), &key).is_ok(), "{ok}");
    }
    assert!(check_files("", &key).is_ok(), "console rows have no source");
    for bad in [
        "/etc/sf/ca_root/cacert.pem".to_string(),
        format!("/var/sf/peers/{U}/certs_pushed//sftunnel-cert.pem"),
        format!("/var/sf/peers/{U}/certs_pushed/../../../../etc/shadow"),
        "/root/.ssh/id_rsa".to_string(),
    ] {
        assert!(check_files(&bad, &key).unwrap_err().starts_with("source \""), "{bad}");
    }
}

#[test]
fn reasons_name_the_line_and_escape_the_value() {
    let row = PushRow {
        device_uuid: U.into(),
        device_name: "ftd\x1b[2J".into(),
        device_ip: "10.0.0.1".into(),
        source: String::new(),
        destination: String::new(),
        line: Some(7),
    };
    assert_eq!(
        check_row(&row).unwrap_err(),
        "line 7: device name \"ftd\\x1b[2J\" has characters a device name never has"
    );
    let long = "a".repeat(300) + "$";
    assert!(shown(&long).ends_with("a…\""));
}
