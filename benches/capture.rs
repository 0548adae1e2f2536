//! Capture throughput: pcap reading, TCP reassembly, TLS parsing and certificate handling, on
//! the handshake-dense capture named by `TLSTRIAGE_BENCH_PCAP` (make one with
//! `cargo run --release -p xtask -- gen-dense --connections 8000 --out /tmp/dense.pcap`), or on
//! the shipped sample captures when it is not set.
//!
//! - `capture/parse_handshakes`: the whole capture reader, in the default pool.
//! - `capture_dispatch/{1,2}`: the one reader walking the records and handing the segments to
//!   that many flow-hash workers, which follow the connections (no sessions built).
//! - `capture_sessions/{1,2}`: the whole reader in a pool of that many threads: the walk, the
//!   workers, and each worker building the sessions of its connections. The sample captures are
//!   below the size read on several workers, so only a big capture shows the second thread.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use tlstriage::model::{IngestContext, Parsed, Source};

fn inputs() -> Vec<(String, Vec<u8>)> {
    if let Ok(p) = std::env::var("TLSTRIAGE_BENCH_PCAP") {
        return vec![(p.clone(), std::fs::read(&p).expect("TLSTRIAGE_BENCH_PCAP readable"))];
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/captures");
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pcap" || x == "pcapng"))
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    v.sort();
    v
}

/// Handshakes of every file, read with a fresh context: certificates are parsed again, as in a
/// real run.
fn parse_all(files: &[(String, Vec<u8>)]) -> usize {
    let ctx = IngestContext::new(jiff::Timestamp::now(), std::sync::Arc::new(tlstriage::x509::CertCache::default()));
    let mut handshakes = 0;
    for (path, data) in files {
        let mut src = Source { path: path.clone(), data: tlstriage::model::Data::Bytes(data), mtime: None, depth: 0 };
        let mut kept = Parsed::default();
        tlstriage::capture::parse(&mut src, &ctx, &mut kept);
        handshakes += kept.handshakes.len();
    }
    handshakes
}

fn bench(c: &mut Criterion) {
    let files = inputs();
    let total: usize = files.iter().map(|(_, d)| d.len()).sum();
    let mut g = c.benchmark_group("capture");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function("parse_handshakes", |b| b.iter(|| std::hint::black_box(parse_all(&files))));
    g.finish();

    let mut g = c.benchmark_group("capture_dispatch");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(total as u64));
    for workers in [1, 2] {
        g.bench_with_input(BenchmarkId::from_parameter(workers), &workers, |b, &workers| {
            b.iter(|| {
                let follow = |data: &Vec<u8>| tlstriage::capture::analyse_with(data, false, workers).conns.len();
                std::hint::black_box(files.iter().map(|(_, data)| follow(data)).sum::<usize>())
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("capture_sessions");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(total as u64));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("thread pool");
        g.bench_with_input(BenchmarkId::from_parameter(threads), &threads, |b, _| {
            b.iter(|| pool.install(|| std::hint::black_box(parse_all(&files))))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
