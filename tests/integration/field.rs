//! Field material in the shapes the public record shows (see `samples/field/`): pasted log
//! excerpts, journalctl output, case notes (English, Japanese) and tunnel status command outputs.
//! Each sample is run through the binary and its exact findings are checked.

use std::process::Command;

use serde_json::Value;

fn analyze(files: &[&str]) -> (i32, Value) {
    let mut args = vec!["analyze", "--format", "json", "--year", "2026", "--now", "2026-11-23"];
    args.extend(files.iter().copied());
    let out = Command::new(env!("CARGO_BIN_EXE_tlstriage")).args(&args).output().expect("binary runs");
    let v = serde_json::from_slice(&out.stdout).expect("json");
    (out.status.code().unwrap_or(-1), v)
}

/// `kind device peer depth count` of every finding.
fn rows(v: &Value) -> Vec<String> {
    let s = |x: &Value| x.as_str().unwrap_or("-").to_string();
    let d = |x: &Value| x.as_u64().map_or("-".to_string(), |n| n.to_string());
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!("{} {} {} {} {}", s(&f["kind"]), s(&f["device"]), s(&f["peer"]), d(&f["depth"]), d(&f["count"]))
        })
        .collect()
}

fn input(v: &Value) -> (String, String) {
    let i = &v["inputs"][0];
    (i["format"].as_str().unwrap_or("").into(), i["status"].as_str().unwrap_or("").into())
}

fn finding<'a>(v: &'a Value, kind: &str) -> &'a Value {
    v["findings"].as_array().expect("findings").iter().find(|f| f["kind"] == kind).expect("finding of that kind")
}

#[test]
fn case_note_with_messages_run_together_gives_weak_certificate() {
    let (code, v) = analyze(&["samples/field/case-note-weak-digest.txt"]);
    assert_eq!(code, 1);
    assert_eq!(input(&v), ("excerpt".into(), "ok".into()));
    assert_eq!(rows(&v), ["weak-certificate - 192.168.45.10 0 1"]);
    let f = finding(&v, "weak-certificate");
    assert_eq!(f["facts"]["verify_code"], "68");
    assert_eq!(f["facts"]["inferred"], "from a log excerpt: attempts grouped by line order, no times given (inferred)");
    // The device opened the connection, so the log shows it verified the server's certificate.
    assert!(f["detail"].as_str().unwrap().starts_with("the client reported OpenSSL verify error 68"), "{f}");
    let steps = f["remediation"]["steps"].to_string();
    assert!(steps.contains("revoke and re-issue the device's sftunnel certificate"), "{steps}");
    assert!(!steps.contains("<subject>"), "{steps}");
}

#[test]
fn a_bare_paste_does_not_say_who_verified_whom() {
    let (_, v) = analyze(&["samples/field/forum-paste-key-too-small.txt"]);
    assert_eq!(rows(&v), ["weak-certificate - - 1 1"]);
    let detail = finding(&v, "weak-certificate")["detail"].as_str().unwrap().to_string();
    assert!(detail.starts_with("the device that wrote the log reported OpenSSL verify error 67"), "{detail}");
    assert!(!detail.contains("client") || detail.contains("whether it was the client or the server"), "{detail}");
}

#[test]
fn journalctl_iso_lines_give_post_handshake_auth_failures_with_times() {
    let (code, v) = analyze(&["samples/field/journal-post-handshake-auth.txt"]);
    assert_eq!(code, 1);
    assert_eq!(input(&v), ("excerpt".into(), "ok".into()));
    assert_eq!(rows(&v), ["post-handshake-auth-failed fmc-hq-01 192.168.45.23 - 2"]);
    let f = finding(&v, "post-handshake-auth-failed");
    assert_eq!(f["first_seen"], "2026-03-14T06:12:01Z");
    assert_eq!(f["last_seen"], "2026-03-14T06:14:06Z");
    assert_eq!(f["facts"]["reconnect_peer"], "ftd-dc-02");
    assert_eq!(
        f["facts"]["failed_steps"],
        "post-handshake authentication (no client certificate received), reloading credentials, adding services"
    );
    assert_eq!(f["remediation"]["id"], "sftunnel-post-handshake-auth");
}

#[test]
fn full_status_output_with_both_channels_down_gives_tunnel_down_outside_tls() {
    let (code, v) = analyze(&["samples/field/sftunnel-status-down.txt"]);
    assert_eq!(code, 1);
    assert_eq!(input(&v), ("tunnel-status".into(), "ok".into()));
    assert_eq!(rows(&v), ["tunnel-down - 192.168.45.10 - 1"]);
    let f = finding(&v, "tunnel-down");
    assert_eq!(f["facts"]["rpc_status"], "Failed");
    assert_eq!(f["facts"]["last_disconnect_reason"], "Both control and event channel connections with peer went down");
    assert_eq!(f["facts"]["explained_by"], "none");
    let steps = f["remediation"]["steps"].as_array().unwrap();
    assert!(steps[0].as_str().unwrap().starts_with("No certificate evidence in these inputs explains it"), "{steps:?}");
    assert!(steps[1].as_str().unwrap().contains("TCP port 8305"), "{steps:?}");
}

#[test]
fn certificate_findings_explain_a_tunnel_down_for_the_same_peer() {
    let (_, v) = analyze(&["samples/field/sftunnel-status-down.txt", "samples/field/case-note-weak-digest.txt"]);
    assert_eq!(finding(&v, "tunnel-down")["facts"]["explained_by"], "weak-certificate");
}

#[test]
fn a_healthy_brief_status_is_read_and_gives_nothing() {
    let (code, v) = analyze(&["samples/field/sftunnel-status-brief-ok.txt"]);
    assert_eq!(code, 0);
    assert_eq!(input(&v), ("tunnel-status".into(), "ok".into()));
    assert!(rows(&v).is_empty());
}

#[test]
fn show_managers_with_pending_registration_is_down() {
    let (_, v) = analyze(&["samples/field/show-managers-pending.txt"]);
    assert_eq!(rows(&v), ["tunnel-down - 192.168.45.10 - 1"]);
    assert_eq!(finding(&v, "tunnel-down")["facts"]["peer_version"], "7.6.0");
    assert_eq!(finding(&v, "tunnel-down")["facts"]["registration"], "Pending");
}

#[test]
fn japanese_case_note_with_a_brief_status_and_an_excerpt() {
    let (_, v) = analyze(&["samples/field/case-note-ja.txt"]);
    assert_eq!(input(&v), ("tunnel-status".into(), "ok".into()));
    assert_eq!(rows(&v), ["connection-refused - 192.168.45.10 - 1", "tunnel-down - 192.168.45.10 - 1"]);
    assert_eq!(finding(&v, "tunnel-down")["facts"]["explained_by"], "none");
}

#[test]
fn the_new_kinds_are_explained() {
    for kind in ["tunnel-down", "post-handshake-auth-failed", "weak-certificate"] {
        let out = Command::new(env!("CARGO_BIN_EXE_tlstriage")).args(["explain", kind]).output().expect("runs");
        assert_eq!(out.status.code(), Some(0), "{kind}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.starts_with(&format!("{kind}: ")), "{text}");
        assert!(text.contains("Fix ["), "{text}");
    }
}

/// `sftunnel_status.pl` as run on an FMC: one block per managed device.
const FMC_STATUS: &str = "root@fmc-lab-09:/Volume/home/admin# sftunnel_status.pl
 SFTUNNEL Start Time: Sat Mar 14 05:40:02 2026
**RUN STATUS****172.16.40.21*************
        Cipher used = TLS_AES_256_GCM_SHA384 (strength:256 bits)
        ChannelA Connected: Yes, Interface eth0
        Cipher used = TLS_AES_256_GCM_SHA384 (strength:256 bits)
        ChannelB Connected: Yes, Interface eth0
        Registration: Completed.
PEER INFO:
        sw_version 7.6.0
**RUN STATUS****172.16.40.22*************
        ChannelA Connected: No
        ChannelB Connected: No
        Registration: Completed.
        Last disconnect reason : Both control and event channel connections with peer went down
";

#[test]
fn status_output_of_an_fmc_feeds_the_devices_tunnels_of_its_system() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sftunnel_status.out");
    std::fs::write(&file, FMC_STATUS).unwrap();
    let (_, v) = analyze(&[file.to_str().unwrap()]);
    assert_eq!(rows(&v), ["tunnel-down - 172.16.40.22 - 1"]);
    let tunnels: Vec<String> = v["tunnels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| format!("{} {} {} {}", t["command"], t["peer"], t["state"], t["cipher"]))
        .collect();
    assert_eq!(
        tunnels,
        [
            "\"sftunnel_status.pl\" \"172.16.40.21\" \"up\" \"TLS_AES_256_GCM_SHA384\"",
            "\"sftunnel_status.pl\" \"172.16.40.22\" \"down\" null"
        ]
    );
    let systems = v["systems"].as_array().unwrap();
    assert_eq!(systems.len(), 1, "{systems:#?}");
    assert_eq!(systems[0]["tunnels"], "some-down");
    let devices: Vec<String> =
        systems[0]["devices"].as_array().unwrap().iter().map(|d| format!("{} {}", d["ip"], d["tunnel"])).collect();
    assert_eq!(devices, ["\"172.16.40.21\" \"up\"", "\"172.16.40.22\" \"down\""]);
}

#[test]
fn tls_proxy_lines_in_a_mail_are_read_with_or_without_their_stamps() {
    let (code, v) = analyze(&["samples/field/mail-tls-proxy.txt"]);
    assert_eq!(code, 1);
    assert_eq!(input(&v), ("excerpt".into(), "ok".into()));
    assert_eq!(v["inputs"][0]["message"], "5 TLS proxy message(s) read as an excerpt");
    let sessions: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {} {}", f["kind"], f["facts"]["session"], f["first_seen"]))
        .collect();
    assert_eq!(
        sessions,
        ["\"expired-cert\" \"x7c01e5a2\" \"2015-06-12T10:02:11Z\"", "\"handshake-failed\" \"x7c01f3b9\" null"]
    );
    // The evidence shows the lines as pasted, not as rewritten for the reader.
    let text = finding(&v, "expired-cert")["evidence"][0]["text"].as_str().unwrap().to_string();
    assert!(text.starts_with("2015-06-12T10:02:11Z cx-mod-02 TLS_Proxy - Certificate verification failure"), "{text}");
    assert_eq!(
        finding(&v, "handshake-failed")["facts"]["inferred"],
        "from a log excerpt: TLS proxy session rebuilt from pasted lines, no times given (inferred)"
    );
}

#[test]
fn an_excerpt_bigger_than_pasted_text_is_read_up_to_its_cap() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge-excerpt.txt");
    let line = "sftunneld:sf_ssl [INFO] Initiating IPv4 connection to 192.168.45.10:8305/tcp sftunneld:sf_ssl [ERROR] SSL handshake failed\n";
    std::fs::write(&file, line.repeat((17 << 20) / line.len())).unwrap();
    let (_, v) = analyze(&[file.to_str().unwrap()]);
    assert_eq!(input(&v), ("excerpt".into(), "partial".into()));
    let message = v["inputs"][0]["message"].as_str().unwrap();
    assert!(message.contains("only the first 16777") && message.contains("bytes were read"), "{message}");
    assert_eq!(rows(&v), [format!("handshake-failed - 192.168.45.10 - {}", (16 << 20) / line.len())]);
}
