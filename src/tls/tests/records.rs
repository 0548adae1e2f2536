//! Tests for the TLS layer on hand-built records: the same summary whatever the chunking,
//! messages split across records and several per record, TLS 1.3, alerts, hostile lengths.

use proptest::prelude::*;

use crate::codes::{AlertDescription, CipherSuite, TlsVersion};
use crate::model::Role;
use crate::tls::*;

fn record(ct: u8, body: &[u8]) -> Vec<u8> {
    let mut r = vec![ct, 3, 3];
    r.extend_from_slice(&(body.len() as u16).to_be_bytes());
    r.extend_from_slice(body);
    r
}

fn handshake(ty: u8, body: &[u8]) -> Vec<u8> {
    let len = body.len() as u32;
    let mut h = vec![ty, (len >> 16) as u8, (len >> 8) as u8, len as u8];
    h.extend_from_slice(body);
    h
}

fn ext(ty: u16, data: &[u8]) -> Vec<u8> {
    let mut e = ty.to_be_bytes().to_vec();
    e.extend_from_slice(&(data.len() as u16).to_be_bytes());
    e.extend_from_slice(data);
    e
}

fn client_hello(versions: &[u16]) -> Vec<u8> {
    let mut b = vec![3, 3];
    b.extend_from_slice(&[7u8; 32]);
    b.push(0);
    let suites: [u16; 3] = [0xc02c, 0xc02b, 0x00ff];
    b.extend_from_slice(&((suites.len() * 2) as u16).to_be_bytes());
    for s in suites {
        b.extend_from_slice(&s.to_be_bytes());
    }
    b.extend_from_slice(&[1, 0]);
    let name = b"fmc.lab.example";
    let mut sni = ((name.len() + 3) as u16).to_be_bytes().to_vec();
    sni.push(0);
    sni.extend_from_slice(&(name.len() as u16).to_be_bytes());
    sni.extend_from_slice(name);
    let mut sv = vec![(versions.len() * 2) as u8];
    for v in versions {
        sv.extend_from_slice(&v.to_be_bytes());
    }
    let exts = [ext(0, &sni), ext(43, &sv)].concat();
    b.extend_from_slice(&(exts.len() as u16).to_be_bytes());
    b.extend_from_slice(&exts);
    handshake(1, &b)
}

fn server_hello(version: Option<u16>, suite: u16) -> Vec<u8> {
    let mut b = vec![3, 3];
    b.extend_from_slice(&[9u8; 32]);
    b.push(0);
    b.extend_from_slice(&suite.to_be_bytes());
    b.push(0);
    let exts = version.map(|v| ext(43, &v.to_be_bytes())).unwrap_or_default();
    b.extend_from_slice(&(exts.len() as u16).to_be_bytes());
    b.extend_from_slice(&exts);
    handshake(2, &b)
}

fn certificate(ders: &[Vec<u8>]) -> Vec<u8> {
    let mut list = Vec::new();
    for d in ders {
        let l = d.len() as u32;
        list.extend_from_slice(&[(l >> 16) as u8, (l >> 8) as u8, l as u8]);
        list.extend_from_slice(d);
    }
    let l = list.len() as u32;
    let mut b = vec![(l >> 16) as u8, (l >> 8) as u8, l as u8];
    b.extend_from_slice(&list);
    handshake(11, &b)
}

fn der() -> Vec<u8> {
    let key = rcgen::KeyPair::generate().unwrap();
    rcgen::CertificateParams::new(vec!["fmc.lab.example".into()]).unwrap().self_signed(&key).unwrap().der().to_vec()
}

/// A TLS 1.2 exchange: client hello; server flight with hello, certificate, hello done in one
/// record; then the client rejects the certificate with a fatal alert.
fn tls12_exchange(cert: &[u8]) -> Vec<(Role, Vec<u8>)> {
    let flight = [server_hello(None, 0xc02c), certificate(&[cert.to_vec()]), handshake(14, &[])].concat();
    vec![
        (Role::Client, record(22, &client_hello(&[0x0303]))),
        (Role::Server, record(22, &flight)),
        (Role::Client, record(21, &[2, 48])),
    ]
}

fn run(chunks: &[(Role, Vec<u8>)], split: usize) -> TlsSummary {
    let mut conv = TlsConversation::new();
    for (frame, (from, bytes)) in chunks.iter().enumerate() {
        for piece in bytes.chunks(split.max(1)) {
            conv.feed(*from, piece, Seen { frame: frame as u64 + 1, time: None });
        }
    }
    conv.finish()
}

#[test]
fn tls12_exchange_is_summarised() {
    let cert = der();
    let s = run(&tls12_exchange(&cert), usize::MAX);
    let ch = s.client_hello.as_ref().unwrap();
    assert_eq!(ch.versions, [TlsVersion::TLS12]);
    assert_eq!(
        ch.suites,
        [
            CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite::TLS_EMPTY_RENEGOTIATION_INFO_SCSV,
        ]
    );
    assert_eq!(ch.sni.as_deref(), Some("fmc.lab.example"));
    let sh = s.server_hello.as_ref().unwrap();
    assert_eq!((sh.version, sh.suite), (TlsVersion::TLS12, CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384));
    assert_eq!(s.certificates.len(), 1);
    assert_eq!(s.certificates[0].from, Role::Server);
    assert_eq!(s.certificates[0].ders, [cert]);
    assert!(s.server_hello_done);
    assert_eq!(s.alerts.len(), 1);
    assert_eq!((s.alerts[0].from, s.alerts[0].description), (Role::Client, AlertDescription::UNKNOWN_CA));
    assert!(!s.tls13);
}

#[test]
fn any_chunking_gives_the_same_summary() {
    let chunks = tls12_exchange(&der());
    let whole = run(&chunks, usize::MAX);
    for split in [1, 2, 3, 5, 7, 64, 100, 513] {
        assert_eq!(run(&chunks, split), whole, "split {split}");
    }
}

#[test]
fn message_split_across_records_and_records_holding_several_messages() {
    let cert = der();
    let flight = [server_hello(None, 0xc02f), certificate(&[cert.clone(), cert.clone()]), handshake(14, &[])].concat();
    let mut server = Vec::new();
    for part in flight.chunks(100) {
        server.extend(record(22, part));
    }
    let s = run(&[(Role::Client, record(22, &client_hello(&[0x0303]))), (Role::Server, server)], 17);
    assert_eq!(s.certificates.len(), 1);
    assert_eq!(s.certificates[0].ders.len(), 2);
    assert!(s.server_hello_done);
    assert_eq!(s.server_hello.unwrap().suite, CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);
}

#[test]
fn tls13_is_recognised_and_noted() {
    let chunks = vec![
        (Role::Client, record(22, &client_hello(&[0x0304, 0x0303]))),
        (
            Role::Server,
            [record(22, &server_hello(Some(0x0304), 0x1302)), record(20, &[1]), record(23, &[0; 40])].concat(),
        ),
    ];
    let s = run(&chunks, usize::MAX);
    assert!(s.tls13);
    assert_eq!(s.server_hello.unwrap().version, TlsVersion::TLS13);
    assert!(s.certificates.is_empty());
    assert!(s.notes.iter().any(|n| n.contains("encrypted")), "{:?}", s.notes);
}

#[test]
fn alert_before_any_server_hello() {
    let chunks = vec![(Role::Client, record(22, &client_hello(&[0x0303]))), (Role::Server, record(21, &[2, 40]))];
    let s = run(&chunks, usize::MAX);
    assert!(s.server_hello.is_none());
    assert_eq!(s.alerts[0].description, AlertDescription::HANDSHAKE_FAILURE);
    assert_eq!(s.alerts[0].from, Role::Server);
}

#[test]
fn a_16_mb_record_length_is_refused_without_allocating_it() {
    let mut conv = TlsConversation::new();
    conv.feed(Role::Client, &record(22, &client_hello(&[0x0303])), Seen { frame: 1, time: None });
    conv.feed(Role::Server, &[22, 3, 3, 0xff, 0xff, 1, 2, 3], Seen { frame: 2, time: None });
    // A 3-byte handshake length of 16 MB inside a normal record.
    conv.feed(Role::Server, &record(22, &[11, 0xff, 0xff, 0xff, 0, 0]), Seen { frame: 3, time: None });
    let s = conv.finish();
    assert!(s.client_hello.is_some());
    assert!(!s.notes.is_empty(), "the oversize length is noted");
}

#[test]
fn a_gap_is_noted_and_parsing_resumes_at_the_next_record() {
    let mut conv = TlsConversation::new();
    let ch = record(22, &client_hello(&[0x0303]));
    conv.feed(Role::Client, &ch[..20], Seen { frame: 1, time: None });
    conv.gap(Role::Client);
    conv.feed(Role::Client, &record(21, &[2, 70]), Seen { frame: 3, time: None });
    let s = conv.finish();
    assert!(s.notes.iter().any(|n| n.contains("gap") || n.contains("missing")), "{:?}", s.notes);
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(a in proptest::collection::vec(any::<u8>(), 0..600),
                                   b in proptest::collection::vec(any::<u8>(), 0..600),
                                   split in 1usize..50) {
        let mut conv = TlsConversation::new();
        for (i, (x, y)) in a.chunks(split).zip(b.chunks(split)).enumerate() {
            conv.feed(Role::Client, x, Seen { frame: i as u64, time: None });
            conv.feed(Role::Server, y, Seen { frame: i as u64, time: None });
        }
        let _ = conv.done();
        let _ = conv.finish();
    }
}
