//! The stages of reading a capture on several threads, at 1 and 2 threads:
//!
//! - `capture_dispatch`: the one reader walking the records and handing the segments to the
//!   flow-hash workers, which follow the connections (no sessions built);
//! - `capture_sessions`: the whole capture reader of `analyze` (`capture::parse`) in a pool of
//!   that many threads: the walk, the workers, and each worker building the sessions of its
//!   connections (certificates parsed and verified, once per distinct certificate per run).
//!
//! On the handshake-dense capture named by `TLSTRIAGE_BENCH_PCAP` (make one with
//! `cargo run --release -p xtask -- gen-dense --connections 8000 --out /tmp/dense.pcap`). Without
//! it the shipped sample captures are used; they are small, so `capture_sessions` reads them on
//! one worker whatever the pool (`capture_dispatch` is told its number of workers).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use tlstriage::model::{Format, IngestContext, Source};

fn inputs() -> Vec<(String, Vec<u8>)> {
    if let Ok(p) = std::env::var("TLSTRIAGE_BENCH_PCAP") {
        return vec![(p.clone(), std::fs::read(&p).expect("TLSTRIAGE_BENCH_PCAP readable"))];
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/captures");
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("samples/captures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pcap" || x == "pcapng"))
        .map(|p| (p.display().to_string(), std::fs::read(&p).expect("sample readable")))
        .collect();
    v.sort();
    v
}

fn format_of(data: &[u8]) -> Format {
    if data.starts_with(&[0x0a, 0x0d, 0x0d, 0x0a]) {
        Format::Pcapng
    } else {
        Format::Pcap
    }
}

fn bench(c: &mut Criterion) {
    let files = inputs();
    let total: usize = files.iter().map(|(_, d)| d.len()).sum();
    let mut g = c.benchmark_group("capture_dispatch");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(total as u64));
    for workers in [1, 2] {
        g.bench_with_input(BenchmarkId::from_parameter(workers), &workers, |b, &workers| {
            b.iter(|| {
                let conns: usize = files
                    .iter()
                    .map(|(_, data)| tlstriage::capture::analyse_with(data, false, workers).conns.len())
                    .sum();
                std::hint::black_box(conns)
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
            b.iter(|| {
                pool.install(|| {
                    // A fresh context each time: certificates are parsed again, as in a real run.
                    let certs = std::sync::Arc::new(tlstriage::x509::CertCache::default());
                    let ctx = IngestContext::new(jiff::Timestamp::now(), certs);
                    let mut handshakes = 0;
                    for (path, data) in &files {
                        let src = Source { path: path.clone(), data, mtime: None, depth: 0 };
                        handshakes += tlstriage::capture::parse(&src, format_of(data), &ctx).handshakes.len();
                    }
                    std::hint::black_box(handshakes)
                })
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
