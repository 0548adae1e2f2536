//! The parallel reader gives the same analysis as the sequential one; the fast packet path
//! agrees with etherparse; a connection past its handshake keeps no buffers.

use super::build::{frame, pcap, Link};
use super::*;
use crate::capture::link::{decode, decode_lax};
use crate::capture::reader::read_frames;

/// The records (timestamp, frame) of a classic little-endian Ethernet pcap file.
fn records(data: &[u8]) -> Vec<(u32, u32, Vec<u8>)> {
    let mut out = Vec::new();
    read_frames(data, |f| {
        let (secs, usecs) = match f.stamp {
            reader::Stamp::Split { secs, frac, .. } => (secs as u32, frac as u32),
            _ => (0, 0),
        };
        out.push((secs, usecs, f.data.to_vec()));
    });
    out
}

/// Every classic Ethernet sample capture (real rustls handshakes), their frames interleaved
/// round robin into one file, plus a few frames that are not TCP.
fn interleaved() -> Vec<u8> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/captures");
    let mut files: Vec<Vec<(u32, u32, Vec<u8>)>> = Vec::new();
    for name in ["cipher-mismatch", "expired-client-cert", "ipv6", "protocol-mismatch", "refused", "reordered"]
        .iter()
        .chain(&["self-signed", "sftunnel-expired-ca", "sftunnel-ok", "tls13", "unknown-ca", "fragmented"])
    {
        let data = std::fs::read(dir.join(format!("{name}.pcap"))).expect("sample capture");
        files.push(records(&data));
    }
    let mut all = Vec::new();
    let longest = files.iter().map(Vec::len).max().unwrap_or(0);
    for i in 0..longest {
        for f in &files {
            if let Some(r) = f.get(i) {
                all.push(r.clone());
            }
        }
        if i % 7 == 0 {
            all.push((1_700_000_000, i as u32, vec![0xff; 40])); // not a decodable packet
        }
    }
    pcap(false, false, 1, &all)
}

#[test]
fn workers_give_the_same_analysis() {
    let data = interleaved();
    let one = format!("{:?}", analyse_with(&data, false, 1));
    assert!(one.contains("Tls"), "the merged capture carries TLS connections");
    for n in [2, 3, 5, 16] {
        assert_eq!(format!("{:?}", analyse_with(&data, false, n)), one, "{n} workers");
    }
    let a = analyse_with(&data, false, 4);
    let firsts: Vec<u64> = a.conns.iter().map(|c| c.conn.first.frame).collect();
    let mut sorted = firsts.clone();
    sorted.sort_unstable();
    assert_eq!(firsts, sorted);
    assert_eq!(a.conns.len(), analyse(&data, false).conns.len());
}

#[test]
fn a_capture_read_in_blocks_from_a_stream_is_the_capture_read_whole() {
    use crate::capture::parallel::{follow, Follow};
    use crate::model::Data;
    let mut pcapng =
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/captures/sll2.pcapng"))
            .expect("sample");
    for data in [interleaved(), std::mem::take(&mut pcapng)] {
        let whole = format!("{:?}", analyse_with(&data, false, 1));
        for block in [64, 100, 1000, 4096] {
            for workers in [1, 3] {
                let mut s = crate::model::Trickle::new(&data, 7);
                let how = Follow { workers: Some(workers), block, ..Follow::new(crate::capture::flows::MAX_CONNS) };
                let f = follow(&mut Data::Stream(&mut s), how, &|fin| fin);
                let got = format!("{:?}", crate::capture::Analysis::from(f));
                assert_eq!(got, whole, "blocks of {block} bytes, {workers} workers");
            }
        }
        // Cut anywhere, a stream ends where the bytes in memory end.
        for cut in [30, data.len() / 3, data.len() - 1] {
            let whole = format!("{:?}", analyse_with(&data[..cut], false, 1));
            let mut s = crate::model::Trickle::new(&data[..cut], 5);
            let how = Follow { workers: Some(2), block: 256, ..Follow::new(crate::capture::flows::MAX_CONNS) };
            let f = follow(&mut Data::Stream(&mut s), how, &|fin| fin);
            assert_eq!(format!("{:?}", crate::capture::Analysis::from(f)), whole, "cut at {cut}");
        }
    }
}

#[test]
fn fast_path_agrees_with_etherparse() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/captures");
    let mut fast = 0;
    for entry in std::fs::read_dir(dir).expect("samples") {
        let path = entry.expect("entry").path();
        if !path.extension().is_some_and(|x| x == "pcap" || x == "pcapng") {
            continue;
        }
        let data = std::fs::read(&path).expect("read");
        read_frames(&data, |f| {
            let lax = decode_lax(f.linktype, f.data);
            assert_eq!(decode(f.linktype, f.data), lax, "{} frame {}", path.display(), f.number);
            fast += usize::from(matches!(lax, link::Decoded::Tcp(_)));
            // Damaged copies: cut short, a wrong version, a bad header length.
            for cut in [f.data.len() / 2, f.data.len().saturating_sub(3)] {
                let short = &f.data[..cut];
                assert_eq!(decode(f.linktype, short), decode_lax(f.linktype, short));
            }
            for (at, value) in [(14, 0x65u8), (14, 0x44), (46, 0x20), (46, 0xf0)] {
                let mut bad = f.data.to_vec();
                if let Some(b) = bad.get_mut(at) {
                    *b = value;
                }
                assert_eq!(decode(f.linktype, &bad), decode_lax(f.linktype, &bad), "{} #{}", at, f.number);
            }
        });
    }
    assert!(fast > 100, "{fast} TCP frames checked");
}

/// A record header and `body` bytes of that record type.
fn rec(ctype: u8, body: &[u8]) -> Vec<u8> {
    let mut v = vec![ctype, 3, 3];
    v.extend_from_slice(&(body.len() as u16).to_be_bytes());
    v.extend_from_slice(body);
    v
}

#[test]
fn nothing_is_buffered_once_the_handshake_is_over() {
    let c = v4(CLIENT, 50_100);
    let s = v4(SERVER, 443);
    // A handshake message (read as a malformed ClientHello) opens the conversation, then the
    // ChangeCipherSpec of each side.
    let ccs = [rec(22, &[1, 0, 0, 0]), rec(20, &[1])].concat();
    let (cs, ss) = (1001u32, 5001u32);
    let n = ccs.len() as u32;
    let segs = [
        seg(c, s, 1000, None, "S", &[]),
        seg(s, c, 5000, Some(cs), "S", &[]),
        seg(c, s, cs, Some(ss), "", &ccs),
        // Out of order: waits in the client's reassembler until the handshake ends.
        seg(c, s, cs + n + 5000, Some(ss), "", &[0x17; 3000]),
        seg(s, c, ss, Some(cs + n), "", &rec(20, &[1])),
        // Application data after the handshake: neither reassembled nor kept.
        seg(c, s, cs + n + 9000, Some(ss + 6), "", &[0x17; 1400]),
        seg(s, c, ss + 6, Some(cs + n), "", &rec(23, &[0xaa; 1400])[..700]),
    ];
    let data = pcap(false, false, 1, &frames_of(Link::Eth, &segs));
    let a = analyse(&data, false);
    let fin = only_conn(&a);
    assert_eq!(fin.conn.kind, Kind::Tls);
    assert_eq!(fin.conn.buffered(), 0);
    assert!(fin.conn.dirs.iter().all(|d| d.rx.is_none()));
    assert_eq!(fin.conn.dirs.iter().map(|d| d.data_segments).collect::<Vec<_>>(), [3, 2]);
    assert_eq!(fin.tls.as_ref().map(|t| t.ccs), Some([true, true]));
    // The waiting segment was dropped, not kept to the end: no hole was skipped. With recording
    // on (every stream followed to its end) the same capture keeps it and skips both holes.
    assert_eq!(fin.conn.dirs[0].gaps, 0);
    let recorded = analyse(&data, true);
    assert_eq!(only_conn(&recorded).conn.dirs[0].gaps, 2);
}

#[test]
fn application_data_records_are_not_copied() {
    use crate::tls::{Seen, TlsConversation};
    let mut t = TlsConversation::new();
    let app = rec(23, &[0x42; 16_000]);
    // Delivered in pieces, as TCP does: only handshake and alert records are ever buffered.
    for piece in app.chunks(1400) {
        t.feed(crate::model::Role::Client, piece, Seen::default());
        // At most a record header's worth of buffer, never the body.
        assert!(t.buffered() < 16, "{}", t.buffered());
    }
    let hs = rec(22, &[11; 3000]);
    t.feed(crate::model::Role::Server, &hs[..1500], Seen::default());
    assert!(t.buffered() >= 1495);
    assert_eq!(t.finish().app_data, [true, false]);
}

#[test]
fn frame_for_the_fast_path_round_trip() {
    // A regular IPv4 frame built by the test builder decodes the same both ways.
    let t = seg(v4(CLIENT, 1234), v4(SERVER, 443), 77, Some(5), "", b"abc");
    let f = frame(Link::Eth, &t);
    assert_eq!(decode(1, &f), decode_lax(1, &f));
    assert!(matches!(decode(1, &f), link::Decoded::Tcp(s) if *s.payload == *b"abc" && s.seq == 77));
}

/// A capture of `n` SYNs, each opening a connection of its own.
fn syns(n: u32) -> Vec<u8> {
    let segs: Vec<_> = (0..n)
        .map(|i| {
            let client = Ipv4Addr::from(0x0a00_0000 + (i >> 14));
            seg(v4(client, 1024 + (i & 0x3fff) as u16), v4(SERVER, 443), i, None, "S", &[])
        })
        .collect();
    pcap(false, false, 1, &frames_of(Link::Eth, &segs))
}

#[test]
fn more_connections_than_the_table_holds_read_the_file_again_alone() {
    // More connections open at once than the table holds: the workers together find it full, so
    // the file is read again on one thread, which drops exactly the five beyond the whole table,
    // as a sequential run does.
    let n = flows::MAX_CONNS as u32 + 5;
    let data = syns(n);
    let one = analyse_with(&data, false, 1);
    assert_eq!(one.stats.dropped_conns, 5);
    for workers in [2, 7] {
        let many = analyse_with(&data, false, workers);
        assert_eq!(many.stats, one.stats, "{workers} workers");
        assert_eq!(many.frames, u64::from(n));
        let firsts = |a: &Analysis| a.conns.iter().map(|c| c.conn.first.frame).collect::<Vec<_>>();
        assert_eq!(firsts(&many), firsts(&one), "{workers} workers");
    }
}

#[test]
fn workers_within_the_limits_together_stand_without_a_second_reading() {
    let used = |peak_live, opened| flows::Used { peak_live, opened, full: false };
    let half = flows::MAX_CONNS / 2;
    // Exactly a full table between two workers: one tracker would have refused none either.
    assert!(flows::within_limits([used(half, half), used(half, half)], flows::MAX_CONNS, flows::MAX_TOTAL_CONNS));
    assert!(!flows::within_limits(
        [used(half, half), used(half + 1, half + 1)],
        flows::MAX_CONNS,
        flows::MAX_TOTAL_CONNS
    ));
    assert!(!flows::within_limits(
        [used(1, flows::MAX_TOTAL_CONNS), used(1, 1)],
        flows::MAX_CONNS,
        flows::MAX_TOTAL_CONNS
    ));
    assert!(!flows::within_limits(
        [flows::Used { full: true, ..used(1, 1) }],
        flows::MAX_CONNS,
        flows::MAX_TOTAL_CONNS
    ));
    // And such a capture gives the same at 1 and 2 workers.
    let n = flows::MAX_CONNS as u32;
    let data = syns(n);
    let one = analyse_with(&data, false, 1);
    assert_eq!(one.stats.dropped_conns, 0);
    let many = analyse_with(&data, false, 2);
    let firsts = |a: &Analysis| a.conns.iter().map(|c| c.conn.first.frame).collect::<Vec<_>>();
    assert_eq!((&many.stats, firsts(&many)), (&one.stats, firsts(&one)));
}
