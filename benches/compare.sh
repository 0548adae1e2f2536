#!/usr/bin/env bash
# Throughput of tlstriage against tshark / grep on generated inputs, in one run.
#   benches/compare.sh [CONNECTIONS] [LOG_MB]
# Needs tshark (apt-get install tshark) and GNU time (/usr/bin/time, Debian package `time`).
set -euo pipefail
cd "$(dirname "$0")/.."
conns=${1:-8000}
log_mb=${2:-200}
work=${TMPDIR:-/tmp}/tlstriage-compare
mkdir -p "$work"
cargo build --release --quiet --workspace
bin=target/release/tlstriage
[ -f "$work/dense.pcap" ] || target/release/xtask gen-dense --connections "$conns" --out "$work/dense.pcap"
if [ ! -f "$work/messages" ]; then
    python3 - "$work/messages" "$log_mb" <<'PY'
import sys
out, mb = sys.argv[1], int(sys.argv[2])
target = mb * 1_000_000
with open(out, "w") as f:
    n = 0
    i = 0
    while n < target:
        t = f"Sep 20 04:{(i // 60) % 60:02}:{i % 60:02}"
        if i % 20 == 0:
            tid = 51000 + (i // 20) % 50
            lines = [f"{t} FTD-lab SF-IMS[50792]: [{tid}] sftunneld:sf_ssl [INFO] Initiating IPv4 connection to 10.10.200.31:8305/tcp\n",
                     f"{t} FTD-lab SF-IMS[50792]: [{tid}] sftunneld:sf_ssl [ERROR] -Error with certificate at depth: 1\n",
                     f"{t} FTD-lab SF-IMS[50792]: [{tid}] sftunneld:sf_ssl [ERROR] err 10:certificate has expired\n",
                     f"{t} FTD-lab SF-IMS[50792]: [{tid}] sftunneld:sf_ssl [ERROR] Connect:SSL handshake failed\n"]
        else:
            lines = [f"{t} FTD-lab kernel: [{i}.000000] eth0: link state changed, rx 1234 tx 5678 dropped 0 overruns 0\n"]
        for l in lines:
            f.write(l)
            n += len(l)
        i += 1
PY
fi
measure() { # label, bytes, command...
    local label=$1 bytes=$2; shift 2
    local t0 t1
    t0=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$work/rss" "$@" > "$work/out" 2>/dev/null || true
    t1=$(date +%s.%N)
    python3 -c "import sys; s=float('$t1')-float('$t0'); b=$bytes; print(f'{\"$label\":<34} {s:8.3f} s {b/s/1e6:10.1f} MB/s  peak RSS {int(open(\"$work/rss\").read().split()[-1])//1024} MB')"
}
pcap_bytes=$(stat -c %s "$work/dense.pcap")
log_bytes=$(stat -c %s "$work/messages")
cat "$work/dense.pcap" "$work/messages" > /dev/null
echo "machine: $(nproc) cores, $(uname -m); capture $pcap_bytes bytes ($conns connections), log $log_bytes bytes"
measure "tlstriage handshakes (dense pcap)" "$pcap_bytes" "$bin" handshakes --format json "$work/dense.pcap"
ours=$(python3 -c "import json; print(len(json.load(open('$work/out'))))")
measure "tshark (dense pcap)" "$pcap_bytes" tshark -r "$work/dense.pcap" -Y "tls.handshake.type==11 or tls.alert_message" -T fields -e frame.number -e tls.handshake.type
theirs=$(awk -F'\t' '$2 ~ /(^|,)11(,|$)/' "$work/out" | wc -l)
echo "  handshakes: tlstriage $ours, tshark Certificate records $theirs (one per connection expected from the server flight plus client flight)"
measure "tlstriage analyze (log)" "$log_bytes" "$bin" analyze --format json --fail-on never --year 2026 "$work/messages"
measure "grep -c sftunneld (log)" "$log_bytes" grep -c sftunneld "$work/messages"
