//! End-to-end tests of the syslog / sftunneld parser on the lines of the source documents.

use jiff::Timestamp;

use super::syslog::parse;
use crate::model::{Attempt, Context, Role};
use crate::model::{IngestContext, Source, Status};

pub(crate) const FTD_SEED: &str = "\
Sep 20 04:10:47 FTD-hostname SF-IMS[50792]: [51982] sftunneld:sf_ssl [INFO] Initiating IPv4 connection to 10.10.200.31:8305/tcp
Sep 20 04:10:47 FTD-hostname SF-IMS[50792]: [51982] sftunneld:sf_ssl [INFO] Wait to connect to 8305 (IPv4): 10.10.200.31
Sep 20 04:10:47 FTD-hostname SF-IMS[50792]: [51982] sftunneld:sf_ssl [INFO] Connected to 10.10.200.31 from resolved_ip_list (port 8305) (IPv4)
Sep 20 04:10:47 FTD-hostname SF-IMS[50792]: [51982] sftunneld:sf_ssl [ERROR] -Error with certificate at depth: 1
Sep 20 04:10:47 FTD-hostname SF-IMS[50792]: [51982] sftunneld:sf_ssl [ERROR] issuer = /title=InternalCA/OU=Intrusion Management System/CN=06f5f3ca-c77b-11e2-81bf-884d9d11f3ef/O=Sourcefire, Inc.
Sep 20 04:10:47 FTD-hostname SF-IMS[50792]: [51982] sftunneld:sf_ssl [ERROR] subject = /title=InternalCA/OU=Intrusion Management System/CN=06f5f3ca-c77b-11e2-81bf-884d9d11f3ef/O=Sourcefire, Inc.
Sep 20 04:10:47 FTD-hostname SF-IMS[50792]: [51982] sftunneld:sf_ssl [ERROR] err 10:certificate has expired
Sep 20 04:10:47 FTD-hostname SF-IMS[50792]: [51982] sftunneld:sf_ssl [ERROR] SSL_renegotiate error: 1: error:00000001:lib(0):func(0):reason(1)
Sep 20 04:10:47 FTD-hostname SF-IMS[50792]: [51982] sftunneld:sf_ssl [ERROR] Connect:SSL handshake failed
Sep 20 04:10:47 FTD-hostname SF-IMS[50792]: [51982] sftunneld:sf_ssl [WARN] SSL Verification status: certificate has expired
";

pub(crate) const FMC_SEED: &str = "\
Sep 20 03:14:23 FMC-hostname SF-IMS[1504]: [4171] sftunneld:sf_ssl [INFO] VERIFY ssl_verify_callback_initial ok=1!
Sep 20 03:14:23 FMC-hostname SF-IMS[1504]: [4171] sftunneld:sf_ssl [ERROR] SSL_renegotiate error: 1: error:00000001:lib(0):func(0):reason(1)
Sep 20 03:14:23 FMC-hostname SF-IMS[1504]: [4171] sftunneld:sf_ssl [WARN] establishConnectionUtil: SSL handshake failed
Sep 20 03:14:23 FMC-hostname SF-IMS[1504]: [4171] sftunneld:sf_ssl [WARN] establishConnectionUtil: SSL Verification status: ok
Sep 20 03:14:23 FMC-hostname SF-IMS[1504]: [4171] sftunneld:sf_ssl [WARN] establishConnectionUtil: SSL handshake failed: error:14094415:SSL routines:ssl3_read_bytes:sslv3 alert certificate expired
Sep 20 03:14:23 FMC-hostname SF-IMS[1504]: [4171] sftunneld:sf_ssl [INFO] establishConnectionUtil: Failed to connect using SSL to: '10.10.21.10'
Sep 20 03:14:23 FMC-hostname SF-IMS[1504]: [4171] sftunneld:sf_ssl [ERROR] establishSSLConnection: Unable to connect with both threads:
Sep 20 03:14:23 FMC-hostname SF-IMS[1504]: [4171] sftunneld:sf_ssl [ERROR] establishSSLConnection: Failed connecting with SSL to using to: '10.10.21.10' rval[40] *CA cert from FMC
";

pub(crate) fn ctx(year: Option<i16>) -> IngestContext {
    let mut c = IngestContext::new(
        "2025-06-01T00:00:00Z".parse().expect("now"),
        std::sync::Arc::new(crate::x509::CertCache::default()),
    );
    c.year = year;
    c
}

pub(crate) fn run(text: &[u8], year: Option<i16>, mtime: Option<&str>) -> crate::model::Parsed {
    let mut src = Source {
        path: "messages".into(),
        data: crate::model::Data::Bytes(text),
        mtime: mtime.map(|m| m.parse::<Timestamp>().expect("mtime")),
        depth: 0,
    };
    let ctx = ctx(year);
    crate::model::Parsed::read_with(&mut src, crate::model::Format::Syslog, |src, sink| parse(src, &ctx, sink))
}

/// `line: event-json` for each event of an attempt.
pub(crate) fn events(a: &Attempt) -> Vec<String> {
    a.events
        .iter()
        .map(|o| format!("{}: {}", o.evidence.line.unwrap_or(0), serde_json::to_string(&o.event).expect("json")))
        .collect()
}

#[test]
fn ftd_seed_gives_one_attempt_with_expired_ca() {
    let p = run(FTD_SEED.as_bytes(), Some(2024), None);
    assert_eq!(p.attempts.len(), 1);
    let a = &p.attempts[0];
    assert_eq!(a.context, Context::Sftunnel);
    assert_eq!(a.observer, Some(Role::Client));
    assert_eq!(a.device.as_deref(), Some("FTD-hostname"));
    assert_eq!(a.server.as_ref().map(|s| s.to_string()).as_deref(), Some("10.10.200.31"));
    assert_eq!(a.start, Some("2024-09-20T04:10:47Z".parse().expect("ts")));
    let ca =
        "/title=InternalCA/OU=Intrusion Management System/CN=06f5f3ca-c77b-11e2-81bf-884d9d11f3ef/O=Sourcefire, Inc.";
    assert_eq!(
        events(a),
        vec![
            r#"1: {"type":"connecting"}"#.to_string(),
            r#"3: {"type":"connected"}"#.to_string(),
            format!(
                r#"7: {{"type":"verify-error","by":"client","code":10,"depth":1,"subject":"{ca}","issuer":"{ca}"}}"#
            ),
            r#"9: {"type":"end","outcome":"failed"}"#.to_string(),
        ]
    );
    let ev = &a.events[2].evidence;
    assert_eq!(ev.path, "messages");
    assert!(ev.text.as_deref().is_some_and(|t| t.ends_with("err 10:certificate has expired")));
}

#[test]
fn fmc_seed_gives_alert_from_the_ftd() {
    let p = run(FMC_SEED.as_bytes(), Some(2024), None);
    assert_eq!(p.attempts.len(), 1);
    let a = &p.attempts[0];
    assert_eq!(a.server.as_ref().map(|s| s.to_string()).as_deref(), Some("10.10.21.10"));
    assert_eq!(
        events(a),
        vec![
            r#"3: {"type":"end","outcome":"failed"}"#,
            r#"5: {"type":"ssl-error","by":"client","code":"14094415","function":"ssl3_read_bytes","reason":"sslv3 alert certificate expired"}"#,
            r#"5: {"type":"alert","from":"server","level":"fatal","description":"certificate_expired"}"#,
        ]
    );
}

#[test]
fn repeated_attempts_and_interleaved_threads() {
    let mut text = String::new();
    // Two threads of one process interleaved, then the first thread tries again 90 s later.
    text.push_str("Oct  1 10:00:00 ftd1 SF-IMS[10]: [1] sftunneld:sf_ssl [INFO] Initiating IPv4 connection to 192.0.2.1:8305/tcp\n");
    text.push_str("Oct  1 10:00:00 ftd1 SF-IMS[10]: [2] sftunneld:sf_ssl [INFO] Initiating IPv4 connection to 192.0.2.2:8305/tcp\n");
    text.push_str("Oct  1 10:00:01 ftd1 sshd[99]: Accepted publickey for admin from 192.0.2.9 port 5000 ssh2\n");
    text.push_str("Oct  1 10:00:01 ftd1 SF-IMS[10]: [2] sftunneld:sf_ssl [ERROR] Connect:SSL handshake failed\n");
    text.push_str(
        "Oct  1 10:00:01 ftd1 SF-IMS[10]: [1] sftunneld:sf_ssl [ERROR] err 20:unable to get local issuer certificate\n",
    );
    text.push_str("Oct  1 10:01:31 ftd1 SF-IMS[10]: [1] sftunneld:sf_ssl [ERROR] Connect:SSL handshake failed\n");
    let p = run(text.as_bytes(), Some(2024), None);
    let servers: Vec<Option<String>> = p.attempts.iter().map(|a| a.server.as_ref().map(|s| s.to_string())).collect();
    let got: Vec<(Option<&str>, Vec<String>)> =
        p.attempts.iter().zip(&servers).map(|(a, s)| (s.as_deref(), events(a))).collect();
    assert_eq!(
        got,
        vec![
            (
                Some("192.0.2.1"),
                vec![
                    r#"1: {"type":"connecting"}"#.to_string(),
                    r#"5: {"type":"verify-error","by":"client","code":20}"#.to_string()
                ]
            ),
            (
                Some("192.0.2.2"),
                vec![r#"2: {"type":"connecting"}"#.to_string(), r#"4: {"type":"end","outcome":"failed"}"#.to_string()]
            ),
            (None, vec![r#"6: {"type":"end","outcome":"failed"}"#.to_string()]),
        ]
    );
}

#[test]
fn year_rolls_over_and_mtime_anchors() {
    let text = "\
Dec 31 23:59:59 ftd SF-IMS[1]: [1] sftunnel:sf_ss1 [INFO] Initiating IPv4 connection to 192.0.2.1:8305/tcp
Jan  1 00:00:30 ftd SF-IMS[1]: [1] sftunnel:sf_ss1 [ERROR] Connect:SSL handshake failed
";
    let p = run(text.as_bytes(), Some(2023), None);
    assert_eq!(p.attempts.len(), 1);
    let times: Vec<String> =
        p.attempts[0].events.iter().map(|o| o.evidence.time.map(|t| t.to_string()).unwrap_or_default()).collect();
    assert_eq!(times, vec!["2023-12-31T23:59:59Z", "2024-01-01T00:00:30Z"]);

    let p = run(text.as_bytes(), None, Some("2024-01-01T08:00:00Z"));
    let times: Vec<String> =
        p.attempts[0].events.iter().map(|o| o.evidence.time.map(|t| t.to_string()).unwrap_or_default()).collect();
    assert_eq!(times, vec!["2023-12-31T23:59:59Z", "2024-01-01T00:00:30Z"]);

    // Neither: "now" (2025-06-01) anchors; December lies after it, so 2024.
    let p = run(text.as_bytes(), None, None);
    assert_eq!(p.attempts[0].start, Some("2024-12-31T23:59:59Z".parse().expect("ts")));
}

#[test]
fn refused_and_status_only_verify() {
    let text = "\
May  2 08:00:00 ftd SF-IMS[7]: [8] sftunneld:sf_connections [INFO] Initiating IPv4 connection to 198.51.100.7:8305/tcp
May  2 08:00:00 ftd SF-IMS[7]: [8] sftunneld:sf_connections [WARN] Unable to connect to 198.51.100.7:8305 (IPv4): Connection refused
May  2 08:05:00 ftd SF-IMS[7]: [9] sftunneld:sf_ssl [WARN] SSL Verification status: self signed certificate
";
    let p = run(text.as_bytes(), Some(2024), None);
    let got: Vec<Vec<String>> = p.attempts.iter().map(events).collect();
    assert_eq!(
        got,
        vec![
            vec![r#"1: {"type":"connecting"}"#.to_string(), r#"2: {"type":"refused"}"#.to_string()],
            vec![r#"3: {"type":"verify-error","by":"client","code":18}"#.to_string()],
        ]
    );
}

#[test]
fn garbage_empty_and_huge_lines_do_not_panic() {
    let p = run(b"", None, None);
    assert!(p.attempts.is_empty());
    assert_eq!(p.inputs[0].status, Status::Ok);

    let mut bin: Vec<u8> = (0..=255u8).cycle().take(64 * 1024).collect();
    bin.extend_from_slice(
        b"\nSep 20 04:10:47 h SF-IMS[1]: [2] sftunneld:sf_ssl [ERROR] Connect:SSL handshake failed \xff\xfe\n",
    );
    let p = run(&bin, Some(2024), None);
    assert_eq!(p.attempts.len(), 1);
    assert_eq!(p.inputs[0].message.as_deref(), Some("1 line not valid UTF-8, read with replacement characters"));

    let mut huge = b"Sep 20 04:10:47 h SF-IMS[1]: [2] sftunneld:sf_ssl [ERROR] Connect:SSL handshake failed ".to_vec();
    huge.resize(100 * 1024 * 1024, b'x');
    let p = run(&huge, Some(2024), None);
    assert_eq!(p.attempts.len(), 1);
    let text = p.attempts[0].events[0].evidence.text.as_deref().unwrap_or("");
    assert_eq!(text.len(), 512);
    assert!(p.inputs[0].message.as_deref().is_some_and(|m| m.starts_with("1 line longer than 8192 bytes")));
}
