//! TLS 1.3, HelloRetryRequest, alerts in plaintext and encrypted, SSL 2.0-style hellos.

use crate::codes::{AlertDescription, AlertLevel, CipherSuite, TlsVersion};
use crate::model::Role::{Client, Server};
use crate::tls::{AlertInfo, ServerHelloInfo, TlsConversation, TlsSummary};

use super::build::*;

const TLS13_NOTE: &str =
    "TLS 1.3 was negotiated: the certificates are encrypted and cannot be checked from the capture";

/// The fixed random that marks a HelloRetryRequest.
const HRR: [u8; 32] = [
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11,
    0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
];

fn tls13_client_hello(host: &str) -> Vec<u8> {
    client_hello(&[0x1301, 0x1302, 0xc02f], &[ext_sni(host), ext_client_versions(&[0x0a0a, 0x0304, 0x0303])])
}

#[test]
fn tls13_server_hello_marks_everything_after_it_encrypted() {
    let packets: Vec<Packet> = vec![
        (Client, 1, record(HANDSHAKE, &tls13_client_hello("sensor.example.net"))),
        (Server, 2, [record(HANDSHAKE, &server_hello(0x1301, &[ext_server_version(0x0304)])), ccs()].concat()),
        (Server, 3, [opaque(APP_DATA, 900), opaque(APP_DATA, 300)].concat()),
        (Client, 4, [ccs(), opaque(APP_DATA, 53)].concat()),
        // A session ticket: the server answered the client's Finished, the handshake is over.
        (Server, 5, opaque(APP_DATA, 250)),
    ];
    let mut conv = TlsConversation::new();
    let mut states = Vec::new();
    for (role, frame, bytes) in &packets {
        conv.feed(*role, bytes, seen(*frame));
        states.push(conv.done());
    }
    assert_eq!(states, [false, false, false, false, true]);
    let s = conv.finish();
    let ch = s.client_hello.clone().unwrap_or_default();
    assert_eq!(ch.legacy_version, TlsVersion::TLS12);
    assert_eq!(ch.versions, [TlsVersion(0x0a0a), TlsVersion::TLS13, TlsVersion::TLS12]);
    assert_eq!(ch.sni.as_deref(), Some("sensor.example.net"));
    assert_eq!(
        s.server_hello,
        Some(ServerHelloInfo { version: TlsVersion::TLS13, suite: CipherSuite::TLS_AES_128_GCM_SHA256, seen: seen(2) })
    );
    assert!(s.tls13);
    assert!(s.certificates.is_empty());
    assert_eq!((s.ccs, s.app_data), ([true, true], [true, true]));
    assert_eq!(s.encrypted_records, [1, 3]);
    assert_eq!(s.flights.progress(CipherSuite::TLS_AES_128_GCM_SHA256), crate::tls::Tls13Progress::Established);
    assert_eq!(s.notes, [TLS13_NOTE]);
    assert_eq!(s.frames, [1, 2]);
}

#[test]
fn hello_retry_request_keeps_the_second_client_hello() {
    let packets: Vec<Packet> = vec![
        (Client, 1, record(HANDSHAKE, &tls13_client_hello("first.example.net"))),
        (Server, 2, record(HANDSHAKE, &server_hello_with_random(HRR, 0x1302, &[ext_server_version(0x0304)]))),
        (Client, 3, [ccs(), record(HANDSHAKE, &tls13_client_hello("second.example.net"))].concat()),
        (Server, 4, record(HANDSHAKE, &server_hello(0x1302, &[ext_server_version(0x0304)]))),
    ];
    let s = run(&packets);
    assert_eq!(s.client_hello.map(|c| (c.sni, c.seen)), Some((Some("second.example.net".to_string()), seen(3))));
    assert_eq!(s.server_hello.map(|h| (h.version, h.seen)), Some((TlsVersion::TLS13, seen(4))));
    assert_eq!(
        s.notes,
        [
            "HelloRetryRequest at frame 2: the server asks for a new ClientHello",
            "another ClientHello at frame 3 replaces the first",
            TLS13_NOTE,
        ]
    );
}

#[test]
fn fatal_alert_before_server_hello() {
    let packets: Vec<Packet> =
        vec![(Client, 1, record(HANDSHAKE, &tls13_client_hello("fmc.example.net"))), (Server, 2, alert(2, 40))];
    let mut conv = TlsConversation::new();
    conv.feed(Client, &packets[0].2, seen(1));
    assert!(!conv.done());
    conv.feed(Server, &packets[1].2, seen(2));
    // Another alert may follow a fatal one: the reading goes on until the connection closes.
    assert!(!conv.done());
    let s = conv.finish();
    assert_eq!(s.server_hello, None);
    assert_eq!(
        s.alerts,
        [AlertInfo {
            from: Server,
            level: AlertLevel::FATAL,
            description: AlertDescription::HANDSHAKE_FAILURE,
            seen: seen(2)
        }]
    );
    assert_eq!(s.frames, [1, 2]);
    assert!(s.notes.is_empty());
}

#[test]
fn alerts_split_over_records_and_unknown_codes() {
    let packets: Vec<Packet> = vec![
        (Client, 6, record(HANDSHAKE, &tls13_client_hello("fmc.example.net"))),
        (Client, 7, [record(ALERT, &[1]), record(ALERT, &[0, 9, 201])].concat()),
        (Client, 8, record(ALERT, &[])),
    ];
    let s = run(&packets);
    let got: Vec<_> = s.alerts.iter().map(|a| (a.from, a.level, a.description, a.seen.frame)).collect();
    assert_eq!(
        got,
        [
            (Client, AlertLevel::WARNING, AlertDescription::CLOSE_NOTIFY, 7),
            (Client, AlertLevel(9), AlertDescription(201), 7)
        ]
    );
    assert_eq!(s.alerts[1].description.to_string(), "alert(201)");
    assert_eq!(s.frames, [6, 7, 8]);
}

fn tls12_start() -> Vec<Packet> {
    vec![
        (Client, 1, record(HANDSHAKE, &client_hello(&[0xc02f], &[]))),
        (Server, 2, record(HANDSHAKE, &[server_hello(0xc02f, &[]), server_hello_done()].concat())),
        (Client, 3, [record(HANDSHAKE, &client_key_exchange()), ccs(), opaque(HANDSHAKE, 40)].concat()),
    ]
}

#[test]
fn alert_after_change_cipher_spec_is_encrypted() {
    let mut packets = tls12_start();
    packets.push((Server, 4, alert(2, 51)));
    packets.push((Client, 5, opaque(ALERT, 26)));
    let s = run(&packets);
    assert_eq!(s.encrypted_alerts, [(Client, seen(5))]);
    let plain: Vec<_> = s.alerts.iter().map(|a| (a.from, a.description)).collect();
    assert_eq!(plain, [(Server, AlertDescription::DECRYPT_ERROR)]);
    assert_eq!(s.ccs, [true, false]);
    assert_eq!(s.frames, [1, 2, 3, 4, 5]);
}

#[test]
fn two_byte_alert_after_change_cipher_spec_is_plaintext() {
    let mut packets = tls12_start();
    packets.push((Client, 4, alert(2, 80)));
    let s = run(&packets);
    assert!(s.encrypted_alerts.is_empty());
    assert_eq!(
        s.alerts.iter().map(|a| (a.from, a.description)).collect::<Vec<_>>(),
        [(Client, AlertDescription::INTERNAL_ERROR)]
    );
}

#[test]
fn sslv2_format_client_hello_is_read() {
    // SSL 2.0 CLIENT-HELLO: 2-byte header, type 1, version 3.1, cipher spec, session id and
    // challenge lengths, then one cipher spec and a 16-byte challenge.
    let mut v2 = vec![0x80, 0x1c, 0x01, 0x03, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x2f];
    v2.extend([0x66; 16]);
    let packets: Vec<Packet> = vec![(Client, 1, v2), (Server, 2, record(HANDSHAKE, &server_hello(0x002f, &[])))];
    for cut in [&[usize::MAX][..], &[1], &[2, 5]] {
        let s = run_chunked(&packets, cut);
        assert_eq!(
            s.notes,
            ["client: SSL 2.0-format ClientHello at frame 1 offering up to TLS 1.0 with 1 TLS suite(s)"]
        );
        assert_eq!(
            s.server_hello.map(|h| (h.version, h.suite)),
            Some((TlsVersion::TLS12, CipherSuite::TLS_RSA_WITH_AES_128_CBC_SHA))
        );
        let hello = s.client_hello.expect("the SSL 2.0-format hello is read");
        assert_eq!(
            (hello.legacy_version, hello.suites),
            (TlsVersion::TLS10, vec![CipherSuite::TLS_RSA_WITH_AES_128_CBC_SHA])
        );
    }
}

#[test]
fn empty_conversation() {
    assert_eq!(TlsConversation::new().finish(), TlsSummary::default());
}
