//! Decoding of the plaintext handshake messages that matter for triage, using tls-parser.
//!
//! tls-parser is built on nom 7; its errors are turned into short texts here so that no nom
//! type leaves this file.

use tls_parser::nom::Err as NomErr;
use tls_parser::{
    parse_tls_client_hello_extension, parse_tls_handshake_certificaterequest, parse_tls_handshake_client_hello,
    parse_tls_handshake_msg_certificate, parse_tls_handshake_server_hello, parse_tls_server_hello_extension,
    TlsExtension, TlsMessageHandshake,
};

use crate::codes::{CipherSuite, TlsVersion};

use super::{ClientHelloInfo, Seen, ServerHelloInfo};

/// The fixed random of a TLS 1.3 HelloRetryRequest (RFC 8446, 4.1.3).
const HRR_RANDOM: [u8; 32] = [
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11,
    0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
];

fn reason<E: std::fmt::Debug>(e: NomErr<tls_parser::nom::error::Error<E>>) -> String {
    match e {
        NomErr::Incomplete(_) => "too short".to_string(),
        NomErr::Error(e) | NomErr::Failure(e) => format!("invalid content ({:?})", e.code),
    }
}

/// Splits an extension block into whole extensions (type, length and data together). A block
/// whose last extension runs past its end yields a problem text.
fn split_extensions(mut block: &[u8]) -> (Vec<&[u8]>, Option<String>) {
    let mut out = Vec::new();
    while !block.is_empty() {
        let len = match block {
            [_, _, hi, lo, ..] => 4 + usize::from(u16::from_be_bytes([*hi, *lo])),
            _ => usize::MAX,
        };
        match block.get(..len) {
            Some(ext) => {
                out.push(ext);
                block = &block[len..];
            }
            None => return (out, Some("the extension list is cut short".to_string())),
        }
    }
    (out, None)
}

fn ext_type(ext: &[u8]) -> u16 {
    match ext {
        [a, b, ..] => u16::from_be_bytes([*a, *b]),
        _ => 0,
    }
}

/// A ClientHello's contents plus problems that did not prevent reading it.
pub(super) fn client_hello(body: &[u8], seen: Seen) -> Result<(ClientHelloInfo, Vec<String>), String> {
    let (rest, ch) = parse_tls_handshake_client_hello(body).map_err(reason)?;
    let mut problems = Vec::new();
    if !rest.is_empty() {
        problems.push(format!("{} bytes after the fields could not be read as extensions", rest.len()));
    }
    let mut info = ClientHelloInfo {
        legacy_version: TlsVersion(ch.version.0),
        versions: Vec::new(),
        suites: ch.ciphers.iter().map(|c| CipherSuite(c.0)).collect(),
        seen,
        ..ClientHelloInfo::default()
    };
    let mut supported = None;
    let (exts, cut) = split_extensions(ch.ext.unwrap_or_default());
    problems.extend(cut);
    for raw in exts {
        match parse_tls_client_hello_extension(raw) {
            Ok((_, TlsExtension::SNI(names))) => {
                info.sni = names.iter().find(|(t, _)| t.0 == 0).map(|(_, n)| String::from_utf8_lossy(n).into_owned());
            }
            Ok((_, TlsExtension::ALPN(protos))) => {
                info.alpn = protos.iter().map(|p| String::from_utf8_lossy(p).into_owned()).collect();
            }
            Ok((_, TlsExtension::SignatureAlgorithms(algs))) => info.signature_algorithms = algs,
            Ok((_, TlsExtension::EllipticCurves(groups))) => info.groups = groups.iter().map(|g| g.0).collect(),
            Ok((_, TlsExtension::SupportedVersions(v))) => {
                supported = Some(v.iter().map(|v| TlsVersion(v.0)).collect::<Vec<_>>());
            }
            Ok(_) => {}
            Err(e) => problems.push(format!("extension 0x{:04x} is unreadable: {}", ext_type(raw), reason(e))),
        }
    }
    info.versions = supported.unwrap_or_else(|| vec![info.legacy_version]);
    Ok((info, problems))
}

/// What a ServerHello said.
pub(super) struct ServerHelloParts {
    pub(super) info: ServerHelloInfo,
    /// The message is a TLS 1.3 HelloRetryRequest, not a real ServerHello.
    pub(super) retry: bool,
    pub(super) problems: Vec<String>,
}

pub(super) fn server_hello(body: &[u8], seen: Seen) -> Result<ServerHelloParts, String> {
    if let [hi, lo, ..] = body {
        let legacy = u16::from_be_bytes([*hi, *lo]);
        if !(0x0300..=0x0303).contains(&legacy) {
            return Err(format!("unexpected version {}", TlsVersion(legacy)));
        }
    }
    let (rest, sh) = parse_tls_handshake_server_hello(body).map_err(reason)?;
    let mut problems = Vec::new();
    if !rest.is_empty() {
        problems.push(format!("{} bytes after the fields could not be read as extensions", rest.len()));
    }
    let mut version = TlsVersion(sh.version.0);
    let (exts, cut) = split_extensions(sh.ext.unwrap_or_default());
    problems.extend(cut);
    for raw in exts {
        match parse_tls_server_hello_extension(raw) {
            Ok((_, TlsExtension::SupportedVersions(v))) => match v.as_slice() {
                [chosen] => version = TlsVersion(chosen.0),
                _ => problems.push("supported_versions does not name exactly one version".to_string()),
            },
            Ok(_) => {}
            Err(e) => problems.push(format!("extension 0x{:04x} is unreadable: {}", ext_type(raw), reason(e))),
        }
    }
    let info = ServerHelloInfo { version, suite: CipherSuite(sh.cipher.0), seen };
    Ok(ServerHelloParts { info, retry: sh.random == HRR_RANDOM, problems })
}

/// The DER blobs of a TLS 1.2-style Certificate message, leaf first.
pub(super) fn certificate(body: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let (rest, msg) = parse_tls_handshake_msg_certificate(body).map_err(reason)?;
    let TlsMessageHandshake::Certificate(c) = msg else {
        return Err("not a certificate list".to_string());
    };
    let listed = match body {
        [a, b, c, ..] => usize::from(*a) << 16 | usize::from(*b) << 8 | usize::from(*c),
        _ => 0,
    };
    let read: usize = c.cert_chain.iter().map(|c| 3 + c.data.len()).sum();
    if read != listed {
        return Err(format!("the certificate list says {listed} bytes but its entries cover {read}"));
    }
    if !rest.is_empty() {
        return Err(format!("{} bytes follow the certificate list", rest.len()));
    }
    Ok(c.cert_chain.iter().map(|c| c.data.to_vec()).collect())
}

/// Checks that a CertificateRequest can be read; its presence alone is what is recorded.
pub(super) fn certificate_request(body: &[u8]) -> Result<(), String> {
    parse_tls_handshake_certificaterequest(body).map(|_| ()).map_err(reason)
}
