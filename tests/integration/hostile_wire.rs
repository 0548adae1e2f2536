//! Hostile inputs, part 7: captures an on-path party shapes. The server's flight sent as IPv4 or
//! IPv6 fragments must give its certificate; a decoy copy of the flight that the client never
//! read (a wrong TCP checksum, or a TTL of 1 where the server's SYN-ACK had 64) must not replace
//! the real leaf; a decoy the capture cannot tell from the real one (checksum and TTL right) must
//! be noted on the handshake and make the input partial; overlapping IP fragments are discarded as
//! a receiver discards them, and said.
//!
//! The captures are written under `CARGO_TARGET_TMPDIR/wire/` and kept, so that
//! `scripts/check-against-tshark.py` can be run on them by hand.

use std::path::{Path, PathBuf};

use tlstriage::analyze::Report;
use tlstriage::model::Status;

use crate::common::hostile::{run_lib, status_of};
use crate::common::wire::{
    bad_checksum, client_hello, fragments, ipv4_header_sum, server_flight, tcp_frame, tcp_frame_ttl, End, Pcap,
};

fn wire_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("wire");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A self-signed certificate for `cn`, valid through the years given.
fn cert(cn: &str, from: i32, to: i32) -> Vec<u8> {
    let mut p = rcgen::CertificateParams::new(vec![cn.to_string()]).unwrap();
    let mut dn = rcgen::DistinguishedName::new();
    dn.push(rcgen::DnType::CommonName, cn);
    p.distinguished_name = dn;
    p.not_before = rcgen::date_time_ymd(from, 1, 1);
    p.not_after = rcgen::date_time_ymd(to, 1, 1);
    p.self_signed(&rcgen::KeyPair::generate().unwrap()).unwrap().der().to_vec()
}

/// How the server's flight travels.
#[derive(Clone, Copy, PartialEq)]
enum Flight {
    /// In IP fragments of 64 bytes.
    Fragmented,
    /// In IP fragments, one of them repeated with other bytes at an overlapping offset.
    Overlapping,
    /// After a decoy copy with another certificate whose TCP checksums are wrong.
    DecoyBadChecksum,
    /// After a decoy copy with another certificate sent with TTL 1.
    DecoyTtl1,
    /// After a decoy copy with another certificate, its checksums and TTL right.
    DecoyLikeReal,
}

/// One handshake to port 8305: the real server sends an expired certificate (`CN=real`).
fn capture(path: &Path, v6: bool, flight: Flight) {
    let (c, s): (End, End) = if v6 {
        (("fd00::1".parse().unwrap(), 40_000), ("fd00::2".parse().unwrap(), 8305))
    } else {
        (([10, 0, 0, 1].into(), 40_000), ([10, 0, 0, 2].into(), 8305))
    };
    let (cs, ss) = (1000u32, 5000u32);
    let hello = client_hello();
    let ack = Some(cs + 1 + hello.len() as u32);
    let mut pcap = Pcap::new(1_780_000_000);
    pcap.push(&tcp_frame(c, s, cs, None, true, &[]));
    pcap.push(&tcp_frame(s, c, ss, Some(cs + 1), true, &[]));
    pcap.push(&tcp_frame(c, s, cs + 1, Some(ss + 1), false, &[]));
    pcap.push(&tcp_frame(c, s, cs + 1, Some(ss + 1), false, &hello));
    let decoyed = matches!(flight, Flight::DecoyBadChecksum | Flight::DecoyTtl1 | Flight::DecoyLikeReal);
    if decoyed {
        let decoy = server_flight(&[cert("decoy", 2026, 2036)]);
        let mut seq = ss + 1;
        for chunk in decoy.chunks(1448) {
            let frame = match flight {
                Flight::DecoyTtl1 => tcp_frame_ttl(s, c, seq, ack, false, chunk, 1),
                Flight::DecoyBadChecksum => bad_checksum(tcp_frame(s, c, seq, ack, false, chunk)),
                _ => tcp_frame(s, c, seq, ack, false, chunk),
            };
            pcap.push(&frame);
            seq += chunk.len() as u32;
        }
    }
    let real = server_flight(&[cert("real", 2020, 2021)]);
    let mut seq = ss + 1;
    for (i, chunk) in real.chunks(4000).enumerate() {
        let frame = tcp_frame(s, c, seq, ack, false, chunk);
        seq += chunk.len() as u32;
        if decoyed {
            pcap.push(&frame);
            continue;
        }
        let mut pieces = fragments(&frame, 64, 77 + i as u32);
        if flight == Flight::Overlapping && i == 0 {
            // The second fragment again, 8 bytes earlier and with other bytes.
            let mut twin = fragments(&tcp_frame(s, c, seq, ack, false, &[0xee; 4000]), 64, 77)[1].clone();
            let at = if v6 { 56 } else { 20 };
            let field = u16::from_be_bytes([twin[at], twin[at + 1]]) - if v6 { 8 } else { 1 };
            twin[at..at + 2].copy_from_slice(&field.to_be_bytes());
            if !v6 {
                twin[24..26].copy_from_slice(&[0, 0]);
                let sum = ipv4_header_sum(&twin[14..34]);
                twin[24..26].copy_from_slice(&sum.to_be_bytes());
            }
            pieces.insert(2, twin);
        }
        // Fragments of one datagram arrive in reverse order, as some stacks send them.
        for f in pieces.iter().rev() {
            pcap.push(f);
        }
    }
    std::fs::write(path, pcap.bytes).unwrap();
}

/// The server's certificates (subject, valid at the handshake) and the notes of the one
/// handshake of `report`.
fn seen(report: &Report) -> (Vec<(String, bool)>, Vec<String>) {
    assert_eq!(report.handshakes.len(), 1, "{:#?}", report.handshakes);
    let h = &report.handshakes[0];
    (h.certificates.iter().map(|c| (c.subject.clone(), c.valid_at_handshake)).collect(), h.notes.clone())
}

fn run(name: &str, v6: bool, flight: Flight) -> (Report, PathBuf) {
    let path = wire_dir().join(name);
    capture(&path, v6, flight);
    (run_lib(std::slice::from_ref(&path)), path)
}

#[test]
fn a_flight_in_ip_fragments_gives_its_certificate() {
    for (name, v6) in [("fragments-v4.pcap", false), ("fragments-v6.pcap", true)] {
        let (r, path) = run(name, v6, Flight::Fragmented);
        let (certs, notes) = seen(&r);
        assert_eq!(certs, [("/CN=real".to_string(), false)], "{name}");
        assert!(notes.iter().all(|n| !n.contains("gap")), "{name}: {notes:?}");
        let st = status_of(&r.inputs, &path);
        assert_eq!((st.status, st.message.as_deref()), (Status::Ok, None), "{name}");
        assert!(r.findings.iter().any(|f| f.kind.as_str() == "expired-cert"), "{name}");
    }
}

#[test]
fn overlapping_ip_fragments_discard_the_datagram_and_say_so() {
    for (name, v6) in [("overlap-v4.pcap", false), ("overlap-v6.pcap", true)] {
        let (r, path) = run(name, v6, Flight::Overlapping);
        let st = status_of(&r.inputs, &path);
        assert_eq!(st.status, Status::Partial, "{name}: {st:?}");
        let msg = st.message.as_deref().unwrap();
        assert!(msg.contains("1 IP datagram with overlapping fragments discarded (as a receiver does)"), "{msg}");
        // The certificate was in the discarded datagram: none is shown rather than a guess.
        assert!(seen(&r).0.is_empty(), "{name}");
    }
}

#[test]
fn a_decoy_flight_with_wrong_checksums_does_not_replace_the_leaf() {
    let (r, path) = run("decoy-checksum.pcap", false, Flight::DecoyBadChecksum);
    let (certs, notes) = seen(&r);
    assert_eq!(certs, [("/CN=real".to_string(), false)]);
    assert!(
        notes.iter().any(|n| n.ends_with("with a wrong TCP checksum ignored, as the receiver drops them")),
        "{notes:?}"
    );
    let st = status_of(&r.inputs, &path);
    assert_eq!((st.status, st.message.as_deref()), (Status::Ok, None));
}

#[test]
fn a_decoy_flight_with_ttl_1_does_not_replace_the_leaf_and_makes_the_input_partial() {
    for (name, v6) in [("decoy-ttl1-v4.pcap", false), ("decoy-ttl1-v6.pcap", true)] {
        let (r, path) = run(name, v6, Flight::DecoyTtl1);
        let (certs, notes) = seen(&r);
        assert_eq!(certs, [("/CN=real".to_string(), false)], "{name}");
        assert!(r.findings.iter().any(|f| f.kind.as_str() == "expired-cert"), "{name}");
        assert!(
            notes
                .iter()
                .any(|n| n.starts_with("1 TCP segment with a TTL of 1 ignored (the sender's SYN came with more)")),
            "{name}: {notes:?}"
        );
        let st = status_of(&r.inputs, &path);
        assert_eq!(st.status, Status::Partial, "{name}: {st:?}");
        assert_eq!(
            st.message.as_deref(),
            Some("1 connection with TCP segments of TTL 1 ignored (a receiver on the capture's link would have read them)"),
            "{name}"
        );
    }
}

#[test]
fn a_decoy_flight_the_capture_cannot_rule_out_is_noted_and_makes_the_input_partial() {
    let (r, path) = run("decoy-like-real.pcap", false, Flight::DecoyLikeReal);
    let (_, notes) = seen(&r);
    assert!(
        notes.iter().any(|n| n.contains("sent again with other bytes: which copy the receiver read is not certain")),
        "{notes:?}"
    );
    let st = status_of(&r.inputs, &path);
    assert_eq!(st.status, Status::Partial, "{st:?}");
    assert_eq!(
        st.message.as_deref(),
        Some("1 connection with TCP data sent twice with other bytes (which copy was read is not certain)")
    );
}
