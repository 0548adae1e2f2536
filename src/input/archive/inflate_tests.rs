//! The inflating thread gives what the decompressor gives, in the same order, with the same end
//! (a clean one or an error after the bytes before it), and ends whenever its consumer stops.

use std::io::{self, Read, Write};
use std::sync::mpsc;
use std::time::Duration;

use flate2::write::GzEncoder;
use flate2::{Compression, GzBuilder};

use super::*;
use crate::model::Limits;

/// A gzip member of `text`, its header carrying `mtime`.
fn member(text: &[u8], mtime: u32) -> Vec<u8> {
    let mut enc = GzBuilder::new().mtime(mtime).write(Vec::new(), Compression::fast());
    enc.write_all(text).unwrap();
    enc.finish().unwrap()
}

/// Numbered lines, about `len` bytes.
fn lines(len: usize) -> Vec<u8> {
    (0..).map(|i| format!("line {i} of the test log\n")).flat_map(String::into_bytes).take(len).collect()
}

fn budget() -> Budget {
    Budget::new(&Limits::default(), 1)
}

/// Everything [`beside`] gives for `gz`, and the mtime seen after the first 512 bytes.
fn read_beside(gz: &[u8]) -> (Vec<u8>, Option<u32>, io::Result<()>) {
    beside(gz, &budget(), |inflated| {
        let mut out = Vec::new();
        let first = inflated.take(512).read_to_end(&mut out).map(drop);
        let mtime = inflated.mtime();
        let rest = first.and_then(|()| inflated.read_to_end(&mut out).map(drop));
        (out, mtime, rest)
    })
}

#[test]
fn several_members_come_out_whole_and_in_order_with_the_first_header() {
    let (a, b) = (lines(3 * BLOCK + 17), lines(BLOCK / 3));
    let mut gz = member(&a, 1_700_000_000);
    gz.extend(member(&b, 1_600_000_000));
    let (out, mtime, end) = read_beside(&gz);
    end.unwrap();
    assert_eq!(out, [a, b].concat());
    assert_eq!(mtime, Some(1_700_000_000));
    let (out, mtime, end) = read_beside(&member(b"", 7));
    assert!(out.is_empty() && end.is_ok());
    assert_eq!(mtime, Some(7));
}

#[test]
fn a_broken_stream_gives_its_bytes_then_the_decompressors_error_every_time() {
    let text = lines(2 * BLOCK);
    let mut gz = member(&text, 0);
    gz.truncate(gz.len() * 2 / 3);
    let mut inline = Vec::new();
    let inline_err = MultiGzDecoder::new(&gz[..]).read_to_end(&mut inline).unwrap_err();
    beside(&gz[..], &budget(), |inflated| {
        let mut out = Vec::new();
        let err = inflated.read_to_end(&mut out).unwrap_err();
        assert_eq!(out, inline);
        assert_eq!((err.kind(), err.to_string()), (inline_err.kind(), inline_err.to_string()));
        let again = inflated.read(&mut [0u8; 8]).unwrap_err();
        assert_eq!(again.to_string(), err.to_string());
    });
}

/// A gzip stream without end: one member again and again.
struct Endless {
    member: Vec<u8>,
    pos: usize,
}

impl Read for Endless {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.member.len() - self.pos);
        buf[..n].copy_from_slice(&self.member[self.pos..self.pos + n]);
        self.pos = (self.pos + n) % self.member.len();
        Ok(n)
    }
}

/// Run `f` on a thread of its own; fail if it takes more than a minute (a hang).
fn within_a_minute(f: impl FnOnce() + Send + 'static) {
    let (done, wait) = mpsc::channel();
    std::thread::spawn(move || {
        f();
        done.send(()).unwrap();
    });
    wait.recv_timeout(Duration::from_secs(60)).expect("the consumer returned, the inflating thread did not end");
}

#[test]
fn a_consumer_that_stops_early_ends_the_inflating_thread() {
    within_a_minute(|| {
        let endless = Endless { member: member(&lines(BLOCK), 0), pos: 0 };
        let got = beside(endless, &budget(), |inflated| {
            let mut first = vec![0u8; 3 * BLOCK];
            inflated.read_exact(&mut first).unwrap();
            first
        });
        assert!(got.starts_with(b"line 0 of"));
    });
}

#[test]
fn a_consumer_that_panics_ends_the_inflating_thread_and_the_panic_goes_on() {
    within_a_minute(|| {
        let endless = Endless { member: member(&lines(BLOCK), 0), pos: 0 };
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            beside(endless, &budget(), |inflated| {
                inflated.read_exact(&mut [0u8; 100]).unwrap();
                panic!("the consumer gives up");
            })
        }));
        assert!(run.is_err());
    });
}

#[test]
fn the_budget_hears_of_every_compressed_byte() {
    // A ratio above the limit stops the stream as it is read: the budget was told the
    // compressed bytes, or it would judge the ratio against the whole input's size.
    let gz = {
        let mut enc = GzEncoder::new(Vec::new(), Compression::best());
        enc.write_all(&vec![b'\n'; 64 << 20]).unwrap();
        enc.finish().unwrap()
    };
    let limits = Limits { max_ratio: 100, ..Limits::default() };
    let budget = Budget::new(&limits, gz.len() as u64 * 1000);
    let stopped = beside(&gz[..], &budget, |inflated| {
        let mut buf = vec![0u8; BLOCK];
        loop {
            match inflated.read(&mut buf) {
                Ok(0) => return None,
                Ok(n) => {
                    if let Err(msg) = budget.take_bytes(n as u64) {
                        return Some(msg);
                    }
                }
                Err(e) => panic!("{e}"),
            }
        }
    });
    assert!(stopped.is_some_and(|m| m.contains("max_ratio")), "the ratio was not judged as read");
}
