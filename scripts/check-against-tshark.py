#!/usr/bin/env python3
"""Compare what tlstriage reconstructs from captures with what tshark dissects.

For every capture given (default: samples/captures/*), both tools are run and these must agree:
the number of handshakes (ClientHellos, SSL 2.0-format ones included; a connection whose
handshake was before the capture has none), how many TLS cipher
suites each ClientHello offers (for an SSL 2.0-format hello: its cipher specs that are TLS
suites), the negotiated version and cipher suite of each
ServerHello, the plaintext alerts (description and sender), and the validity dates of every
certificate seen. Needs tshark (Debian: apt-get install tshark) and a built tlstriage
(cargo build --release). Exit code 0 when everything agrees, 1 otherwise, 2 without tshark.

    python3 scripts/check-against-tshark.py [--bin target/release/tlstriage] [FILES...]
"""
import glob
import json
import shutil
import subprocess
import sys
from datetime import datetime, timezone


def tshark(path, display_filter, fields):
    cmd = ["tshark", "-r", path, "-Y", display_filter, "-T", "fields", "-E", "separator=|"]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return [line.split("|") for line in out.splitlines() if line.strip()]


def tshark_view(path):
    hellos = tshark(path, "tls.handshake.type==1", ["frame.number", "tls.handshake.ciphersuite", "tls.handshake.cipherspec"])
    offered = sorted(len([c for c in h[1].split(",") if c]) + len([c for c in h[2].split(",") if c and int(c, 16) < 0x10000])
                     for h in hellos)
    servers = tshark(path, "tls.handshake.type==2",
                     ["tls.handshake.version", "tls.handshake.extensions.supported_version", "tls.handshake.ciphersuite"])
    alerts = tshark(path, "tls.alert_message.desc", ["ip.src", "ipv6.src", "tls.alert_message.desc"])
    certs = tshark(path, "tls.handshake.type==11", ["x509af.utcTime", "x509af.generalizedTime"])
    # An SSL 2.0 SERVER-HELLO matches the filter without TLS fields: it is not counted here.
    servers = [s for s in servers if (s[1] or s[0]) and s[2]]
    versions = sorted(int((s[1] or s[0]).split(",")[0], 16) for s in servers)
    suites = sorted(int(s[2].split(",")[0], 16) for s in servers)
    alert_list = sorted((a[0] or a[1], int(a[2])) for a in alerts)
    dates = set()
    for row in certs:
        for cell in row:
            for d in filter(None, cell.split(",")):
                dates.add(d.replace(" (UTC)", "").strip())
    return {"handshakes": len(hellos), "offered": offered, "versions": versions, "suites": suites, "alerts": alert_list, "dates": dates}


ALERTS = {"close_notify": 0, "unexpected_message": 10, "bad_record_mac": 20, "handshake_failure": 40,
          "bad_certificate": 42, "unsupported_certificate": 43, "certificate_revoked": 44,
          "certificate_expired": 45, "certificate_unknown": 46, "illegal_parameter": 47, "unknown_ca": 48,
          "access_denied": 49, "decode_error": 50, "decrypt_error": 51, "protocol_version": 70,
          "insufficient_security": 71, "internal_error": 80, "user_canceled": 90, "certificate_required": 116}


def day(ts):
    t = datetime.fromisoformat(ts.replace("Z", "+00:00")).astimezone(timezone.utc)
    return t.strftime("%Y-%m-%d %H:%M:%S")


def tlstriage_view(binary, path):
    out = subprocess.run([binary, "analyze", "--format", "json", "--fail-on", "never", path],
                         capture_output=True, text=True, check=True).stdout
    doc = json.loads(out)
    hs = doc["handshakes"]
    versions = sorted(h["version_id"] for h in hs if "version_id" in h)
    suites = sorted(h["cipher_suite_id"] for h in hs if "cipher_suite_id" in h)
    alerts = []
    for h in hs:
        client, server = h["client"].rsplit(":", 1)[0].strip("[]"), h["server"].rsplit(":", 1)[0].strip("[]")
        for a in h["alerts"]:
            alerts.append((client if a["from"] == "client" else server, ALERTS.get(a["description"], -1)))
    dates = set()
    for c in doc["certificates"]:
        dates.add(day(c["not_before"]))
        dates.add(day(c["not_after"]))
    # A refused connection and one whose handshake was before the capture have no ClientHello.
    hs = [h for h in hs if h["outcome"] not in ("refused", "not-captured")]
    offered = sorted(len(h.get("offered_suites", [])) for h in hs)
    return {"handshakes": len(hs), "offered": offered, "versions": versions,
            "suites": suites, "alerts": sorted(alerts), "dates": dates}


def main():
    args = sys.argv[1:]
    binary = "target/release/tlstriage"
    if args[:1] == ["--bin"]:
        binary, args = args[1], args[2:]
    if shutil.which("tshark") is None:
        print("tshark is not installed: nothing compared", file=sys.stderr)
        return 2
    files = args or sorted(glob.glob("samples/captures/*.pcap*"))
    bad = 0
    for f in files:
        a, b = tshark_view(f), tlstriage_view(binary, f)
        diffs = [k for k in a if a[k] != b[k]]
        status = "ok  " if not diffs else "DIFF"
        print(f"{status} {f}: {a['handshakes']} handshakes offering {a['offered']} suites, versions {a['versions']}, suites {[hex(s) for s in a['suites']]}, "
              f"alerts {a['alerts']}, {len(a['dates'])} validity dates")
        for k in diffs:
            print(f"     {k}: tshark {a[k]} vs tlstriage {b[k]}")
        bad += bool(diffs)
    print(f"{len(files) - bad} passed, {bad} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
