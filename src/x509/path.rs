//! The certification path a peer builds from the certificates it was sent, as OpenSSL 3.0 does:
//! from the leaf (the first certificate sent) to each issuer by name, key identifiers and
//! signature, looking among the trust anchors first (OpenSSL's default "trusted first") and then
//! among the certificates sent, in whatever order they came; certificates that fit nowhere are
//! left out. A trust anchor with the same subject and key as a certificate sent stands in for it
//! and ends the path (an expired cross-certificate beside a trusted root). The depth of a
//! certificate is its position in the path, never in the message.

use std::sync::Arc;

use super::profile::Profile;
use super::CertCache;
use crate::model::CertSummary;

/// Longest path followed (OpenSSL allows 100; real chains have a handful).
const MAX_DEPTH: usize = 32;

/// One certificate of a path.
#[derive(Clone, Debug)]
pub struct PathCert {
    pub cert: Arc<CertSummary>,
    /// Its extensions and strengths; `None` when its DER could not be read (no check that needs
    /// them is made).
    pub profile: Option<Arc<Profile>>,
    /// Its position in the Certificate message, when it was sent.
    pub sent: Option<usize>,
    /// It is one of the trust anchors.
    pub anchor: bool,
}

/// Where a path stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathEnd {
    /// At a trust anchor that is self-signed (or whose issuer is another anchor).
    Anchored,
    /// At a trust anchor whose issuer is not among the anchors (OpenSSL error 2).
    AnchorWithoutIssuer,
    /// At a self-signed certificate that is no anchor.
    SelfSigned,
    /// At a certificate whose issuer is neither sent nor an anchor.
    MissingIssuer,
    /// [`MAX_DEPTH`] certificates were followed.
    TooLong,
}

/// A built path, leaf first (depth 0).
#[derive(Clone, Debug)]
pub struct CertPath {
    pub certs: Vec<PathCert>,
    pub end: PathEnd,
    /// Positions of the certificates sent that are not on the path.
    pub unused: Vec<usize>,
    /// Trust anchors were given: whether the path ends at one says something.
    pub anchors_given: bool,
}

impl CertPath {
    /// The path's certificate at `depth`.
    pub fn at(&self, depth: u32) -> Option<&PathCert> {
        self.certs.get(depth as usize)
    }
    /// Whether the path ends at a trust anchor.
    pub fn trusted(&self) -> bool {
        self.certs.last().is_some_and(|c| c.anchor)
    }
}

struct Candidate {
    cert: Arc<CertSummary>,
    profile: Option<Arc<Profile>>,
}

fn candidate(cert: &Arc<CertSummary>, certs: &CertCache) -> Candidate {
    Candidate { cert: cert.clone(), profile: certs.profile(cert) }
}

/// Whether `issuer` issued `child`: names, key identifiers when both have them, and the
/// signature unless it is shown not to verify.
fn issued(child: &PathCert, issuer: &Candidate, certs: &CertCache) -> bool {
    let authority = child.profile.as_ref().and_then(|p| p.authority_key_id.as_ref());
    let subject = issuer.profile.as_ref().and_then(|p| p.subject_key_id.as_ref());
    let ids_agree = match (authority, subject) {
        (Some(a), Some(s)) => a == s,
        _ => true,
    };
    child.cert.issuer == issuer.cert.subject && ids_agree && certs.verify(&child.cert, &issuer.cert) != Some(false)
}

fn same_subject_and_key(a: &CertSummary, b: &CertSummary) -> bool {
    a.subject == b.subject && a.public_key_sha256 == b.public_key_sha256
}

/// Build the path of the certificates `sent` (leaf first, the rest in any order) towards
/// `anchors`; `certs` reads profiles and checks signatures (once per certificate and per pair).
pub fn build(sent: &[Arc<CertSummary>], anchors: &[Arc<CertSummary>], certs: &CertCache) -> CertPath {
    let anchors: Vec<Candidate> = anchors.iter().map(|c| candidate(c, certs)).collect();
    let pool: Vec<Candidate> = sent.iter().map(|c| candidate(c, certs)).collect();
    let mut used = vec![false; pool.len()];
    let mut path = CertPath {
        certs: Vec::new(),
        end: PathEnd::MissingIssuer,
        unused: Vec::new(),
        anchors_given: !anchors.is_empty(),
    };
    let Some(leaf) = pool.first() else {
        return path;
    };
    used[0] = true;
    path.certs.push(PathCert { cert: leaf.cert.clone(), profile: leaf.profile.clone(), sent: Some(0), anchor: false });
    path.end = loop {
        let top = path.certs.last().expect("the leaf is there");
        if path.certs.len() >= MAX_DEPTH {
            break PathEnd::TooLong;
        }
        if !top.anchor {
            if let Some(a) = anchors.iter().find(|a| same_subject_and_key(&a.cert, &top.cert)) {
                let last = path.certs.len() - 1;
                path.certs[last] =
                    PathCert { cert: a.cert.clone(), profile: a.profile.clone(), sent: top.sent, anchor: true };
                continue;
            }
        }
        if top.cert.self_signed {
            break if top.anchor { PathEnd::Anchored } else { PathEnd::SelfSigned };
        }
        if let Some(a) = anchors.iter().find(|a| issued(top, a, certs)) {
            path.certs.push(PathCert { cert: a.cert.clone(), profile: a.profile.clone(), sent: None, anchor: true });
            continue;
        }
        if top.anchor {
            break PathEnd::AnchorWithoutIssuer;
        }
        let next = (0..pool.len()).find(|&i| !used[i] && issued(top, &pool[i], certs));
        match next {
            Some(i) => {
                used[i] = true;
                let c = &pool[i];
                path.certs.push(PathCert {
                    cert: c.cert.clone(),
                    profile: c.profile.clone(),
                    sent: Some(i),
                    anchor: false,
                });
            }
            None => break PathEnd::MissingIssuer,
        }
    };
    path.unused = (0..pool.len()).filter(|&i| !used[i]).collect();
    path
}
