//! What is never read: records of a conversation whose start the capture missed, TLS 1.3
//! flights after the ServerHello, the SSL 2.0 records after the hellos; and a non-TLS answer.

use crate::codes::{CipherSuite, TlsVersion};
use crate::model::Role::{Client, Server};
use crate::tls::{Tls13Progress, TlsConversation};

use super::build::*;

#[test]
fn a_conversation_whose_start_was_not_captured_is_counted_never_read() {
    // Application data both ways, then each side's encrypted close_notify (26 bytes): nothing of
    // it may come out as alerts or messages.
    let packets: Vec<Packet> = vec![
        (Client, 5, opaque(APP_DATA, 37)),
        (Server, 6, opaque(APP_DATA, 37)),
        (Client, 7, [vec![ALERT, 3, 3, 0, 26], vec![0x02; 26]].concat()),
        (Server, 8, [vec![HANDSHAKE, 3, 3, 0, 40], vec![0x0b; 40]].concat()),
    ];
    let s = run(&packets);
    assert!(s.start_missing);
    assert!(s.alerts.is_empty() && s.certificates.is_empty() && s.client_hello.is_none());
    assert_eq!(
        s.notes,
        ["the capture starts after the handshake (its first TLS record is application data from the client in frame 5): \
          the records are counted, none is read"]
    );
    let mut conv = TlsConversation::new();
    conv.feed(Client, &opaque(APP_DATA, 37), seen(5));
    assert!(conv.done(), "nothing more to read once the start is known to be missing");
}

#[test]
fn a_plain_http_answer_to_a_client_hello() {
    let answer = b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\n\r\n<html></html>";
    let packets: Vec<Packet> =
        vec![(Client, 4, record(HANDSHAKE, &client_hello(&[0xc02f], &[]))), (Server, 6, answer.to_vec())];
    let s = run(&packets);
    let n = s.not_tls.expect("a non-TLS answer");
    assert_eq!((n.from, n.seen.frame), (Server, 6));
    assert!(n.head.starts_with(b"HTTP/1.1 400 Bad Request\r\n"));
    assert_eq!(n.head.len(), 64);
    // Garbage after TLS records is no answer of another protocol, only a note.
    let later = run(&[
        (Client, 4, record(HANDSHAKE, &client_hello(&[0xc02f], &[]))),
        (Server, 5, [record(HANDSHAKE, &server_hello(0xc02f, &[])), b"junk!".to_vec()].concat()),
    ]);
    assert_eq!(later.not_tls, None);
}

#[test]
fn tls13_flights_tell_a_rejection_from_an_established_connection() {
    let start = |client_answer: Vec<u8>| -> Vec<Packet> {
        vec![
            (Client, 1, record(HANDSHAKE, &client_hello(&[0x1301], &[ext_client_versions(&[0x0304])]))),
            (Server, 2, [record(HANDSHAKE, &server_hello(0x1301, &[ext_server_version(0x0304)])), ccs()].concat()),
            (
                Server,
                3,
                [opaque(APP_DATA, 23), opaque(APP_DATA, 1788), opaque(APP_DATA, 281), opaque(APP_DATA, 69)].concat(),
            ),
            (Client, 4, [ccs(), client_answer].concat()),
        ]
    };
    let gcm = CipherSuite::TLS_AES_128_GCM_SHA256;
    // The client's only answer is an alert-sized record: it refused the server's flight.
    let refused = run(&start(opaque(APP_DATA, 19)));
    assert_eq!(refused.flights.progress(gcm), Tls13Progress::ClientAlert(seen(4)));
    // Its certificate and Finished, then the server's alert-sized answer: the server refused it.
    let mut packets = start([opaque(APP_DATA, 1782), opaque(APP_DATA, 69)].concat());
    packets.push((Server, 5, opaque(APP_DATA, 19)));
    assert_eq!(run(&packets).flights.progress(gcm), Tls13Progress::ServerAlert(seen(5)));
    // Its Finished alone, then the same answer: a close_notify reads the same as a refusal.
    let mut packets = start(opaque(APP_DATA, 69));
    packets.push((Server, 5, opaque(APP_DATA, 19)));
    assert_eq!(run(&packets).flights.progress(gcm), Tls13Progress::ServerAlertAfterFinished(seen(5)));
    // A session ticket instead: established.
    packets.pop();
    packets.push((Server, 5, opaque(APP_DATA, 250)));
    let ok = run(&packets);
    assert_eq!(ok.flights.progress(gcm), Tls13Progress::Established);
    assert_eq!(ok.encrypted_records, [1, 5]);
    assert!(ok.alerts.is_empty());
}

/// An SSL 2.0 record with a two-byte header.
fn v2(body: &[u8]) -> Vec<u8> {
    let mut out = ((0x8000 | body.len()) as u16).to_be_bytes().to_vec();
    out.extend_from_slice(body);
    out
}

#[test]
fn an_sslv2_server_hello_is_read_and_what_follows_counted() {
    let cert = cert_der("legacy.example.net");
    let mut hello = vec![4, 0, 1, 0, 2];
    hello.extend((cert.len() as u16).to_be_bytes());
    hello.extend([0, 3, 0, 16]);
    hello.extend(&cert);
    hello.extend([0x01, 0x00, 0x80]);
    hello.extend([7; 16]);
    let mut client_hello = vec![1, 0, 2, 0, 3, 0, 0, 0, 16, 0x01, 0x00, 0x80];
    client_hello.extend([9; 16]);
    // CLIENT-MASTER-KEY and an encrypted record with a three-byte header, in one segment.
    let master_key =
        [v2(&[2, 0x01, 0x00, 0x80, 0, 0, 0, 4, 0, 0, 1, 2, 3, 4]), vec![0x00, 20, 3], vec![5; 20]].concat();
    let packets: Vec<Packet> = vec![
        (Client, 4, v2(&client_hello)),
        (Server, 5, v2(&hello)),
        (Client, 6, master_key),
        (Server, 7, [v2(&[6; 33]), v2(&[6; 33])].concat()),
    ];
    for cut in [&[usize::MAX][..], &[1, 2, 3]] {
        let s = run_chunked(&packets, cut);
        let h = s.sslv2_server_hello.clone().expect("SERVER-HELLO read");
        assert_eq!((h.version, h.cipher_kinds.as_slice(), h.seen.frame), (TlsVersion::SSL2, &[0x010080][..], 5));
        assert_eq!(s.certificates.len(), 1);
        assert_eq!((s.certificates[0].from, &s.certificates[0].ders[0]), (Server, &cert));
        assert_eq!(s.encrypted_records, [2, 2]);
        assert!(!s.notes.iter().any(|n| n.contains("not a TLS record")), "{:?}", s.notes);
    }
}
