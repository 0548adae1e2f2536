//! Hostile inputs, part 4: forged structures. A pcap whose record lengths lie, and a certificate
//! with a 1 MB extension, in a PEM file and inside a capture's Certificate message. Each analysed
//! beside the untouched reference input.

use crate::common;

use std::path::Path;

use common::hostile::*;
use common::wire::{client_hello, server_flight, Pcap};
use tlstriage::model::Status;

/// Kind, peer and count of the findings as far as the file `path` reports them.
fn own_findings(r: &tlstriage::analyze::Report, path: &Path) -> Vec<String> {
    let p = path.display().to_string();
    let mut out = Vec::new();
    for f in &r.findings {
        let n: u32 = if f.sources.is_empty() {
            if f.evidence.iter().any(|e| e.path == p) {
                f.count
            } else {
                0
            }
        } else {
            f.sources.iter().filter(|s| s.path == p).map(|s| s.count).sum()
        };
        if n > 0 {
            out.push(format!(
                "{} {} {n}",
                f.kind.as_str(),
                f.peer.as_ref().map_or_else(|| "-".to_string(), |p| p.to_string())
            ));
        }
    }
    out.sort();
    out
}

/// One pcap record header.
fn record(caplen: u32, origlen: u32) -> Vec<u8> {
    let mut r = vec![0x5a, 0, 0, 0, 0, 0, 0, 0];
    r.extend_from_slice(&caplen.to_le_bytes());
    r.extend_from_slice(&origlen.to_le_bytes());
    r
}

#[test]
fn pcap_record_lengths_that_lie() {
    let tmp = tempfile::tempdir().unwrap();
    let base = std::fs::read(root().join("samples/captures/sftunnel-expired-ca.pcap")).unwrap();
    let snaplen = u32::from_le_bytes(base[16..20].try_into().unwrap());
    let plain = tmp.path().join("plain.pcap");
    std::fs::write(&plain, &base).unwrap();
    let expected = own_findings(&run_lib(std::slice::from_ref(&plain)), &plain);
    assert_eq!(expected, ["expired-ca 10.48.79.232:8305 1"]);
    let frames = 12; // records in the sample
    let cases: Vec<(&str, Vec<u8>, Status, String)> = vec![
        (
            "caplen-over-snaplen",
            [record(snaplen + 100, snaplen + 100), vec![0; (snaplen + 100) as usize]].concat(),
            Status::Partial,
            format!("frame {}: record length {} is larger than the limit", frames + 1, snaplen + 100),
        ),
        (
            "caplen-over-rest",
            [record(1000, 1000), vec![0; 10]].concat(),
            Status::Partial,
            format!("the file ends inside frame {} (cut off)", frames + 1),
        ),
        (
            "four-gigabytes",
            [record(u32::MAX, u32::MAX), vec![0; 64]].concat(),
            Status::Partial,
            format!("frame {}: record length 4294967295 is larger than the limit", frames + 1),
        ),
    ];
    // Every record of the sample claims an original length of 10 bytes, less than it holds: the
    // captured bytes are what counts, nothing to report.
    let mut short = base.clone();
    let mut at = 24;
    while at + 16 <= short.len() {
        let caplen = u32::from_le_bytes(short[at + 8..at + 12].try_into().unwrap()) as usize;
        short[at + 12..at + 16].copy_from_slice(&10u32.to_le_bytes());
        at += 16 + caplen;
    }
    let path = tmp.path().join("origlen-under-caplen.pcap");
    std::fs::write(&path, &short).unwrap();
    let r = run_lib(&[reference().dir.clone(), path.clone()]);
    let st = status_of(&r.inputs, &path);
    assert_eq!((st.status, st.message.as_deref()), (Status::Ok, None));
    assert_eq!(own_findings(&r, &path), expected);
    assert_reference_unchanged(&findings_json(&r), "origlen under caplen");
    for (name, tail, status, says) in cases {
        let path = tmp.path().join(format!("{name}.pcap"));
        std::fs::write(&path, [base.clone(), tail].concat()).unwrap();
        let r = run_lib(&[reference().dir.clone(), path.clone()]);
        let st = status_of(&r.inputs, &path);
        assert_eq!(st.status, status, "{name}: {st:?}");
        assert!(st.message.as_deref().unwrap_or("").contains(&says), "{name}: {st:?}");
        assert_eq!(own_findings(&r, &path), expected, "{name}");
        assert_reference_unchanged(&findings_json(&r), name);
    }
}

/// A self-signed certificate carrying a private extension of 1 MiB; PEM and DER.
fn big_cert() -> (String, Vec<u8>) {
    let der = crate::common::certs::with_extension("big", 1 << 20);
    (crate::common::certs::pem_of(&der), der)
}

#[test]
fn certificate_with_a_1_mb_extension_in_a_pem_file() {
    let tmp = tempfile::tempdir().unwrap();
    let (pem, der) = big_cert();
    assert!(der.len() > 1 << 20);
    let path = tmp.path().join("big.pem");
    std::fs::write(&path, pem).unwrap();
    let r = run_lib(&[reference().dir.clone(), path.clone()]);
    let st = status_of(&r.inputs, &path);
    assert_eq!((st.status, st.message.as_deref()), (Status::Ok, None));
    let subjects: Vec<&str> = r
        .certificates
        .iter()
        .filter(|c| c.seen.iter().any(|e| e.path == path.display().to_string()))
        .map(|c| c.cert.subject.as_str())
        .collect();
    assert_eq!(subjects, ["/CN=big"]);
    assert_reference_unchanged(&findings_json(&r), "a certificate with a 1 MB extension");
}

/// A pcap of one TCP connection: handshake, `client` bytes, then `server` bytes in segments.
fn tcp_pcap(client: &[u8], server: &[u8]) -> Vec<u8> {
    let (c, s) = (([10, 0, 0, 1].into(), 40_000), ([10, 0, 0, 2].into(), 8305));
    let mut pcap = Pcap::new(1_780_000_000);
    pcap.connection(c, s, client, server, 16_000);
    pcap.bytes
}

#[test]
fn certificate_with_a_1_mb_extension_in_a_capture() {
    let (_, der) = big_cert();
    let client = client_hello();
    let server = server_flight(std::slice::from_ref(&der));
    let list_len = der.len() + 3;
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("big-cert.pcap");
    std::fs::write(&path, tcp_pcap(&client, &server)).unwrap();
    let r = run_lib(&[reference().dir.clone(), path.clone()]);
    let st = status_of(&r.inputs, &path);
    // The capture itself reads fine; the handshake says what was left out.
    assert_eq!((st.status, st.message.as_deref()), (Status::Ok, None));
    let hs: Vec<serde_json::Value> = r
        .handshakes
        .iter()
        .filter(|h| h.server.to_string() == "10.0.0.2:8305")
        .map(|h| serde_json::to_value(h).unwrap())
        .collect();
    assert_eq!(hs.len(), 1);
    assert_eq!(hs[0]["version"], "TLS 1.2");
    assert_eq!(hs[0]["cipher_suite"], "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    assert_eq!(hs[0]["outcome"], "incomplete");
    let notes: Vec<&str> = hs[0]["notes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
    let limit =
        format!("server: Certificate of {} bytes exceeds the limit of 524288 at frame 6; skipped", list_len + 3);
    assert_eq!(notes, ["cut off by the end of the capture", limit.as_str()]);
    assert_reference_unchanged(&findings_json(&r), "a capture with a 1 MB certificate");
}
