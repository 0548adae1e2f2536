//! The sample captures (real rustls handshakes, see samples/captures/README.md): each yields
//! exactly its expected finding kinds, and the healthy ones nothing of severity error or above.

use crate::common;

use common::analyze_json;

fn kinds(file: &str) -> (Vec<String>, serde_json::Value) {
    let path = format!("samples/captures/{file}");
    let (_, v) = analyze_json(&[&path], &[]);
    let input = &v["inputs"][0];
    assert_eq!(input["status"], "ok", "{file}: {input}");
    let mut k: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| matches!(f["severity"].as_str(), Some("error" | "critical")))
        .map(|f| f["kind"].as_str().unwrap().to_string())
        .collect();
    k.sort();
    (k, v)
}

#[test]
fn failing_captures_give_their_finding() {
    for (file, expected) in [
        ("sftunnel-expired-ca.pcap", "expired-ca"),
        ("self-signed.pcap", "self-signed"),
        ("unknown-ca.pcap", "unknown-ca"),
        // Alone, a handshake_failure before the ServerHello names no parameter: a refused offer
        // (with the server's choices elsewhere it is a cipher mismatch, see below).
        ("cipher-mismatch.pcap", "handshake-failed"),
        ("protocol-mismatch.pcap", "protocol-mismatch"),
        ("expired-client-cert.pcap", "expired-cert"),
        ("refused.pcap", "connection-refused"),
        ("sslv2-hello.pcap", "handshake-failed"),
    ] {
        let (k, _) = kinds(file);
        assert_eq!(k, [expected], "{file}");
    }
}

#[test]
fn healthy_captures_give_nothing_of_severity_error() {
    for file in ["sftunnel-ok.pcap", "tls13.pcap", "reordered.pcap", "fragmented.pcap", "sll2.pcapng", "ipv6.pcap"] {
        let (k, v) = kinds(file);
        assert!(k.is_empty(), "{file}: {k:?}");
        let hs = v["handshakes"].as_array().unwrap();
        assert_eq!(hs.len(), 1, "{file}");
        assert_eq!(hs[0]["outcome"], "established", "{file}: {}", hs[0]);
    }
}

#[test]
fn sftunnel_handshake_details() {
    let (_, v) = kinds("sftunnel-ok.pcap");
    let h = &v["handshakes"][0];
    assert_eq!(h["client"], "10.48.79.23:41822");
    assert_eq!(h["server"], "10.48.79.232:8305");
    assert_eq!(h["version"], "TLS 1.2");
    assert_eq!(h["cipher_suite"], "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
    assert_eq!(h["client_auth_requested"], true);
    let chain: Vec<(&str, u64, bool)> = h["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (c["from"].as_str().unwrap(), c["depth"].as_u64().unwrap(), c["valid_at_handshake"].as_bool().unwrap())
        })
        .collect();
    assert_eq!(chain, [("server", 0, true), ("server", 1, true), ("client", 0, true), ("client", 1, true)]);
}

#[test]
fn expired_internal_ca_from_the_wire() {
    let (_, v) = kinds("sftunnel-expired-ca.pcap");
    let f = v["findings"].as_array().unwrap().iter().find(|f| f["kind"] == "expired-ca").unwrap().clone();
    assert_eq!(f["depth"], 1);
    assert_eq!(f["peer"], "10.48.79.232:8305");
    assert_eq!(f["certificate"]["not_after"], "2024-05-06T00:00:00Z");
    assert_eq!(f["remediation"]["id"], "sftunnel-expired");
    assert!(f["evidence"][0]["frame"].as_u64().is_some());
    let h = &v["handshakes"][0];
    assert_eq!(h["outcome"], "failed");
    assert_eq!(h["alerts"][0]["from"], "client");
    assert_eq!(h["alerts"][0]["description"], "certificate_expired");
}

#[test]
fn tls13_is_recognised_and_its_encrypted_certificates_said_so() {
    let (_, v) = kinds("tls13.pcap");
    let h = &v["handshakes"][0];
    assert_eq!(h["version"], "TLS 1.3");
    assert_eq!(h["sni"], "fmc.lab.example");
    assert!(h["notes"].to_string().contains("encrypted"), "{h}");
}

#[test]
fn cipher_mismatch_shows_offered_suites_and_what_the_server_accepts_elsewhere() {
    let (_, v) = analyze_json(&["samples/captures/cipher-mismatch.pcap", "samples/captures/sftunnel-ok.pcap"], &[]);
    let f = v["findings"].as_array().unwrap().iter().find(|f| f["kind"] == "cipher-mismatch").unwrap();
    assert_eq!(f["facts"]["offered_suites"], "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    assert_eq!(f["facts"]["server_suites"], "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
}

#[test]
fn a_trust_anchor_given_with_ca_changes_the_verdict() {
    // Take the self-signed server certificate out of the capture and trust it with --ca.
    let data = std::fs::read("samples/captures/self-signed.pcap").unwrap();
    let ctx = tlstriage::model::IngestContext::new(
        jiff::Timestamp::now(),
        std::sync::Arc::new(tlstriage::x509::CertCache::default()),
    );
    let mut src = tlstriage::model::Source {
        path: "self-signed.pcap".into(),
        data: tlstriage::model::Data::Bytes(&data),
        mtime: None,
        depth: 0,
    };
    let mut parsed = tlstriage::model::Parsed::default();
    tlstriage::capture::parse(&mut src, &ctx, &mut parsed);
    let dir = tempfile::tempdir().unwrap();
    let anchor = dir.path().join("server.der");
    std::fs::write(&anchor, &*parsed.certificates[0].cert.der).unwrap();
    let (_, v) = analyze_json(&["samples/captures/self-signed.pcap"], &["--ca", anchor.to_str().unwrap()]);
    let kinds: Vec<&str> = v["findings"].as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap()).collect();
    // Trusted now, so not "self-signed": what remains is that the client said unknown_ca about
    // a chain that reaches the anchor, so its own trust store lacks it.
    assert_eq!(kinds, ["unknown-ca"]);
    let f = &v["findings"][0];
    assert_eq!(f["title"], "The peer does not trust the anchor --ca gives");
    assert!(f["detail"].as_str().unwrap().contains("its own trust store lacks that root"), "{f}");
}

#[test]
fn an_sslv2_format_client_hello_is_counted_with_its_offer() {
    let (_, v) = kinds("sslv2-hello.pcap");
    let hs = v["handshakes"].as_array().unwrap();
    assert_eq!(hs.len(), 1);
    assert_eq!(
        hs[0]["offered_suites"],
        serde_json::json!(["TLS_RSA_WITH_RC4_128_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA"])
    );
    assert_eq!(hs[0]["offered_versions"], serde_json::json!(["TLS 1.0"]));
    assert_eq!(
        hs[0]["notes"],
        serde_json::json!([
            "client: SSL 2.0-format ClientHello at frame 4 offering up to TLS 1.0 with 2 TLS suite(s), and 1 SSL 2.0-only cipher kind(s)"
        ])
    );
    let f = &v["findings"][0];
    assert_eq!((f["kind"].as_str(), f["peer"].as_str()), (Some("handshake-failed"), Some("10.48.79.232:443")));
    let detail = f["detail"].as_str().unwrap();
    assert!(detail.contains("cipher suites TLS_RSA_WITH_RC4_128_SHA, TLS_RSA_WITH_3DES_EDE_CBC_SHA"), "{detail}");
}
