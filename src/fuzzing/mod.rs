//! Entry points shared by the cargo-fuzz targets (`fuzz/`) and the corpus replay test: each
//! feeds arbitrary bytes to one parser layer. None of them may panic, whatever the bytes.

mod html;

use jiff::Timestamp;

use crate::input::READERS;
use crate::model::Role;
use crate::model::{Data, Format, IngestContext, Parsed, Source};
use crate::tls::{Seen, TlsConversation};

/// The fuzz targets of the layers below and around the readers, by name (the folder names under
/// `fuzz/corpus/`); the readers' own targets come from the registry ([`targets`]).
const LAYERS: &[&str] = &["tcp", "tls", "x509", "archive", "ingest", "html"];

/// Every fuzz target: the layers, each target the reader registry names, then `readers` (every
/// reader over the same bytes).
pub fn targets() -> Vec<&'static str> {
    let mut all = LAYERS.to_vec();
    for name in READERS.iter().map(|r| r.fuzz) {
        if !all.contains(&name) {
            all.push(name);
        }
    }
    all.push("readers");
    all
}

fn source(data: &[u8]) -> Source<'_> {
    Source { path: "fuzz-input".into(), data: Data::Bytes(data), mtime: Some(Timestamp::UNIX_EPOCH), depth: 0 }
}

fn context() -> IngestContext {
    let mut ctx = IngestContext::new(Timestamp::UNIX_EPOCH, std::sync::Arc::new(crate::x509::CertCache::default()));
    // Small limits keep each run fast and bounded.
    ctx.limits.max_uncompressed = 8 << 20;
    ctx.limits.max_entries = 1000;
    ctx.limits.max_depth = 4;
    ctx
}

/// Run the target `target` over `data`: its layer, or every reader of the registry that names
/// it. Unknown targets do nothing.
pub fn run(target: &str, data: &[u8]) {
    let ctx = context();
    let mut sink = Parsed::default();
    match target {
        "tcp" => {
            let pcap = tcp_capture(data);
            let _ = crate::capture::parse(&mut source(&pcap), &ctx, &mut sink);
        }
        "tls" => tls(data),
        "x509" => {
            let _ = crate::x509::summarize(data);
        }
        "archive" => {
            let mut members = crate::input::archive::Members { ctx: &ctx, sink: &mut sink, read: crate::input::read };
            let _ = crate::input::archive::read(source(data), Format::Gzip, &mut members);
            let _ = crate::input::archive::read(source(data), Format::Tar, &mut members);
        }
        "html" => html::run(data),
        "readers" => run_readers(data),
        "ingest" => {
            crate::input::ingest(source(data), &ctx, &mut sink);
            let _ = crate::diagnose::classify(&sink.attempts, &sink.facts, &crate::diagnose::Options::new(ctx.now));
        }
        _ => {}
    }
    for reader in READERS.iter().filter(|r| r.fuzz == target) {
        let _ = (reader.parse)(&mut source(data), &ctx, &mut sink);
    }
}

/// Every reader of the registry over the same bytes (the `readers` fuzz target: a reader added
/// to the registry is fuzzed without a target of its own).
pub fn run_readers(data: &[u8]) {
    let ctx = context();
    for reader in READERS {
        let _ = (reader.parse)(&mut source(data), &ctx, &mut Parsed::default());
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

/// TCP reassembly: the bytes describe segments of one client–server connection, which are
/// written as a raw-IPv4 capture, so that the fuzzer picks sequence numbers, flags and payload
/// directly instead of having to find valid capture framing first. Each segment is
/// `[flags] [seq offset: u16 BE] [len] payload…`: bit 0 of `flags` is the direction, bits 1–5
/// are SYN, ACK, FIN, RST and PSH. Sequence numbers start just below the 2^32 wrap.
pub fn tcp_capture(data: &[u8]) -> Vec<u8> {
    const ISN: [u32; 2] = [0xffff_ff00, 0x7fff_fff0];
    let mut out = Vec::with_capacity(24 + data.len() * 3);
    out.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    out.extend_from_slice(&[2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    out.extend_from_slice(&65535u32.to_le_bytes());
    out.extend_from_slice(&101u32.to_le_bytes()); // LINKTYPE_RAW
    let mut rest = data;
    let mut n: u32 = 0;
    while let [head, s0, s1, len, tail @ ..] = rest {
        let len = usize::from(*len).min(tail.len());
        let (payload, next) = tail.split_at(len);
        let dir = usize::from(head & 1);
        let seq = ISN[dir].wrapping_add(u32::from(u16::from_be_bytes([*s0, *s1])));
        let flags = [(2, 0x02), (3, 0x10), (4, 0x01), (5, 0x04), (6, 0x08)]
            .iter()
            .filter(|(bit, _)| head & (1 << bit) != 0)
            .fold(0u8, |f, (_, v)| f | v);
        let (src, dst, sport, dport) = if dir == 0 {
            ([10, 0, 0, 1], [10, 0, 0, 2], 40000u16, 443u16)
        } else {
            ([10, 0, 0, 2], [10, 0, 0, 1], 443, 40000)
        };
        let total = 40 + payload.len();
        n += 1;
        out.extend_from_slice(&n.to_le_bytes()); // seconds: one frame per second
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&(total as u32).to_le_bytes());
        out.extend_from_slice(&(total as u32).to_le_bytes());
        out.extend_from_slice(&[0x45, 0, (total >> 8) as u8, total as u8, 0, 0, 0x40, 0, 64, 6, 0, 0]);
        out.extend_from_slice(&src);
        out.extend_from_slice(&dst);
        out.extend_from_slice(&sport.to_be_bytes());
        out.extend_from_slice(&dport.to_be_bytes());
        out.extend_from_slice(&seq.to_be_bytes());
        out.extend_from_slice(&ISN[1 - dir].to_be_bytes());
        out.extend_from_slice(&[0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
        out.extend_from_slice(payload);
        rest = next;
    }
    out
}
