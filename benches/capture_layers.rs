//! Capture throughput layer by layer, each in bytes per second of its own input: pcap record
//! iteration, link/IP/TCP decoding, TCP reassembly, TLS handshake parsing, and certificate
//! parsing and signature checks. Input: the capture named by `TLSTRIAGE_BENCH_PCAP` (for example
//! `cargo run --release -p xtask -- gen-dense --connections 8000 --out /tmp/dense.pcap`, or
//! `gen-bulk`), else the sample captures.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tlstriage::capture::{analyse, link, reader, Reassembler};
use tlstriage::model::Role;
use tlstriage::tls::{Seen, TlsConversation};

fn inputs() -> Vec<Vec<u8>> {
    if let Ok(p) = std::env::var("TLSTRIAGE_BENCH_PCAP") {
        return vec![std::fs::read(&p).expect("TLSTRIAGE_BENCH_PCAP readable")];
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/captures");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("samples/captures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pcap" || x == "pcapng"))
        .collect();
    paths.sort();
    paths.iter().map(|p| std::fs::read(p).expect("sample readable")).collect()
}

/// The TCP segments (sequence number, payload) of every frame, per direction of each flow.
fn segments(files: &[Vec<u8>]) -> Vec<(u32, Vec<u8>)> {
    let mut out = Vec::new();
    for data in files {
        reader::read_frames(data, |f| {
            if let link::Decoded::Tcp(s) = link::decode(f.linktype, f.data) {
                if !s.payload.is_empty() {
                    out.push((s.seq, s.payload.to_vec()));
                }
            }
        });
    }
    out
}

fn bench(c: &mut Criterion) {
    let files = inputs();
    let total: usize = files.iter().map(Vec::len).sum();
    let mut g = c.benchmark_group("capture_layers");
    g.sample_size(10);

    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function("pcap_records", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for data in &files {
                reader::read_frames(data, |f| n += f.data.len());
            }
            std::hint::black_box(n)
        })
    });
    g.bench_function("link_decode", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for data in &files {
                reader::read_frames(data, |f| {
                    if let link::Decoded::Tcp(s) = link::decode(f.linktype, f.data) {
                        n += s.payload.len();
                    }
                });
            }
            std::hint::black_box(n)
        })
    });

    // Reassembly alone: every segment in capture order through one reassembler per segment run
    // (a fresh one whenever the sequence jumps, as at a new connection).
    let segs = segments(&files);
    let seg_bytes: usize = segs.iter().map(|(_, p)| p.len()).sum();
    g.throughput(Throughput::Bytes(seg_bytes as u64));
    g.bench_function("tcp_reassembly", |b| {
        b.iter(|| {
            let mut n = 0usize;
            let mut rx: Option<Reassembler> = None;
            for (seq, payload) in &segs {
                let r = match rx.as_mut() {
                    Some(r) if r.next_seq() == *seq => r,
                    _ => rx.insert(Reassembler::new(*seq)),
                };
                r.push_with(*seq, payload, |chunk| n += chunk.len());
            }
            std::hint::black_box(n)
        })
    });

    // TLS parsing alone: the reassembled streams of every TLS connection, client then server.
    let streams: Vec<[Vec<u8>; 2]> = files
        .iter()
        .flat_map(|d| analyse(d, true).conns)
        .filter(|f| f.tls.is_some())
        .map(|f| {
            let client = usize::from(f.conn.role(0) != Role::Client);
            [f.conn.dirs[client].recorded.clone(), f.conn.dirs[1 - client].recorded.clone()]
        })
        .collect();
    let tls_bytes: usize = streams.iter().map(|s| s[0].len() + s[1].len()).sum();
    g.throughput(Throughput::Bytes(tls_bytes as u64));
    g.bench_function("tls_handshakes", |b| {
        b.iter(|| {
            let mut certs = 0usize;
            for [up, down] in &streams {
                let mut t = TlsConversation::new();
                t.feed(Role::Client, up, Seen::default());
                t.feed(Role::Server, down, Seen::default());
                certs += t.finish().certificates.len();
            }
            std::hint::black_box(certs)
        })
    });

    // Certificates: every distinct DER of the captures parsed, and each chain link checked.
    let mut ders: Vec<Vec<Vec<u8>>> = Vec::new();
    for data in &files {
        for f in analyse(data, false).conns {
            for m in f.tls.map(|t| t.certificates).unwrap_or_default() {
                if !ders.contains(&m.ders) {
                    ders.push(m.ders);
                }
            }
        }
    }
    let der_bytes: usize = ders.iter().flatten().map(Vec::len).sum();
    g.throughput(Throughput::Bytes(der_bytes as u64));
    g.bench_function("cert_parse_verify", |b| {
        b.iter(|| {
            let mut ok = 0usize;
            for chain in &ders {
                let parsed: Vec<_> = chain.iter().filter_map(|d| tlstriage::x509::summarize(d).ok()).collect();
                for pair in parsed.windows(2) {
                    ok += usize::from(tlstriage::x509::verify_signature(&pair[0].der, &pair[1].der) == Some(true));
                }
            }
            std::hint::black_box(ok)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
