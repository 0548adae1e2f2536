//! `weak-certificate`: a certificate too weak for OpenSSL's security levels. A device logs it as
//! verify code 66 (the end-entity key too small), 67 (a CA key too small) or 68 (the CA signed
//! with a digest the verifier refuses, such as SHA-1). A certificate file, or one printed by
//! `openssl x509 -text`, shows it in its key and signature algorithm: under security level 1,
//! OpenSSL's default, every verifier refuses it (an error); under level 2 only, the verifiers
//! whose system raises the level refuse it (a warning).

use super::data::{gaps, Data};
use super::finding::Finding;
use super::on_wire::OnWire;
use super::{About, Depth, Fix, OnDiskVerdict, PushTo, Rule, Verifier, VerifyMatch};
use crate::codes::VerifyCode;
use crate::diagnose::text::Values;
use crate::diagnose::{Options, Severity};
use crate::model::{CertRole, CertSummary, Context};
use crate::x509::checks::min_bits;

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
        on_wire,
    }),
    window: None,
    push_to: PushTo::Reporters,
    fixes: FIXES,
    system: None,
    min_fmc_release: None,
};

/// A chain on the wire whose key or signature digest is too weak at the check's security level.
fn on_wire(w: &OnWire<'_>) -> Finding {
    let profile = w.path.at(w.depth).and_then(|c| c.profile.as_deref());
    let need = min_bits(w.level);
    let detail = if w.code == VerifyCode::CA_MD_TOO_WEAK {
        let bits = profile.map_or(String::new(), |p| format!(", worth {} security bits,", p.signature_bits));
        format!(
            "{} is signed with {}{bits} which security level {} refuses (it needs {need})",
            w.certificate_words(),
            w.cert.signature_algorithm,
            w.level
        )
    } else {
        let bits = profile.map_or(String::new(), |p| format!(" ({} security bits)", p.key_bits));
        format!(
            "{} has a {} key{bits}; security level {} needs {need} bits",
            w.certificate_words(),
            w.cert.key,
            w.level
        )
    };
    w.finding(WeakCertificate { weakness: Some(Weakness::of(w.code)), below: None }, title(Some(w.depth), w.code)).detail(detail)
}

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

#[path = "weak_certificate_levels.rs"]
mod levels;
pub use levels::BelowLevel;

/// A certificate file whose key or digest OpenSSL refuses at its default security level: an error.
pub(in crate::diagnose) fn refused_on_disk(c: &CertSummary, _: &CertRole, _: &Options) -> Option<OnDiskVerdict> {
    on_disk(c, 1, Severity::Error)
}

/// A certificate file whose key only security level 2 refuses: a warning.
pub(in crate::diagnose) fn under_level_2_on_disk(c: &CertSummary, _: &CertRole, _: &Options) -> Option<OnDiskVerdict> {
    on_disk(c, 2, Severity::Warning)
}

fn on_disk(c: &CertSummary, level: u8, severity: Severity) -> Option<OnDiskVerdict> {
    let below = BelowLevel::of(c).filter(|b| b.level() == level)?;
    let (title, why) = (below.title(), Some(below.why()));
    let data = WeakCertificate { weakness: None, below: Some(below) }.into();
    Some(OnDiskVerdict { severity, title, data, why, security_level: Some(level) })
}

impl Data for WeakCertificate {
    fn values(&self, out: &mut Values) {
        out.set_some("weak_reason", self.weakness.map(Weakness::words));
        if let Some(below) = &self.below {
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
verifies in a TLS handshake; some systems, Debian and Ubuntu among them, raise it to 2. OpenSSL's verify command \
checks the levels only when asked: `openssl verify -auth_level 1 -CAfile ca.pem cert.pem` gives its own verdict on \
cert.pem, issued by the CA in ca.pem, at level 1 (write 2 for level 2).]]";
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
