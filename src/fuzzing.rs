//! Entry points shared by the cargo-fuzz targets (`fuzz/`) and the corpus replay test: each
//! feeds arbitrary bytes to one parser layer. None of them may panic, whatever the bytes.

use jiff::Timestamp;

use crate::input::{Format, IngestContext, Source};
use crate::observe::Role;
use crate::tls::{Seen, TlsConversation};

/// The fuzz targets, by name (the folder names under `fuzz/corpus/`).
pub const TARGETS: &[&str] =
    &["capture", "tls", "x509", "syslog", "tls_proxy", "failed_push", "conf", "archive", "ingest"];

fn source(data: &[u8]) -> Source<'_> {
    Source { path: "fuzz-input".into(), data, mtime: Some(Timestamp::UNIX_EPOCH), depth: 0 }
}

fn context() -> IngestContext {
    let mut ctx = IngestContext::new(Timestamp::UNIX_EPOCH);
    // Small limits keep each run fast and bounded.
    ctx.limits.max_uncompressed = 8 << 20;
    ctx.limits.max_entries = 1000;
    ctx.limits.max_depth = 4;
    ctx
}

/// Run the parser layer `target` over `data`. Unknown targets do nothing.
pub fn run(target: &str, data: &[u8]) {
    let ctx = context();
    let src = source(data);
    match target {
        "capture" => {
            let format = if data.starts_with(&[0x0a, 0x0d, 0x0d, 0x0a]) { Format::Pcapng } else { Format::Pcap };
            let _ = crate::capture::parse(&src, format, &ctx);
        }
        "tls" => tls(data),
        "x509" => {
            let _ = crate::x509::summarize(data);
            let _ = crate::x509::files::parse(&src, Format::Pem, &ctx);
            let _ = crate::x509::files::parse(&src, Format::Der, &ctx);
        }
        "syslog" => {
            let _ = crate::logs::syslog::parse(&src, &ctx);
        }
        "tls_proxy" => {
            let _ = crate::logs::tls_proxy::parse(&src, &ctx);
        }
        "failed_push" => {
            let _ = crate::logs::failed_push::parse(&src, &ctx);
        }
        "conf" => {
            for f in [Format::SftunnelConf, Format::ImsConf, Format::PeerJson] {
                let _ = crate::logs::conf::parse(&src, f, &ctx);
            }
        }
        "archive" => {
            let _ = crate::input::archive::ingest(&src, Format::Gzip, &ctx);
            let _ = crate::input::archive::ingest(&src, Format::Tar, &ctx);
        }
        "ingest" => {
            let parsed = crate::input::ingest(&src, &ctx);
            let _ = crate::diagnose::classify(&parsed.attempts, &parsed.facts, &crate::diagnose::Options::new(ctx.now));
        }
        _ => {}
    }
}

/// TLS layer: the first byte of each chunk says the direction and the chunk length, so that the
/// fuzzer explores arbitrary splits of both directions.
fn tls(data: &[u8]) {
    let mut conv = TlsConversation::new();
    let mut rest = data;
    let mut frame = 0;
    while let Some((&head, tail)) = rest.split_first() {
        let from = if head & 0x80 == 0 { Role::Client } else { Role::Server };
        let len = usize::from(head & 0x7f).min(tail.len());
        frame += 1;
        if head == 0x7f {
            conv.gap(from);
        } else {
            conv.feed(from, &tail[..len], Seen { frame, time: None });
        }
        rest = &tail[len..];
    }
    let _ = conv.done();
    let _ = conv.finish();
}
