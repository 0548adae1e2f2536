#!/usr/bin/env bash
# Run fuzz targets for SECONDS each (default 60), one after the other; all targets unless some
# are named. Needs cargo-fuzz (`cargo install cargo-fuzz`); on a stable toolchain
# RUSTC_BOOTSTRAP=1 lets it pass the sanitizer flags. Crashing inputs land in
# fuzz/artifacts/<target>/; commit them under fuzz/regressions/<target>/ once fixed, where
# `cargo test` replays them. Full logs go to fuzz/logs/<target>.log.
#   fuzz/run-all.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo fuzz list)
mkdir -p logs
export RUSTC_BOOTSTRAP=1
cargo fuzz build
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    echo "== $t ($secs s)"
    set +e
    cargo fuzz run "$t" "corpus/$t" -- -max_total_time="$secs" -rss_limit_mb=2048 -timeout=20 \
        -print_final_stats=1 > "logs/$t.log" 2>&1
    rc=$?
    set -e
    grep -E "^(Done [0-9]+ runs|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb|SUMMARY)|ERROR: libFuzzer" "logs/$t.log" || true
    echo "exit $rc; corpus $(find "corpus/$t" -type f | wc -l) files"
done
