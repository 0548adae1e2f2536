//! Tests of the TLS proxy log parser on the lines of the source document.

use super::syslog_tests::events;
use super::tls_proxy::{looks_like, parse, parse_line};
use crate::model::{Context, Role};
use crate::model::{IngestContext, Parsed, Source};

pub(crate) const CIPHER_SEED: &str = "\
2014-02-05 05:21:42,189 INFO TLS_Proxy - SSL alert message received from server (0x228 = \"fatal : handshake failure\") in Session: x2fd1f6
2014-02-05 05:21:42,189 ERROR TLS_Proxy - TLS problem (error:14077410:SSL routines:SSL23_GET_SERVER_HELLO:sslv3 alert handshake failure) while connecting to server for Session: x2fd1f6
";

/// The self-signed case, wrapped as in the document.
pub(crate) const SELF_SIGNED_SEED: &str = "\
2014-02-05 05:22:11,505 INFO TLS_Proxy - Certificate verification failure:  
self signed certificate (code 18, depth 0)
2014-02-05 05:22:11,505 INFO TLS_Proxy - Subject: /unstructuredName=ciscoasa
2014-02-05 05:22:11,505 INFO TLS_Proxy - Issuer: /unstructuredName=ciscoasa
2014-02-05 05:22:11,505 INFO TLS_Proxy - SSL alert message received from  
server (0x230 = \"fatal : unknown CA\") in Session: x148a696e
2014-02-05 05:22:11,505 ERROR TLS_Proxy - TLS problem (error:14090086:  
SSL routines:SSL3_GET_SERVER_CERTIFICATE:certificate verify failed) while  
connecting to server for Session: x148a696e
";

fn run(text: &[u8]) -> Parsed {
    let mut src = Source { path: "tls_proxy.log".into(), data: crate::model::Data::Bytes(text), mtime: None, depth: 0 };
    let ctx = IngestContext::new(
        "2025-01-01T00:00:00Z".parse().expect("now"),
        std::sync::Arc::new(crate::x509::CertCache::default()),
    );
    Parsed::read_with(&mut src, crate::model::Format::TlsProxyLog, |src, sink| parse(src, &ctx, sink))
}

#[test]
fn line_format() {
    let l = parse_line("2014-02-05 05:21:42,189 INFO TLS_Proxy - hello").expect("line");
    assert_eq!((l.level, l.component, l.message), ("INFO", "TLS_Proxy", "hello"));
    assert_eq!(l.time, Some("2014-02-05T05:21:42.189Z".parse().expect("ts")));
    assert!(looks_like("2014-02-05 05:21:42,189 ERROR TLS_Proxy - x"));
    assert!(!looks_like("2014-02-05 05:21:42,189 INFO Other - x"));
    assert!(!looks_like("Sep 20 04:10:47 FTD-hostname SF-IMS[50792]: x"));
    assert_eq!(parse_line("2014-13-05 05:21:42,189 INFO TLS_Proxy - x").map(|l| l.time), Some(None));
}

#[test]
fn cipher_mismatch_session() {
    let p = run(CIPHER_SEED.as_bytes());
    assert_eq!(p.attempts.len(), 1);
    let a = &p.attempts[0];
    assert_eq!((a.context, a.observer, a.session.as_deref()), (Context::TlsProxy, Some(Role::Client), Some("x2fd1f6")));
    assert_eq!(
        events(a),
        vec![
            r#"1: {"type":"alert","from":"server","level":"fatal","description":"handshake_failure"}"#,
            r#"2: {"type":"ssl-error","by":"client","code":"14077410","function":"SSL23_GET_SERVER_HELLO","reason":"sslv3 alert handshake failure"}"#,
            r#"2: {"type":"end","outcome":"failed"}"#,
        ]
    );
}

#[test]
fn wrapped_self_signed_session() {
    let p = run(SELF_SIGNED_SEED.as_bytes());
    assert_eq!(p.attempts.len(), 1);
    let a = &p.attempts[0];
    assert_eq!(a.session.as_deref(), Some("x148a696e"));
    assert_eq!(
        events(a),
        vec![
            r#"1: {"type":"verify-error","by":"client","code":18,"depth":0,"subject":"/unstructuredName=ciscoasa","issuer":"/unstructuredName=ciscoasa"}"#,
            r#"5: {"type":"alert","from":"server","level":"fatal","description":"unknown_ca"}"#,
            r#"7: {"type":"ssl-error","by":"client","code":"14090086","function":"SSL3_GET_SERVER_CERTIFICATE","reason":"certificate verify failed"}"#,
            r#"7: {"type":"end","outcome":"failed"}"#,
        ]
    );
    assert_eq!(
        a.events[0].evidence.text.as_deref(),
        Some("2014-02-05 05:22:11,505 INFO TLS_Proxy - Certificate verification failure: self signed certificate (code 18, depth 0)")
    );
}

#[test]
fn interleaved_sessions_and_garbage() {
    let mut text = String::from("garbage before any time stamp\n");
    text.push_str(CIPHER_SEED.lines().next().unwrap_or(""));
    text.push('\n');
    text.push_str(SELF_SIGNED_SEED);
    text.push_str(CIPHER_SEED.lines().nth(1).unwrap_or(""));
    text.push_str("\n\u{0}\u{1}\u{2}\n");
    let p = run(text.as_bytes());
    let sessions: Vec<(Option<&str>, usize)> =
        p.attempts.iter().map(|a| (a.session.as_deref(), a.events.len())).collect();
    assert_eq!(sessions, vec![(Some("x2fd1f6"), 3), (Some("x148a696e"), 4)]);

    assert!(run(b"").attempts.is_empty());
    let mut huge = b"2014-02-05 05:21:42,189 INFO TLS_Proxy - ".to_vec();
    huge.resize(50 * 1024 * 1024, b'\xff');
    huge.extend_from_slice(b"\nmore\n");
    assert!(run(&huge).attempts.is_empty());
}
