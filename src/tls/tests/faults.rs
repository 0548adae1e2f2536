//! Hostile and damaged input: oversize records and messages, truncation, garbage, lost data.

use crate::model::Role::{Client, Server};
use crate::tls::TlsConversation;

use super::build::*;

/// A stand-in for a DER certificate whose bytes are predictable (0x30 0x82 then filler).
fn fake_der(len: usize) -> Vec<u8> {
    let mut der = vec![0x30, 0x82];
    der.resize(len, 0xab);
    der
}

#[test]
fn oversize_record_stops_only_its_direction() {
    let mut huge = vec![22, 3, 1, 0xff, 0xff];
    huge.extend([0u8; 100]);
    let packets: Vec<Packet> = vec![
        (Client, 1, huge),
        (Client, 2, record(HANDSHAKE, &client_hello(&[0xc02f], &[]))),
        (Server, 3, record(HANDSHAKE, &server_hello(0xc02f, &[]))),
    ];
    let s = run(&packets);
    assert_eq!(
        s.notes,
        ["client: record of 65535 bytes exceeds the limit of 18432 at frame 1; the rest of this direction is not parsed"]
    );
    assert_eq!(s.client_hello, None);
    assert_eq!(s.server_hello.map(|h| h.seen.frame), Some(3));
}

#[test]
fn sixteen_megabyte_handshake_message_is_skipped() {
    let mut body = vec![11, 0xff, 0xff, 0xff];
    body.extend([0x42; 1000]);
    let hello = record(HANDSHAKE, &client_hello(&[0xc02f], &[]));
    let s = run(&[(Client, 1, hello), (Server, 2, record(HANDSHAKE, &body))]);
    assert_eq!(s.notes, ["server: Certificate of 16777215 bytes exceeds the limit of 524288 at frame 2; skipped"]);
    assert!(s.certificates.is_empty());
}

#[test]
fn message_over_the_cap_is_skipped_and_the_next_one_read() {
    let big = certificate(&[fake_der(600 * 1024)]);
    let packets: Vec<Packet> = vec![
        (Client, 1, record(HANDSHAKE, &client_hello(&[0xc02f], &[]))),
        (Server, 2, records(HANDSHAKE, &big, 16384)),
        (Server, 3, record(HANDSHAKE, &server_hello_done())),
    ];
    for cut in [&[usize::MAX][..], &[1000, 7]] {
        let s = run_chunked(&packets, cut);
        assert_eq!(s.notes, ["server: Certificate of 614406 bytes exceeds the limit of 524288 at frame 2; skipped"]);
        assert!(s.certificates.is_empty());
        assert!(s.server_hello_done);
    }
}

#[test]
fn large_message_under_the_cap_is_reassembled() {
    let ders = vec![fake_der(130 * 1024), fake_der(130 * 1024), fake_der(200 * 1024)];
    let s = run_chunked(&[(Server, 9, records(HANDSHAKE, &certificate(&ders), 16384))], &[4000, 3]);
    assert_eq!(s.certificates.len(), 1);
    assert_eq!(s.certificates[0].ders, ders);
    assert!(s.notes.is_empty());
}

#[test]
fn truncated_and_inconsistent_messages() {
    let mut short = vec![3, 3];
    short.extend([0x11; 18]);
    let packets: Vec<Packet> = vec![
        (Client, 1, record(HANDSHAKE, &handshake(1, &short))),
        (Server, 2, record(HANDSHAKE, &handshake(11, &[0, 0, 5, 0, 0, 3, 1, 2]))),
    ];
    let s = run(&packets);
    assert_eq!(
        s.notes,
        [
            "client: malformed ClientHello at frame 1: too short",
            "server: malformed Certificate at frame 2: the certificate list says 5 bytes but its entries cover 0",
        ]
    );
    assert_eq!((s.client_hello, s.certificates.len()), (None, 0));
}

#[test]
fn capture_ending_inside_a_message_or_record() {
    let cert = certificate(&[fake_der(594)]);
    let ch = record(HANDSHAKE, &client_hello(&[0xc02f], &[]));
    let packets: Vec<Packet> =
        vec![(Client, 1, ch[..3].to_vec()), (Server, 2, record(HANDSHAKE, &cert[..50])), (Server, 3, ccs())];
    let s = run(&packets);
    assert_eq!(
        s.notes,
        [
            "client: the capture ends inside a handshake record (3 bytes of it seen)",
            "server: the capture ends inside a Certificate message (46 of 600 bytes)",
        ]
    );
}

#[test]
fn garbage_in_both_directions() {
    let mut conv = TlsConversation::new();
    conv.feed(Client, b"GET / HTTP/1.1\r\nHost: fmc\r\n\r\n", seen(1));
    assert!(!conv.done());
    conv.feed(Server, b"HTTP/1.1 400 Bad Request\r\n", seen(2));
    assert!(conv.done());
    conv.feed(Server, &record(HANDSHAKE, &server_hello(0xc02f, &[])), seen(3));
    let s = conv.finish();
    assert_eq!(
        s.notes,
        [
            "client: bytes at frame 1 are not a TLS record (they start 47 45 54 20 2f); the rest of this direction \
             is not parsed",
            "server: bytes at frame 2 are not a TLS record (they start 48 54 54 50 2f); the rest of this direction \
             is not parsed",
        ]
    );
    assert_eq!(s.server_hello, None);
}

#[test]
fn garbage_after_a_valid_record() {
    let mut bytes = record(HANDSHAKE, &client_hello(&[0xc02f], &[]));
    bytes.extend([0xff; 9]);
    let s = run_chunked(&[(Client, 4, bytes)], &[6]);
    assert!(s.client_hello.is_some());
    assert_eq!(
        s.notes,
        ["client: bytes at frame 4 are not a TLS record (they start ff ff ff ff ff); the rest of this direction is not \
          parsed"]
    );
}

#[test]
fn gap_inside_a_message_resynchronises_at_the_next_message() {
    let cert = certificate(&[fake_der(500)]);
    let mut conv = TlsConversation::new();
    conv.feed(Server, &record(HANDSHAKE, &[server_hello(0xc02f, &[]), cert[..100].to_vec()].concat()), seen(2));
    conv.gap(Server);
    conv.feed(Server, &record(HANDSHAKE, &cert[300..]), seen(4));
    conv.feed(Server, &record(HANDSHAKE, &server_hello_done()), seen(5));
    let s = conv.finish();
    assert_eq!(
        s.notes,
        [
            "server: data is missing after frame 2; parsing continues at the next record boundary",
            "server: parsing resumed at a record starting in frame 4",
            "server: handshake record at frame 4 skipped: it continues a message whose start was lost",
        ]
    );
    assert!(s.server_hello.is_some() && s.server_hello_done);
    assert!(s.certificates.is_empty());
    assert_eq!(s.frames, [2, 4, 5]);
}

#[test]
fn gap_inside_a_record_waits_for_a_record_header() {
    let ch = record(HANDSHAKE, &client_hello(&[0xc02f], &[ext_sni("ftd.example.net")]));
    let mut conv = TlsConversation::new();
    conv.feed(Client, &ch[..10], seen(1));
    conv.gap(Client);
    conv.feed(Client, &ch[30..], seen(3));
    conv.feed(Client, &ch, seen(4));
    let s = conv.finish();
    assert_eq!(
        s.notes,
        [
            "client: data is missing after frame 1; parsing continues at the next record boundary",
            "client: parsing resumed at a record starting in frame 4",
        ]
    );
    assert_eq!(s.client_hello.map(|c| (c.sni, c.seen.frame)), Some((Some("ftd.example.net".to_string()), 4)));
}

#[test]
fn lists_and_notes_are_capped() {
    let mut conv = TlsConversation::new();
    conv.feed(Client, &record(HANDSHAKE, &client_hello(&[0xc02f], &[])), seen(0));
    for frame in 0..100 {
        conv.feed(Server, &alert(1, 0), seen(frame));
        conv.gap(Client);
    }
    let s = conv.finish();
    assert_eq!(s.alerts.len(), 64);
    assert_eq!(s.notes.len(), 33);
    assert_eq!(s.notes[0], "client: data is missing after frame 0; parsing continues at the next record boundary");
    assert_eq!(s.notes[32], "further remarks were left out");
}
