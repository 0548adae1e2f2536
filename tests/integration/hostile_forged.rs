//! Hostile inputs, part 4: forged structures. A pcap whose record lengths lie, and a certificate
//! with a 1 MB extension, in a PEM file and inside a capture's Certificate message. Each analysed
//! beside the untouched reference input.

use crate::common;

use std::path::Path;

use common::hostile::*;
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
    let mut p = rcgen::CertificateParams::new(vec!["big.example".to_string()]).unwrap();
    let mut dn = rcgen::DistinguishedName::new();
    dn.push(rcgen::DnType::CommonName, "big");
    p.distinguished_name = dn;
    p.not_before = rcgen::date_time_ymd(2026, 1, 1);
    p.not_after = rcgen::date_time_ymd(2036, 1, 1);
    p.custom_extensions
        .push(rcgen::CustomExtension::from_oid_content(&[1, 3, 6, 1, 4, 1, 99999, 1], vec![0x41; 1 << 20]));
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = p.self_signed(&key).unwrap();
    (cert.pem(), cert.der().to_vec())
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

fn u24(n: usize) -> [u8; 3] {
    let b = (n as u32).to_be_bytes();
    [b[1], b[2], b[3]]
}

fn handshake(kind: u8, body: &[u8]) -> Vec<u8> {
    [&[kind][..], &u24(body.len()), body].concat()
}

/// Handshake bytes in TLS records of at most 16 KiB.
fn records(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in data.chunks(1 << 14) {
        out.extend_from_slice(&[0x16, 3, 3]);
        out.extend_from_slice(&(chunk.len() as u16).to_be_bytes());
        out.extend_from_slice(chunk);
    }
    out
}

/// A pcap of one TCP connection: handshake, `client` bytes, then `server` bytes in segments.
fn tcp_pcap(client: &[u8], server: &[u8]) -> Vec<u8> {
    let (c, s) = ([10, 0, 0, 1], [10, 0, 0, 2]);
    let (cp, sp) = (40_000, 8305);
    let mut frames: Vec<Vec<u8>> = Vec::new();
    let mut frame = |from_client: bool, seq: u32, ack: Option<u32>, syn: bool, payload: &[u8]| {
        let b = etherparse::PacketBuilder::ethernet2([2; 6], [4; 6]);
        let b = if from_client {
            b.ipv4(c, s, 64).tcp(cp, sp, seq, 64_000)
        } else {
            b.ipv4(s, c, 64).tcp(sp, cp, seq, 64_000)
        };
        let b = if syn { b.syn() } else { b };
        let b = match ack {
            Some(a) => b.ack(a),
            None => b,
        };
        let mut out = Vec::new();
        b.write(&mut out, payload).unwrap();
        frames.push(out);
    };
    let (cs, ss) = (1000u32, 5000u32);
    frame(true, cs, None, true, &[]);
    frame(false, ss, Some(cs + 1), true, &[]);
    frame(true, cs + 1, Some(ss + 1), false, &[]);
    frame(true, cs + 1, Some(ss + 1), false, client);
    let mut seq = ss + 1;
    for chunk in server.chunks(16_000) {
        frame(false, seq, Some(cs + 1 + client.len() as u32), false, chunk);
        seq += chunk.len() as u32;
    }
    let mut pcap = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    pcap.extend_from_slice(&262_144u32.to_le_bytes());
    pcap.extend_from_slice(&1u32.to_le_bytes());
    for (i, f) in frames.iter().enumerate() {
        pcap.extend_from_slice(&(1_780_000_000u32 + i as u32).to_le_bytes());
        pcap.extend_from_slice(&0u32.to_le_bytes());
        pcap.extend_from_slice(&(f.len() as u32).to_le_bytes());
        pcap.extend_from_slice(&(f.len() as u32).to_le_bytes());
        pcap.extend_from_slice(f);
    }
    pcap
}

#[test]
fn certificate_with_a_1_mb_extension_in_a_capture() {
    let (_, der) = big_cert();
    let hello = [&[3, 3][..], &[7; 32], &[0, 0, 2, 0xc0, 0x2f, 1, 0, 0, 0]].concat();
    let client = records(&handshake(1, &hello));
    let server_hello = [&[3, 3][..], &[9; 32], &[0, 0xc0, 0x2f, 0, 0, 0]].concat();
    let list = [&u24(der.len())[..], &der].concat();
    let cert_msg = [&u24(list.len())[..], &list].concat();
    let server = records(&[handshake(2, &server_hello), handshake(11, &cert_msg)].concat());
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
        format!("server: Certificate of {} bytes exceeds the limit of 524288 at frame 6; skipped", list.len() + 3);
    assert_eq!(notes, ["cut off by the end of the capture", limit.as_str()]);
    assert_reference_unchanged(&findings_json(&r), "a capture with a 1 MB certificate");
}
