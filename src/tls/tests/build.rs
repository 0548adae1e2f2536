//! Builders of TLS wire bytes for the tests: records, handshake messages, extensions.

use jiff::Timestamp;

use crate::model::Role;
use crate::tls::{Seen, TlsConversation, TlsSummary};

pub const HANDSHAKE: u8 = 22;
pub const ALERT: u8 = 21;
pub const CCS: u8 = 20;
pub const APP_DATA: u8 = 23;

/// One captured packet: who sent it, its frame number and its TCP payload.
pub type Packet = (Role, u64, Vec<u8>);

pub fn seen(frame: u64) -> Seen {
    let time = Timestamp::from_second(1_700_000_000 + frame as i64).ok();
    Seen { frame, time }
}

fn u16b(n: usize) -> [u8; 2] {
    (n as u16).to_be_bytes()
}

fn u24b(n: usize) -> [u8; 3] {
    let b = (n as u32).to_be_bytes();
    [b[1], b[2], b[3]]
}

pub fn record(ctype: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![ctype, 3, 3];
    out.extend(u16b(body.len()));
    out.extend_from_slice(body);
    out
}

/// `body` cut into records of at most `max` bytes.
pub fn records(ctype: u8, body: &[u8], max: usize) -> Vec<u8> {
    body.chunks(max).flat_map(|c| record(ctype, c)).collect()
}

pub fn handshake(typ: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![typ];
    out.extend(u24b(body.len()));
    out.extend_from_slice(body);
    out
}

pub fn ext(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut out = typ.to_be_bytes().to_vec();
    out.extend(u16b(data.len()));
    out.extend_from_slice(data);
    out
}

pub fn ext_sni(host: &str) -> Vec<u8> {
    let mut entry = vec![0u8];
    entry.extend(u16b(host.len()));
    entry.extend_from_slice(host.as_bytes());
    let mut list = u16b(entry.len()).to_vec();
    list.extend(entry);
    ext(0, &list)
}

pub fn ext_alpn(protos: &[&str]) -> Vec<u8> {
    let mut names = Vec::new();
    for p in protos {
        names.push(p.len() as u8);
        names.extend_from_slice(p.as_bytes());
    }
    let mut list = u16b(names.len()).to_vec();
    list.extend(names);
    ext(16, &list)
}

pub fn ext_sigalgs(algs: &[u16]) -> Vec<u8> {
    let mut list = u16b(algs.len() * 2).to_vec();
    list.extend(algs.iter().flat_map(|a| a.to_be_bytes()));
    ext(13, &list)
}

pub fn ext_client_versions(versions: &[u16]) -> Vec<u8> {
    let mut list = vec![(versions.len() * 2) as u8];
    list.extend(versions.iter().flat_map(|v| v.to_be_bytes()));
    ext(43, &list)
}

pub fn ext_server_version(version: u16) -> Vec<u8> {
    ext(43, &version.to_be_bytes())
}

pub fn client_hello(suites: &[u16], exts: &[Vec<u8>]) -> Vec<u8> {
    let mut body = vec![3, 3];
    body.extend([0x11; 32]);
    body.push(32);
    body.extend([0x22; 32]);
    body.extend(u16b(suites.len() * 2));
    body.extend(suites.iter().flat_map(|s| s.to_be_bytes()));
    body.extend([1, 0]);
    let exts: Vec<u8> = exts.concat();
    body.extend(u16b(exts.len()));
    body.extend(exts);
    handshake(1, &body)
}

pub fn server_hello_with_random(random: [u8; 32], suite: u16, exts: &[Vec<u8>]) -> Vec<u8> {
    let mut body = vec![3, 3];
    body.extend(random);
    body.push(32);
    body.extend([0x33; 32]);
    body.extend(suite.to_be_bytes());
    body.push(0);
    let exts: Vec<u8> = exts.concat();
    body.extend(u16b(exts.len()));
    body.extend(exts);
    handshake(2, &body)
}

pub fn server_hello(suite: u16, exts: &[Vec<u8>]) -> Vec<u8> {
    server_hello_with_random([0x44; 32], suite, exts)
}

pub fn certificate(ders: &[Vec<u8>]) -> Vec<u8> {
    let mut list = Vec::new();
    for d in ders {
        list.extend(u24b(d.len()));
        list.extend_from_slice(d);
    }
    let mut body = u24b(list.len()).to_vec();
    body.extend(list);
    handshake(11, &body)
}

/// A TLS 1.2 CertificateRequest: RSA and ECDSA signing, one algorithm, no CA names.
pub fn certificate_request() -> Vec<u8> {
    handshake(13, &[2, 1, 64, 0, 2, 4, 3, 0, 0])
}

pub fn server_hello_done() -> Vec<u8> {
    handshake(14, &[])
}

pub fn client_key_exchange() -> Vec<u8> {
    let mut body = vec![65, 4];
    body.extend([0x55; 64]);
    handshake(16, &body)
}

pub fn ccs() -> Vec<u8> {
    record(CCS, &[1])
}

pub fn alert(level: u8, description: u8) -> Vec<u8> {
    record(ALERT, &[level, description])
}

/// An encrypted record (Finished, application data or alert): opaque bytes of `len`.
pub fn opaque(ctype: u8, len: usize) -> Vec<u8> {
    record(ctype, &vec![0xa5; len])
}

pub fn cert_der(name: &str) -> Vec<u8> {
    match rcgen::generate_simple_self_signed(vec![name.to_string()]) {
        Ok(c) => c.cert.der().to_vec(),
        Err(e) => panic!("rcgen failed: {e}"),
    }
}

/// Feeds every packet, each cut into chunks by `cut` (chunk sizes, repeated as needed).
pub fn run_chunked(packets: &[Packet], cut: &[usize]) -> TlsSummary {
    let mut conv = TlsConversation::new();
    let mut sizes = cut.iter().cycle();
    for (role, frame, bytes) in packets {
        let mut rest = bytes.as_slice();
        while !rest.is_empty() {
            let n = (*sizes.next().unwrap_or(&usize::MAX)).clamp(1, rest.len());
            conv.feed(*role, &rest[..n], seen(*frame));
            rest = &rest[n..];
        }
    }
    conv.finish()
}

pub fn run(packets: &[Packet]) -> TlsSummary {
    run_chunked(packets, &[usize::MAX])
}
