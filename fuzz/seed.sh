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
echo "corpus files: $(find fuzz/corpus -type f | wc -l)"
