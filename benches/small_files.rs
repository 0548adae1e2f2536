//! Many small inputs: `analyze` and its JSON on a folder of small files, per file. The folder is
//! `TLSTRIAGE_BENCH_SMALL` (make one with `cargo run -p xtask -- gen-small --count 10000 --out
//! DIR`: syslog excerpts, PEM certificates and one-connection captures); without it, 2,000
//! syslog excerpts written into a temporary folder.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tlstriage::analyze::{analyze, Options};

/// A folder of `n` distinct syslog excerpts of one failing sftunneld attempt each.
fn excerpts(dir: &std::path::Path, n: u32) -> std::io::Result<()> {
    for i in 0..n {
        let head =
            format!("Oct  3 07:{:02}:{:02} FTD-{} SF-IMS[4{i}]: [51000] sftunneld:sf_ssl", i / 60 % 60, i % 60, i % 40);
        let text = format!(
            "{head} [INFO] Initiating IPv4 connection to 10.30.{}.{}:8305/tcp\n{head} [ERROR] err 10:certificate has expired\n\
             {head} [ERROR] Connect:SSL handshake failed\n",
            i / 250 % 250,
            1 + i % 250
        );
        std::fs::write(dir.join(format!("messages-{i}")), text)?;
    }
    Ok(())
}

fn files_in(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| if e.path().is_dir() { files_in(&e.path()) } else { 1 }).sum())
        .unwrap_or(0)
}

fn bench(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let dir = match std::env::var_os("TLSTRIAGE_BENCH_SMALL") {
        Some(d) => PathBuf::from(d),
        None => {
            excerpts(tmp.path(), 2000).expect("writing the excerpts");
            tmp.path().to_path_buf()
        }
    };
    let mut opts = Options::new(vec![dir.clone()]);
    opts.year = Some(2026);
    let mut g = c.benchmark_group("small_files");
    g.sample_size(10);
    g.throughput(Throughput::Elements(files_in(&dir)));
    g.bench_function("analyze_json", |b| {
        b.iter(|| std::hint::black_box(tlstriage::report::json_document(&analyze(&opts)).len()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
