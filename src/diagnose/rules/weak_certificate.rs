//! `weak-certificate`: a certificate too weak for OpenSSL's security levels. A device logs it as
//! verify code 66 (the end-entity key too small), 67 (a CA key too small) or 68 (the CA signed
//! with a digest the verifier refuses, such as SHA-1). A certificate file, or one printed by
//! `openssl x509 -text`, shows it in its key and signature algorithm: under security level 1,
//! OpenSSL's default, every verifier refuses it (an error); under level 2 only, the verifiers
//! whose system raises the level refuse it (a warning).

use super::data::{gaps, Data};
use super::{About, Depth, Fix, OnDiskVerdict, PushTo, Rule, Verifier, VerifyMatch};
use crate::codes::VerifyCode;
use crate::diagnose::text::Values;
use crate::diagnose::{Options, Severity};
use crate::model::{CertSummary, Context};

pub static RULE: Rule = Rule {
    name: "weak-certificate",
    severity: Severity::Error,
    summary: "a certificate too weak for OpenSSL: refused with 66/67 (key too small) or 68 (CA signature digest too \
weak); on disk, a key or signature digest under security level 1 (error) or level 2 (warning)",
    about: About::CertificateVerification,
    verifier: Verifier::Reporter,
    marks_tunnel_down: true,
    verify: Some(VerifyMatch {
        codes: &[VerifyCode::EE_KEY_TOO_SMALL, VerifyCode::CA_KEY_TOO_SMALL, VerifyCode::CA_MD_TOO_WEAK],
        depth: Depth::Any,
        title,
        data: |code| WeakCertificate { weakness: Some(Weakness::of(code)), below: None }.into(),
    }),
    window: None,
    push_to: PushTo::Reporters,
    fixes: FIXES,
    system: None,
};

fn title(_: Option<u32>, code: VerifyCode) -> String {
    format!("Certificate refused as too weak (OpenSSL error {}: {})", code.0, code.meaning().unwrap_or("unknown"))
}

/// What a `weak-certificate` finding carries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WeakCertificate {
    /// `weak_reason`: what the verify code says is too weak.
    pub weakness: Option<Weakness>,
    /// What a certificate read on disk has under OpenSSL's security levels.
    pub below: Option<BelowLevel>,
}

/// What is too weak, by the verify code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weakness {
    /// 66: the end-entity certificate's key.
    EndEntityKey,
    /// 67: a CA certificate's key.
    CaKey,
    /// 68: the digest the CA signed with.
    CaDigest,
}

impl Weakness {
    /// The weakness of one of this rule's codes (the digest for 68).
    fn of(code: VerifyCode) -> Weakness {
        if code == VerifyCode::EE_KEY_TOO_SMALL {
            Weakness::EndEntityKey
        } else if code == VerifyCode::CA_KEY_TOO_SMALL {
            Weakness::CaKey
        } else {
            Weakness::CaDigest
        }
    }
    fn words(self) -> &'static str {
        match self {
            Weakness::EndEntityKey => "the end-entity certificate's key is too small for the verifier's security level",
            Weakness::CaKey => "a CA certificate's key is too small for the verifier's security level",
            Weakness::CaDigest => {
                "the CA signed the certificate with a digest the verifier no longer accepts (such as SHA-1 or MD5)"
            }
        }
    }
}

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

/// One of OpenSSL's security levels (`SSL_CTX_set_security_level`): the smallest RSA or DSA key
/// and EC key it accepts.
struct Level {
    level: u8,
    rsa_dsa_bits: u32,
    ec_bits: u32,
}

/// Levels 1 (OpenSSL's default; it also refuses MD5 and SHA-1 signatures) and 2.
const LEVELS: [Level; 2] = [Level { level: 1, rsa_dsa_bits: 1024, ec_bits: 160 }, Level { level: 2, rsa_dsa_bits: 2048, ec_bits: 224 }];

impl BelowLevel {
    /// What of `c` OpenSSL's levels 1 and 2 refuse; `None` when they accept it.
    pub fn of(c: &CertSummary) -> Option<BelowLevel> {
        let key = key_size(&c.key).and_then(refused_from).map(|level| (c.key.clone(), level));
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
    fn why(&self) -> String {
        let mut out: Vec<(u8, String)> = Vec::new();
        if let Some((key, level)) = &self.key {
            let Level { rsa_dsa_bits: rsa, ec_bits: ec, .. } = LEVELS[usize::from(*level) - 1];
            out.push(match level {
                1 => (1, format!("its {key} key is smaller than security level 1 allows (RSA and DSA {rsa} bits, EC {ec}), so OpenSSL refuses it by default")),
                _ => (2, format!("its {key} key is smaller than security level 2 asks (RSA and DSA {rsa} bits, EC {ec}), the default some systems set")),
            });
        }
        if let Some(signature) = &self.digest {
            out.push((1, format!("its signature uses {signature}, a digest OpenSSL refuses from security level 1, its default")));
        }
        out.sort_by_key(|(level, _)| *level);
        out.into_iter().map(|(_, text)| text).collect::<Vec<_>>().join("; ")
    }

    /// The title of its on-disk finding: what the lowest level that refuses it refuses.
    fn title(&self) -> String {
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

/// A key as `CertSummary::key` names it, sized the way the levels size it.
#[derive(Clone, Copy)]
enum KeySize {
    /// RSA (also RSA-PSS) or DSA, by its bits.
    RsaDsa(u32),
    /// EC, by the bits of its curve.
    Ec(u32),
}

/// `RSA 2048`, `RSA-PSS 3072`, `DSA 1024`, `EC P-256`, `EC secp160r1`; `None` for what the levels
/// do not size by bits this way (Ed25519, Ed448) and for a curve known only by its OID.
fn key_size(key: &str) -> Option<KeySize> {
    let (family, size) = key.split_once(' ')?;
    match family {
        "RSA" | "RSA-PSS" | "DSA" => size.parse().ok().map(KeySize::RsaDsa),
        "EC" if !size.starts_with(|c: char| c.is_ascii_digit()) => {
            // Curve names carry their size as their one number of three digits (`P-192`,
            // `secp160r1`, `prime256v1`, `brainpoolP320r1`, `c2pnb163v1`).
            size.split(|c: char| !c.is_ascii_digit()).find(|d| d.len() == 3)?.parse().ok().map(KeySize::Ec)
        }
        _ => None,
    }
}

/// The lowest level (1 or 2) whose minimum the key is under.
fn refused_from(size: KeySize) -> Option<u8> {
    let under = |l: &&Level| match size {
        KeySize::RsaDsa(bits) => bits < l.rsa_dsa_bits,
        KeySize::Ec(bits) => bits < l.ec_bits,
    };
    LEVELS.iter().find(under).map(|l| l.level)
}

/// Whether a signature algorithm's digest is MD2, MD4, MD5 or SHA-1 (`sha1WithRSAEncryption`,
/// `ecdsa-with-SHA1`, `dsaWithSHA1`, `md5WithRSAEncryption`, `RSA-SHA1`).
fn weak_digest(signature: &str) -> bool {
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

/// A certificate file whose key or digest OpenSSL refuses at its default security level: an error.
pub(in crate::diagnose) fn refused_on_disk(c: &CertSummary, _: &Options) -> Option<OnDiskVerdict> {
    on_disk(c, 1, Severity::Error)
}

/// A certificate file whose key only security level 2 refuses: a warning.
pub(in crate::diagnose) fn under_level_2_on_disk(c: &CertSummary, _: &Options) -> Option<OnDiskVerdict> {
    on_disk(c, 2, Severity::Warning)
}

fn on_disk(c: &CertSummary, level: u8, severity: Severity) -> Option<OnDiskVerdict> {
    let below = BelowLevel::of(c).filter(|b| b.level() == level)?;
    let (title, why) = (below.title(), Some(below.why()));
    Some(OnDiskVerdict { severity, title, data: WeakCertificate { weakness: None, below: Some(below) }.into(), why })
}

impl Data for WeakCertificate {
    fn values(&self, out: &mut Values) {
        out.set_some("weak_reason", self.weakness.map(Weakness::words));
        if let Some(below) = &self.below {
            out.set("security_level", below.level());
            out.set_some("weak_key", below.key.as_ref().map(|(key, _)| key));
            out.set_some("key_level", below.key.as_ref().map(|(_, level)| level));
            out.set_some("weak_digest", below.digest.as_ref());
        }
    }
    gaps!(weakness, below);
}

const WEAK_SEEN: &str = "[[The certificate[[ {subject}]] was refused with OpenSSL error {verify_code} ({verify_text})\
[[: {weak_reason}]].]]";
const WEAK_ON_DISK: &str = "[[{subject} in {path} is under OpenSSL security level {security_level}[[: its {weak_key} \
key is too small from level {key_level} on]][[; its signature, {weak_digest}, uses a digest refused from level 1 on]].]]";
const WEAK_LEVELS: &str = "[[{?security_level}Level 1 is OpenSSL's own default, applied to every certificate it \
verifies in a TLS handshake; some systems, Debian and Ubuntu among them, raise it to 2. `openssl verify` checks the \
levels only when asked: add `-auth_level 1` (or 2) to see its own verdict.]]";
const WEAK_CHECK: &str = "Read the certificate's signature algorithm and key size with `openssl x509 -noout -text` on \
the certificate file (and on its CA): a SHA-1 or MD5 signature, or an RSA key under 2048 bits, is refused by current \
OpenSSL security levels.";
const WEAK_SFTUNNEL: &str = "[[{?verify_code}For the sftunnel this is a known FMC defect: the device's certificate was \
signed with a weak digest. ]]On the FMC, revoke and re-issue the device's sftunnel certificate (`generate_certs.pl` \
re-issues them), copy the new files to the device and run `pmtool restartbyid sftunnel` there.";
const WEAK_REISSUE: &str = "Re-issue the certificate (and, for codes 67 and 68, its CA) with a SHA-256 or stronger \
signature and an RSA key of 2048 bits or more (or an EC key), and install it where the old one was.";

const FIXES: &[Fix] = &[
    Fix {
        id: "sftunnel-reissue-weak-cert",
        context: Some(Context::Sftunnel),
        title: "Re-issue the device's sftunnel certificate on the FMC",
        steps: &[WEAK_SEEN, WEAK_ON_DISK, WEAK_LEVELS, WEAK_SFTUNNEL, WEAK_CHECK],
    },
    Fix {
        id: "reissue-weak-cert",
        context: None,
        title: "Re-issue the certificate with a stronger key and signature",
        steps: &[WEAK_SEEN, WEAK_ON_DISK, WEAK_LEVELS, WEAK_CHECK, WEAK_REISSUE],
    },
];

#[cfg(test)]
#[path = "weak_certificate_tests.rs"]
mod tests;
