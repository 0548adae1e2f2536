//! Hostile inputs, part 2: seeded random bytes under every name tlstriage recognises, and real
//! magic numbers (pcap, pcapng, gzip, tar, PEM armour) followed by garbage; each analysed beside
//! the untouched reference input.

use crate::common;

use common::hostile::*;
use tlstriage::model::Status;

/// Every file name or extension the discovery or the sniffer gives a meaning to.
const NAMES: &[&str] = &[
    "x.pcap",
    "x.pcapng",
    "x.cap",
    "x.pem",
    "x.crt",
    "x.cer",
    "x.der",
    "x.key",
    "x.gz",
    "x.tgz",
    "x.tar",
    "x.tar.gz",
    "messages",
    "messages.1.gz",
    "tls_proxy.log",
    "FAILED_PUSH",
    "sftunnel.conf",
    "ims.conf",
    "sftunnel.json",
];

/// Random bytes that start with no magic number are not read: skipped with the reason.
#[test]
fn random_bytes_under_every_name() {
    let tmp = tempfile::tempdir().unwrap();
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    for (i, name) in NAMES.iter().enumerate() {
        for size in [1usize, 700, 70_000] {
            let dir = tmp.path().join(format!("{i}-{size}"));
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join(name);
            let mut data = rng.bytes(size);
            // Keep clear of the magic numbers here; they have their own test below.
            if matches!(data.first(), Some(0x1f | 0x0a | 0xa1 | 0xd4 | 0x4d | 0x30 | b'-')) {
                data[0] = 0xff;
            }
            std::fs::write(&path, &data).unwrap();
            let r = run_lib(&[reference().dir.clone(), path.clone()]);
            let st = status_of(&r.inputs, &path);
            assert_eq!(
                (st.status, st.message.as_deref()),
                (Status::Skipped, Some("not a format tlstriage reads")),
                "{name} ({size} bytes)"
            );
            assert_reference_unchanged(&findings_json(&r), name);
        }
    }
}

/// A classic pcap file header (little-endian, Ethernet, snaplen 65535).
fn pcap_header() -> Vec<u8> {
    let mut h = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0];
    h.extend_from_slice(&[0; 8]);
    h.extend_from_slice(&65535u32.to_le_bytes());
    h.extend_from_slice(&1u32.to_le_bytes());
    h
}

/// A pcapng section header block (28 bytes).
fn pcapng_header() -> Vec<u8> {
    let mut h = vec![0x0a, 0x0d, 0x0d, 0x0a];
    h.extend_from_slice(&28u32.to_le_bytes());
    h.extend_from_slice(&0x1a2b_3c4du32.to_le_bytes());
    h.extend_from_slice(&[1, 0, 0, 0]);
    h.extend_from_slice(&u64::MAX.to_le_bytes());
    h.extend_from_slice(&28u32.to_le_bytes());
    h
}

/// A tar header for a regular file `name` of `size` bytes.
fn tar_header(size: u64) -> Vec<u8> {
    let mut h = tar::Header::new_ustar();
    h.set_path("dir/messages").unwrap();
    h.set_size(size);
    h.set_mode(0o644);
    h.set_cksum();
    h.as_bytes().to_vec()
}

/// Magic number plus garbage: read as far as it goes, then a clear error or partial status.
#[test]
fn magic_numbers_followed_by_garbage() {
    let tmp = tempfile::tempdir().unwrap();
    let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
    let gzip = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
    let pem = b"-----BEGIN CERTIFICATE-----\n".to_vec();
    // (name, head, status, what the message says after 100 and after 70,000 garbage bytes)
    let cases: Vec<(&str, Vec<u8>, Status, [&str; 2])> = vec![
        (
            "a.pcap",
            pcap_header(),
            Status::Error,
            [
                "frame 1: record length 486124512 is larger than the limit",
                "frame 1: record length 2943891916 is larger",
            ],
        ),
        ("b.pcapng", pcapng_header(), Status::Partial, ["the file ends inside block 2 (before frame 1; cut off)"; 2]),
        ("c.gz", gzip, Status::Error, ["gzip stream broken after 0 bytes: corrupt deflate stream"; 2]),
        (
            "d.tar",
            tar_header(70_000),
            Status::Partial,
            ["d.tar!/dir/messages: entry cut short after 100 of 70000 bytes", "tar broken after 1 entries"],
        ),
        ("e.pem", pem, Status::Error, ["line 1: CERTIFICATE block: no END line"; 2]),
    ];
    for (name, head, status, says) in cases {
        for (size, says) in [100usize, 70_000].into_iter().zip(says) {
            let path = tmp.path().join(format!("{size}-{name}"));
            let mut data = head.clone();
            data.extend(rng.bytes(size));
            std::fs::write(&path, &data).unwrap();
            let r = run_lib(&[reference().dir.clone(), path.clone()]);
            let st = status_of(&r.inputs, &path);
            let msg = st.message.as_deref().unwrap_or("");
            assert_eq!(st.status, status, "{name} ({size} bytes): {st:?}");
            assert!(msg.contains(says), "{name} ({size} bytes): {st:?}");
            assert_reference_unchanged(&findings_json(&r), name);
        }
    }
}
