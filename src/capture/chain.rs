//! The Certificate messages of one connection, read: each certificate parsed (once per distinct
//! certificate, through the shared cache), each link's signature checked against its issuer
//! among the certificates sent (in whatever order they came), and the results in the three
//! shapes a session needs — chain events for the classifier, lines of the handshake, and the
//! certificates seen with their frame.

use std::sync::Arc;

use jiff::Timestamp;

use crate::model::{CertSeen, CertSummary, ChainLink, Evidence, HandshakeCert, IngestContext};
use crate::tls::CertificateMsg;

/// Certificates of one Certificate message that are read (real chains have a handful).
pub const MAX_CHAIN: usize = 32;
/// Unreadable certificates of one message that each get a note of their own.
const NOTED_UNREADABLE: usize = 3;

/// One Certificate message, read.
pub struct Chain {
    pub links: Vec<ChainLink>,
    pub lines: Vec<HandshakeCert>,
    pub seen: Vec<CertSeen>,
}

/// Read `msg`; `handshake_time` (else the message's own time) is when validity is judged.
/// Remarks (a chain cut at [`MAX_CHAIN`], unreadable certificates) go to `notes`.
pub fn read(
    msg: &CertificateMsg,
    handshake_time: Option<Timestamp>,
    evidence: &Evidence,
    ctx: &IngestContext,
    notes: &mut Vec<String>,
) -> Chain {
    let who = msg.from.as_str();
    let frame = msg.seen.frame;
    if msg.ders.len() > MAX_CHAIN {
        notes.push(format!(
            "the {who} sent {} certificates in frame {frame}; only the first {MAX_CHAIN} were read",
            msg.ders.len()
        ));
    }
    let mut parsed: Vec<(u32, Arc<CertSummary>)> = Vec::new();
    let mut unreadable = 0;
    for (depth, der) in msg.ders.iter().take(MAX_CHAIN).enumerate() {
        match ctx.certs.get_or_parse(der) {
            Ok(c) => parsed.push((depth as u32, c)),
            Err(_) if unreadable >= NOTED_UNREADABLE => unreadable += 1,
            Err(e) => {
                unreadable += 1;
                notes.push(format!(
                    "certificate at depth {depth} sent by the {who} in frame {frame} could not be read: {e}"
                ))
            }
        }
    }
    let at = handshake_time.or(msg.seen.time);
    let mut chain = Chain { links: Vec::new(), lines: Vec::new(), seen: Vec::new() };
    for (i, (depth, cert)) in parsed.iter().enumerate() {
        // Its issuer among the others sent, the next one first (chains come in any order).
        let issuer = (1..parsed.len()).map(|k| &parsed[(i + k) % parsed.len()].1).find(|c| c.subject == cert.issuer);
        let signature_ok = issuer.and_then(|n| ctx.certs.verify(cert, n));
        chain.links.push(ChainLink { depth: *depth, cert: cert.clone(), signature_ok });
        chain.lines.push(HandshakeCert {
            from: msg.from,
            depth: *depth,
            subject: cert.subject.clone(),
            // A certificate read from its DER always carries its fingerprint.
            sha256: cert.sha256.unwrap_or_else(|| crate::model::Sha256::of(&cert.der)),
            valid_at_handshake: at.is_some_and(|t| cert.valid_at(t)),
            signature_ok,
        });
        chain.seen.push(CertSeen { cert: cert.clone(), evidence: evidence.clone() });
    }
    chain
}
