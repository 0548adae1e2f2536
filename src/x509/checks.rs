//! The checks a peer running OpenSSL 3.0 makes on a built path, each failure with the verify
//! code OpenSSL would report and the depth, in the order OpenSSL meets them (so the first one is
//! what a peer that stops at the first error reports and answers with its alert):
//!
//! 1. the leaf's key against the security level (66), before anything else;
//! 2. trust: where the path ends (18, 19, 2, 20) — only when trust anchors were given;
//! 3. per certificate from the leaf up: no critical extension OpenSSL does not handle (34),
//!    issuers must be CAs (24), the extended key usage must allow the role (26), path length
//!    constraints (25);
//! 4. per certificate from the leaf up: issuer keys against the level (67), and the signature
//!    digest of every certificate but the trust anchor (68) — a top whose issuer was not sent is
//!    no anchor: the peer adds its issuer from its store, so its digest counts;
//! 5. the server's name or address against the leaf (62, 64), when one was asked for;
//! 6. from the top down: each signature (7), then each certificate's dates (9, 10).
//!
//! This is OpenSSL 3.0's `X509_verify_cert` (crypto/x509/x509_vfy.c): the leaf key check, then
//! `build_chain`, `check_extensions`, `check_auth_level`, `check_id` and `internal_verify`. So a
//! 1024-bit leaf that has also expired is refused as too weak first (66), as the corpus case
//! `openssl-tls2-expired-and-weak` shows. Security level L requires 80, 112, 128, 192 or 256
//! security bits for L = 1..5: RSA/DSA of 1024 bits give 80 (level 1), 2048 give 112 (level 2);
//! EC keys count half their curve's size (P-192: 96, P-224: 112); SHA-1 signatures count 64 and
//! MD5 39, so from level 1 on they are refused (see `profile::signature_security_bits`).

use std::net::IpAddr;
use std::sync::Arc;

use jiff::Timestamp;

use super::path::{CertPath, PathEnd};
use crate::codes::VerifyCode;
use crate::model::{CertParser, CertSummary, Role};

/// Security bits each level requires (OpenSSL's `minbits_table`).
const MIN_BITS: [u32; 5] = [80, 112, 128, 192, 256];

/// What the peer verifies against.
#[derive(Clone, Debug)]
pub struct Policy<'a> {
    /// When it verifies (the handshake's time).
    pub at: Timestamp,
    /// Its security level (OpenSSL's default is 1; many distributions set 2).
    pub level: u8,
    /// The role of the path's owner: a server's leaf needs serverAuth, a client's clientAuth.
    pub role: Role,
    /// The name (SNI) or address the client asked for, when it checks one.
    pub host: Option<&'a str>,
}

/// One failed check.
#[derive(Clone, Debug)]
pub struct Failure {
    pub code: VerifyCode,
    pub depth: u32,
    pub cert: Arc<CertSummary>,
}

/// The security bits OpenSSL's security `level` requires of keys and signature digests.
pub fn min_bits(level: u8) -> u32 {
    match level {
        0 => 0,
        l => MIN_BITS[usize::from(l.min(5)) - 1],
    }
}

/// Every check `path` fails under `policy`, in OpenSSL's order; `certs` checks signatures. A
/// certificate whose DER could not be read (no profile) is judged by its dates and signature only.
pub fn check(path: &CertPath, policy: &Policy<'_>, certs: &dyn CertParser) -> Vec<Failure> {
    let mut out = Vec::new();
    let n = path.certs.len();
    let Some(leaf) = path.certs.first() else { return out };
    let mut fail = |code: VerifyCode, depth: usize| {
        out.push(Failure { code, depth: depth as u32, cert: path.certs[depth].cert.clone() });
    };
    let need = min_bits(policy.level);
    if leaf.profile.as_ref().is_some_and(|p| p.key_bits < need) {
        fail(VerifyCode::EE_KEY_TOO_SMALL, 0);
    }
    if path.anchors_given {
        match path.end {
            PathEnd::SelfSigned if n == 1 => fail(VerifyCode::DEPTH_ZERO_SELF_SIGNED_CERT, 0),
            PathEnd::SelfSigned => fail(VerifyCode::SELF_SIGNED_CERT_IN_CHAIN, n - 1),
            PathEnd::AnchorWithoutIssuer => fail(VerifyCode::UNABLE_TO_GET_ISSUER_CERT, n - 1),
            PathEnd::MissingIssuer | PathEnd::TooLong => fail(VerifyCode::UNABLE_TO_GET_ISSUER_CERT_LOCALLY, n - 1),
            PathEnd::Anchored => {}
        }
    }
    let mut below = 0u32;
    for (i, c) in path.certs.iter().enumerate() {
        let Some(p) = c.profile.as_deref() else { continue };
        if p.unhandled_critical {
            fail(VerifyCode::UNHANDLED_CRITICAL_EXTENSION, i);
        }
        // A version 1 root carries no extensions: OpenSSL takes a self-signed one as a CA.
        let v1_root = p.basic_constraints.is_none() && c.cert.self_signed;
        if i > 0 && !p.is_ca() && !v1_root {
            fail(VerifyCode::INVALID_CA, i);
        }
        let eku_refuses = p.ext_key_usage.is_some_and(|e| {
            !e.any
                && match policy.role {
                    Role::Server => !e.server_auth,
                    Role::Client => !e.client_auth,
                }
        });
        if eku_refuses && !c.anchor {
            fail(VerifyCode::INVALID_PURPOSE, i);
        }
        if let Some((true, Some(len))) = p.basic_constraints {
            if i > 1 && below > len + 1 {
                fail(VerifyCode::PATH_LENGTH_EXCEEDED, i);
            }
        }
        if c.cert.subject != c.cert.issuer {
            below += 1;
        }
    }
    // The top's own signature is not judged when it is the trust anchor (or a self-signed root
    // standing for one); a top whose issuer was not sent is not: the peer adds that issuer.
    let top_is_root = matches!(path.end, PathEnd::Anchored | PathEnd::SelfSigned | PathEnd::AnchorWithoutIssuer);
    for (i, c) in path.certs.iter().enumerate() {
        let Some(p) = c.profile.as_deref() else { continue };
        if i > 0 && p.key_bits < need {
            fail(VerifyCode::CA_KEY_TOO_SMALL, i);
        }
        if (i + 1 < n || !top_is_root) && p.signature_bits < need {
            fail(VerifyCode::CA_MD_TOO_WEAK, i);
        }
    }
    if let (Some(host), Some(p)) = (policy.host, leaf.profile.as_deref()) {
        match host.parse::<IpAddr>() {
            Ok(ip) if !p.ip_addresses.contains(&ip) => fail(VerifyCode::IP_ADDRESS_MISMATCH, 0),
            Ok(_) => {}
            Err(_) if !name_matches(p, host) => fail(VerifyCode::HOSTNAME_MISMATCH, 0),
            Err(_) => {}
        }
    }
    for i in (0..n).rev() {
        let c = &path.certs[i];
        if let Some(issuer) = path.certs.get(i + 1) {
            if certs.verify(&c.cert, &issuer.cert) == Some(false) {
                fail(VerifyCode::CERT_SIGNATURE_FAILURE, i);
            }
        }
        if c.cert.not_before > policy.at {
            fail(VerifyCode::CERT_NOT_YET_VALID, i);
        } else if c.cert.not_after < policy.at {
            fail(VerifyCode::CERT_HAS_EXPIRED, i);
        }
    }
    out
}

/// Whether `host` is one of the leaf's DNS names (a `*.` wildcard covers one leftmost label), or,
/// when it has none, its common name (OpenSSL's default fallback).
fn name_matches(p: &super::profile::Profile, host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let matches = |pattern: &str| {
        let pattern = pattern.to_ascii_lowercase();
        match pattern.strip_prefix("*.") {
            Some(rest) => host.split_once('.').is_some_and(|(first, tail)| !first.is_empty() && tail == rest),
            None => pattern == host,
        }
    };
    if p.dns_names.is_empty() {
        p.common_names.iter().any(|cn| matches(cn))
    } else {
        p.dns_names.iter().any(|d| matches(d))
    }
}
