//! Tests of IP reassembly: order, duplicates, overlaps, bounds and the timeout.

use super::*;

fn id(n: u32) -> DatagramId {
    DatagramId { src: [10, 0, 0, 1].into(), dst: [10, 0, 0, 2].into(), id: n, protocol: 6 }
}

fn frag(n: u32, offset: usize, more: bool, data: &[u8]) -> Fragment<'_> {
    Fragment { datagram: id(n), offset, more, data, ttl: 64 }
}

fn at(secs: i64) -> Option<Timestamp> {
    Some(Timestamp::from_second(1_780_000_000 + secs).unwrap())
}

#[test]
fn fragments_in_any_order_make_the_datagram() {
    let payload: Vec<u8> = (0..40u8).collect();
    let mut r = Reassembly::default();
    assert_eq!(r.add(frag(1, 32, false, &payload[32..]), at(0)), None);
    assert_eq!(r.add(frag(1, 0, true, &payload[..16]), at(0)), None);
    // A retransmitted copy of a fragment changes nothing.
    assert_eq!(r.add(frag(1, 0, true, &payload[..16]), at(0)), None);
    assert_eq!(r.add(frag(1, 16, true, &payload[16..32]), at(0)), Some((payload, 64)));
    assert_eq!(r.stats, Stats { reassembled: 1, unreassembled: 0, overlapping: 0 });
    assert_eq!((r.pending.len(), r.bytes), (0, 0));
}

#[test]
fn a_datagram_has_the_lowest_ttl_of_its_fragments() {
    let mut r = Reassembly::default();
    assert_eq!(r.add(Fragment { ttl: 1, ..frag(1, 0, true, &[1; 8]) }, at(0)), None);
    assert_eq!(r.add(frag(1, 8, false, &[2; 2]), at(0)).map(|d| d.1), Some(1));
}

#[test]
fn overlapping_fragments_discard_the_datagram() {
    let mut r = Reassembly::default();
    assert_eq!(r.add(frag(1, 0, true, &[1; 16]), at(0)), None);
    // Same place, other bytes: which one the receiver kept cannot be known.
    assert_eq!(r.add(frag(1, 8, true, &[2; 16]), at(0)), None);
    assert_eq!(r.add(frag(1, 24, false, &[3; 4]), at(0)), None);
    assert_eq!(r.stats.overlapping, 1);
    assert_eq!(r.stats.reassembled, 0);
    // The rest of the datagram started a new one, never completed.
    assert_eq!(r.finish().unreassembled, 1);
}

#[test]
fn a_second_end_that_differs_is_an_overlap() {
    let mut r = Reassembly::default();
    r.add(frag(1, 16, false, &[1; 4]), at(0));
    r.add(frag(1, 16, false, &[1; 8]), at(0));
    assert_eq!(r.stats.overlapping, 1);
}

#[test]
fn incomplete_datagrams_time_out_by_capture_time() {
    let mut r = Reassembly::default();
    r.add(frag(1, 0, true, &[1; 8]), at(0));
    r.add(frag(2, 0, true, &[1; 8]), at(20));
    // 31 s after the first: datagram 1 is given up, datagram 2 still waits.
    r.add(frag(3, 0, true, &[1; 8]), at(31));
    assert_eq!(r.stats.unreassembled, 1);
    assert_eq!(r.add(frag(2, 8, false, &[2; 2]), at(31)).map(|d| d.0.len()), Some(10));
    assert_eq!(r.finish(), Stats { reassembled: 1, unreassembled: 2, overlapping: 0 });
}

#[test]
fn pending_datagrams_and_bytes_are_bounded() {
    let mut r = Reassembly::default();
    for n in 0..(MAX_PENDING as u32 + 10) {
        r.add(frag(n, 0, true, &[0; 8]), at(0));
    }
    assert_eq!(r.pending.len(), MAX_PENDING);
    assert_eq!(r.stats.unreassembled, 10);
    // The oldest went first: datagram 0 is gone, the last one still completes.
    let last = MAX_PENDING as u32 + 9;
    assert!(r.add(frag(last, 8, false, &[1]), at(0)).is_some());
    let big = vec![0u8; 60_000];
    let mut r = Reassembly::default();
    for n in 0..200 {
        r.add(frag(n, 0, true, &big), at(0));
        assert!(r.bytes <= MAX_PENDING_BYTES);
    }
    assert!(r.stats.unreassembled > 0);
}

#[test]
fn impossible_fragments_are_refused() {
    let mut r = Reassembly::default();
    // Past 65,535 bytes, or a fragment that is not the last with a length not a multiple of 8.
    assert_eq!(r.add(frag(1, 65_528, false, &[0; 16]), at(0)), None);
    assert_eq!(r.add(frag(2, 0, true, &[0; 5]), at(0)), None);
    assert_eq!(r.stats.unreassembled, 2);
    assert!(r.pending.is_empty());
}
