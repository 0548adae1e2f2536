//! Tests of the folder consistency rules, with hand-built certificate summaries and a stand-in
//! for the signature check.

use super::*;
use crate::diagnose::Kind;
use crate::model::Context;
use crate::model::{DeviceInfo, DeviceRole, PeerInfo, Sha256, TunnelConf, Uuid};
use jiff::Timestamp;

const FMC: &str = "cdb123c8-4347-11ef-aca1-f3aa241412a1";
const CA_OLD: &str = "/title=InternalCA/OU=Intrusion Management System/CN=old/O=Cisco Systems, Inc";
const CA_NEW: &str = "/title=InternalCA/OU=Intrusion Management System/CN=new/O=Cisco Systems, Inc";

fn cert(subject: &str, issuer: &str, pk: &str) -> Arc<CertSummary> {
    Arc::new(CertSummary {
        subject: subject.into(),
        issuer: issuer.into(),
        serial: "01".into(),
        not_before: Timestamp::from_second(1_728_000_000).unwrap(),
        not_after: Timestamp::from_second(2_043_000_000).unwrap(),
        is_ca: subject.contains("InternalCA"),
        self_signed: subject == issuer,
        key: "RSA 2048".into(),
        signature_algorithm: "sha256WithRSAEncryption".into(),
        san: Vec::new(),
        sha256: Some(Sha256::of(format!("sha-{pk}").as_bytes())),
        public_key_sha256: Some(Sha256::of(pk.as_bytes())),
        der: Arc::from(Vec::new()),
    })
}

fn certs(path: &str, c: Vec<Arc<CertSummary>>) -> Fact {
    Fact::CertFile { evidence: Evidence::file(path), certs: c }
}

fn key(path: &str, pk: Option<&str>) -> Fact {
    Fact::KeyFile {
        evidence: Evidence::file(path),
        key: KeySummary { algorithm: "RSA".into(), public_key_sha256: pk.map(|pk| Sha256::of(pk.as_bytes())) },
    }
}

/// Signatures "verify" when the issuer's public key hash is named in the child's serial field.
fn double(child: &CertSummary, issuer: &CertSummary) -> bool {
    child.issuer == issuer.subject && issuer.public_key_sha256.is_some_and(|pk| child.serial.contains(&pk.to_hex()))
}

fn leaf(issuer: &str, signer_pk: &str) -> Arc<CertSummary> {
    let mut c = (*cert("/CN=c8d5d5c6-87c9-11ef-a993-b9831565bc4e", issuer, "leafpk")).clone();
    c.serial = format!("signed-by-{}", Sha256::of(signer_pk.as_bytes()));
    Arc::new(c)
}

fn dir() -> String {
    format!("ftd.tgz!/var/sf/peers/{FMC}")
}

#[test]
fn ca_mismatch_by_issuer_name() {
    let facts = vec![
        certs(&format!("{}/sftunnel-cert.pem", dir()), vec![leaf(CA_OLD, "oldpk")]),
        certs(&format!("{}/cacert.pem", dir()), vec![cert(CA_NEW, CA_NEW, "newpk")]),
        Fact::Device {
            evidence: Evidence::file("ftd.tgz!/etc/sf/ims.conf"),
            device: DeviceInfo {
                role: DeviceRole::Ftd,
                uuid: Uuid::parse("c8d5d5c6-87c9-11ef-a993-b9831565bc4e"),
                hostname: Some("BSNS-1120-1".into()),
                version: None,
                model: None,
                disputed: Vec::new(),
            },
        },
        Fact::Peer {
            evidence: Evidence::file(format!("{}/sftunnel.json", dir()).as_str()),
            peer: PeerInfo {
                uuid: Uuid::parse(FMC),
                name: Some("fmcv72".into()),
                ip: Some("10.48.67.10".into()),
                role: None,
            },
        },
    ];
    let out = judge_with(&facts, &double);
    assert_eq!(out.len(), 1);
    let f = &out[0];
    assert_eq!(f.kind, Kind::CaMismatch);
    assert_eq!(f.context, Context::Sftunnel);
    assert_eq!(f.title, "sftunnel-cert.pem is not signed by the cacert.pem beside it");
    assert_eq!(
        f.detail,
        format!(
            "{d}/sftunnel-cert.pem (/CN=c8d5d5c6-87c9-11ef-a993-b9831565bc4e): it names {CA_OLD} as its issuer, but \
             {d}/cacert.pem holds {CA_NEW}",
            d = dir()
        )
    );
    assert_eq!(f.device.as_deref(), Some("BSNS-1120-1"));
    assert_eq!(f.peer.as_ref().map(|p| p.to_string()).as_deref(), Some("fmcv72"));
    let values = f.values();
    let facts_of = |k: &str| values.get(k);
    assert_eq!(facts_of("peer_uuid"), Some(FMC));
    assert_eq!(facts_of("dir"), Some(dir().as_str()));
    assert_eq!(facts_of("ca_path"), Some(format!("{}/cacert.pem", dir()).as_str()));
    assert_eq!(facts_of("peer_ip"), Some("10.48.67.10"));
    assert_eq!(facts_of("device_uuid"), Some("c8d5d5c6-87c9-11ef-a993-b9831565bc4e"));
    assert_eq!(facts_of("device_role"), Some("ftd"));
    assert_eq!(f.evidence.len(), 2);
}

#[test]
fn ca_mismatch_by_signature_and_matching_pair() {
    let ca = cert(CA_NEW, CA_NEW, "newpk");
    // Same issuer name, but signed by another key (a CA regenerated under the same name).
    let bad = vec![
        certs(&format!("{}/sftunnel-cert.pem", dir()), vec![leaf(CA_NEW, "otherpk")]),
        certs(&format!("{}/cacert.pem", dir()), vec![ca.clone()]),
    ];
    let out = judge_with(&bad, &double);
    assert_eq!(out.len(), 1);
    assert!(out[0]
        .detail
        .ends_with("/cacert.pem has the issuer's name, but the signature does not verify with its key"));
    let good = vec![
        certs(&format!("{}/sftunnel-cert.pem", dir()), vec![leaf(CA_NEW, "newpk")]),
        certs(&format!("{}/cacert.pem", dir()), vec![cert(CA_OLD, CA_OLD, "oldpk"), ca]),
    ];
    assert!(judge_with(&good, &double).is_empty());
    // Files in different folders are not compared.
    let apart = vec![
        certs("a/sftunnel-cert.pem", vec![leaf(CA_OLD, "oldpk")]),
        certs("b/cacert.pem", vec![cert(CA_NEW, CA_NEW, "newpk")]),
    ];
    assert!(judge_with(&apart, &double).is_empty());
}

#[test]
fn key_mismatch_same_stem_and_sftunnel_key() {
    let facts = vec![
        certs("/etc/sf/keys/LL-cert.pem", vec![cert("/CN=ll", CA_NEW, "pk-a")]),
        key("/etc/sf/keys/LL-key.pem", Some("pk-b")),
        certs("/etc/sf/keys/ok-cert.pem", vec![cert("/CN=ok", CA_NEW, "pk-c")]),
        key("/etc/sf/keys/ok-key.pem", Some("pk-c")),
        certs("/etc/sf/keys/enc-cert.pem", vec![cert("/CN=enc", CA_NEW, "pk-d")]),
        key("/etc/sf/keys/enc-key.pem", None),
    ];
    let out = judge_with(&facts, &double);
    assert_eq!(out.len(), 1);
    let f = &out[0];
    assert_eq!(f.kind, Kind::KeyMismatch);
    assert_eq!(f.context, Context::Generic);
    assert_eq!(f.title, "LL-key.pem does not belong to LL-cert.pem");
    assert_eq!(
        f.detail,
        "the RSA private key in /etc/sf/keys/LL-key.pem and the certificate /CN=ll in /etc/sf/keys/LL-cert.pem have \
         different public keys"
    );
    assert_eq!(f.values().get("key_path"), Some("/etc/sf/keys/LL-key.pem"));
    assert_eq!(f.values().get("dir"), Some("/etc/sf/keys"));
    assert_eq!(f.peer, None);
}

#[test]
fn pairs_named_by_sftunnel_conf() {
    let conf = TunnelConf {
        cert: Some("/etc/sf/keys/sftunnel-cert.pem".into()),
        key: Some("/etc/sf/keys/sftunnel-key.pem".into()),
        cacert: Some("/etc/sf/ca_root/cacert.pem".into()),
        crl: None,
        tls_version: None,
    };
    let facts = vec![
        Fact::TunnelConf { evidence: Evidence::file("fmc.tgz!/etc/sf/sftunnel.conf"), conf },
        certs("fmc.tgz!/etc/sf/keys/sftunnel-cert.pem", vec![leaf(CA_OLD, "oldpk")]),
        key("fmc.tgz!/etc/sf/keys/sftunnel-key.pem", Some("otherpk")),
        certs("fmc.tgz!/etc/sf/ca_root/cacert.pem", vec![cert(CA_NEW, CA_NEW, "newpk")]),
    ];
    let kinds: Vec<Kind> = judge_with(&facts, &double).iter().map(|f| f.kind).collect();
    assert_eq!(kinds, vec![Kind::CaMismatch, Kind::KeyMismatch]);
}

#[test]
fn key_file_names() {
    assert_eq!(cert_names_for_key("sftunnel-key.pem"), vec!["sftunnel-cert.pem", "sftunnel-crt.pem"]);
    assert_eq!(cert_names_for_key("server.key"), vec!["server.crt", "server.cer", "server.pem", "server-cert.pem"]);
    assert!(cert_names_for_key("-key.pem").is_empty());
    assert!(cert_names_for_key("cacert.pem").is_empty());
}
