//! Capture throughput: pcap reading, TCP reassembly, TLS parsing and certificate handling, on
//! the handshake-dense capture named by `TLSTRIAGE_BENCH_PCAP` (make one with
//! `cargo run --release -p xtask -- gen-dense --connections 8000 --out /tmp/dense.pcap`), or on
//! the shipped sample captures when it is not set.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tlstriage::model::{Format, IngestContext, Source};

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

fn bench(c: &mut Criterion) {
    let files = inputs();
    let total: usize = files.iter().map(|(_, d)| d.len()).sum();
    let mut g = c.benchmark_group("capture");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function("parse_handshakes", |b| {
        b.iter(|| {
            // A fresh context each time: certificates are parsed again, as in a real run.
            let ctx =
                IngestContext::new(jiff::Timestamp::now(), std::sync::Arc::new(tlstriage::x509::CertCache::default()));
            let mut handshakes = 0;
            for (path, data) in &files {
                let format = if data.starts_with(&[0x0a, 0x0d, 0x0d, 0x0a]) { Format::Pcapng } else { Format::Pcap };
                let src = Source { path: path.clone(), data, mtime: None, depth: 0 };
                handshakes += tlstriage::capture::parse(&src, format, &ctx).handshakes.len();
            }
            std::hint::black_box(handshakes)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
