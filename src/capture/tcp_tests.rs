//! Tests of the reassembler: fixed cases and properties over reordering, duplication, overlap
//! and sequence wrap-around.

use proptest::prelude::*;

use super::*;

fn push_all(r: &mut Reassembler, segs: &[(u32, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (seq, data) in segs {
        out.extend_from_slice(&r.push(*seq, data));
    }
    out
}

#[test]
fn in_order_is_passed_through() {
    let mut r = Reassembler::new(1000);
    assert_eq!(&*r.push(1000, b"hello "), b"hello ");
    assert_eq!(&*r.push(1006, b"world"), b"world");
    assert_eq!(r.offset(), 11);
    assert_eq!(r.next_seq(), 1011);
}

#[test]
fn out_of_order_waits_for_the_hole() {
    let mut r = Reassembler::new(1);
    assert_eq!(&*r.push(4, b"def"), b"");
    assert_eq!(r.pending_bytes(), 3);
    assert_eq!(&*r.push(1, b"abc"), b"abcdef");
    assert_eq!(r.pending_bytes(), 0);
}

#[test]
fn first_copy_wins_on_overlap() {
    let mut r = Reassembler::new(0);
    // Waiting copy of bytes 2..6 arrives first; a later copy with other contents loses.
    assert_eq!(&*r.push(2, b"CDEF"), b"");
    assert_eq!(&*r.push(0, b"abcdefgh"), b"abCDEFgh");
    // Delivered bytes also win over a retransmission with other contents.
    assert_eq!(&*r.push(4, b"XXXXz"), b"z");
}

#[test]
fn sequence_wraps_around() {
    let mut r = Reassembler::new(u32::MAX - 2);
    assert_eq!(&*r.push(1, b"ef"), b""); // after the wrap, early
    assert_eq!(&*r.push(u32::MAX - 2, b"abc"), b"abc");
    assert_eq!(&*r.push(u32::MAX, b"cd"), b"def"); // overlaps both sides of the wrap
    assert_eq!(r.next_seq(), 3);
    assert_eq!(r.offset(), 6);
}

#[test]
fn old_retransmission_is_ignored() {
    let mut r = Reassembler::new(100);
    r.push(100, b"0123456789");
    assert_eq!(&*r.push(100, b"0123"), b"");
    assert_eq!(r.pending_bytes(), 0);
}

#[test]
fn gap_is_skipped_on_request() {
    let mut r = Reassembler::new(0);
    r.push(0, b"ab");
    assert_eq!(&*r.push(5, b"fg"), b"");
    assert_eq!(r.skip_gap(), b"fg".to_vec());
    assert_eq!(r.offset(), 7);
    assert_eq!(r.next_seq(), 7);
    assert_eq!(&*r.push(7, b"h"), b"h");
    assert!(r.skip_gap().is_empty());
}

#[test]
fn buffer_is_bounded() {
    let mut r = Reassembler::with_cap(0, 8);
    assert_eq!(&*r.push(10, b"0123456789"), b"");
    assert_eq!(r.pending_bytes(), 8);
    assert!(r.over_limit());
    assert_eq!(r.skip_gap(), b"01234567".to_vec());
    assert_eq!(r.offset(), 18);
    assert!(!r.over_limit());
}

/// A stream, a start sequence number and segments (offset ranges) that cover it.
fn stream_and_segments() -> impl Strategy<Value = (Vec<u8>, u32, Vec<(usize, usize)>)> {
    (1usize..600, prop_oneof![any::<u32>(), (u32::MAX - 300)..=u32::MAX]).prop_flat_map(|(len, start)| {
        let data = proptest::collection::vec(any::<u8>(), len);
        let cuts = proptest::collection::vec(0..len, 0..12);
        let extra = proptest::collection::vec((0..len, 1usize..80), 0..10);
        (data, Just(start), cuts, extra).prop_map(move |(data, start, mut cuts, extra)| {
            cuts.push(0);
            cuts.push(len);
            cuts.sort_unstable();
            cuts.dedup();
            let mut segs: Vec<(usize, usize)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
            segs.extend(extra.into_iter().map(|(a, n)| (a, (a + n).min(len))));
            (data, start, segs)
        })
    })
}

proptest! {
    #[test]
    fn any_order_and_duplication_gives_the_same_bytes(
        (data, start, segs) in stream_and_segments(),
        order in proptest::collection::vec(any::<proptest::sample::Index>(), 0..40),
    ) {
        let mut segs: Vec<(u32, Vec<u8>)> = segs
            .into_iter()
            .map(|(a, b)| (start.wrapping_add(a as u32), data[a..b].to_vec()))
            .collect();
        // Shuffle by swapping, and duplicate a few segments.
        let n = segs.len();
        for (i, ix) in order.iter().enumerate() {
            let j = ix.index(n);
            if i % 3 == 0 {
                let dup = segs[j].clone();
                segs.push(dup);
            } else {
                segs.swap(i % n, j);
            }
        }
        let mut r = Reassembler::new(start);
        let out = push_all(&mut r, &segs);
        prop_assert_eq!(r.pending_bytes(), 0);
        prop_assert_eq!(out, data);
    }
}

#[test]
fn a_later_copy_with_other_bytes_is_counted_and_loses() {
    let mut r = Reassembler::new(0);
    // Against a waiting copy.
    r.push(4, b"EFGH");
    assert_eq!(&*r.push(0, b"abcdXXGH"), b"abcdEFGH");
    assert_eq!(r.take_conflicts(), 1);
    // Against delivered bytes: an identical retransmission is no conflict, another one is.
    assert_eq!(&*r.push(2, b"cdEF"), b"");
    assert_eq!(r.take_conflicts(), 0);
    assert_eq!(&*r.push(6, b"GhIJ"), b"IJ");
    assert_eq!(r.take_conflicts(), 1);
    // Between two waiting copies.
    r.push(20, b"0123");
    r.push(22, b"2x45");
    assert_eq!(r.take_conflicts(), 1);
    r.push(21, b"123");
    assert_eq!(r.take_conflicts(), 0);
}

#[test]
fn only_the_last_bytes_delivered_are_compared() {
    let mut r = Reassembler::new(0);
    let big = vec![7u8; RECENT + 100];
    assert_eq!(r.push(0, &big).len(), big.len());
    // The first 100 bytes are forgotten: a differing copy of them cannot be told.
    assert_eq!(&*r.push(0, &[1u8; 100]), b"");
    assert_eq!(r.take_conflicts(), 0);
    assert_eq!(&*r.push(100, &[1u8; 10]), b"");
    assert_eq!(r.take_conflicts(), 1);
    // After a skipped hole nothing before it is compared.
    r.push(RECENT as u32 + 200, b"zz");
    assert_eq!(r.skip_gap(), b"zz".to_vec());
    assert_eq!(&*r.push(RECENT as u32 + 150, &[9u8; 50]), b"");
    assert_eq!(r.take_conflicts(), 0);
}
