#!/usr/bin/env bash
# Run every fuzz target for SECONDS each (default 60). Needs cargo-fuzz (`cargo install cargo-fuzz`);
# on a stable toolchain RUSTC_BOOTSTRAP=1 lets it pass the sanitizer flags.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-60}
for t in $(cargo fuzz list); do
    echo "== $t ($secs s)"
    RUSTC_BOOTSTRAP=1 cargo fuzz run "$t" "corpus/$t" -- -max_total_time="$secs" -rss_limit_mb=1024 2>&1 | grep -E "^(#[0-9]+.*DONE|Done|SUMMARY|==)" || true
done
