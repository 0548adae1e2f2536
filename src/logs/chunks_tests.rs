//! Chunked parsing gives exactly the result of reading the file in one piece, wherever the
//! chunk boundaries fall: inside a line, inside a wrapped TLS proxy entry, across a December →
//! January rollover, between the lines of one attempt.

use super::syslog_tests::{ctx, FMC_SEED, FTD_SEED};
use super::tls_proxy_tests::{CIPHER_SEED, SELF_SIGNED_SEED};
use super::{syslog, tls_proxy};
use crate::model::{Data, Format, IngestContext, Parsed, ReadStatus, Sink, Source, Trickle};

/// A syslog file with two attempts around a year end, other programs in between, CRLF line
/// ends, a line that is not UTF-8, a line over the length cap and a last line without `\n`.
fn syslog_text() -> Vec<u8> {
    let mut t = Vec::new();
    t.extend_from_slice(b"Dec 31 23:59:58 ftd kernel: eth0 up\n");
    t.extend_from_slice(
        b"Dec 31 23:59:59 ftd SF-IMS[7]: [9] sftunneld:sf_ssl [INFO] Initiating IPv4 connection to 10.0.0.9:8305/tcp\r\n",
    );
    t.extend_from_slice(
        b"Jan  1 00:00:00 ftd SF-IMS[7]: [9] sftunneld:sf_ssl [ERROR] -Error with certificate at depth: 0\n",
    );
    t.extend_from_slice(b"Jan  1 00:00:00 ftd cron[2]: x \xff\xfe sftunnel y\n");
    t.extend_from_slice(
        b"Jan  1 00:00:00 ftd SF-IMS[7]: [9] sftunneld:sf_ssl [ERROR] subject = /CN=\xc3\xa9t\xc3\xa9\n",
    );
    t.extend_from_slice(
        b"Jan  1 00:00:01 ftd SF-IMS[7]: [9] sftunneld:sf_ssl [ERROR] err 10:certificate has expired\n",
    );
    let mut long = b"Jan  1 00:00:01 ftd SF-IMS[7]: [9] sftunneld:sf_ssl [INFO] Wait ".to_vec();
    long.extend(std::iter::repeat_n("é".as_bytes(), 5000).flatten());
    t.extend_from_slice(&long);
    t.push(b'\n');
    t.extend_from_slice(b"Jan  1 00:00:02 ftd SF-IMS[7]: [9] sftunneld:sf_ssl [ERROR] Connect:SSL handshake failed\n");
    t.extend_from_slice(FTD_SEED.as_bytes());
    t.extend_from_slice(FMC_SEED.as_bytes());
    t.extend_from_slice(b"Jan  2 00:00:00 fmc SF-IMS[1]: [2] sftunneld:sf_ssl [INFO] Connected to 10.1.1.1 from x");
    t
}

fn proxy_text() -> Vec<u8> {
    let mut t = b"wrapped line before any entry\n".to_vec();
    t.extend_from_slice(SELF_SIGNED_SEED.as_bytes());
    t.extend_from_slice(b"\n   \n");
    t.extend_from_slice(CIPHER_SEED.as_bytes());
    t.extend_from_slice(SELF_SIGNED_SEED.replace('\n', "\r\n").as_bytes());
    t.extend_from_slice(b"2014-02-05 05:23:00,000 ERROR TLS_Proxy - TLS problem (error:1408F10B:SSL routines:\nSSL3_GET_RECORD:wrong version number) while connecting to server for Session: x9");
    t
}

const MTIME: &str = "2025-01-01T12:00:00Z";

fn source(data: &[u8]) -> Source<'_> {
    Source { path: "log".into(), data: Data::Bytes(data), mtime: Some(MTIME.parse().expect("t")), depth: 0 }
}

type ParseChunked = fn(&mut Source<'_>, &IngestContext, &mut dyn Sink, usize) -> ReadStatus;

/// What `parse` hands on from `data` in chunks of `size` bytes, with its status.
fn run(data: &[u8], parse: ParseChunked, ctx: &IngestContext, size: usize) -> Parsed {
    Parsed::read_with(&mut source(data), Format::Syslog, |src, sink| parse(src, ctx, sink, size))
}

/// [`run`] with `data` read from a stream.
fn run_streamed(data: &[u8], parse: ParseChunked, ctx: &IngestContext, size: usize) -> Parsed {
    let mut stream = Trickle::new(data, 7);
    let mut src = Source {
        path: "log".into(),
        data: Data::Stream(&mut stream),
        mtime: Some(MTIME.parse().expect("t")),
        depth: 0,
    };
    let mut out = Parsed::read_with(&mut src, Format::Syslog, |src, sink| parse(src, ctx, sink, size));
    out.inputs[0].bytes = data.len() as u64;
    out
}

fn check(data: &[u8], parse: ParseChunked, ctx: &IngestContext) {
    let whole = format!("{:?}", run(data, parse, ctx, usize::MAX));
    let mut sizes: Vec<usize> = (1..=40).collect();
    sizes.extend([57, 64, 100, 128, 200, 333, 512, 1000, 4096, 9000]);
    for size in sizes {
        assert_eq!(format!("{:?}", run(data, parse, ctx, size)), whole, "chunks of {size} bytes");
        assert_eq!(format!("{:?}", run_streamed(data, parse, ctx, size)), whole, "streamed, chunks of {size} bytes");
    }
}

#[test]
fn syslog_chunks_give_the_same_result() {
    let data = syslog_text();
    let p = run(&data, syslog::parse_chunked, &ctx(Some(2024)), usize::MAX);
    assert_eq!(p.attempts.len(), 4);
    let first = &p.attempts[0];
    assert_eq!(first.start, Some("2024-12-31T23:59:59Z".parse().expect("t")));
    let lines: Vec<Option<u64>> = first.events.iter().map(|o| o.evidence.line).collect();
    assert_eq!(lines, vec![Some(2), Some(6), Some(8)]);
    assert_eq!(first.events[2].evidence.time, Some("2025-01-01T00:00:02Z".parse().expect("t")));
    assert_eq!(
        p.inputs[0].message.as_deref(),
        Some("1 line longer than 8192 bytes, only the start was read; 1 line not valid UTF-8, read with replacement characters")
    );
    check(&data, syslog::parse_chunked, &ctx(Some(2024)));
    check(&data, syslog::parse_chunked, &ctx(None));
}

#[test]
fn tls_proxy_chunks_give_the_same_result() {
    let data = proxy_text();
    let p = run(&data, tls_proxy::parse_chunked, &ctx(None), usize::MAX);
    let sessions: Vec<Option<&str>> = p.attempts.iter().map(|a| a.session.as_deref()).collect();
    assert_eq!(sessions, vec![Some("x148a696e"), Some("x2fd1f6"), Some("x9")]);
    assert_eq!(p.attempts[0].events.len(), 8);
    check(&data, tls_proxy::parse_chunked, &ctx(None));
}

/// A tunnel that connects and then stays quiet must not hold back the attempts logged after
/// it: once it has been silent for ten minutes by its host's clock, later complete attempts are
/// handed on while the file is still being read.
#[test]
fn a_quiet_open_tunnel_does_not_hold_back_later_attempts() {
    use super::sftunnel_attempts::Grouper;
    use super::syslog_scan::{scan, TAG};
    let mut text = String::from(
        "Mar  1 00:00:00 ftd SF-IMS[7]: [1] sftunneld:sf_ssl [INFO] Initiating IPv4 connection to 10.0.0.1:8305/tcp\n\
         Mar  1 00:00:00 ftd SF-IMS[7]: [1] sftunneld:sf_ssl [INFO] Connected to 10.0.0.1 from resolved_ip_list (port 8305) (IPv4)\n",
    );
    for m in 1..=20 {
        let head = format!("Mar  1 00:{m:02}:00 ftd SF-IMS[7]: [2] sftunneld:sf_ssl");
        text.push_str(&format!("{head} [INFO] Initiating IPv4 connection to 10.0.0.2:8305/tcp\n"));
        text.push_str(&format!("{head} [ERROR] Connect:SSL handshake failed\n"));
    }
    let finder = memchr::memmem::Finder::new(TAG);
    let mut scanned = scan(text.as_bytes(), &finder);
    let block = std::sync::Arc::new(std::mem::take(&mut scanned.texts));
    let mut grouper = Grouper::new("messages");
    let mut handed_on = Vec::new();
    let mut first_hand_on = None;
    for r in scanned.recs {
        let Some(body) = r.body else { continue };
        let time = format!("2026-03-01T00:{:02}:{:02}Z", r.minute, r.second).parse().ok();
        grouper.feed(r.no, time, body.body(text.as_bytes(), &block));
        let ready = grouper.drain_ready();
        if !ready.is_empty() && first_hand_on.is_none() {
            first_hand_on = Some(r.no);
        }
        handed_on.extend(ready);
    }
    // Until its host's clock is more than ten minutes past it (minute 11, line 23) the open
    // tunnel holds everything back; then it and every complete attempt go, in order.
    assert_eq!(first_hand_on, Some(23));
    let starts: Vec<Option<u64>> = handed_on.iter().map(|a| a.events.first().and_then(|e| e.evidence.line)).collect();
    let expected: Vec<Option<u64>> = std::iter::once(Some(1)).chain((0..19).map(|i| Some(3 + 2 * i))).collect();
    assert_eq!(starts, expected);
    // Only the last attempt (minute 20) is still open at the end.
    assert_eq!(grouper.finish().len(), 1);
}
