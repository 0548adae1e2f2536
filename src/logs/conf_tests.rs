//! Tests of the configuration parsers.

use super::*;
use crate::model::{DeviceRole, Format, Parsed};

const SFTUNNEL_CONF: &str = "\
# sftunnel configuration
global {
    log_level 3;
};
proxyssl {
    proxy_cert /etc/sf/keys/sftunnel-cert.pem;   # this device
    proxy_key /etc/sf/keys/sftunnel-key.pem;
    proxy_cacert /etc/sf/ca_root/cacert.pem;
    proxy_crl /etc/sf/ca_root/crl.pem;
    proxy_cipher 1;
    proxy_tls_version TLSv1.2;
};
peers {
    proxy_cert /other/cert.pem;
};
";

#[test]
fn sftunnel_conf_proxyssl_block() {
    let conf = parse_sftunnel_conf(SFTUNNEL_CONF).unwrap();
    assert_eq!(
        conf,
        TunnelConf {
            cert: Some("/etc/sf/keys/sftunnel-cert.pem".into()),
            key: Some("/etc/sf/keys/sftunnel-key.pem".into()),
            cacert: Some("/etc/sf/ca_root/cacert.pem".into()),
            crl: Some("/etc/sf/ca_root/crl.pem".into()),
            tls_version: Some("TLSv1.2".into()),
        }
    );
}

#[test]
fn sftunnel_conf_without_block_or_with_commented_block() {
    assert_eq!(parse_sftunnel_conf("global { a 1; };"), None);
    assert_eq!(parse_sftunnel_conf("# proxyssl { proxy_cert /x; };\n"), None);
    assert_eq!(parse_sftunnel_conf("noproxyssl { proxy_cert /x; };"), None);
    // An unterminated block still gives what it holds.
    let c = parse_sftunnel_conf("proxyssl {\n proxy_cacert /a/ca.pem;\n").unwrap();
    assert_eq!(c.cacert.as_deref(), Some("/a/ca.pem"));
    assert_eq!(c.cert, None);
}

#[test]
fn ims_conf_of_an_fmc() {
    let text = "APPLIANCE_UUID=cdb123c8-4347-11ef-aca1-f3aa241412a1\nSWVERSION=7.2.5\nSWBUILD=208\n\
MODEL_CLASS=\"Defense Center\"\nMODELNUMBER=66\nMODEL=\"Cisco Secure Firewall Management Center for VMware\"\n\
MODEL_TYPE=CONSOLE\n";
    assert_eq!(
        parse_ims_conf(text).unwrap(),
        DeviceInfo {
            role: DeviceRole::Fmc,
            uuid: Uuid::parse("cdb123c8-4347-11ef-aca1-f3aa241412a1"),
            hostname: None,
            version: Some("7.2.5".into()),
            model: Some("Cisco Secure Firewall Management Center for VMware".into()),
            disputed: Vec::new(),
        }
    );
}

#[test]
fn ims_conf_roles() {
    let ftd = parse_ims_conf("APPLIANCE_UUID=c8d5d5c6-87c9-11ef-a993-b9831565bc4e\nMODEL_TYPE=SENSOR\n").unwrap();
    assert_eq!(ftd.role, DeviceRole::Ftd);
    let by_model = parse_ims_conf("SWVERSION=7.4.1\nMODEL=\"Cisco Firepower Threat Defense for VMware\"\n").unwrap();
    assert_eq!(by_model.role, DeviceRole::Ftd);
    let old = parse_ims_conf("MODEL=\"Cisco Firepower Management Center 2600\"\n").unwrap();
    assert_eq!(old.role, DeviceRole::Fmc);
    let unknown = parse_ims_conf("SWVERSION=7.0.1\n").unwrap();
    assert_eq!(unknown.role, DeviceRole::Unknown);
    assert_eq!(parse_ims_conf("FOO=1\n# comment\n"), None);
}

#[test]
fn peer_json_tolerant_keys() {
    let text = r#"{"peer": {"UUID": "c8d5d5c6-87c9-11ef-a993-b9831565bc4e", "Name": "BSNS-1120-1",
        "ip_address": "10.48.67.54", "peer_type": "SENSOR", "secret": "x"}}"#;
    let p = parse_peer_json(text, "b.tgz!/var/sf/peers/c8d5d5c6-87c9-11ef-a993-b9831565bc4e/sftunnel.json").unwrap();
    assert_eq!(
        p,
        PeerInfo {
            uuid: Uuid::parse("c8d5d5c6-87c9-11ef-a993-b9831565bc4e"),
            name: Some("BSNS-1120-1".into()),
            ip: Some("10.48.67.54".into()),
            role: Some("SENSOR".into()),
        }
    );
}

#[test]
fn peer_json_uuid_from_folder_and_bad_json() {
    let p =
        parse_peer_json(r#"{"ip": "10.0.0.1"}"#, "/var/sf/peers/6bf1143a-8a2e-11ef-92d8-fd927e807d77/sftunnel.json")
            .unwrap();
    assert_eq!(p.uuid, Uuid::parse("6bf1143a-8a2e-11ef-92d8-fd927e807d77"));
    assert_eq!(p.ip.as_deref(), Some("10.0.0.1"));
    assert_eq!(parse_peer_json("{not json", "/x/sftunnel.json"), None);
    assert_eq!(parse_peer_json(r#"{"other": 1}"#, "/x/sftunnel.json"), None);
}

#[test]
fn parse_gives_fact_with_evidence_path() {
    let ctx = IngestContext::new(jiff::Timestamp::UNIX_EPOCH, std::sync::Arc::new(crate::x509::CertCache::default()));
    let mut src = Source {
        path: "b.tar.gz!/etc/sf/sftunnel.conf".into(),
        data: crate::model::Data::Bytes(SFTUNNEL_CONF.as_bytes()),
        mtime: None,
        depth: 1,
    };
    let out = Parsed::read_with(&mut src, Format::SftunnelConf, |src, sink| parse_sftunnel(src, &ctx, sink));
    assert_eq!(out.inputs.len(), 1);
    assert_eq!(out.inputs[0].status, Status::Ok);
    match &out.facts[..] {
        [Fact::TunnelConf { evidence, conf }] => {
            assert_eq!(evidence.path, "b.tar.gz!/etc/sf/sftunnel.conf");
            assert_eq!(conf.tls_version.as_deref(), Some("TLSv1.2"));
        }
        other => panic!("unexpected facts {other:?}"),
    }
    let mut empty =
        Source { path: "x/ims.conf".into(), data: crate::model::Data::Bytes(b"A=1"), mtime: None, depth: 0 };
    let out = Parsed::read_with(&mut empty, Format::ImsConf, |src, sink| parse_ims(src, &ctx, sink));
    assert_eq!(out.inputs[0].status, Status::Partial);
    assert!(out.facts.is_empty());
}

#[test]
fn a_key_given_twice_with_different_values_is_disputed_and_not_used() {
    let text = "APPLIANCE_UUID=3b9c1e52-8a41-11e4-9c2f-5254001a7c33\nHOSTNAME=fmc-hq-01\nSWVERSION=7.4.1\n\
MODEL_TYPE=CONSOLE\nHOSTNAME=fmc-hq-01\nAPPLIANCE_UUID=99999999-2222-3333-4444-555555555555\n";
    let d = parse_ims_conf(text).unwrap();
    assert_eq!(d.uuid, None);
    assert_eq!(d.hostname.as_deref(), Some("fmc-hq-01"), "the same value twice is no dispute");
    assert_eq!(d.version.as_deref(), Some("7.4.1"));
    assert_eq!(
        d.disputed,
        [Disputed {
            key: "APPLIANCE_UUID".into(),
            values: vec![
                ("3b9c1e52-8a41-11e4-9c2f-5254001a7c33".into(), 1),
                ("99999999-2222-3333-4444-555555555555".into(), 6)
            ],
        }]
    );
}
