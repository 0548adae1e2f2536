//! The analyzer end to end on the shipped log samples and on variants built in the test.

use crate::common;

use common::{analyze_json, finding_lines, run};

#[test]
fn log_samples_give_exactly_the_expected_findings() {
    let (code, v) = analyze_json(&["samples/logs"], &[]);
    assert_eq!(code, 1, "error findings exist, so the exit code is 1");
    assert_eq!(
        finding_lines(&v),
        [
            "expired-ca critical ftd-branch-07 192.168.45.10 1 6 sftunnel-expired",
            "expired-cert error ftd-lab-03 10.20.30.14 0 1 sftunnel-reissue-device-cert",
            "not-yet-valid error ftd-lab-03 10.20.30.13 0 1 check-clocks",
            "self-signed error - - 0 1 tls-proxy-import-server-cert",
            "self-signed error ftd-lab-03 10.20.30.11 0 1 sftunnel-recopy-certs",
            "unknown-ca error ftd-lab-03 10.20.30.12 0 1 sftunnel-recopy-certs",
            "cipher-mismatch error ftd-lab-03 10.20.30.15 - 1 align-cipher-suites",
            "protocol-mismatch error ftd-lab-03 10.20.30.16 - 1 align-protocol-versions",
            "peer-rejected-certificate error fmc-hq-01 192.168.45.21 - 2 sftunnel-peer-rejects-cert",
            "peer-rejected-certificate error fmc-hq-01 192.168.45.22 - 1 sftunnel-peer-rejects-cert",
            "connection-refused error ftd-lab-03 10.20.30.17 - 1 sftunnel-connection-refused",
            "handshake-failed error - - - 1 investigate-handshake",
            "invalid-purpose error ftd-lab-05 10.20.40.10 0 2 sftunnel-reissue-cert-purpose",
        ]
    );
}

#[test]
fn expired_internal_ca_names_generate_certs_and_the_ca() {
    let (_, v) = analyze_json(&["samples/logs/ftd-expired-ca"], &[]);
    let f = &v["findings"][0];
    assert_eq!(f["kind"], "expired-ca");
    assert_eq!(f["count"], 4);
    assert_eq!(f["first_seen"], "2026-03-14T06:00:05Z");
    assert!(f["certificate"]["subject"].as_str().unwrap().starts_with("/title=InternalCA/"));
    let steps = f["remediation"]["steps"].as_array().unwrap();
    let all: String = steps.iter().map(|s| s.as_str().unwrap()).collect::<Vec<_>>().join("\n");
    assert!(all.contains("generate_certs.pl"));
    assert!(all.contains("openssl x509 -dates -noout -in /etc/sf/ca_root/cacert.pem"));
    assert!(all.contains("on ftd-branch-07"), "the device to push to is filled in: {all}");
    assert!(all.contains("pmtool restartbyid sftunnel"));
    assert_eq!(f["evidence"][0]["path"], "samples/logs/ftd-expired-ca/messages");
}

#[test]
fn tls_proxy_refused_offer_points_at_the_k9_license_and_self_signed_at_import() {
    let (_, v) = analyze_json(&["samples/logs/tls-proxy"], &[]);
    let kinds: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["kind"].as_str().unwrap(), f["facts"]["session"].as_str().unwrap()))
        .collect();
    // The server's handshake_failure before its ServerHello names no parameter: a refused offer,
    // whose next step still names the proxy's known cause.
    assert_eq!(kinds, [("self-signed", "x51be22d0"), ("handshake-failed", "x3a91c07")]);
    let k9 = v["findings"][1]["remediation"]["steps"][1].as_str().unwrap();
    assert!(k9.contains("K9"), "{k9}");
    let import = v["findings"][0]["remediation"]["steps"].as_array().unwrap();
    assert!(import.iter().any(|s| s.as_str().unwrap().contains("Import certificate")));
}

/// The TLS proxy refusing a server certificate made for another use (code 26 where the sample has
/// code 18): `invalid-purpose` with the proxy's own fix, and no second finding for that session.
#[test]
fn tls_proxy_code_26_is_an_invalid_purpose_with_the_proxy_fix() {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read_to_string("samples/logs/tls-proxy/tls_proxy.log").unwrap();
    let log = sample
        .replace("self signed certificate (code 18, depth 0)", "unsupported certificate purpose (code 26, depth 0)");
    assert_ne!(log, sample, "the sample still has the code 18 line");
    std::fs::write(dir.path().join("tls_proxy.log"), log).unwrap();
    let (_, v) = analyze_json(&[dir.path().to_str().unwrap()], &[]);
    let findings = v["findings"].as_array().unwrap();
    let kinds: Vec<&str> = findings.iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["handshake-failed", "invalid-purpose"], "the other session's finding stays");
    let f = &findings[1];
    assert_eq!(f["facts"]["session"], "x51be22d0");
    assert_eq!(f["depth"], 0);
    assert_eq!(f["remediation"]["id"], "tls-proxy-server-cert-purpose");
}

/// Variants: other host, IPs and thread ids, interleaved attempts, a wrapped TLS-proxy line, a
/// gzip copy and a December→January rollover.
#[test]
fn variants_other_hosts_interleaving_gzip_and_year_rollover() {
    let dir = tempfile::tempdir().unwrap();
    let line =
        |ts: &str, tid: u32, msg: &str| format!("{ts} fw-east-2 SF-IMS[777]: [{tid}] sftunneld:sf_ssl [ERROR] {msg}\n");
    let mut log = String::new();
    for (ts, tid, ip) in [("Dec 31 23:59:58", 11, "172.16.9.1"), ("Jan  1 00:00:03", 12, "172.16.9.2")] {
        log += &line(ts, tid, &format!("Initiating IPv4 connection to {ip}:8305/tcp"));
    }
    // The two attempts interleave: thread 12's lines come between thread 11's.
    log += &line("Jan  1 00:00:04", 12, "-Error with certificate at depth: 0");
    log += &line("Jan  1 00:00:04", 11, "-Error with certificate at depth: 1");
    log += &line("Jan  1 00:00:04", 12, "err 18:self signed certificate");
    log += &line("Jan  1 00:00:04", 11, "err 10:certificate has expired");
    log += &line("Jan  1 00:00:04", 11, "Connect:SSL handshake failed");
    log += &line("Jan  1 00:00:04", 12, "Connect:SSL handshake failed");
    std::fs::write(dir.path().join("messages"), &log).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, log.replace("fw-east-2", "fw-west-9").as_bytes()).unwrap();
    std::fs::write(dir.path().join("messages.3.gz"), gz.finish().unwrap()).unwrap();
    std::fs::write(
        dir.path().join("tls_proxy.log"),
        "2025-01-02 10:00:00,001 INFO TLS_Proxy - Certificate verification failure:\n  unable to get local issuer certificate (code 20, depth 1)\n2025-01-02 10:00:00,002 ERROR TLS_Proxy - TLS problem (error:14090086:SSL routines:SSL3_GET_SERVER_CERTIFICATE:certificate verify failed) while connecting to server for Session: xabc\n",
    )
    .unwrap();
    let p = dir.path().to_str().unwrap();
    let r = run(&["analyze", "--format", "json", "--year", "2025", "--now", "2026-11-23", p]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let mut lines = finding_lines(&v);
    lines.sort();
    assert_eq!(
        lines,
        [
            "expired-ca critical fw-east-2 172.16.9.1 1 1 sftunnel-expired",
            "expired-ca critical fw-west-9 172.16.9.1 1 1 sftunnel-expired",
            "self-signed error fw-east-2 172.16.9.2 0 1 sftunnel-recopy-certs",
            "self-signed error fw-west-9 172.16.9.2 0 1 sftunnel-recopy-certs",
            "unknown-ca error - - 1 1 tls-proxy-import-server-cert",
        ]
    );
    // The year rolls over inside the file: December 2025, then January 2026.
    let east: Vec<&serde_json::Value> =
        v["findings"].as_array().unwrap().iter().filter(|f| f["device"] == "fw-east-2").collect();
    let ca = east.iter().find(|f| f["kind"] == "expired-ca").unwrap();
    assert_eq!(ca["first_seen"], "2025-12-31T23:59:58Z");
    assert_eq!(ca["last_seen"], "2026-01-01T00:00:04Z");
}
