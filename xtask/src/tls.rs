//! Drives a rustls client and server against each other in memory and records every chunk of
//! TLS bytes each side wrote, in order. Also holds a server-certificate verifier that, like
//! OpenSSL, refuses a presented CA certificate that is outside its validity window (webpki does
//! not look at the validity of the trust anchor itself).

use std::io::{Read, Write};
use std::sync::Arc;

use anyhow::{Context, Result};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, ClientConnection, Connection, DigitallySignedStruct, Error};
use rustls::{ServerConfig, ServerConnection, SignatureScheme};

/// Application data is handed to rustls in pieces of this size (the largest record body).
const PIECE: usize = 16 * 1024;

/// Bytes one side wrote in one go.
#[derive(Clone, Debug)]
pub struct Flight {
    pub from_client: bool,
    pub data: Vec<u8>,
}

/// Everything that crossed the wire, plus how each side ended.
#[derive(Debug, Default)]
pub struct Transcript {
    pub flights: Vec<Flight>,
    pub client_error: Option<String>,
    pub server_error: Option<String>,
}

struct Side {
    conn: Connection,
    error: Option<String>,
}

fn drain(side: &mut Side) -> Vec<u8> {
    let mut out = Vec::new();
    while side.conn.wants_write() {
        match side.conn.write_tls(&mut out) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
    }
    out
}

fn feed(side: &mut Side, mut data: &[u8]) {
    while !data.is_empty() && side.error.is_none() {
        match side.conn.read_tls(&mut data) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        match side.conn.process_new_packets() {
            Ok(_) => {
                let mut sink = Vec::new();
                let _ = side.conn.reader().read_to_end(&mut sink);
            }
            Err(e) => side.error = Some(e.to_string()),
        }
    }
}

/// Moves bytes both ways until neither side has anything left to say.
fn pump(c: &mut Side, s: &mut Side, t: &mut Transcript) {
    loop {
        let mut progressed = false;
        for from_client in [true, false] {
            let (src, dst) = if from_client { (&mut *c, &mut *s) } else { (&mut *s, &mut *c) };
            let out = drain(src);
            if !out.is_empty() {
                progressed = true;
                feed(dst, &out);
                t.flights.push(Flight { from_client, data: out });
            }
        }
        if !progressed {
            return;
        }
    }
}

/// Runs one connection: handshake, then `exchange` (application data, client first when
/// `from_client`), then the client's close_notify. Stops early when either side fails.
pub fn run(
    client: ClientConfig,
    server: ServerConfig,
    name: ServerName<'static>,
    exchange: &[(bool, &[u8])],
) -> Result<Transcript> {
    let cc = ClientConnection::new(Arc::new(client), name).context("client connection")?;
    let sc = ServerConnection::new(Arc::new(server)).context("server connection")?;
    let mut c = Side { conn: cc.into(), error: None };
    let mut s = Side { conn: sc.into(), error: None };
    let mut t = Transcript::default();
    pump(&mut c, &mut s, &mut t);
    let ok = c.error.is_none() && s.error.is_none() && !c.conn.is_handshaking() && !s.conn.is_handshaking();
    if ok {
        for (from_client, data) in exchange {
            // One record's worth at a time: rustls buffers only so much plaintext.
            for piece in data.chunks(PIECE) {
                let side = if *from_client { &mut c } else { &mut s };
                side.conn.writer().write_all(piece)?;
                pump(&mut c, &mut s, &mut t);
            }
        }
        c.conn.send_close_notify();
        pump(&mut c, &mut s, &mut t);
    }
    t.client_error = c.error;
    t.server_error = s.error;
    Ok(t)
}

/// Webpki verification plus a validity check of every certificate the server presented.
#[derive(Debug)]
pub struct StrictValidity(pub Arc<WebPkiServerVerifier>);

fn outside_window(der: &CertificateDer<'_>, now: UnixTime) -> Option<CertificateError> {
    let (_, cert) = x509_parser::parse_x509_certificate(der.as_ref()).ok()?;
    let now = i64::try_from(now.as_secs()).ok()?;
    let v = cert.validity();
    if now > v.not_after.timestamp() {
        Some(CertificateError::Expired)
    } else if now < v.not_before.timestamp() {
        Some(CertificateError::NotValidYet)
    } else {
        None
    }
}

impl ServerCertVerifier for StrictValidity {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        self.0.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)?;
        match intermediates.iter().find_map(|c| outside_window(c, now)) {
            Some(e) => Err(e.into()),
            None => Ok(ServerCertVerified::assertion()),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}
