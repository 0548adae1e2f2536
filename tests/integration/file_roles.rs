//! Issue 23's files by role, on case folders built the way a case grows: the samples' bundles,
//! then a backup of the expired InternalCA beside the renewed live one, the system's trust store
//! (one bundle file and one folder of roots), and the FMC's expired Talos cloud client
//! certificate inside its bundle or pasted in a note. A backup or a trust store changes nothing;
//! the Talos certificate is one finding of its own kind, never sftunnel advice.

use rcgen::{BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, KeyPair};
use serde_json::Value;

use crate::common::case::{heads, Case};
use crate::common::{members, run, tgz};

const FMC_BUNDLE: &str = "samples/bundles/fmc-hq-01.tar.gz";
const FTD_BUNDLE: &str = "samples/bundles/ftd-branch-07.tar.gz";
/// The FMC's live InternalCA in its bundle, and the old (expired) one as the device still holds it.
const LIVE_CA: &str = "results-fmc-hq-01/dir-archives/etc/sf/ca_root/cacert.pem";
const OLD_CA: &str = "results-ftd-branch-07/dir-archives/var-sf-peers/3b9c1e52-8a41-11e4-9c2f-5254001a7c33/cacert.pem";
const BEAKER: &str = "results-fmc-hq-01/dir-archives/var-sf-beaker3/securefirewall-dev-prod-01_prod.pem";

/// The findings of the two sample bundles, which every case below keeps exactly.
const BUNDLE_LINES: [&str; 5] = [
    "expired-ca critical ftd-branch-07 192.168.45.10 - 8 sftunnel-renewed-push-pending",
    "ca-mismatch critical fmc-hq-01 - 0 1 sftunnel-renewed-push-pending",
    "peer-rejected-certificate error fmc-hq-01 192.168.45.22 - 1 sftunnel-renewed-push-pending",
    "cert-push-failed error - ftd-branch-07 - 1 sftunnel-renewed-push-pending",
    "cert-push-failed error - ftd-dc-02 - 1 sftunnel-renewed-push-pending",
];

/// The case as it starts: the two sample bundles.
fn bundles() -> Case {
    let case = Case::holding(FTD_BUNDLE, "ftd-branch-07.tar.gz");
    case.copy(FMC_BUNDLE, "fmc-hq-01.tar.gz");
    case
}

/// The FMC bundle again with `extra` members added.
fn fmc_bundle_with(extra: &[(&str, &[u8])]) -> Vec<u8> {
    let entries = members(FMC_BUNDLE);
    let mut refs: Vec<(&str, &[u8])> = entries.iter().map(|(p, d)| (p.as_str(), d.as_slice())).collect();
    refs.extend_from_slice(extra);
    tgz(&refs)
}

/// A member of a sample bundle.
fn member(bundle: &str, path: &str) -> Vec<u8> {
    members(bundle).into_iter().find(|(p, _)| p == path).map(|(_, d)| d).unwrap()
}

/// `certs --format json` of the case: `place purpose subject` of each certificate whose path
/// contains `part`.
fn roles(case: &Case, part: &str) -> Vec<String> {
    let r = run(&["certs", "--format", "json", "--now", "2026-11-23", case.dir.path().to_str().unwrap()]);
    let rows: Value = serde_json::from_str(&r.stdout).unwrap();
    let mut out: Vec<String> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["found_in"].as_array().unwrap().iter().any(|e| e["path"].as_str().unwrap().contains(part)))
        .map(|c| format!("{} {} {}", c["role"]["place"], c["role"]["purpose"], c["subject"].as_str().unwrap()))
        .collect();
    out.sort();
    out
}

#[test]
fn the_samples_bundles_as_the_case_starts() {
    let (code, v) = bundles().analyze();
    assert_eq!((code, bundles().lines(&v)), (1, BUNDLE_LINES.map(String::from).to_vec()));
    assert_eq!(heads(&v), ["fmc-hq-01 renewed-push-pending"]);
}

#[test]
fn a_backup_of_the_expired_ca_beside_the_renewed_one_changes_nothing() {
    let old = member(FTD_BUNDLE, OLD_CA);
    let case = bundles();
    let backup = format!("{LIVE_CA}.backup");
    case.write("fmc-hq-01.tar.gz", &fmc_bundle_with(&[(&backup, &old)]));
    let (_, v) = case.analyze();
    assert_eq!(case.lines(&v), BUNDLE_LINES.map(String::from).to_vec());
    assert_eq!(heads(&v), ["fmc-hq-01 renewed-push-pending"]);
    assert_eq!(v["summary"]["critical"], 2);
    // Beside it as a loose copy in the case folder too (`.bak`, `.orig`, a dated copy): still nothing.
    for name in ["cacert.pem.bak", "cacert.pem.orig", "cacert.pem~", "cacert.pem.2026"] {
        case.write(&format!("notes/{name}"), &old);
    }
    let (_, v) = case.analyze();
    assert_eq!(case.lines(&v), BUNDLE_LINES.map(String::from).to_vec());
    assert_eq!(heads(&v), ["fmc-hq-01 renewed-push-pending"]);
}

#[test]
fn the_samples_backup_is_shown_with_its_role_and_gives_no_finding() {
    let case = Case::holding("samples/cases/two-fmcs/ftd-east-04.tar.gz", "ftd-east-04.tar.gz");
    case.copy("samples/cases/two-fmcs/fmc-west-02.tar.gz", "fmc-west-02.tar.gz");
    let (_, v) = case.analyze();
    assert_eq!(heads(&v), ["fmc-west-02 expiring", "fmc-east-01 renewed"]);
    assert_eq!(
        case.lines(&v),
        ["expiring-soon warning - - - 1 sftunnel-expiring", "expiring-soon warning - - 0 1 sftunnel-expiring"]
    );
    assert_eq!(
        roles(&case, "e2c47b18"),
        [
            "\"backup\" \"sftunnel-ca\" /title=InternalCA/OU=Intrusion Management System/CN=e2c47b18-5d29-11ef-8e11-0050569c1d01/O=Cisco Systems, Inc",
            "\"live\" \"sftunnel-ca\" /title=InternalCA/OU=Intrusion Management System/CN=e2c47b18-5d29-11ef-8e11-0050569c1d01/O=Cisco Systems, Inc",
            "\"live\" \"sftunnel-cert\" /OU=Intrusion Management System/CN=6b1f0c3e-5d2a-11ef-a3c9-0050569c1d20/O=Cisco Systems, Inc",
        ]
    );
    let dir = case.dir.path().to_str().unwrap();
    let text = run(&["certs", "--now", "2026-11-23", "--width", "100", dir]).stdout;
    assert!(text.contains("[backup, sftunnel CA]"), "{text}");
    let html = run(&["analyze", "--format", "html", "--now", "2026-11-23", dir]).stdout;
    assert!(html.contains(" [backup, sftunnel CA]</div>"), "the HTML names the role");
}

/// A self-signed root `CN=cn`, valid from `from` to `to` (years, January 1st).
fn root(cn: &str, from: i32, to: i32) -> String {
    let mut p = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, cn);
    dn.push(DnType::OrganizationName, "Public Trust Example");
    p.distinguished_name = dn;
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.not_before = rcgen::date_time_ymd(from, 1, 1);
    p.not_after = rcgen::date_time_ymd(to, 1, 1);
    p.self_signed(&KeyPair::generate().unwrap()).unwrap().pem()
}

/// Thirty public roots: ten expired by 2026-11-23, five within 90 days of it, the rest valid.
fn thirty_roots() -> Vec<String> {
    (0..30)
        .map(|i| match i {
            0..10 => root(&format!("Old Root {i}"), 2006, 2026),
            10..15 => root(&format!("Ending Root {i}"), 2007, 2027),
            _ => root(&format!("Root {i}"), 2016, 2040),
        })
        .collect()
}

#[test]
fn a_trust_store_of_many_roots_gives_no_finding() {
    let roots = thirty_roots();
    let case = bundles();
    case.write("fmc-hq-01-etc/ssl/ca-bundle.crt", roots.concat().as_bytes());
    for (i, r) in roots.iter().enumerate() {
        case.write(&format!("fmc-hq-01-etc/ssl/certs/root-{i}.pem"), r.as_bytes());
    }
    let (_, v) = case.analyze();
    assert_eq!(case.lines(&v), BUNDLE_LINES.map(String::from).to_vec());
    assert_eq!(heads(&v), ["fmc-hq-01 renewed-push-pending"]);
    let places = roles(&case, "fmc-hq-01-etc");
    assert_eq!(places.len(), 30);
    assert!(places.iter().all(|p| p.starts_with("\"trust-store\" null ")), "{places:?}");
    // The store of this machine, copied into the case: nothing from it either.
    if let Ok(system_store) = std::fs::read("/etc/ssl/certs/ca-certificates.crt") {
        case.write("machine/ca-certificates.crt", &system_store);
        let (_, v) = case.analyze();
        assert_eq!(case.lines(&v), BUNDLE_LINES.map(String::from).to_vec());
    }
}

/// The Keymaster CA 2 (as the field notice shows its name) and an FMC's client certificate it
/// issued, valid from 2024-01-30 to 2025-03-30, as PEM.
fn talos_client() -> String {
    let mut ca = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, "US");
    dn.push(DnType::StateOrProvinceName, "California");
    dn.push(DnType::LocalityName, "San Jose");
    dn.push(DnType::OrganizationName, "Cisco Systems Inc.");
    dn.push(DnType::OrganizationalUnitName, "Security");
    dn.push(DnType::CommonName, "Keymaster CA 2");
    ca.distinguished_name = dn;
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_key = KeyPair::generate().unwrap();
    let issuer = rcgen::Issuer::new(ca, ca_key);
    let mut leaf = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "fmc-hq-01");
    leaf.distinguished_name = dn;
    leaf.not_before = rcgen::date_time_ymd(2024, 1, 30);
    leaf.not_after = rcgen::date_time_ymd(2025, 3, 30);
    leaf.signed_by(&KeyPair::generate().unwrap(), &issuer).unwrap().pem()
}

/// The one finding of `kind`, and every finding's kind.
fn the<'a>(v: &'a Value, kind: &str) -> &'a Value {
    let all: Vec<&Value> = v["findings"].as_array().unwrap().iter().filter(|f| f["kind"] == kind).collect();
    assert_eq!(all.len(), 1, "{kind}");
    all[0]
}

/// The Talos finding's remediation: the notice, the fix release, never sftunnel steps.
fn check_talos_remedy(f: &Value) {
    assert_eq!(f["remediation"]["id"], "talos-client-cert-renew");
    let steps: Vec<&str> = f["remediation"]["steps"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    let all = steps.join("\n");
    assert!(all.contains("https://www.cisco.com/c/en/us/support/docs/field-notices/742/fn74272.html"), "{all}");
    assert!(all.contains("CSCwo63951") && all.contains("upgrade the FMC"), "{all}");
    for word in ["generate_certs", "sftunnel", "push"] {
        assert!(!all.contains(word), "{word} in {all}");
    }
}

#[test]
fn an_expired_talos_client_certificate_in_the_fmc_bundle_is_its_own_finding() {
    let talos = talos_client();
    let case = bundles();
    case.write("fmc-hq-01.tar.gz", &fmc_bundle_with(&[(BEAKER, talos.as_bytes())]));
    let (_, v) = case.analyze();
    let mut want = BUNDLE_LINES.map(String::from).to_vec();
    want.push("talos-client-cert-expired error - - 0 1 talos-client-cert-renew".into());
    assert_eq!(case.lines(&v), want);
    assert_eq!(heads(&v), ["fmc-hq-01 renewed-push-pending"]);
    let f = the(&v, "talos-client-cert-expired");
    assert_eq!(f["title"], "Talos cloud client certificate expired 603 days ago");
    // Seen on the FMC, but no part of its sftunnel system (whose state it leaves alone).
    assert_eq!((&f["system"], &f["facts"]["device"]), (&Value::Null, &Value::from("fmc-hq-01")));
    assert_eq!(f["context"], "generic");
    check_talos_remedy(f);
    assert!(v["findings"].as_array().unwrap().iter().all(|f| f["kind"] != "expired-cert"));
    assert_eq!(roles(&case, "beaker3"), ["\"live\" \"talos-client\" /CN=fmc-hq-01"]);
}

#[test]
fn a_pasted_talos_client_certificate_is_known_by_its_issuer() {
    let talos = talos_client();
    let note = format!("From the FMC, as asked:\n\n$ sudo cat the Talos certificate\n{talos}\nThanks\n");
    let case = Case::new();
    case.write("mail-from-admin.txt", note.as_bytes());
    let (code, v) = case.analyze();
    assert_eq!(case.lines(&v), ["talos-client-cert-expired error - - 0 1 talos-client-cert-renew"]);
    assert_eq!(code, 1);
    check_talos_remedy(the(&v, "talos-client-cert-expired"));
}

/// `openssl x509 -noout -text` of an FMC's Talos cloud client certificate (3.0), its key and
/// signature cut short: known by its issuer as the PEM paste is.
const TALOS_TEXT: &str = "$ sudo openssl x509 -noout -text -in /var/sf/beaker3/securefirewall-dev-prod-01_prod.pem
Certificate:
    Data:
        Version: 3 (0x2)
        Serial Number: 4660 (0x1234)
        Signature Algorithm: sha256WithRSAEncryption
        Issuer: C = US, ST = California, L = San Jose, O = Cisco Systems Inc., OU = Security, CN = Keymaster CA 2
        Validity
            Not Before: Jan 30 22:32:39 2024 GMT
            Not After : Mar 30 22:32:39 2025 GMT
        Subject: CN = fmc-hq-01
        Subject Public Key Info:
            Public Key Algorithm: rsaEncryption
                Public-Key: (2048 bit)
                Modulus:
                    00:c3:5e:91:0a:7f:22:
                Exponent: 65537 (0x10001)
        X509v3 extensions:
            X509v3 Basic Constraints: critical
                CA:FALSE
    Signature Algorithm: sha256WithRSAEncryption
    Signature Value:
        5d:0e:b2:77:19:c4:
";

#[test]
fn a_talos_client_certificate_printed_by_openssl_x509_is_known_by_its_issuer() {
    let case = Case::new();
    case.write("fmc-talos-cert.txt", TALOS_TEXT.as_bytes());
    let (code, v) = case.analyze();
    assert_eq!(case.lines(&v), ["talos-client-cert-expired error - - 0 1 talos-client-cert-renew"]);
    assert_eq!(code, 1);
    let f = the(&v, "talos-client-cert-expired");
    assert_eq!(f["title"], "Talos cloud client certificate expired 602 days ago");
    check_talos_remedy(f);
}

#[test]
fn a_backup_printed_by_openssl_x509_gives_no_finding_and_the_live_printout_does() {
    let ca = TALOS_TEXT
        .replace("Keymaster CA 2", "Old Root CA")
        .replace("CN = fmc-hq-01", "CN = Old Root CA")
        .replace("CA:FALSE", "CA:TRUE");
    let case = Case::new();
    case.write("notes/cacert.pem.2024", format!("{ca}# kept before the renewal\n").as_bytes());
    let (_, v) = case.analyze();
    assert_eq!(case.lines(&v), Vec::<String>::new());
    let read =
        v["inputs"].as_array().unwrap().iter().find(|i| i["path"].as_str().unwrap().ends_with("cacert.pem.2024"));
    assert_eq!(read.unwrap()["status"], "ok", "the backup is read, then not judged");
    case.write("notes/cacert-now.txt", ca.as_bytes());
    let (_, v) = case.analyze();
    let kinds: Vec<&str> = v["findings"].as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["expired-ca"]);
    let f = the(&v, "expired-ca");
    assert!(f["evidence"][0]["path"].as_str().unwrap().ends_with("cacert-now.txt"), "{f}");
}
