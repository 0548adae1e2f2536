//! What of a certificate OpenSSL's security levels 1 and 2 refuse, read from the certificate's
//! key and signature algorithm as its summary names them (`RSA 1024`, `sha1WithRSAEncryption`),
//! so that a certificate printed by `openssl x509 -text`, without DER, is judged like a file.
//! The thresholds are the ones the checks of a chain on the wire use: the security bits of
//! `x509::profile` against `x509::checks::min_bits`.

use crate::model::CertSummary;
use crate::x509::checks::min_bits;
use crate::x509::profile::finite_field_security_bits;

/// A certificate's key and signature digest under OpenSSL's security levels, as the certificate
/// itself says them (no DER needed: a printed certificate is judged the same way).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BelowLevel {
    /// `weak_key` and `key_level`: the key (`RSA 1024`) when it is too small, and the lowest
    /// level that refuses it.
    pub key: Option<(String, u8)>,
    /// `weak_digest`: the signature algorithm (`sha1WithRSAEncryption`) when its digest is MD5 or
    /// SHA-1, which level 1 refuses on every certificate but a self-signed root.
    pub digest: Option<String>,
}

impl BelowLevel {
    /// What of `c` OpenSSL's levels 1 and 2 refuse; `None` when they accept it.
    pub fn of(c: &CertSummary) -> Option<BelowLevel> {
        let key = key_bits(&c.key).and_then(refused_from).map(|level| (c.key.clone(), level));
        let digest = (weak_digest(&c.signature_algorithm) && !is_self_signed_root(c)).then(|| c.signature_algorithm.clone());
        (key.is_some() || digest.is_some()).then_some(BelowLevel { key, digest })
    }

    /// `security_level`: the lowest level that refuses the certificate.
    pub fn level(&self) -> u8 {
        if self.digest.is_some() {
            1
        } else {
            self.key.as_ref().map_or(2, |(_, level)| *level)
        }
    }

    /// Why, in words, what the lowest level refuses first (what the on-disk finding adds to its
    /// detail).
    pub(super) fn why(&self) -> String {
        let mut out: Vec<(u8, String)> = Vec::new();
        if let Some((key, level)) = &self.key {
            let need = min_bits(*level);
            out.push(match level {
                1 => (1, format!("its {key} key is smaller than security level 1 allows ({need} security bits: RSA and DSA 1024 bits, EC 160), so OpenSSL refuses it by default")),
                _ => (2, format!("its {key} key is smaller than security level 2 asks ({need} security bits: RSA and DSA 2048 bits, EC 224), the default some systems set")),
            });
        }
        if let Some(signature) = &self.digest {
            out.push((1, format!("its signature uses {signature}, a digest OpenSSL refuses from security level 1, its default")));
        }
        out.sort_by_key(|(level, _)| *level);
        out.into_iter().map(|(_, text)| text).collect::<Vec<_>>().join("; ")
    }

    /// The title of its on-disk finding: what the lowest level that refuses it refuses.
    pub(super) fn title(&self) -> String {
        let mut weak = Vec::new();
        if let Some((key, _)) = self.key.as_ref().filter(|(_, level)| *level == self.level()) {
            weak.push(format!("{key} key"));
        }
        if let Some(signature) = &self.digest {
            weak.push(format!("{signature} signature"));
        }
        match self.level() {
            1 => format!("Certificate on disk is too weak for OpenSSL's default security level ({})", weak.join(", ")),
            _ => format!("Certificate on disk is too weak for OpenSSL security level 2 ({})", weak.join(", ")),
        }
    }
}

/// The security bits of a key as `CertSummary::key` names it (`RSA 2048`, `RSA-PSS 3072`,
/// `DSA 1024`, `EC P-256`, `EC secp160r1`), counted as OpenSSL counts them: RSA and DSA by
/// `finite_field_security_bits`, a curve by half its size. `None` for what is not sized this
/// way here (Ed25519 and Ed448 pass both levels) and for a curve known only by its OID.
pub(super) fn key_bits(key: &str) -> Option<u32> {
    let (family, size) = key.split_once(' ')?;
    match family {
        "RSA" | "RSA-PSS" | "DSA" => size.parse().ok().map(finite_field_security_bits),
        "EC" if !size.starts_with(|c: char| c.is_ascii_digit()) => {
            // Curve names carry their size as their one number of three digits (`P-192`,
            // `secp160r1`, `prime256v1`, `brainpoolP320r1`, `c2pnb163v1`).
            let curve: u32 = size.split(|c: char| !c.is_ascii_digit()).find(|d| d.len() == 3)?.parse().ok()?;
            Some(curve / 2)
        }
        _ => None,
    }
}

/// The lowest level (1 or 2) whose minimum security bits `bits` is under.
pub(super) fn refused_from(bits: u32) -> Option<u8> {
    (1..=2).find(|level| bits < min_bits(*level))
}

/// Whether a signature algorithm's digest is MD2, MD4, MD5 or SHA-1 (`sha1WithRSAEncryption`,
/// `ecdsa-with-SHA1`, `dsaWithSHA1`, `md5WithRSAEncryption`, `RSA-SHA1`): the digests
/// `x509::profile::signature_security_bits` counts under level 1's 80 bits.
pub(super) fn weak_digest(signature: &str) -> bool {
    let name: String = signature.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    ["md2", "md4", "md5", "sha1"]
        .iter()
        .any(|d| name.match_indices(d).any(|(at, _)| !name[at + d.len()..].starts_with(|c: char| c.is_ascii_digit())))
}

/// A self-signed root, whose own signature a verifier does not check: signed by its own key as
/// the DER showed, or, printed (no signature to check), issued under its own name.
fn is_self_signed_root(c: &CertSummary) -> bool {
    c.self_signed || (c.der.is_empty() && c.subject == c.issuer)
}
