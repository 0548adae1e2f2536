//! Troubleshoot bundles built in the test from the project's own samples and certificates
//! generated here: findings, the repair plan, and that no key material leaks.

use crate::common;

use rcgen::{CertificateParams, DistinguishedName, DnType, Issuer, KeyPair};

const FMC_UUID: &str = "3b9c1e52-8a41-11e4-9c2f-5254001a7c33";

/// An InternalCA like the FMC's (title/OU/CN/O in that order), valid until `until`.
fn internal_ca(until: (i32, u8, u8)) -> (CertificateParams, KeyPair, String) {
    let p = common::certs::internal_ca_params(FMC_UUID, (2016, 3, 14), until);
    let key = KeyPair::generate().unwrap();
    let pem = p.self_signed(&key).unwrap().pem();
    (p, key, pem)
}

/// A device certificate signed by `issuer`; returns (cert PEM, key PEM).
fn device_cert(cn: &str, issuer: &Issuer<'_, KeyPair>) -> (String, String) {
    let mut p = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, cn);
    dn.push(DnType::OrganizationName, "Cisco Systems, Inc");
    p.distinguished_name = dn;
    p.not_before = rcgen::date_time_ymd(2024, 1, 1);
    p.not_after = rcgen::date_time_ymd(2034, 1, 1);
    let key = KeyPair::generate().unwrap();
    (p.signed_by(&key, issuer).unwrap().pem(), key.serialize_pem())
}

use crate::common::tgz;

use crate::common::sample;

struct Case {
    dir: tempfile::TempDir,
    key_pems: Vec<String>,
}

/// An FTD bundle (expired InternalCA on disk and in the log) and an FMC bundle (after
/// regeneration, FAILED_PUSH for two devices), both inside one case archive.
fn case_archive() -> Case {
    let (ca_params, ca_key, ca_pem) = internal_ca((2026, 3, 10));
    let issuer = Issuer::new(ca_params, ca_key);
    let (cert_pem, key_pem) = device_cert("ftd-branch-07", &issuer);
    let peer = format!("dir-archives/var-sf-peers/{FMC_UUID}");
    let ftd = tgz(&[
        ("dir-archives/var-log/messages", sample("samples/logs/ftd-expired-ca/messages")),
        ("command-outputs/capture-traffic-8305.pcap", sample("samples/captures/sftunnel-ok.pcap")),
        ("dir-archives/etc/sf/ims.conf", common::fixture("case-4711/ftd-ims.conf")),
        (&format!("{peer}/cacert.pem"), ca_pem.into_bytes()),
        (&format!("{peer}/sftunnel-cert.pem"), cert_pem.into_bytes()),
        (&format!("{peer}/sftunnel-key.pem"), key_pem.clone().into_bytes()),
    ]);
    let fmc = tgz(&[
        ("dir-archives/var-log/messages", sample("samples/logs/fmc-expired-ca/messages")),
        ("dir-archives/etc/sf/ims.conf", common::fixture("case-4711/fmc-ims.conf")),
        ("dir-archives/var-tmp/certs/1728915794/FAILED_PUSH", common::fixture("case-4711/FAILED_PUSH")),
    ]);
    let case = tgz(&[("results-ftd-branch-07.tar.gz", ftd), ("results-fmc-hq-01.tar.gz", fmc)]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("case-4711.tar.gz"), case).unwrap();
    Case { dir, key_pems: vec![key_pem] }
}

fn run_in(dir: &std::path::Path, args: &[&str]) -> common::Run {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tlstriage")).args(args).current_dir(dir).output().unwrap();
    common::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn case_archive_with_ftd_and_fmc_bundles() {
    let case = case_archive();
    let r = run_in(case.dir.path(), &["analyze", "--format", "json", "--year", "2026", "--now", "2026-11-23", "."]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stderr));
    let findings = v["findings"].as_array().unwrap();
    let kinds: Vec<&str> = findings.iter().map(|f| f["kind"].as_str().unwrap()).collect();
    // The expired InternalCA: one finding, from the FTD's log and the CA file on its disk.
    let ca: Vec<&serde_json::Value> = findings.iter().filter(|f| f["kind"] == "expired-ca").collect();
    assert_eq!(ca.len(), 1, "{kinds:?}");
    let ca = ca[0];
    let paths: Vec<&str> = ca["evidence"].as_array().unwrap().iter().map(|e| e["path"].as_str().unwrap()).collect();
    assert!(
        paths.contains(&"./case-4711.tar.gz!/results-ftd-branch-07.tar.gz!/dir-archives/var-log/messages"),
        "{paths:?}"
    );
    assert!(
        paths.contains(
            &format!(
                "./case-4711.tar.gz!/results-ftd-branch-07.tar.gz!/dir-archives/var-sf-peers/{FMC_UUID}/cacert.pem"
            )
            .as_str()
        ),
        "{paths:?}"
    );
    assert_eq!(ca["certificate"]["not_after"], "2026-03-10T00:00:00Z");
    let steps = ca["remediation"]["steps"].to_string();
    assert!(steps.contains("2026-03-10"), "the CA's notAfter is filled in: {steps}");
    assert!(steps.contains("Hotfix AO 7.4.2.99-5"), "the FMC's version picks the hotfix: {steps}");
    // FAILED_PUSH: one finding per device.
    let pushed: Vec<&str> =
        findings.iter().filter(|f| f["kind"] == "cert-push-failed").map(|f| f["peer"].as_str().unwrap()).collect();
    assert_eq!(pushed, ["ftd-branch-07", "ftd-dc-02"]);
    // The capture inside the FTD bundle is read in place too.
    let hs = v["handshakes"].as_array().unwrap();
    assert_eq!(hs.len(), 1);
    assert_eq!(hs[0]["outcome"], "established");
    assert_eq!(
        hs[0]["evidence"][0]["path"],
        "./case-4711.tar.gz!/results-ftd-branch-07.tar.gz!/command-outputs/capture-traffic-8305.pcap"
    );
    // Both bundles are recognised.
    let roles: Vec<&str> = v["devices"].as_array().unwrap().iter().map(|d| d["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["ftd", "fmc"]);
    // No consistency problem in the healthy peer folder.
    assert!(!kinds.contains(&"ca-mismatch") && !kinds.contains(&"key-mismatch"), "{kinds:?}");
}

#[test]
fn plan_lists_both_devices_with_their_paths() {
    let case = case_archive();
    let r = run_in(case.dir.path(), &["plan", "--year", "2026", "--now", "2026-11-23", ".", "-o", "plan"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let csv = std::fs::read_to_string(case.dir.path().join("plan/devices.csv")).unwrap();
    assert!(csv.starts_with("#device_name,ipaddr,login,password\n"), "{csv}");
    assert!(csv.contains("ftd-branch-07,192.168.45.21,admin,"), "{csv}");
    assert!(csv.contains("ftd-dc-02,192.168.45.22,admin,"), "{csv}");
    let text = std::fs::read_to_string(case.dir.path().join("plan/plan.txt")).unwrap();
    assert!(text.contains(&format!("/var/sf/peers/{FMC_UUID}")), "{text}");
    assert!(text.contains("pmtool restartbyid sftunnel"), "{text}");
    assert!(text.contains("chown root:root"), "{text}");
    assert!(text.find("ftd-branch-07").unwrap() < text.find("ftd-dc-02").unwrap());
}

#[test]
fn peer_folder_with_a_foreign_cert_and_a_wrong_key() {
    let (ca_params, ca_key, ca_pem) = internal_ca((2034, 1, 1));
    let (other_params, other_key, _) = internal_ca((2034, 1, 1));
    let other = Issuer::new(other_params, other_key);
    let (foreign_cert, _) = device_cert("ftd-x", &other);
    let (_, stray_key) = device_cert("ftd-y", &Issuer::new(ca_params, ca_key));
    let dir = tempfile::tempdir().unwrap();
    let peer = dir.path().join("var/sf/peers").join(FMC_UUID);
    std::fs::create_dir_all(&peer).unwrap();
    std::fs::write(peer.join("cacert.pem"), ca_pem).unwrap();
    std::fs::write(peer.join("sftunnel-cert.pem"), foreign_cert).unwrap();
    std::fs::write(peer.join("sftunnel-key.pem"), &stray_key).unwrap();
    let r = run_in(dir.path(), &["analyze", "--format", "json", "--now", "2026-11-23", "."]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let mut kinds = common::kinds(&v);
    kinds.sort();
    assert_eq!(kinds, ["ca-mismatch", "key-mismatch"]);
    assert_no_key_material(dir.path(), &[stray_key]);
}

/// No output format may contain any line of a private key's body.
fn assert_no_key_material(dir: &std::path::Path, keys: &[String]) {
    let mut outputs = Vec::new();
    let mut keep = |r: common::Run| {
        // A crashed run prints nothing and would pass the check trivially.
        assert!(matches!(r.code, 0 | 1) && !r.stdout.is_empty(), "exit {}: {}", r.code, r.stderr);
        outputs.push(r.stdout);
    };
    for fmt in ["table", "json"] {
        keep(run_in(dir, &["analyze", "--format", fmt, "--now", "2026-11-23", "."]));
    }
    keep(run_in(dir, &["certs", "--now", "2026-11-23", "."]));
    keep(run_in(dir, &["handshakes", "."]));
    keep(run_in(dir, &["plan", "."]));
    for key in keys {
        for line in key.lines().filter(|l| !l.starts_with("-----") && l.len() > 8) {
            for out in &outputs {
                assert!(!out.contains(line), "key material leaked: {line}");
            }
        }
    }
}

#[test]
fn no_output_contains_key_material_from_a_bundle() {
    let case = case_archive();
    assert_no_key_material(case.dir.path(), &case.key_pems);
}

/// A self-signed certificate `cn` valid until the given date.
fn cert_until(cn: &str, until: (i32, u8, u8)) -> String {
    common::certs::self_signed(cn, (2024, 1, 1), until)
}

#[test]
fn expiring_certificates_and_the_fail_on_threshold() {
    let dir = tempfile::tempdir().unwrap();
    // Judged on 2026-11-23: 20 days left (error), 60 days left (warning), years left (nothing).
    std::fs::write(dir.path().join("soon.pem"), cert_until("soon", (2026, 12, 13))).unwrap();
    std::fs::write(dir.path().join("later.pem"), cert_until("later", (2027, 1, 22))).unwrap();
    std::fs::write(dir.path().join("fine.pem"), cert_until("fine", (2031, 1, 1))).unwrap();
    let args = |extra: &[&'static str]| {
        let mut a = vec!["analyze", "--format", "json", "--now", "2026-11-23", "."];
        a.extend_from_slice(extra);
        a
    };
    let r = run_in(dir.path(), &args(&[]));
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let got: Vec<(String, String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["facts"]["days_left"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = [("expiring-soon", "error", "20"), ("expiring-soon", "warning", "60")];
    assert_eq!(got, want.map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())));
    assert_eq!(r.code, 1, "an error finding fails the default threshold");
    assert_eq!(run_in(dir.path(), &args(&["--fail-on", "critical"])).code, 0);
    assert_eq!(run_in(dir.path(), &args(&["--fail-on", "never"])).code, 0);
    assert_eq!(run_in(dir.path(), &args(&["--fail-on", "warning"])).code, 1);
    // The certs view lists all three, the one expiring first on top.
    let certs = run_in(dir.path(), &["certs", "--now", "2026-11-23", "."]).stdout;
    let order: Vec<usize> = ["CN=soon", "CN=later", "CN=fine"].iter().map(|n| certs.find(n).unwrap()).collect();
    assert!(order[0] < order[1] && order[1] < order[2], "{certs}");
}
