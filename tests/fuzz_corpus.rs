//! Replays every committed fuzz input (`fuzz/corpus/<target>/*` and `fuzz/regressions/<target>/*`)
//! through its parser layer: none may panic.

use std::path::Path;

#[test]
fn fuzz_corpus_replays_without_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut replayed = 0;
    for kind in ["corpus", "regressions"] {
        for target in tlstriage::fuzzing::TARGETS {
            let dir = root.join(kind).join(target);
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            let mut files: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect();
            files.sort();
            for f in files {
                let data = std::fs::read(&f).unwrap();
                tlstriage::fuzzing::run(target, &data);
                replayed += 1;
            }
        }
    }
    // The corpus is seeded from samples/ by fuzz/seed.sh; an empty corpus means it was lost.
    assert!(replayed > 0, "no fuzz inputs found under {}", root.display());
}
