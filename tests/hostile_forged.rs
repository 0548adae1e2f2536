//! Hostile inputs, part 4: forged structures. A pcap whose record lengths lie, and a certificate
//! with a 1 MB extension, in a PEM file and inside a capture's Certificate message. Each analysed
//! beside the untouched reference input.

mod common;

use std::path::Path;

use common::hostile::*;
use tlstriage::input::Status;

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
            out.push(format!("{} {} {n}", f.kind.as_str(), f.peer.as_deref().unwrap_or("-")));
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
    let expected = own_findings(&run_lib(&[plain.clone()]), &plain);
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
    let r = run_lib(&[path.clone(), reference().dir.clone()]);
    let st = status_of(&r.inputs, &path);
    assert_eq!((st.status, st.message.as_deref()), (Status::Ok, None));
    assert_eq!(own_findings(&r, &path), expected);
    assert_reference_unchanged(&findings_json(&r), "origlen under caplen");
    for (name, tail, status, says) in cases {
        let path = tmp.path().join(format!("{name}.pcap"));
        std::fs::write(&path, [base.clone(), tail].concat()).unwrap();
        let r = run_lib(&[path.clone(), reference().dir.clone()]);
        let st = status_of(&r.inputs, &path);
        assert_eq!(st.status, status, "{name}: {st:?}");
        assert!(st.message.as_deref().unwrap_or("").contains(&says), "{name}: {st:?}");
        assert_eq!(own_findings(&r, &path), expected, "{name}");
        assert_reference_unchanged(&findings_json(&r), name);
    }
}
