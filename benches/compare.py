#!/usr/bin/env python3
"""tlstriage against tshark, grep, zcat and tar on generated inputs, in one run.

Generates (once, cached in the work folder) a handshake-dense capture, a bulk capture, a syslog
`messages` file, a folder of many small files (logs, certificates, captures), the log gzipped and
a `.tar.gz` bundle of the log and the dense capture; runs tlstriage and the reference tool on each
with the files in the page cache; checks that both agree on what they count; prints time, CPU
time, throughput, handshakes or files per second, peak RSS and the ratios as a Markdown table.
`--only` picks groups of rows (captures, log, small, compressed). Called by benches/compare.sh,
which builds first.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def gen_log(path, mb):
    """A `messages` file of `mb` MB where 1 line in 20 starts a failing sftunneld attempt."""
    target = mb * 1_000_000
    kernel = "FTD-lab kernel: [{i}.000000] eth0: link state changed, rx 1234 tx 5678 dropped 0 overruns 0\n"
    with open(path, "w") as f:
        n = i = 0
        while n < target:
            # One second per 20 lines, always forward (about a week for 1 GB): a log whose times
            # went back to an earlier second with the same attempts would be a pasted copy, and
            # tlstriage counts a pasted copy's attempts once.
            s = i // 20
            t = f"Sep {20 + s // 86400} {(s // 3600) % 24:02}:{(s // 60) % 60:02}:{s % 60:02}"
            if i % 20 == 0:
                tid = 51000 + (i // 20) % 50
                head = f"{t} FTD-lab SF-IMS[50792]: [{tid}] sftunneld:sf_ssl "
                chunk = (f"{head}[INFO] Initiating IPv4 connection to 10.10.200.31:8305/tcp\n"
                         f"{head}[ERROR] -Error with certificate at depth: 1\n"
                         f"{head}[ERROR] err 10:certificate has expired\n"
                         f"{head}[ERROR] Connect:SSL handshake failed\n")
            else:
                chunk = f"{t} {kernel.format(i=i)}"
            f.write(chunk)
            n += len(chunk)
            i += 1


def measure(cmd, out_path, runs):
    """The median run by wall time of `runs` runs of `cmd` (stdout to `out_path`, or a shell
    command line given as a string): wall time, that run's peak RSS (MB) and CPU time (user +
    sys, s)."""
    done = []
    for _ in range(runs):
        with tempfile.NamedTemporaryFile("r") as tf, open(out_path, "wb") as out:
            argv = ["sh", "-c", cmd] if isinstance(cmd, str) else cmd
            subprocess.run(["/usr/bin/time", "-f", "%e %M %U %S", "-o", tf.name] + argv, stdout=out,
                           stderr=subprocess.DEVNULL, check=False)
            secs, rss_kb, user, system = tf.read().split()[-4:]
        done.append((float(secs), int(rss_kb) // 1024, float(user) + float(system)))
    done.sort()
    return done[len(done) // 2]


def load():
    """The 1-minute load average: how busy the machine was."""
    return os.getloadavg()[0]


def ours_capture(path):
    hs = json.load(open(path))
    return {"handshakes": len(hs), "certificates": sum(len(h.get("certificates", [])) for h in hs),
            "alerts": sum(len(h.get("alerts", [])) for h in hs)}


def tshark_capture(path):
    counts = {"handshakes": 0, "certificates": 0, "alerts": 0}
    for line in open(path, errors="replace"):
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 3:
            continue
        types = [t for t in cols[0].split(",") if t]
        counts["handshakes"] += types.count("1")
        counts["certificates"] += len([c for c in cols[1].split(",") if c])
        counts["alerts"] += len([a for a in cols[2].split(",") if a])
    return counts


def analyze(a, path, threads=None):
    cmd = [a.bin, "analyze", "--format", "json", "--fail-on", "never", "--year", "2026", "--now", "2026-11-23", "--quiet"]
    if threads:
        cmd += ["--threads", str(threads)]
    return cmd + [path]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/tlstriage")
    ap.add_argument("--xtask", default="target/release/xtask")
    ap.add_argument("--work", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "tlstriage-compare"))
    ap.add_argument("--conns", type=int, default=8000, help="connections of the dense capture")
    ap.add_argument("--bulk-conns", type=int, default=500, help="connections of the bulk capture")
    ap.add_argument("--bulk-mb", type=int, default=2, help="MB of application data per bulk connection")
    ap.add_argument("--log-mb", type=int, default=1000, help="size of the messages file")
    ap.add_argument("--small", type=int, default=10000, help="files of the many-small-files folder")
    ap.add_argument("--runs", type=int, default=3, help="runs per input and tool (the median is kept)")
    ap.add_argument("--only", default="captures,log,small,compressed", help="groups of rows, comma-separated")
    ap.add_argument("--no-tshark", action="store_true", help="leave out the tshark rows (they take half a minute)")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    only = set(a.only.split(","))
    w = lambda name: os.path.join(a.work, name)
    dense, bulk, log = w(f"dense-{a.conns}.pcap"), w(f"bulk-{a.bulk_conns}x{a.bulk_mb}.pcap"), w(f"messages-{a.log_mb}")
    small = w(f"small-{a.small}")
    log_gz, bundle = log + ".gz", w(f"bundle-{a.log_mb}-{a.conns}.tar.gz")
    need = {dense: "captures" in only or "compressed" in only, bulk: "captures" in only,
            log: bool(only & {"log", "compressed"}), small: "small" in only}
    if need[dense] and not os.path.exists(dense):
        sh([a.xtask, "gen-dense", "--connections", str(a.conns), "--out", dense])
    if need[bulk] and not os.path.exists(bulk):
        sh([a.xtask, "gen-bulk", "--connections", str(a.bulk_conns), "--mb-per-conn", str(a.bulk_mb), "--out", bulk])
    if need[log] and not os.path.exists(log):
        gen_log(log, a.log_mb)
    if need[small] and not os.path.exists(small):
        sh([a.xtask, "gen-small", "--count", str(a.small), "--out", small])
    if "compressed" in only and not os.path.exists(log_gz):
        sh(f"gzip -6 -c '{log}' > '{log_gz}'", shell=True)
    if "compressed" in only and not os.path.exists(bundle):
        sh(["tar", "czf", bundle, "-C", a.work, os.path.basename(log), os.path.basename(dense)])
    for f in [dense, bulk, log] + ([log_gz, bundle] if "compressed" in only else []):  # into the page cache
        if need.get(f, True):
            with open(f, "rb") as fh:
                while fh.read(1 << 24):
                    pass
    if need[small]:
        subprocess.run(["cat"] + [os.path.join(d, f) for d, _, fs in os.walk(small) for f in fs],
                       stdout=subprocess.DEVNULL, check=False)

    # (input, bytes, tool, (wall, rss, cpu), items, item name, ratio to the reference)
    rows, problems = [], []
    if "captures" in only:
        capture_rows(a, w, dense, bulk, rows, problems)
    if "log" in only:
        log_rows(a, w, log, rows, problems)
    if "small" in only:
        small_rows(a, w, small, rows, problems)
    if "compressed" in only:
        compressed_rows(a, w, log, dense, log_gz, bundle, rows, problems)
    print_table(a, rows, problems)


def expired_attempts(path):
    report = json.load(open(path))
    return sum(f["count"] for f in report["findings"] if f["kind"] == "expired-ca"), report


def compressed_rows(a, w, log, dense, log_gz, bundle, rows, problems):
    """The log gzipped against `zcat`, the bundle (log + dense capture) against `tar xzf -O`, each
    at 1 and 2 threads; what they find must be what the plain inputs give."""
    truth = int(subprocess.run(["grep", "-c", "err 10:certificate has expired", log], capture_output=True,
                               text=True).stdout.strip() or 0)
    hs_truth = None
    for label, path, ref_tool, ref in (
        ("messages log gzipped", log_gz, "zcat > /dev/null", f"zcat '{log_gz}' > /dev/null"),
        ("bundle .tar.gz (log + dense capture)", bundle, "tar xzf -O > /dev/null", f"tar xzf '{bundle}' -O > /dev/null"),
    ):
        size = os.path.getsize(path)
        theirs = measure(ref, w("ref.txt"), a.runs)
        for threads in (1, 2):
            ours = measure(analyze(a, path, threads), w("ours.json"), a.runs)
            expired, report = expired_attempts(w("ours.json"))
            if expired != truth:
                problems.append(f"{label} at {threads} threads: expired-ca attempts {expired}, grep {truth} lines")
            if path == bundle:
                hs = report["summary"]["handshakes"]
                if hs_truth is None:
                    hs_truth = hs
                elif hs != hs_truth:
                    problems.append(f"{label} at {threads} threads: {hs} handshakes, {hs_truth} at 1 thread")
            tool = f"tlstriage analyze --format json --threads {threads}"
            rows.append((label, size, tool, ours, None, None, theirs[0] / ours[0]))
        rows.append((label, size, ref_tool, theirs, None, None, None))


def capture_rows(a, w, dense, bulk, rows, problems):
    """Both captures against tshark (handshakes), and the dense one on the analyze path."""
    fields = ["-T", "fields", "-E", "occurrence=a", "-e", "tls.handshake.type",
              "-e", "tls.handshake.certificate_length", "-e", "tls.alert_message.desc"]
    # sftunnel's port is not TLS to tshark by default, and client ports may hit other
    # dissectors' ports: decode 8305 as TLS. Alerts counted are the readable ones (an encrypted
    # close_notify after the handshake has no description, and tlstriage does not read it).
    tshark_filter = "tls.handshake.type==1 or tls.handshake.type==11 or tls.alert_message"
    for label, path in (("dense capture", dense), ("bulk capture", bulk)):
        size = os.path.getsize(path)
        ours = measure([a.bin, "handshakes", "--format", "json", "--quiet", path], w("ours.json"), a.runs)
        ours_n = ours_capture(w("ours.json"))
        if a.no_tshark:
            rows.append((label, size, "tlstriage handshakes --format json", ours, ours_n["handshakes"], "handshakes", None))
            continue
        theirs = measure(["tshark", "-r", path, "-d", "tcp.port==8305,tls", "-Y", tshark_filter] + fields, w("tshark.tsv"), 1)
        theirs_n = tshark_capture(w("tshark.tsv"))
        if ours_n != theirs_n:
            problems.append(f"{label}: tlstriage counts {ours_n}, tshark {theirs_n}")
        rows.append((label, size, "tlstriage handshakes --format json", ours, ours_n["handshakes"], "handshakes", theirs[0] / ours[0]))
        rows.append((label, size, "tshark -d tcp.port==8305,tls -Y ... -T fields", theirs, theirs_n["handshakes"], "handshakes", None))
    size = os.path.getsize(dense)
    for threads in (1, None):
        ours = measure(analyze(a, dense, threads), w("ours.json"), a.runs)
        hs = json.load(open(w("ours.json")))["summary"]["handshakes"]
        tool = f"tlstriage analyze --format json {'--threads 1' if threads else '(default threads)'}"
        rows.append(("dense capture", size, tool, ours, hs, "handshakes", None))


def log_rows(a, w, log, rows, problems):
    """The log at 1 and 2 threads against `grep -c sftunneld` writing to a file."""
    size = os.path.getsize(log)
    grep = measure(["grep", "-c", "sftunneld", log], w("grep.txt"), a.runs)
    for threads in (1, 2):
        ours = measure(analyze(a, log, threads), w("ours.json"), a.runs)
        report = json.load(open(w("ours.json")))
        expired = sum(f["count"] for f in report["findings"] if f["kind"] == "expired-ca")
        rows.append(("messages log", size, f"tlstriage analyze --format json --threads {threads}", ours, None, None, grep[0] / ours[0]))
    rows.append(("messages log", size, "grep -c sftunneld (output to a file)", grep, None, None, None))
    theirs = measure(["grep", "-c", "err 10:certificate has expired", log], w("grep.txt"), 1)
    grep_n = int(open(w("grep.txt")).read().strip() or 0)
    if expired != grep_n:
        problems.append(f"log: tlstriage expired-ca attempts {expired}, grep {grep_n} lines")


def small_rows(a, w, small, rows, problems):
    """The folder of many small files, in files per second."""
    files = sum(len(fs) for _, _, fs in os.walk(small))
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(small) for f in fs)
    for threads in (1, None):
        ours = measure(analyze(a, small, threads), w("ours.json"), a.runs)
        read = json.load(open(w("ours.json")))["summary"]["inputs"]
        if read != files:
            problems.append(f"small files: {files} files, tlstriage read {read}")
        tool = f"tlstriage analyze --format json {'--threads 1' if threads else '(default threads)'}"
        rows.append((f"{files:,} small files", size, tool, ours, files, "files", None))


def print_table(a, rows, problems):
    print(f"machine: {os.cpu_count()} cores, load average {load():.1f} at the end; median of {a.runs} "
          "runs (1 tshark run); files in page cache; CPU = user + sys")
    print("| input | tool | time | CPU | MB/s | items/s | peak RSS | vs reference |")
    print("|---|---|---|---|---|---|---|---|")
    for label, size, tool, (secs, rss, cpu), n, what, ratio in rows:
        mbs = size / secs / 1e6 if secs else float("inf")
        rate = f"{n / secs:,.0f} {what}/s" if n and secs else "—"
        r = f"×{ratio:.2f}" if ratio is not None else "—"
        print(f"| {label} ({size / 1e6:,.0f} MB) | {tool} | {secs:.2f} s | {cpu:.2f} s | {mbs:,.0f} | {rate} | {rss} MB | {r} |")
    if problems:
        print("DISAGREEMENT:\n  " + "\n  ".join(problems))
        sys.exit(1)
    print("counts agree: handshakes, certificates and alerts (captures, against tshark); "
          "expired-CA attempts (log, gzipped log and bundle, against grep); handshakes of the bundle at 1 and 2 "
          "threads; files read (small files)")


if __name__ == "__main__":
    main()
