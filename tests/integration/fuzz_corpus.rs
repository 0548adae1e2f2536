//! Replays every committed fuzz input (`fuzz/corpus/<target>/*` and `fuzz/regressions/<target>/*`)
//! through its parser layer: none may panic.

use std::path::Path;

#[test]
fn fuzz_corpus_replays_without_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut replayed = 0;
    for kind in ["corpus", "regressions"] {
        for target in tlstriage::fuzzing::targets() {
            let dir = root.join(kind).join(target);
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            let mut files: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect();
            files.sort();
            for f in files {
                // A running fuzzer may remove a file between listing and reading.
                let Ok(data) = std::fs::read(&f) else { continue };
                tlstriage::fuzzing::run(target, &data);
                replayed += 1;
            }
        }
    }
    // The corpus is seeded from samples/ by fuzz/seed.sh; an empty corpus means it was lost.
    assert!(replayed > 0, "no fuzz inputs found under {}", root.display());
}

/// The TCP target's framing really reaches the reassembler: its seeds, with segments in order,
/// out of order and overlapping, each give one connection whose ClientHello is reassembled.
#[test]
fn tcp_target_seeds_reassemble_a_client_hello() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/tcp");
    for seed in ["seed1", "seed2", "seed3"] {
        let data = std::fs::read(dir.join(seed)).unwrap();
        let pcap = tlstriage::fuzzing::tcp_capture(&data);
        let mut src = tlstriage::model::Source {
            path: seed.into(),
            data: tlstriage::model::Data::Bytes(&pcap),
            mtime: None,
            depth: 0,
        };
        let ctx = tlstriage::model::IngestContext::new(
            jiff::Timestamp::UNIX_EPOCH,
            std::sync::Arc::new(tlstriage::x509::CertCache::default()),
        );
        let mut parsed = tlstriage::model::Parsed::default();
        tlstriage::capture::parse(&mut src, &ctx, &mut parsed);
        assert_eq!(parsed.handshakes.len(), 1, "{seed}");
        let hs = &parsed.handshakes[0];
        assert_eq!(
            (hs.client.to_string(), hs.server.to_string()),
            ("10.0.0.1:40000".into(), "10.0.0.2:443".into()),
            "{seed}"
        );
        let suites: Vec<u16> = hs.offered_suites.iter().map(|s| s.0).collect();
        assert_eq!(suites, vec![0xc02f], "{seed}");
    }
}
