//! Tests of the file layer: pcap byte orders and resolutions, pcapng interfaces, damaged files.

use jiff::Timestamp;

use super::build::{epb, frame, idb, pcap, shb, spb, Link};
use super::*;

fn times(a: &Analysis) -> Vec<Option<Timestamp>> {
    let c = &only_conn(a).conn;
    vec![c.first.time, c.syn_ack.and_then(|s| s.time)]
}

#[test]
fn big_endian_nanosecond_pcap() {
    let (segs, up, _) = conversation(443);
    let frames: Vec<_> = segs.iter().map(|t| (1_600_000_000, 123_456_789, frame(Link::Eth, t))).collect();
    let data = pcap(true, true, 1, &frames);
    let a = analyse(&data, true);
    assert_eq!(a.frames, 8);
    assert_eq!(only_conn(&a).conn.dirs[0].recorded, up);
    let t = Timestamp::new(1_600_000_000, 123_456_789).ok();
    assert_eq!(times(&a), [t, t]);
}

#[test]
fn little_endian_microsecond_pcap_times() {
    let (segs, _, _) = conversation(443);
    let frames: Vec<_> = segs.iter().map(|t| (1_600_000_000, 654_321, frame(Link::Eth, t))).collect();
    let a = analyse(&pcap(false, false, 1, &frames), false);
    let t = Timestamp::new(1_600_000_000, 654_321_000).ok();
    assert_eq!(times(&a), [t, t]);
}

#[test]
fn pcapng_with_two_interfaces_and_resolutions() {
    let (segs, up, down) = conversation(443);
    let mut data = shb();
    data.extend(idb(1, None)); // Ethernet, microseconds
    data.extend(idb(276, Some(9))); // SLL2, nanoseconds
    for (i, t) in segs.iter().enumerate() {
        data.extend(match i {
            // The server's packets come through the second interface.
            1 | 7 => epb(1, 1_700_000_000_123_456_789, &frame(Link::Sll2, t)),
            3 => spb(&frame(Link::Eth, t)),
            _ => epb(0, 1_700_000_000_000_001, &frame(Link::Eth, t)),
        });
    }
    let a = analyse(&data, true);
    assert_eq!(a.end, reader::ReadEnd::Complete);
    assert_eq!(a.frames, 8);
    let c = &only_conn(&a).conn;
    assert_eq!(c.dirs[0].recorded, up);
    assert_eq!(c.dirs[1].recorded, down);
    assert_eq!(times(&a), [Timestamp::new(1_700_000_000, 1_000).ok(), Timestamp::new(1_700_000_000, 123_456_789).ok()]);
}

#[test]
fn truncated_file_is_partial_and_keeps_what_came_before() {
    let (segs, _, _) = conversation(443);
    let mut data = pcap(false, false, 1, &frames_of(Link::Eth, &segs));
    data.truncate(data.len() - 10); // inside frame 8
    let a = analyse(&data, true);
    assert_eq!(a.frames, 7);
    assert_eq!(a.end, reader::ReadEnd::Truncated("the file ends inside frame 8 (cut off)".into()));
    let parsed = run_capture(&mut source("t.pcap", &data));
    assert_eq!(parsed.inputs[0].status, Status::Partial);
    assert_eq!(
        parsed.inputs[0].message.as_deref(),
        Some("t.pcap: the file ends inside frame 8 (cut off); read up to there")
    );
    assert_eq!(parsed.handshakes.len(), 1);
}

#[test]
fn lying_record_length_stops_reading() {
    let (segs, _, _) = conversation(443);
    let frames = frames_of(Link::Eth, &segs);
    let mut data = pcap(false, false, 1, &frames[..2]);
    let at = data.len();
    data.extend(pcap(false, false, 1, &frames[2..3]).get(24..).expect("record"));
    data[at + 8..at + 12].copy_from_slice(&0xffff_fff0u32.to_le_bytes());
    let parsed = run_capture(&mut source("lie.pcap", &data));
    assert_eq!(parsed.inputs[0].status, Status::Partial);
    assert_eq!(
        parsed.inputs[0].message.as_deref(),
        Some("lie.pcap: frame 3: record length 4294967280 is larger than the limit 262144; the file is damaged; read up to there")
    );
}

#[test]
fn not_a_capture_is_an_error() {
    let parsed = run_capture(&mut source("x.pcap", b"hello, this is text"));
    assert_eq!(parsed.inputs[0].status, Status::Error);
    assert_eq!(parsed.inputs[0].message.as_deref(), Some("x.pcap: not a pcap or pcapng file (unknown magic number)"));
    let parsed = run_capture(&mut source("x.pcap", &[0xd4, 0xc3, 0xb2]));
    assert_eq!(parsed.inputs[0].status, Status::Error);
}

#[test]
fn pcapng_garbage_after_good_blocks_is_partial() {
    let (segs, _, _) = conversation(443);
    let mut data = shb();
    data.extend(idb(1, None));
    data.extend(epb(0, 1, &frame(Link::Eth, &segs[0])));
    data.extend([6, 0, 0, 0, 8, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4]);
    data.extend([0x77; 40]);
    let a = analyse(&data, false);
    assert_eq!(a.frames, 1);
    assert_eq!(
        a.end,
        reader::ReadEnd::Damaged("block 4 (before frame 2): unreadable block (bad length or contents)".into())
    );
    // A packet block naming an interface that does not exist.
    let mut data = shb();
    data.extend(idb(1, None));
    data.extend(epb(3, 1, &frame(Link::Eth, &segs[0])));
    let a = analyse(&data, false);
    assert_eq!(a.end, reader::ReadEnd::Damaged("frame 1: refers to unknown interface 3".into()));
}

#[test]
fn every_prefix_of_a_capture_is_read_without_panic() {
    let (segs, _, _) = conversation(443);
    let mut ng = shb();
    ng.extend(idb(1, Some(9)));
    for t in &segs {
        ng.extend(epb(0, 5, &frame(Link::Vlan(3), t)));
    }
    let classic = pcap(true, true, 1, &frames_of(Link::Sll2, &segs));
    for data in [ng, classic] {
        for cut in 0..data.len() {
            let a = analyse(&data[..cut], false);
            assert!(a.frames <= 8);
        }
        let mut bad = data.clone();
        for i in (0..bad.len()).step_by(7) {
            bad[i] ^= 0x5a;
            let _ = analyse(&bad, false);
        }
    }
}
