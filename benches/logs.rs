//! Log parsing throughput, per layer: the RFC 3164 header of every line, the `sftunneld` part
//! of the sftunneld lines (header, fields, message), judging the attempts one by one against
//! judging each shape once, and a whole generated `messages` file (5 % sftunneld lines, the
//! rest other programs) parsed and classified, both after reading and while reading (the path
//! of `analyze`). Whole-file size from `TLSTRIAGE_BENCH_MB` (default 200 MB).

use std::fmt::Write;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tlstriage::diagnose;
use tlstriage::logs::{sftunneld, syslog};
use tlstriage::model::{IngestContext, Source};

/// Build a `messages` file of about `mb` megabytes.
pub fn messages(mb: usize) -> String {
    let target = mb * 1_000_000;
    let mut s = String::with_capacity(target + 4096);
    let mut i = 0u64;
    while s.len() < target {
        let sec = i % 60;
        let min = (i / 60) % 60;
        if i % 20 == 0 {
            let tid = 51_000 + (i / 20) % 50;
            let _ = writeln!(s, "Sep 20 04:{min:02}:{sec:02} FTD-lab SF-IMS[50792]: [{tid}] sftunneld:sf_ssl [INFO] Initiating IPv4 connection to 10.10.200.31:8305/tcp");
            let _ = writeln!(s, "Sep 20 04:{min:02}:{sec:02} FTD-lab SF-IMS[50792]: [{tid}] sftunneld:sf_ssl [ERROR] -Error with certificate at depth: 1");
            let _ = writeln!(s, "Sep 20 04:{min:02}:{sec:02} FTD-lab SF-IMS[50792]: [{tid}] sftunneld:sf_ssl [ERROR] err 10:certificate has expired");
            let _ = writeln!(s, "Sep 20 04:{min:02}:{sec:02} FTD-lab SF-IMS[50792]: [{tid}] sftunneld:sf_ssl [ERROR] Connect:SSL handshake failed");
        } else {
            let _ = writeln!(s, "Sep 20 04:{min:02}:{sec:02} FTD-lab kernel: [{i}.000000] eth0: link state changed, rx 1234 tx 5678 dropped 0 overruns 0");
        }
        i += 1;
    }
    s
}

/// Per line: the header alone (every line), then header, sftunneld fields and message kind.
fn lines(c: &mut Criterion) {
    let text = messages(4);
    let all: Vec<&str> = text.lines().collect();
    let sft: Vec<&str> = all.iter().copied().filter(|l| l.contains("sftunnel")).collect();
    let bytes = |v: &[&str]| v.iter().map(|l| l.len() as u64 + 1).sum::<u64>();
    let mut g = c.benchmark_group("log_lines");
    g.throughput(Throughput::Bytes(bytes(&all)));
    g.bench_function("syslog_header", |b| b.iter(|| all.iter().filter(|l| syslog::parse_header(l).is_some()).count()));
    g.throughput(Throughput::Bytes(bytes(&sft)));
    g.bench_function("sftunneld_line", |b| {
        b.iter(|| {
            sft.iter()
                .filter_map(|l| syslog::parse_header(l))
                .filter_map(|h| sftunneld::split(&h).map(|s| sftunneld::classify(s.message)))
                .filter(|m| *m != sftunneld::Msg::Other)
                .count()
        })
    });
    g.finish();
}

/// The attempts of a 20 MB file judged and folded: every attempt judged, or each shape once.
fn judging(c: &mut Criterion) {
    let text = messages(20);
    let ctx = IngestContext::new(jiff::Timestamp::now(), Arc::new(tlstriage::x509::CertCache::default()));
    let src =
        Source { path: "messages".into(), data: tlstriage::model::Data::Bytes(text.as_bytes()), mtime: None, depth: 0 };
    let mut kept = tlstriage::model::Parsed::default();
    tlstriage::input::ingest(src, &ctx, &mut kept);
    let attempts = kept.attempts;
    let opts = Arc::new(diagnose::Options::new(ctx.now));
    let mut g = c.benchmark_group("log_attempts");
    g.sample_size(20);
    g.throughput(Throughput::Elements(attempts.len() as u64));
    g.bench_function("judge_each", |b| {
        b.iter(|| {
            let mut folder = diagnose::Folder::default();
            for a in &attempts {
                folder.extend(diagnose::judge_attempt(a, &opts));
            }
            std::hint::black_box(folder.into_vec_seen().len())
        })
    });
    g.bench_function("judge_by_shape", |b| {
        b.iter(|| {
            let mut folder = diagnose::AttemptFolder::new(Arc::clone(&opts));
            for a in &attempts {
                folder.add(a);
            }
            std::hint::black_box(folder.into_vec_seen().len())
        })
    });
    g.finish();
}

fn bench(c: &mut Criterion) {
    let mb = std::env::var("TLSTRIAGE_BENCH_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let text = messages(mb);
    let ctx = IngestContext::new(jiff::Timestamp::now(), std::sync::Arc::new(tlstriage::x509::CertCache::default()));
    let mut g = c.benchmark_group("logs");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("syslog_parse_classify", |b| {
        b.iter(|| {
            let src = Source {
                path: "messages".into(),
                data: tlstriage::model::Data::Bytes(text.as_bytes()),
                mtime: None,
                depth: 0,
            };
            let mut parsed = tlstriage::model::Parsed::default();
            tlstriage::input::ingest(src, &ctx, &mut parsed);
            let findings = tlstriage::diagnose::classify(
                &parsed.attempts,
                &parsed.facts,
                &tlstriage::diagnose::Options::new(ctx.now),
            );
            std::hint::black_box(findings.len())
        })
    });
    // As `analyze` reads: attempts judged by the pipeline's sink as the reader hands them over.
    let opts = Arc::new(diagnose::Options::new(ctx.now));
    g.bench_function("syslog_parse_judge_while_reading", |b| {
        b.iter(|| {
            let src = Source {
                path: "messages".into(),
                data: tlstriage::model::Data::Bytes(text.as_bytes()),
                mtime: None,
                depth: 0,
            };
            let mut sink = tlstriage::input::judging::Judging::new(Arc::clone(&opts));
            tlstriage::input::ingest(src, &ctx, &mut sink);
            std::hint::black_box(sink.finish().findings.len())
        })
    });
    g.finish();
}

criterion_group!(benches, lines, judging, bench);
criterion_main!(benches);
