#!/usr/bin/env bash
# tlstriage against tshark / grep / zcat / tar on generated inputs (dense capture, bulk capture, 1 GB
# log, a folder of many small files, the log gzipped, a .tar.gz of the log and the dense capture), with
# agreement checks and a Markdown table of the results.
#   benches/compare.sh [--conns N] [--bulk-conns N] [--bulk-mb M] [--log-mb MB] [--small N] [--runs R] [--no-tshark]
#                      [--only captures,log,small,compressed]
# Needs tshark (apt-get install tshark), GNU time (/usr/bin/time, package `time`) and python3.
# Inputs are generated once into $TMPDIR/tlstriage-compare (about 2.1 GB with the defaults).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --workspace
exec python3 benches/compare.py "$@"
