# usage: run.sh CASE PORT "server cmd" "client cmd" [tcpdump extra]
set -u
C=$1; P=$2; S=$3; K=$4; X=${5:-}
D=/tmp/probe-acc/$C; mkdir -p $D; cd $D
tcpdump -i lo -U $X -w capture.pcap port $P 2>tcpdump.err & TP=$!
sleep 1
if [ -n "$S" ]; then setsid bash -c "$S" > server.out 2>&1 & SP=$!; sleep 1; fi
timeout 10 bash -c "$K" > client.out 2>&1; echo "client rc=$?" >> client.out
sleep 1
[ -n "$S" ] && kill -- -$SP 2>/dev/null
sleep 0.5; kill $TP; wait $TP 2>/dev/null
T=/tmp/probe/tlstriage
$T analyze -v --color never --width 160 capture.pcap ${CAARGS:-} > tt.txt 2>&1; echo "rc=$?" >> tt.txt
$T analyze --format json capture.pcap ${CAARGS:-} > tt.json 2>&1
$T handshakes capture.pcap > hs.txt 2>&1
echo "== client"; tail -15 client.out; echo "== server"; tail -15 server.out 2>/dev/null; echo "== handshakes"; cat hs.txt; echo "== tt"; cat tt.txt
