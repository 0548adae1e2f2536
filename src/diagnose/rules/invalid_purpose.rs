//! `invalid-purpose`: a certificate was refused because it was not issued for the use it was put
//! to: OpenSSL verify code 26 (`X509_V_ERR_INVALID_PURPOSE`, "unsupported certificate purpose").
//! OpenSSL checks a server's certificate for TLS server authentication and a client's for TLS
//! client authentication: an extendedKeyUsage without `serverAuth` (or `clientAuth`), or a
//! keyUsage without digitalSignature, fails the check. Seen with an sftunnel certificate
//! re-issued by hand, or a proxy's server certificate made from a template for other uses.

use super::data::no_data;
use super::steps::{BACKUP, GENERATE, PUSH, VERIFY};
use super::{About, Depth, Fix, PushTo, Rule, VerifyMatch, Verifier};
use super::finding::Finding;
use super::on_wire::OnWire;
use crate::codes::VerifyCode;
use crate::diagnose::Severity;
use crate::model::{Context, Role};

pub static RULE: Rule = Rule {
    name: "invalid-purpose",
    severity: Severity::Error,
    summary: "a certificate was refused as not issued for this use (OpenSSL 26: its key usage lacks TLS server or client authentication)",
    about: About::CertificateVerification,
    verifier: Verifier::Reporter,
    marks_tunnel_down: true,
    verify: Some(VerifyMatch {
        codes: &[VerifyCode::INVALID_PURPOSE],
        depth: Depth::Any,
        title: |_, _| "Certificate not issued for this use (unsupported certificate purpose)".into(),
        data: |_| InvalidPurpose.into(),
        on_wire,
    }),
    window: None,
    push_to: PushTo::Reporters,
    fixes: FIXES,
    system: None,
    min_fmc_release: None,
};

no_data!(InvalidPurpose);

/// A certificate of a chain on the wire whose extended key usage does not allow its role.
fn on_wire(w: &OnWire<'_>) -> Finding {
    let usage = match w.from {
        Role::Server => "TLS Web Server Authentication (serverAuth)",
        Role::Client => "TLS Web Client Authentication (clientAuth)",
    };
    w.finding(InvalidPurpose, "Certificate not issued for this use (unsupported certificate purpose)").detail(format!(
        "{} lists extended key usages without {usage}, which the {} requires of a {}'s certificate",
        w.certificate_words(),
        w.receiver(),
        w.sender()
    ))
}

const SEEN: &str = "The certificate[[ {subject}]] presented by {peer} was refused with OpenSSL error 26 \
(unsupported certificate purpose): its key usage does not allow the TLS role it was used in.";
const CHECK: &str = "Read the usages the certificate allows: `openssl x509 -noout -ext extendedKeyUsage,keyUsage -in` \
followed by the certificate file. A server certificate needs `TLS Web Server Authentication`, a client certificate \
`TLS Web Client Authentication`; when keyUsage is present it must include Digital Signature.";
const SFTUNNEL_ROLES: &str = "Either end may open the sftunnel, so each end's sftunnel-cert.pem is checked both as a \
server and as a client certificate: it needs both usages. The certificates generate_certs.pl issues from the InternalCA \
have them; one made by hand or by another CA often does not.";
const REISSUE: &str = "Re-issue the certificate with the extended key usage of its role (serverAuth for a server, \
clientAuth for a client, both for a certificate used either way) and install it with its key where the old one was.";

const FIXES: &[Fix] = &[
    Fix {
        id: "sftunnel-reissue-cert-purpose",
        context: Some(Context::Sftunnel),
        title: "Replace the sftunnel certificate with one the InternalCA issues",
        steps: &[SEEN, CHECK, SFTUNNEL_ROLES, BACKUP, GENERATE, PUSH, VERIFY],
    },
    Fix {
        id: "tls-proxy-server-cert-purpose",
        context: Some(Context::TlsProxy),
        title: "Have the server's certificate re-issued for TLS server use",
        steps: &[
            SEEN,
            CHECK,
            "The proxy verifies the server as a TLS client does: ask the administrator of {peer} to re-issue its \
certificate with serverAuth. Until then the connection can only be exempted from decryption with a Do not decrypt \
policy for that server.",
        ],
    },
    Fix {
        id: "reissue-cert-purpose",
        context: None,
        title: "Re-issue the certificate with the key usage its role needs",
        steps: &[SEEN, CHECK, REISSUE],
    },
];

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::codes::{AlertDescription, VerifyCode};
    use crate::diagnose::Kind;
    use crate::model::{Outcome, Role};

    const FMC_CERT: &str = "/CN=fmc-lab-05.example.net/O=Example Lab";
    const CA: &str = "/title=InternalCA/OU=Intrusion Management System/CN=fmc-lab-05/O=Cisco Systems, Inc";

    #[test]
    fn verify_code_26_is_the_purpose() {
        let a = sftunnel_log()
            .with(verify_error(VerifyCode::INVALID_PURPOSE, 0, FMC_CERT, CA))
            .with(end(Outcome::Failed));
        let found = judged(&a);
        assert_eq!(kinds(&found), [Kind::InvalidPurpose]);
        let f = the(found, Kind::InvalidPurpose);
        assert_eq!(&f.values()["verify_text"], "unsupported certificate purpose");
        insta::assert_snapshot!(render(&f));
    }

    #[test]
    fn it_explains_the_peers_rejection() {
        let a = sftunnel_log()
            .with(verify_error(VerifyCode::INVALID_PURPOSE, 0, FMC_CERT, CA))
            .with(fatal_alert(Role::Server, AlertDescription::UNSUPPORTED_CERTIFICATE));
        assert_eq!(kinds(&judged(&a)), [Kind::InvalidPurpose]);
    }

    #[test]
    fn code_26_at_a_ca_is_the_same_kind() {
        assert_eq!(Kind::for_verify_code(VerifyCode::INVALID_PURPOSE, Some(1)), Kind::InvalidPurpose);
    }

    #[test]
    fn another_verify_code_is_not_the_purpose() {
        let a = sftunnel_log().with(verify_error(VerifyCode::CERT_REVOKED, 0, FMC_CERT, CA)).with(end(Outcome::Failed));
        assert_eq!(kinds(&judged(&a)), [Kind::VerifyFailed]);
    }
}
