//! The `openssl` output reader (`src/logs/openssl.rs`) on what OpenSSL 3.0 printed here (`samples/openssl/`, made with
//! `openssl req`/`ca`, `s_client` against `s_server`, `verify` and `x509`) and on the shapes of
//! older versions (1.0: slash names, `lookup:` without a space, `self signed` without a hyphen;
//! 1.1: `RSA Public-Key:`): exact attempts, certificates and findings.

use tlstriage::diagnose::{classify, Options};
use tlstriage::logs::openssl::{parse, sniff};
use tlstriage::model::{Attempt, Context, Event, Fact, Format, Head, IngestContext, Parsed, Source};

const NOW: &str = "2026-11-23T00:00:00Z";
const CA: &str =
    "/title=InternalCA/OU=Intrusion Management System/CN=6f0d2a91-3c4e-11ef-8b7a-5d2c9e4f1a03/O=Sourcefire, Inc.";

fn ctx() -> IngestContext {
    IngestContext::new(NOW.parse().expect("now"), std::sync::Arc::new(tlstriage::x509::CertCache::default()))
}

fn read(text: &str) -> Parsed {
    let ctx = ctx();
    let mut src = Source::new("paste.txt", text.as_bytes());
    Parsed::read_with(&mut src, Format::named("openssl"), |src, sink| parse(src, &ctx, sink))
}

/// `(code, depth, subject, line)` of a verify error.
type Error = (u32, Option<u32>, Option<String>, Option<u64>);
/// `(kind, device, peer, depth, count)` of a finding.
type Row = (String, Option<String>, Option<String>, Option<u32>, u32);

/// Each verify error of an attempt.
fn errors(a: &Attempt) -> Vec<Error> {
    a.events
        .iter()
        .filter_map(|o| match &o.event {
            Event::VerifyError { code, depth, subject, .. } => Some((code.0, *depth, subject.clone(), o.evidence.line)),
            _ => None,
        })
        .collect()
}

/// The findings of `p` at [`NOW`].
fn findings(p: &Parsed) -> Vec<Row> {
    let found = classify(&p.attempts, &p.facts, &Options::new(NOW.parse().expect("now")));
    found
        .into_iter()
        .map(|f| (f.kind.as_str().to_string(), f.device, f.peer.map(|p| p.to_string()), f.depth, f.count))
        .collect()
}

fn printed(p: &Parsed) -> Vec<&tlstriage::model::CertSummary> {
    p.facts
        .iter()
        .filter_map(|f| match f {
            Fact::CertFile { certs, .. } => Some(certs.iter().map(|c| &**c)),
            _ => None,
        })
        .flatten()
        .filter(|c| c.der.is_empty())
        .collect()
}

#[test]
fn the_sample_gives_two_attempts_a_printed_ca_and_the_server_certificate() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/openssl/ftd-lab-09-checks.txt"))
        .expect("sample");
    let head = Head::new("x", text.as_bytes(), true, tlstriage::logs::line_kind);
    assert!(sniff(&head));
    let p = read(&text);
    assert_eq!(
        p.inputs[0].message.as_deref(),
        Some(
            "openssl output: 1 s_client transcript; 1 verify run; 1 certificate printed by x509 -text (no DER: no \
             fingerprint, no signature check); 1 certificate in PEM; line 76: notAfter=Oct 14 12:00:00 2024 GMT of a \
             certificate the output does not name"
        )
    );
    // s_client to the FMC's sftunnel port: the client saw the InternalCA expired at depth 1.
    let [transcript, run] = &p.attempts[..] else { panic!("{:#?}", p.attempts) };
    assert_eq!(
        (transcript.context, transcript.device.as_deref(), transcript.server.as_ref().map(|s| s.as_str())),
        (Context::Sftunnel, Some("ftd-lab-09"), Some("10.20.50.10"))
    );
    assert_eq!(errors(transcript), vec![(10, Some(1), Some(CA.to_string()), Some(4))]);
    // verify of the device's own certificate against the same CA.
    assert_eq!(
        (run.context, run.device.as_deref(), run.server.as_ref().map(|s| s.as_str())),
        (Context::Generic, Some("ftd-lab-09"), None)
    );
    assert_eq!(errors(run), vec![(10, Some(1), Some(CA.to_string()), Some(73))]);
    // The CA printed by x509 -text, read from its text: no DER, no fingerprint.
    let [ca] = &printed(&p)[..] else { panic!("{:#?}", p.facts) };
    assert_eq!((ca.subject.as_str(), ca.issuer.as_str(), ca.serial.as_str()), (CA, CA, "20:00"));
    assert_eq!(
        (ca.not_before.to_string(), ca.not_after.to_string()),
        ("2014-10-14T12:00:00Z".into(), "2024-10-14T12:00:00Z".into())
    );
    assert_eq!((ca.is_ca, ca.self_signed, ca.key.as_str()), (true, false, "RSA 2048"));
    assert_eq!(
        (ca.signature_algorithm.as_str(), ca.sha256, ca.public_key_sha256),
        ("sha256WithRSAEncryption", None, None)
    );
    // The server certificate of the transcript, from its PEM block, with its DER.
    let [served] = &p.certificates[..] else { panic!("{:#?}", p.certificates) };
    assert_eq!(
        served.cert.sha256.map(|s| s.to_hex()).as_deref(),
        Some("26b35955b0ad485fa8752062ae147a9ee0e35f485e80a7a4c398ba726049e874")
    );
    assert_eq!(served.evidence.line, Some(26));
    // All three say the same: one finding.
    assert_eq!(
        findings(&p),
        vec![("expired-ca".into(), Some("ftd-lab-09".into()), Some("10.20.50.10".into()), Some(1), 3)]
    );
}

#[test]
fn older_openssl_shapes() {
    // 1.0: slash names, `verify return:0`, `self signed` without a hyphen.
    let old = "CONNECTED(00000003)\n\
               depth=2 /C=US/O=VeriSign, Inc./OU=Class 3 Public Primary Certification Authority\n\
               verify error:num=19:self signed certificate in certificate chain\n\
               verify return:0\n\
               ---\n\
               Verify return code: 19 (self signed certificate in certificate chain)\n";
    let p = read(old);
    let subject = "/C=US/O=VeriSign, Inc./OU=Class 3 Public Primary Certification Authority";
    assert_eq!(
        p.attempts.iter().map(errors).collect::<Vec<_>>(),
        vec![vec![(19, Some(2), Some(subject.into()), Some(3))]]
    );
    // A self-signed root in the chain that the client does not trust: its issuer is unknown.
    assert_eq!(findings(&p), vec![("unknown-ca".into(), None, None, Some(2), 1)]);
    // 1.1: spaced names; 1.0 verify: the file name before the name, no space after `lookup:`.
    let mixed = "depth=2 C = US, O = Internet Security Research Group, CN = ISRG Root X1\n\
                 verify error:num=20:unable to get local issuer certificate\n\
                 verify return:0\n\
                 leaf.pem: C=us, O=Donald Inc., CN=www.donald.inc/emailAddress=john@donald.inc\n\
                 error 20 at 0 depth lookup:unable to get local issuer certificate\n";
    let p = read(mixed);
    assert_eq!(
        p.attempts.iter().map(errors).collect::<Vec<_>>(),
        vec![
            vec![(20, Some(2), Some("/C=US/O=Internet Security Research Group/CN=ISRG Root X1".into()), Some(2))],
            vec![(
                20,
                Some(0),
                Some("/C=us/O=Donald Inc./CN=www.donald.inc/emailAddress=john@donald.inc".into()),
                Some(5)
            )],
        ]
    );
}

#[test]
fn a_verdict_says_more_only_when_the_errors_are_not_pasted() {
    let p = read("Verify return code: 19 (self-signed certificate in certificate chain)\n");
    assert_eq!(p.attempts.iter().map(errors).collect::<Vec<_>>(), vec![vec![(19, None, None, Some(1))]]);
    let p = read("depth=0 CN = ok.example\nverify return:1\nVerify return code: 0 (ok)\nleaf.pem: OK\n");
    assert!(p.attempts.is_empty());
    assert_eq!(p.inputs[0].message.as_deref(), Some("openssl output: 1 s_client transcript; 1 verify run"));
}

/// `openssl x509 -noout -fingerprint -sha256 -text` of an EC server certificate (3.0), its
/// modulus-free key and signature cut short.
const EC_TEXT: &str = "sha256 Fingerprint=30:2E:87:44:06:91:CF:F0:03:52:DF:FA:2D:70:A5:E3:49:07:68:D4:1C:78:03:82:71:7A:24:70:29:50:CA:60
Certificate:
    Data:
        Version: 3 (0x2)
        Serial Number: 8195 (0x2003)
        Signature Algorithm: sha256WithRSAEncryption
        Issuer: title = InternalCA, OU = Intrusion Management System, CN = 6f0d2a91-3c4e-11ef-8b7a-5d2c9e4f1a03, O = \"Sourcefire, Inc.\"
        Validity
            Not Before: Nov  1 00:00:00 2026 GMT
            Not After : Dec 15 00:00:00 2026 GMT
        Subject: CN = portal.corp.example, O = Example Corp
        Subject Public Key Info:
            Public Key Algorithm: id-ecPublicKey
                Public-Key: (256 bit)
                pub:
                    04:ff:04:71:3c:ff:f2:77:35:4e:7f:e2:72:d0:19:
                ASN1 OID: prime256v1
                NIST CURVE: P-256
        X509v3 extensions:
            X509v3 Basic Constraints: 
                CA:FALSE
            X509v3 Subject Alternative Name: 
                DNS:portal.corp.example, IP Address:192.0.2.10
    Signature Algorithm: sha256WithRSAEncryption
    Signature Value:
        04:be:59:55:a9:7c:3f:a2:07:70:f6:40:d2:b8:99:07:c9:80:
";

/// The same command on a legacy certificate: RSA 1024, signed with SHA-1, valid until 2030.
const WEAK_TEXT: &str = "Certificate:
    Data:
        Version: 3 (0x2)
        Serial Number: 8196 (0x2004)
        Signature Algorithm: sha1WithRSAEncryption
        Issuer: title = InternalCA, OU = Intrusion Management System, CN = 6f0d2a91-3c4e-11ef-8b7a-5d2c9e4f1a03, O = \"Sourcefire, Inc.\"
        Validity
            Not Before: Jan  1 00:00:00 2020 GMT
            Not After : Jan  1 00:00:00 2030 GMT
        Subject: CN = legacy.example
        Subject Public Key Info:
            Public Key Algorithm: rsaEncryption
                Public-Key: (1024 bit)
";

#[test]
fn printed_certificates_are_judged_like_certificate_files() {
    let p = read(EC_TEXT);
    let [ec] = &printed(&p)[..] else { panic!("{:#?}", p.facts) };
    assert_eq!(
        (ec.subject.as_str(), ec.key.as_str(), ec.serial.as_str()),
        ("/CN=portal.corp.example/O=Example Corp", "EC P-256", "20:03")
    );
    assert_eq!(ec.san, vec!["DNS:portal.corp.example".to_string(), "IP:192.0.2.10".to_string()]);
    // The fingerprint the paste shows is the certificate's own.
    assert_eq!(
        ec.sha256.map(|s| s.to_hex()).as_deref(),
        Some("302e87440691cff00352dffa2d70a5e3490768d41c780382717a24702950ca60")
    );
    // 22 days left at NOW: expiring soon, as a file would be.
    assert_eq!(findings(&p), vec![("expiring-soon".into(), None, None, Some(0), 1)]);
    // A weak key and digest are read and judged like a file's: signed with SHA-1 by an issuer
    // other than itself, it is refused at OpenSSL's default security level (an error); its
    // 1024-bit key alone would be refused from level 2 on.
    let p = read(WEAK_TEXT);
    let [weak] = &printed(&p)[..] else { panic!("{:#?}", p.facts) };
    assert_eq!((weak.key.as_str(), weak.signature_algorithm.as_str()), ("RSA 1024", "sha1WithRSAEncryption"));
    assert_eq!(findings(&p), vec![("weak-certificate".into(), None, None, Some(0), 1)]);
    let [f] = &classify(&p.attempts, &p.facts, &Options::new(NOW.parse().expect("now")))[..] else { panic!() };
    assert_eq!(f.severity, tlstriage::diagnose::Severity::Error);
    assert_eq!(
        f.title,
        "Certificate on disk is too weak for OpenSSL's default security level (sha1WithRSAEncryption signature)"
    );
    let values = f.values();
    assert_eq!(
        ["security_level", "weak_key", "key_level", "weak_digest"].map(|k| values.get(k)),
        [Some("1"), Some("RSA 1024"), Some("2"), Some("sha1WithRSAEncryption")]
    );
    // The evidence is the line that names it.
    assert_eq!(f.evidence[0].location(), "paste.txt:10");
    // The same certificate with a SHA-256 signature: only level 2 refuses it (a warning).
    let p = read(&WEAK_TEXT.replace("sha1WithRSAEncryption", "sha256WithRSAEncryption"));
    let [f] = &classify(&p.attempts, &p.facts, &Options::new(NOW.parse().expect("now")))[..] else { panic!() };
    assert_eq!(
        (f.kind.as_str(), f.severity, f.title.as_str()),
        (
            "weak-certificate",
            tlstriage::diagnose::Severity::Warning,
            "Certificate on disk is too weak for OpenSSL security level 2 (RSA 1024 key)"
        )
    );
    // Not valid yet at NOW: the 1.0 form of the names, the 1.1 form of the key line.
    let future = "Certificate:\n    Data:\n        Serial Number:\n            ef:25:6c:16:2f:ec:30:b6\n        \
                  Signature Algorithm: sha256WithRSAEncryption\n        Issuer: C=us, O=Donald Inc., CN=www.donald.inc\n        \
                  Validity\n            Not Before: Aug 21 11:46:53 2027 GMT\n            Not After : Sep 20 11:46:53 2028 GMT\n        \
                  Subject: C=us, O=Donald Inc., CN=www.donald.inc\n            Public Key Algorithm: rsaEncryption\n                \
                  RSA Public-Key: (2048 bit)\n";
    let p = read(future);
    let [c] = &printed(&p)[..] else { panic!("{:#?}", p.facts) };
    assert_eq!(
        (c.subject.as_str(), c.serial.as_str(), c.key.as_str()),
        ("/C=us/O=Donald Inc./CN=www.donald.inc", "ef:25:6c:16:2f:ec:30:b6", "RSA 2048")
    );
    assert_eq!(findings(&p), vec![("not-yet-valid".into(), None, None, Some(0), 1)]);
}

#[test]
fn a_printed_certificate_followed_by_its_pem_is_read_from_the_pem() {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).expect("key");
    let cert = rcgen::CertificateParams::new(vec!["portal.corp.example".to_string()])
        .expect("params")
        .self_signed(&key)
        .expect("certificate");
    let p = read(&format!("{}{}", EC_TEXT.lines().skip(1).collect::<Vec<_>>().join("\n") + "\n", cert.pem()));
    assert!(printed(&p).is_empty());
    assert_eq!(p.certificates.len(), 1);
    let sha = tlstriage::x509::summarize(cert.der()).expect("parses").sha256;
    assert_eq!(p.certificates[0].cert.sha256, sha);
}

#[test]
fn dates_alone_name_no_certificate_and_a_bad_block_makes_the_input_partial() {
    let p = read("notBefore=Oct 14 12:00:00 2014 GMT\nnotAfter=Oct 14 12:00:00 2024 GMT\n");
    assert!(p.facts.is_empty() && p.attempts.is_empty());
    assert_eq!(
        p.inputs[0].message.as_deref(),
        Some(
            "openssl output: line 1: notBefore=Oct 14 12:00:00 2014 GMT of a certificate the output does not name; \
             line 2: notAfter=Oct 14 12:00:00 2024 GMT of a certificate the output does not name"
        )
    );
    let p = read("Certificate:\n    Data:\n        Subject: CN = x\n");
    assert_eq!(p.inputs[0].status, tlstriage::model::Status::Partial);
    assert_eq!(p.inputs[0].message.as_deref(), Some("openssl output: line 1: `Certificate:` block without an Issuer"));
}

/// Past the reader's one cap (`max_whole`): the input is read up to there and says so.
#[test]
fn past_the_cap_on_what_is_held() {
    let mut ctx = ctx();
    ctx.limits.max_whole = 64;
    let text = "Verify return code: 19 (self-signed certificate in certificate chain)\n".repeat(3);
    let mut src = Source::new("paste.txt", text.as_bytes());
    let p = Parsed::read_with(&mut src, Format::named("openssl"), |src, sink| parse(src, &ctx, sink));
    assert_eq!(p.inputs[0].status, tlstriage::model::Status::Partial);
    assert_eq!(
        p.inputs[0].message.as_deref(),
        Some("openssl output: 1 s_client transcript; only the first 64 bytes were read (limit max_whole)")
    );
}
