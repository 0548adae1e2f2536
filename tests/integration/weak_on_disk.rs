//! A certificate file with a weak key or signature digest, judged against OpenSSL's security
//! levels as OpenSSL 3.0 judged the same files: `tests/data/weak-certs/` holds a CA, a leaf with a
//! 1024-bit RSA key signed with SHA-1 and one with the same key signed with SHA-256, made with
//! `openssl ca`, and what `openssl verify -auth_level 1` and `2` said of each.

use std::collections::BTreeMap;
use std::path::PathBuf;

use tlstriage::analyze::{analyze, Options, Report};
use tlstriage::diagnose::Severity;

use crate::common;

fn run(paths: Vec<PathBuf>) -> Report {
    let mut opts = Options::new(paths);
    opts.now = "2026-11-23T00:00:00Z".parse().unwrap();
    analyze(&opts)
}

/// For each file of the transcript, the lowest `-auth_level` at which OpenSSL refused it.
fn refused_from_level() -> BTreeMap<String, u8> {
    let text = String::from_utf8(common::fixture("weak-certs/openssl-verify.txt")).unwrap();
    let mut out = BTreeMap::new();
    let mut level = 0;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("$ openssl verify -auth_level ") {
            level = rest[..1].parse().unwrap();
        } else if let Some(file) = line.strip_prefix("error ").and_then(|l| l.strip_suffix(": verification failed")) {
            out.entry(file.to_string()).or_insert(level);
        }
    }
    out
}

#[test]
fn a_pem_file_is_judged_as_openssl_judges_it() {
    let dir = common::data("weak-certs");
    let r = run(["ca.pem", "legacy-sha1.pem", "legacy-1024.pem"].map(|f| dir.join(f)).to_vec());
    let found: Vec<(String, &str, Severity, String)> = r
        .findings
        .iter()
        .map(|f| {
            let file = f.evidence[0].path.rsplit('/').next().unwrap().to_string();
            (file, f.kind.as_str(), f.severity, f.values().get("security_level").unwrap_or("-").to_string())
        })
        .collect();
    assert_eq!(
        found,
        [
            ("legacy-sha1.pem".into(), "weak-certificate", Severity::Error, "1".into()),
            ("legacy-1024.pem".into(), "weak-certificate", Severity::Warning, "2".into()),
        ]
    );
    // OpenSSL refused the first from level 1 (error 68, the SHA-1 signature), the second from
    // level 2 only (error 66, the key), and accepted the CA at both.
    let openssl: Vec<(String, u8)> = refused_from_level().into_iter().collect();
    assert_eq!(openssl, [("legacy-1024.pem".to_string(), 2), ("legacy-sha1.pem".to_string(), 1)]);

    let sha1 = &r.findings[0];
    assert_eq!(
        sha1.title,
        "Certificate on disk is too weak for OpenSSL's default security level (sha1WithRSAEncryption signature)"
    );
    let path = dir.join("legacy-sha1.pem").display().to_string();
    assert_eq!(
        sha1.detail,
        format!(
            "/O=Example Legacy/CN=legacy-sha1.example (issuer /O=Example Legacy/CN=Legacy Root CA) is valid until \
             2035-01-01T00:00:00Z; found in {path}; its signature uses sha1WithRSAEncryption, a digest OpenSSL refuses \
             from security level 1, its default; its RSA 1024 key is smaller than security level 2 asks (112 security \
             bits: RSA and DSA 2048 bits, EC 224), the default some systems set"
        )
    );
    let fix = sha1.remediation.as_ref().unwrap();
    assert_eq!(fix.id, "reissue-weak-cert");
    let on_disk = format!(
        "/O=Example Legacy/CN=legacy-sha1.example in {path} is under OpenSSL security level 1: its RSA 1024 key is \
         too small from level 2 on; its signature, sha1WithRSAEncryption, uses a digest refused from level 1 on."
    );
    assert_eq!(fix.steps[0], on_disk.as_str());
    assert_eq!(fix.steps[0].commands().count(), 0, "the file's path is a value: prose");
    assert_eq!(
        fix.steps[1],
        "Level 1 is OpenSSL's own default, applied to every certificate it verifies in a TLS handshake; some \
         systems, Debian and Ubuntu among them, raise it to 2. OpenSSL's verify command checks the levels only when \
         asked: `openssl verify -auth_level 1 -CAfile ca.pem cert.pem` gives its own verdict on cert.pem, issued by \
         the CA in ca.pem, at level 1 (write 2 for level 2)."
    );
    let commands: Vec<&str> = fix.steps[1].commands().map(|c| c.as_str()).collect();
    assert_eq!(commands, ["openssl verify -auth_level 1 -CAfile ca.pem cert.pem"]);
    assert_eq!(fix.steps.len(), 4, "{:#?}", fix.steps);
    assert!(!fix.steps.iter().any(|s| s.contains("was refused with OpenSSL error")), "nothing refused it yet");
}
