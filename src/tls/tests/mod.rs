//! Tests of the TLS layer on hand-built handshakes fed in many different cuts.

mod build;
mod cases;
mod encrypted;
mod faults;
mod fuzz;

use crate::codes::{CipherSuite, TlsVersion};
use crate::model::Role::{Client, Server};
use crate::tls::{CertificateMsg, ClientHelloInfo, ServerHelloInfo, TlsConversation, TlsSummary};

use build::*;

struct Certs {
    leaf: Vec<u8>,
    ca: Vec<u8>,
    client: Vec<u8>,
}

fn certs() -> Certs {
    Certs { leaf: cert_der("fmc.example.net"), ca: cert_der("Example CA"), client: cert_der("ftd-1.example.net") }
}

fn tls12_client_hello() -> Vec<u8> {
    client_hello(
        &[0xc02f, 0xc030, 0x00ff],
        &[
            ext_sni("fmc.example.net"),
            ext_alpn(&["h2", "http/1.1"]),
            ext_client_versions(&[0x0303, 0x0302]),
            ext_sigalgs(&[0x0403, 0x0804, 0x0401]),
        ],
    )
}

/// The server's first flight as handshake messages (no record headers).
fn server_flight(c: &Certs) -> Vec<u8> {
    [
        server_hello(0xc02f, &[]),
        certificate(&[c.leaf.clone(), c.ca.clone()]),
        certificate_request(),
        server_hello_done(),
    ]
    .concat()
}

fn client_flight(c: &Certs) -> Vec<u8> {
    [certificate(std::slice::from_ref(&c.client)), client_key_exchange()].concat()
}

/// A TLS 1.2 handshake with client authentication, `max` bytes per handshake record.
fn tls12_packets(c: &Certs, max: usize) -> Vec<Packet> {
    vec![
        (Client, 1, records(HANDSHAKE, &tls12_client_hello(), max)),
        (Server, 2, records(HANDSHAKE, &server_flight(c), max)),
        (Client, 3, [records(HANDSHAKE, &client_flight(c), max), ccs(), opaque(HANDSHAKE, 40)].concat()),
        (Server, 4, [ccs(), opaque(HANDSHAKE, 40)].concat()),
        (Client, 5, opaque(APP_DATA, 100)),
    ]
}

fn tls12_expected(c: &Certs) -> TlsSummary {
    TlsSummary {
        client_hello: Some(ClientHelloInfo {
            legacy_version: TlsVersion::TLS12,
            versions: vec![TlsVersion::TLS12, TlsVersion::TLS11],
            suites: vec![
                CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                CipherSuite::TLS_EMPTY_RENEGOTIATION_INFO_SCSV,
            ],
            sni: Some("fmc.example.net".to_string()),
            alpn: vec!["h2".to_string(), "http/1.1".to_string()],
            signature_algorithms: vec![0x0403, 0x0804, 0x0401],
            groups: Vec::new(),
            seen: seen(1),
        }),
        server_hello: Some(ServerHelloInfo {
            version: TlsVersion::TLS12,
            suite: CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            seen: seen(2),
        }),
        certificates: vec![
            CertificateMsg { from: Server, ders: vec![c.leaf.clone(), c.ca.clone()], seen: seen(2) },
            CertificateMsg { from: Client, ders: vec![c.client.clone()], seen: seen(3) },
        ],
        certificate_request: true,
        server_hello_done: true,
        ccs: [true, true],
        app_data: [true, false],
        // The client's Finished and application data, the server's Finished: counted, not read.
        encrypted_records: [2, 1],
        frames: vec![1, 2, 3, 4],
        ..TlsSummary::default()
    }
}

#[test]
fn tls12_handshake_is_summarised() {
    let c = certs();
    assert_eq!(run(&tls12_packets(&c, 16384)), tls12_expected(&c));
}

#[test]
fn done_once_both_sides_encrypt() {
    let c = certs();
    let packets = tls12_packets(&c, 16384);
    let mut conv = TlsConversation::new();
    let mut states = Vec::new();
    for (role, frame, bytes) in &packets {
        conv.feed(*role, bytes, seen(*frame));
        states.push(conv.done());
    }
    assert_eq!(states, [false, false, false, true, true]);
}

#[test]
fn every_two_way_cut_of_every_packet_gives_the_same_summary() {
    let c = certs();
    let packets = tls12_packets(&c, 16384);
    let expected = tls12_expected(&c);
    for p in 0..packets.len() {
        for k in 1..packets[p].2.len() {
            let mut conv = TlsConversation::new();
            for (i, (role, frame, bytes)) in packets.iter().enumerate() {
                let cuts: Vec<&[u8]> = if i == p { vec![&bytes[..k], &bytes[k..]] } else { vec![bytes] };
                for piece in cuts {
                    conv.feed(*role, piece, seen(*frame));
                }
            }
            assert_eq!(conv.finish(), expected, "packet {p} cut at {k}");
        }
    }
}

#[test]
fn byte_by_byte_and_odd_chunks_give_the_same_summary() {
    let c = certs();
    let packets = tls12_packets(&c, 16384);
    let expected = tls12_expected(&c);
    for cut in [&[1][..], &[2], &[3, 7, 1, 11], &[5, 13, 2], &[4, 5, 6], &[1000, 1]] {
        assert_eq!(run_chunked(&packets, cut), expected, "chunks {cut:?}");
    }
}

#[test]
fn messages_split_over_records_give_the_same_summary() {
    let c = certs();
    let expected = tls12_expected(&c);
    for max in (1..=40).chain([100, 333, 1000]) {
        assert_eq!(run(&tls12_packets(&c, max)), expected, "records of {max} bytes");
        assert_eq!(run_chunked(&tls12_packets(&c, max), &[3, 9, 1]), expected, "records of {max} bytes, chunked");
    }
}

#[test]
fn detection_by_content() {
    assert!(TlsConversation::looks_like_tls(&[22, 3, 1, 0, 200]));
    assert!(!TlsConversation::looks_like_tls(b"SSH-2.0"));
    assert!(!TlsConversation::looks_like_tls(&[22, 3]));
}
mod records;
