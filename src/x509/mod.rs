//! Certificate summaries (x509-parser): names, dates, keys, fingerprints, chain signature checks;
//! the certification path a peer builds (`path`) and the checks it makes on it (`checks`).

use std::sync::Arc;

use crate::model::{CertError, CertParser, CertSummary, Sha256};

/// Parse one DER certificate into a summary.
pub fn summarize(der: &[u8]) -> Result<CertSummary, CertError> {
    summary::summarize(der)
}

/// Whether `child` is signed by the key of `issuer` (names match and the signature verifies).
///
/// When the signature cannot be checked (an algorithm x509-parser does not support), matching
/// names decide: tlstriage only reports a mismatch it can show.
pub fn signed_by(child: &CertSummary, issuer: &CertSummary) -> bool {
    child.issuer == issuer.subject && verify_signature(&child.der, &issuer.der) != Some(false)
}

/// Verify the signature of the certificate `child_der` with the public key of `issuer_der`;
/// `None` when either does not parse or the algorithm is not supported.
pub fn verify_signature(child_der: &[u8], issuer_der: &[u8]) -> Option<bool> {
    summary::verify_signature(child_der, issuer_der)
}

use crate::util::fasthash::FastMap;

pub mod checks;
mod der;
pub mod files;
pub mod keys;
mod names;
pub mod path;
mod pem;
pub mod profile;
mod summary;
#[cfg(test)]
mod tests;

/// A parse result as remembered by the cache (the error as its message).
type Parsed = Result<Arc<CertSummary>, String>;
/// Signature checks by the SHA-256 of the child, then of the issuer (looked up without copies).
type Verified = FastMap<Sha256, FastMap<Sha256, Option<bool>>>;

/// Certificates parsed so far, by their DER bytes, and the signature checks made between them:
/// identical certificates seen in many handshakes or files are parsed and verified once. The
/// lookup hashes the DER with a fast hasher and compares the bytes, so a certificate seen again
/// costs neither a parse nor a SHA-256 (that is computed once, in its summary).
#[derive(Debug, Default)]
pub struct CertCache {
    /// A DER that does not parse is remembered too, so it is not parsed again.
    map: std::sync::Mutex<FastMap<Arc<[u8]>, Parsed>>,
    verified: std::sync::Mutex<Verified>,
    /// The profiles read for path building, by certificate (`None`: its DER does not parse).
    profiles: std::sync::Mutex<std::collections::HashMap<Sha256, Option<Arc<profile::Profile>>>>,
}

impl CertCache {
    /// The summary of `der`, parsed on first sight.
    pub fn get_or_parse(&self, der: &[u8]) -> Result<Arc<CertSummary>, CertError> {
        if let Some(c) = self.map.lock().unwrap_or_else(|e| e.into_inner()).get(der) {
            return c.clone().map_err(CertError::Parse);
        }
        let c = summarize(der).map(Arc::new).map_err(|CertError::Parse(m)| m);
        let key: Arc<[u8]> = match &c {
            Ok(summary) => summary.der.clone(),
            Err(_) => Arc::from(der),
        };
        self.map.lock().unwrap_or_else(|e| e.into_inner()).insert(key, c.clone());
        c.map_err(CertError::Parse)
    }

    /// [`signed_by`] with the signature check made once per pair.
    pub fn signed_by(&self, child: &CertSummary, issuer: &CertSummary) -> bool {
        child.issuer == issuer.subject && self.verify(child, issuer) != Some(false)
    }

    /// [`verify_signature`] of `child` with `issuer`'s key, computed once per pair.
    pub fn verify(&self, child: &CertSummary, issuer: &CertSummary) -> Option<bool> {
        // A certificate known only from its printed text has no DER to check.
        let (Some(child_sha), Some(issuer_sha)) = (child.sha256, issuer.sha256) else { return None };
        if child.der.is_empty() || issuer.der.is_empty() {
            return None;
        }
        let known = |m: &Verified| m.get(&child_sha).and_then(|by_issuer| by_issuer.get(&issuer_sha)).copied();
        if let Some(v) = known(&self.verified.lock().unwrap_or_else(|e| e.into_inner())) {
            return v;
        }
        let v = verify_signature(&child.der, &issuer.der);
        let mut m = self.verified.lock().unwrap_or_else(|e| e.into_inner());
        m.entry(child_sha).or_default().insert(issuer_sha, v);
        v
    }

    /// The [`profile::profile`] of `cert`, read once per certificate.
    /// A certificate without DER (known from its printed text) has none.
    pub fn profile(&self, cert: &CertSummary) -> Option<Arc<profile::Profile>> {
        let sha = cert.sha256?;
        if let Some(p) = self.profiles.lock().unwrap_or_else(|e| e.into_inner()).get(&sha) {
            return p.clone();
        }
        let p = profile::profile(cert).map(Arc::new);
        self.profiles.lock().unwrap_or_else(|e| e.into_inner()).insert(sha, p.clone());
        p
    }
}

impl CertParser for CertCache {
    fn get_or_parse(&self, der: &[u8]) -> Result<Arc<CertSummary>, CertError> {
        CertCache::get_or_parse(self, der)
    }
    fn verify(&self, child: &CertSummary, issuer: &CertSummary) -> Option<bool> {
        CertCache::verify(self, child, issuer)
    }
}
