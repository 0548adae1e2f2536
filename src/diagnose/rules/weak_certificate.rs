//! `weak-certificate`: a certificate was refused as too weak: OpenSSL verify code 66 (the
//! end-entity key too small), 67 (a CA key too small) or 68 (the CA signed with a digest the
//! verifier refuses, such as SHA-1).

use super::data::{gaps, Data};
use super::{About, Depth, Fix, PushTo, Rule, Verifier, VerifyMatch};
use crate::codes::VerifyCode;
use crate::diagnose::text::Values;
use crate::diagnose::Severity;
use crate::model::Context;

pub static RULE: Rule = Rule {
    name: "weak-certificate",
    severity: Severity::Error,
    summary: "a certificate was refused as too weak (OpenSSL 66/67: key too small; 68: CA signature digest too weak)",
    about: About::CertificateVerification,
    verifier: Verifier::Reporter,
    marks_tunnel_down: true,
    verify: Some(VerifyMatch {
        codes: &[VerifyCode::EE_KEY_TOO_SMALL, VerifyCode::CA_KEY_TOO_SMALL, VerifyCode::CA_MD_TOO_WEAK],
        depth: Depth::Any,
        title,
        data: |code| WeakCertificate { weakness: Some(Weakness::of(code)) }.into(),
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

impl Data for WeakCertificate {
    fn values(&self, out: &mut Values) {
        out.set_some("weak_reason", self.weakness.map(Weakness::words));
    }
    gaps!(weakness);
}

const WEAK_SEEN: &str = "The certificate[[ {subject}]] was refused with OpenSSL error {verify_code} ({verify_text})\
[[: {weak_reason}]].";
const WEAK_CHECK: &str = "Read the certificate's signature algorithm and key size with `openssl x509 -noout -text` on \
the certificate file (and on its CA): a SHA-1 or MD5 signature, or an RSA key under 2048 bits, is refused by current \
OpenSSL security levels.";
const WEAK_SFTUNNEL: &str = "For the sftunnel this is a known FMC defect: the device's certificate was signed with a \
weak digest. On the FMC, revoke and re-issue the device's sftunnel certificate (`generate_certs.pl` re-issues them), \
copy the new files to the device and run `pmtool restartbyid sftunnel` there.";
const WEAK_REISSUE: &str = "Re-issue the certificate (and, for codes 67 and 68, its CA) with a SHA-256 or stronger \
signature and an RSA key of 2048 bits or more (or an EC key), and install it where the old one was.";

const FIXES: &[Fix] = &[
    Fix {
        id: "sftunnel-reissue-weak-cert",
        context: Some(Context::Sftunnel),
        title: "Re-issue the device's sftunnel certificate on the FMC",
        steps: &[WEAK_SEEN, WEAK_SFTUNNEL, WEAK_CHECK],
    },
    Fix {
        id: "reissue-weak-cert",
        context: None,
        title: "Re-issue the certificate with a stronger key and signature",
        steps: &[WEAK_SEEN, WEAK_CHECK, WEAK_REISSUE],
    },
];

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::diagnose::Kind;
    use crate::codes::VerifyCode;
    use crate::model::Outcome;

    #[test]
    fn ca_digest_too_weak() {
        let a = sftunnel_log()
            .with(verify_error(VerifyCode::CA_MD_TOO_WEAK, 0, "/CN=ftd-branch-07", "/title=InternalCA/CN=fmc"))
            .with(end(Outcome::Failed));
        let f = the(judged(&a), Kind::WeakCertificate);
        assert_eq!(f.data, super::WeakCertificate { weakness: Some(super::Weakness::CaDigest) }.into());
        insta::assert_snapshot!(render(&f));
    }

    #[test]
    fn only_the_key_and_digest_codes_are_weak() {
        let weak = |n| Kind::for_verify_code(VerifyCode(n), Some(0)) == Kind::WeakCertificate;
        assert_eq!((65..=69).map(weak).collect::<Vec<_>>(), [false, true, true, true, false]);
    }
}
