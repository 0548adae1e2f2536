//! Tests of the capture layer on captures written in the tests: file formats, link layers,
//! reassembled streams, client detection, refused connections and damaged files.

mod build;
mod files;
mod parallel;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use build::{frame, pcap, Link, Tcp};

use super::*;

pub const CLIENT: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 1);
pub const SERVER: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 2);

/// A segment from `src` to `dst`.
pub fn seg(
    src: (IpAddr, u16),
    dst: (IpAddr, u16),
    seq: u32,
    ack: Option<u32>,
    flags: &'static str,
    payload: &[u8],
) -> Tcp {
    Tcp { src, dst, seq, ack, flags, payload: payload.to_vec() }
}

pub fn v4(ip: Ipv4Addr, port: u16) -> (IpAddr, u16) {
    (IpAddr::V4(ip), port)
}

/// The start of a TLS ClientHello record followed by `n` filler bytes.
pub fn client_hello(n: usize) -> Vec<u8> {
    let mut v = vec![0x16, 0x03, 0x01, 0x02, 0x00, 0x01];
    v.extend((0..n).map(|i| (i % 251) as u8));
    v
}

/// A full conversation: handshake, client bytes in three segments sent out of order with a
/// retransmission, server bytes, with the client's ISN close to the wrap.
pub fn conversation(port: u16) -> (Vec<Tcp>, Vec<u8>, Vec<u8>) {
    let c = v4(CLIENT, 50_000);
    let s = v4(SERVER, port);
    let cisn = u32::MAX - 10;
    let sisn = 7_000;
    let up = client_hello(60);
    let down = {
        let mut v = vec![0x16, 0x03, 0x03, 0x00, 0x30, 0x02];
        v.extend(b"server hello bytes");
        v
    };
    let c0 = cisn.wrapping_add(1);
    let segs = vec![
        seg(c, s, cisn, None, "S", &[]),
        seg(s, c, sisn, Some(c0), "S", &[]),
        seg(c, s, c0, Some(sisn + 1), "", &[]),
        seg(c, s, c0.wrapping_add(20), Some(sisn + 1), "", &up[20..40]),
        seg(c, s, c0, Some(sisn + 1), "", &up[..20]),
        seg(c, s, c0.wrapping_add(40), Some(sisn + 1), "", &up[40..]),
        seg(c, s, c0.wrapping_add(10), Some(sisn + 1), "", &up[10..30]),
        seg(s, c, sisn + 1, Some(c0.wrapping_add(up.len() as u32)), "", &down),
    ];
    (segs, up, down)
}

fn frames_of(link: Link, segs: &[Tcp]) -> Vec<(u32, u32, Vec<u8>)> {
    segs.iter().enumerate().map(|(i, t)| (1_700_000_000 + i as u32, 250_000, frame(link, t))).collect()
}

fn only_conn(a: &Analysis) -> &Finished {
    assert_eq!(a.conns.len(), 1, "{:?}", a.conns.iter().map(|c| (c.conn.a, c.conn.b)).collect::<Vec<_>>());
    &a.conns[0]
}

fn check_conversation(link: Link, linktype: u32) {
    let (segs, up, down) = conversation(443);
    let data = pcap(false, false, linktype, &frames_of(link, &segs));
    let a = analyse(&data, true);
    assert_eq!(a.end, reader::ReadEnd::Complete, "{link:?}");
    assert_eq!(a.frames, 8);
    let c = &only_conn(&a).conn;
    assert_eq!(c.kind, Kind::Tls, "{link:?}");
    assert_eq!(c.a.to_string(), "10.0.0.1:50000");
    assert_eq!(c.a_is_client, Some(true));
    assert_eq!(c.dirs[0].recorded, up, "{link:?}");
    assert_eq!(c.dirs[1].recorded, down, "{link:?}");
    assert_eq!(c.syn.map(|s| s.frame), Some(1));
    assert_eq!(c.syn_ack.map(|s| s.frame), Some(2));
    assert_eq!(c.dirs[0].gaps, 0);
}

#[test]
fn ethernet_stream_is_reassembled_across_the_wrap() {
    check_conversation(Link::Eth, 1);
}

#[test]
fn vlan_and_qinq_tags_are_skipped() {
    check_conversation(Link::Vlan(10), 1);
    check_conversation(Link::QinQ(100, 20), 1);
}

#[test]
fn cooked_raw_and_loopback_links() {
    check_conversation(Link::Sll, 113);
    check_conversation(Link::Sll2, 276);
    check_conversation(Link::Ip, 101);
    check_conversation(Link::Ip, 228);
    check_conversation(Link::Null, 0);
    check_conversation(Link::Loop, 108);
}

#[test]
fn ipv6_over_null_loopback_gives_bracketed_endpoints() {
    let c = (IpAddr::V6(Ipv6Addr::LOCALHOST), 40_000);
    let s = (IpAddr::V6("2001:db8::2".parse().expect("addr")), 8305);
    let ch = client_hello(10);
    let segs = [seg(c, s, 10, None, "S", &[]), seg(s, c, 99, Some(11), "S", &[]), seg(c, s, 11, Some(100), "", &ch)];
    let data = pcap(false, false, 0, &frames_of(Link::Null, &segs));
    let parsed = run_capture(&mut source("v6.pcap", &data));
    assert_eq!(parsed.handshakes.len(), 1);
    let h = &parsed.handshakes[0];
    assert_eq!(h.client.to_string(), "[::1]:40000");
    assert_eq!(h.server.to_string(), "[2001:db8::2]:8305");
    assert_eq!(parsed.attempts[0].context, crate::model::Context::Sftunnel);
}

#[test]
fn open_connection_client_found_by_client_hello() {
    // No SYN; the ClientHello comes from the lower port, which wins over the port rule.
    let a = v4(CLIENT, 443);
    let b = v4(SERVER, 60_000);
    let segs = [seg(a, b, 900, None, "", &client_hello(4)), seg(b, a, 5, None, "", &[0x16, 3, 3, 0, 2, 2, 40])];
    let data = pcap(false, false, 1, &frames_of(Link::Eth, &segs));
    let an = analyse(&data, false);
    let c = &only_conn(&an).conn;
    assert_eq!(c.kind, Kind::Tls);
    assert_eq!(c.a.port(), 443);
    assert_eq!(c.a_is_client, Some(true));
    // A ServerHello seen first marks its sender as the server, whatever the ports.
    let segs = [seg(a, b, 5, None, "", &[0x16, 3, 3, 0, 2, 2, 40])];
    let an = analyse(&pcap(false, false, 1, &frames_of(Link::Eth, &segs)), false);
    assert_eq!(only_conn(&an).conn.a_is_client, Some(false));
}

#[test]
fn open_connection_without_hello_uses_the_lower_port() {
    let a = v4(CLIENT, 8305);
    let b = v4(SERVER, 41_000);
    let segs = [seg(a, b, 1, None, "", &[0x17, 3, 3, 0, 1, 9]), seg(b, a, 1, None, "", &[0x17, 3, 3, 0, 1, 8])];
    let data = pcap(false, false, 1, &frames_of(Link::Eth, &segs));
    let parsed = run_capture(&mut source("mid.pcap", &data));
    assert_eq!(parsed.handshakes.len(), 1);
    assert_eq!(parsed.handshakes[0].client.to_string(), "10.0.0.2:41000");
    assert_eq!(parsed.handshakes[0].server.to_string(), "10.0.0.1:8305");
    assert!(parsed.handshakes[0].notes.contains(&"connection already open when the capture started".to_string()));
}

#[test]
fn non_tls_streams_are_dropped_and_counted() {
    let c = v4(CLIENT, 50_001);
    let s = v4(SERVER, 80);
    let segs = [
        seg(c, s, 1, None, "S", &[]),
        seg(s, c, 1, Some(2), "S", &[]),
        seg(c, s, 2, Some(2), "", b"GET / HTTP/1.1\r\n"),
    ];
    let data = pcap(false, false, 1, &frames_of(Link::Eth, &segs));
    let parsed = run_capture(&mut source("http.pcap", &data));
    assert!(parsed.handshakes.is_empty());
    assert_eq!(parsed.inputs[0].status, Status::Ok);
    assert_eq!(parsed.inputs[0].message.as_deref(), Some("1 TCP connection without TLS skipped"));
}

#[test]
fn missing_segment_becomes_a_gap_at_the_end() {
    let c = v4(CLIENT, 50_002);
    let s = v4(SERVER, 443);
    let ch = client_hello(30);
    let segs = [
        seg(c, s, 100, None, "S", &[]),
        seg(s, c, 500, Some(101), "S", &[]),
        seg(c, s, 101, Some(501), "", &ch[..10]),
        // bytes 10..20 never captured
        seg(c, s, 121, Some(501), "", &ch[20..]),
    ];
    let data = pcap(false, false, 1, &frames_of(Link::Eth, &segs));
    let an = analyse(&data, true);
    let c = &only_conn(&an).conn;
    let mut want = ch[..10].to_vec();
    want.extend_from_slice(&ch[20..]);
    assert_eq!(c.dirs[0].recorded, want);
    assert_eq!(c.dirs[0].gaps, 1);
}

#[test]
fn syn_answered_by_reset_is_refused() {
    let c = v4(CLIENT, 50_003);
    let s = v4(SERVER, 8305);
    let segs = [seg(c, s, 1000, None, "S", &[]), seg(s, c, 0, Some(1001), "R", &[])];
    let data = pcap(false, false, 1, &frames_of(Link::Eth, &segs));
    let parsed = run_capture(&mut source("refused.pcap", &data));
    assert_eq!(parsed.handshakes.len(), 1);
    let h = &parsed.handshakes[0];
    assert_eq!(h.outcome, Outcome::Refused);
    assert_eq!((h.client.to_string(), h.server.to_string()), ("10.0.0.1:50003".into(), "10.0.0.2:8305".into()));
    let at = &parsed.attempts[0];
    assert_eq!(at.context, crate::model::Context::Sftunnel);
    assert_eq!(at.start, jiff::Timestamp::new(1_700_000_000, 250_000_000).ok());
    let kinds: Vec<String> = at.events.iter().map(|o| format!("{:?}@{:?}", o.event, o.evidence.frame)).collect();
    assert_eq!(kinds, ["Refused@Some(2)", "End { outcome: Refused }@Some(2)"]);
}

#[test]
fn handshake_cut_off_by_the_end_is_incomplete() {
    let (segs, _, _) = conversation(443);
    let data = pcap(false, false, 1, &frames_of(Link::Eth, &segs));
    let parsed = run_capture(&mut source("cut.pcap", &data));
    let h = &parsed.handshakes[0];
    assert_eq!(h.outcome, Outcome::Incomplete);
    // The TLS layer adds its own notes about the unfinished records after this one.
    assert_eq!(h.notes[0], "cut off by the end of the capture");
    let frames: Vec<Option<u64>> = h.evidence.iter().map(|e| e.frame).collect();
    assert_eq!(frames, [Some(1), Some(2), Some(5), Some(6), Some(8)]);
    assert!(h.evidence.iter().all(|e| e.path == "cut.pcap" && e.time.is_some()));
    let at = &parsed.attempts[0];
    assert_eq!(at.context, crate::model::Context::Generic);
    let kinds: Vec<String> = at.events.iter().map(|o| format!("{:?}@{:?}", o.event, o.evidence.frame)).collect();
    assert_eq!(kinds, ["Connected@Some(2)", "End { outcome: Incomplete }@Some(8)"]);
}

#[test]
fn handshake_closed_without_alert_failed() {
    let (mut segs, _, _) = conversation(443);
    let c = v4(CLIENT, 50_000);
    let s = v4(SERVER, 443);
    segs.push(seg(s, c, 7_100, None, "R", &[]));
    let data = pcap(false, false, 1, &frames_of(Link::Eth, &segs));
    let parsed = run_capture(&mut source("rst.pcap", &data));
    let h = &parsed.handshakes[0];
    assert_eq!(h.outcome, Outcome::Failed);
    assert_eq!(h.notes[0], "the connection was closed during the handshake without an alert");
}

pub fn source<'a>(path: &str, data: &'a [u8]) -> crate::model::Source<'a> {
    crate::model::Source { path: path.into(), data: crate::model::Data::Bytes(data), mtime: None, depth: 0 }
}

pub fn ctx() -> IngestContext {
    IngestContext::new(
        jiff::Timestamp::new(1_700_000_000, 0).expect("time"),
        std::sync::Arc::new(crate::x509::CertCache::default()),
    )
}

use crate::model::Outcome;

/// What the capture reader hands on from `src`, kept, with its status line.
pub fn run_capture(src: &mut crate::model::Source<'_>) -> crate::model::Parsed {
    let ctx = ctx();
    crate::model::Parsed::read_with(src, crate::model::Format::Pcap, |src, sink| parse(src, &ctx, sink))
}

#[test]
fn a_connection_stays_small() {
    // A half-open connection is this, a frame and a slot of the table (issue 24: ≤ 1 KiB in all).
    let sizes =
        (std::mem::size_of::<Conn>(), std::mem::size_of::<conn::Dir>(), std::mem::size_of::<crate::tls::Seen>());
    eprintln!("Conn, Dir, Seen: {sizes:?}");
    assert!(sizes.0 <= 448, "{sizes:?}");
}

#[test]
fn tcp_checksums_are_checked_on_both_families_and_odd_lengths() {
    let v6 = |n: u16| (IpAddr::V6(Ipv6Addr::new(0xfd00, 0, 0, 0, 0, 0, 0, n)), 443);
    for (src, dst) in [(v4(CLIENT, 40_000), v4(SERVER, 443)), (v6(1), v6(2))] {
        for len in [0, 1, 7, 8, 1447] {
            let payload: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
            let mut f = frame(Link::Eth, &seg(src, dst, 9, Some(1), "", &payload));
            let link::Decoded::Tcp(s) = link::decode(1, &f) else { panic!("not TCP") };
            assert_eq!(link::checksum_ok(&s), Some(true), "{len} bytes");
            let at = if src.0.is_ipv4() { 34 + 16 } else { 54 + 16 };
            f[at] ^= 1;
            let link::Decoded::Tcp(s) = link::decode(1, &f) else { panic!("not TCP") };
            assert_eq!(link::checksum_ok(&s), Some(false), "{len} bytes");
        }
    }
}
