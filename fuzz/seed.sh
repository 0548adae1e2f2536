#!/usr/bin/env bash
# Seed the fuzz corpora from samples/ (run from the repository root).
set -euo pipefail
cd "$(dirname "$0")/.."
copy() { local target=$1; shift; mkdir -p "fuzz/corpus/$target"; for f in "$@"; do [ -f "$f" ] && cp "$f" "fuzz/corpus/$target/$(echo "$f" | tr '/' '_')"; done; return 0; }
copy capture $(find samples -name '*.pcap' -o -name '*.pcapng')
copy syslog $(find samples -name 'messages*' ! -name '*.gz')
copy tls_proxy $(find samples -name 'tls_proxy*.log')
copy failed_push $(find samples -name 'FAILED_PUSH')
copy x509 $(find samples -name '*.pem' -o -name '*.der' -o -name '*.crt')
copy conf $(find samples -name 'sftunnel.conf' -o -name 'ims.conf' -o -name 'sftunnel.json')
copy openssl $(find samples/openssl -type f)
copy excerpt $(find samples/field -type f)
copy archive $(find samples -name '*.gz' -o -name '*.tgz' -o -name '*.tar')
copy ingest $(find samples -type f | head -50)
# The html target reads its first byte as the index of the name the rest is read under (NAMES in
# src/fuzzing/html.rs); files up to 64 KiB.
html() { local pick=$1; shift; mkdir -p fuzz/corpus/html; for f in "$@"; do
    [ -f "$f" ] && [ "$(stat -c %s "$f")" -le 65536 ] \
        && { printf "\\x$(printf %02x "$pick")"; cat "$f"; } > "fuzz/corpus/html/seed-$(echo "$f" | tr '/' '_')"; done; return 0; }
html 0 $(find samples -name 'messages*' ! -name '*.gz')
html 1 $(find samples -name 'tls_proxy*.log')
html 2 $(find samples/field -type f ! -name '*status*' ! -name 'show-*')
html 3 $(find samples -name 'FAILED_PUSH')
html 4 $(find samples -name '*.pem' -o -name '*.der' -o -name '*.crt')
html 5 $(find samples/openssl -type f)
html 6 $(find samples/field -type f \( -name '*status*' -o -name 'show-*' \))
html 7 $(find samples -name 'ims.conf')
html 8 $(find samples -name 'sftunnel.conf' -o -name 'sftunnel.json')
html 9 $(find samples -name '*.pcap' -o -name '*.pcapng')
html 10 $(find samples -name '*.gz' -o -name '*.tgz')
echo "corpus files: $(find fuzz/corpus -type f | wc -l)"
