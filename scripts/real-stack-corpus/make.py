#!/usr/bin/env python3
"""Regenerate the real-stack corpus (tests/data/real-stacks/): each case runs a real TLS server
and client (OpenSSL 3.0 s_server/s_client, GnuTLS gnutls-serv/gnutls-cli, Python's ssl) on
loopback while tcpdump captures the port, and writes beside the capture what the stacks printed
and what tlstriage must find (case.json). Run as root from the repository root:

    python3 scripts/real-stack-corpus/make.py [--out tests/data/real-stacks] [--only SUBSTRING]

Every run makes a new PKI (new keys, the same names, dates and serials), so the corpus is
regenerated whole; `--only` is for trying cases out in another directory.

Needs openssl, gnutls-bin, tcpdump and tshark (`apt-get install gnutls-bin tcpdump tshark`).
A stack that says something else than its case's `want` stops the run with the difference.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cases as case_table  # noqa: E402
import pki as pki_mod  # noqa: E402
import readme  # noqa: E402
import sslv2  # noqa: E402
import stacks  # noqa: E402

BASE_PORT = 40100


def listening(port):
    out = subprocess.run(["ss", "-Hltn", f"sport = :{port}"], capture_output=True, text=True).stdout
    return bool(out.strip())


def wait_for(pred, timeout=10.0):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.05)
    return False


class Capture:
    """tcpdump on loopback for one port, written to `path`."""

    def __init__(self, path, port):
        self.proc = subprocess.Popen(["tcpdump", "-i", "lo", "--immediate-mode", "-U", "-s", "0", "-w", path, f"tcp port {port}"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        line = self.proc.stderr.readline()
        if "listening" not in line:
            raise SystemExit(f"tcpdump did not start: {line}")

    def stop(self):
        time.sleep(0.3)
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=10)


def server_of(c, port, pki):
    stack, opts = c["server"]
    if stack == "http":
        return [sys.executable, os.path.join(stacks.HERE, "pyssl_peer.py"), "http", str(port)]
    return stacks.server_cmd(stack, port, c["tls"], pki, opts["cert"], opts.get("chain", ()), opts.get("client_ca"),
                             seclevel0=opts.get("seclevel0", False))


def client_of(c, port, pki):
    stack, opts = c["client"]
    return stacks.client_cmd(stack, port, c["tls"], pki, opts["ca"], host=opts.get("host", stacks.HOST),
                             cert=opts.get("cert"), chain=opts.get("chain", ()), auth_level=opts.get("auth_level"),
                             enforce=opts.get("enforce", True))


def feed_client(proc, mid_connection, capture_start):
    """Send one line (or, for a long-lived connection, a line every 0.2 s, starting the capture
    after the handshake), then close stdin."""
    try:
        if mid_connection:
            time.sleep(1.0)
            capture_start()
            for i in range(5):
                proc.stdin.write(f"hello {i}\n")
                proc.stdin.flush()
                time.sleep(0.2)
        else:
            proc.stdin.write("ping\n")
            proc.stdin.flush()
            time.sleep(0.8)
        proc.stdin.close()
    except BrokenPipeError:
        pass
    proc.stdin = None


def finish(proc, timeout, terminate=False):
    """Wait for a process of ours (terminating it first if asked), killing it after `timeout`."""
    if terminate and proc.poll() is None:
        proc.terminate()
    try:
        return proc.communicate(timeout=timeout)[0]
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()[0]


def run(c, port, pki, out_dir):
    """Run one case with its capture; every process started here is ended here."""
    pcap = os.path.join(out_dir, "capture.pcap")
    caps = [] if c.get("mid_connection") else [Capture(pcap, port)]
    srv = cli = None
    try:
        srv = subprocess.Popen(server_of(c, port, pki), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
        if not wait_for(lambda: listening(port)):
            raise SystemExit(f"{c['id']}: the server did not start listening")
        cli = subprocess.Popen(client_of(c, port, pki), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
        feed_client(cli, c.get("mid_connection"), lambda: caps.append(Capture(pcap, port)))
        cli_out = finish(cli, 20)
        if c["server"][0] == "gnutls":
            time.sleep(0.3)
        srv_out = finish(srv, 10, terminate=c["server"][0] == "gnutls")
        return cli_out, srv_out
    finally:
        for p in (cli, srv):
            if p is not None and p.poll() is None:
                p.kill()
                p.wait()
        for cap in caps:
            cap.stop()


def wire_alerts(pcap, server_port):
    """Plaintext alerts in the capture as tshark dissects them: `[(sender, name)]`."""
    out = subprocess.run(["tshark", "-r", pcap, "-Y", "tls.alert_message.desc", "-T", "fields", "-e", "tcp.srcport",
                          "-e", "tls.alert_message.desc"], capture_output=True, text=True, check=True).stdout
    alerts = []
    for line in out.splitlines():
        sport, descs = line.split("\t")
        for d in descs.split(","):
            who = "server" if int(sport) == server_port else "client"
            alerts.append((who, stacks.ALERT_NAMES.get(int(d), d)))
    return alerts


def verdict(c, cli_out, srv_out, pcap, port):
    """What the verifying stack printed, in the fields of case.json."""
    who = c["verifier"]
    stack = c[who][0] if who else c["client"][0]
    text = {"client": cli_out, "server": srv_out}.get(who, cli_out)
    other = srv_out if who == "client" else cli_out
    v = {"verifier": who, "stack": stack, "printed": stacks.interesting_lines(stack, text)}
    if stack == "openssl":
        errors = stacks.openssl_verify_errors(text)
        if errors:
            v["verify_code"], v["verify_depth"], v["verify_text"] = errors[0]
            v["verify_errors"] = [list(e) for e in errors]
        reason = stacks.openssl_error_reason(text)
        if reason:
            v["error"] = reason
        code = stacks.openssl_return_code(text)
        if code is not None:
            v["verify_return_code"] = code
        if c.get("leaf_not_after"):
            v["leaf_not_after"] = stacks.openssl_leaf_not_after(text)
    elif stack == "python":
        for line in text.splitlines():
            if line.startswith("{"):
                r = json.loads(line)
                v.update({k: r[k] for k in ("verify_code", "verify_message", "error", "text") if k in r})
    plain = wire_alerts(pcap, port)
    sent = [a for a in plain if a[0] == who and a[1] != "close_notify"]
    if sent:
        v["alert"], v["alert_from"], v["alert_on_wire"] = sent[0][1], who, "plaintext"
    elif who:
        number = stacks.received_alert(other) or stacks.received_alert(text)
        if number is not None:
            v["alert"], v["alert_from"], v["alert_on_wire"] = stacks.ALERT_NAMES.get(number, str(number)), who, \
                "encrypted"
    v["plaintext_alerts_in_capture"] = [list(a) for a in plain]
    v["peer_printed"] = stacks.interesting_lines(c[{"client": "server", "server": "client"}.get(who, "server")][0],
                                                 other)
    return v


def check(c, v, cli_out, srv_out):
    """Differences between what the stack said and the case's `want`."""
    want, bad = c["want"], []
    if want.get("ok"):
        if v.get("alert") or v.get("verify_code") or v.get("error"):
            bad.append(f"expected a healthy connection, got {v}")
        return bad
    for key, field in (("code", "verify_code"), ("depth", "verify_depth"), ("alert", "alert"),
                       ("wire", "alert_on_wire"), ("return_code", "verify_return_code")):
        if key in want and want[key] != v.get(field):
            bad.append(f"{key}: want {want[key]!r}, the stack said {v.get(field)!r}")
    if "status" in want and want["status"] and want["status"] not in "\n".join(v["printed"]):
        bad.append(f"status: want a message with {want['status']!r}, got {v['printed']}")
    if "error" in want and want["error"] not in cli_out + srv_out:
        bad.append(f"error: want {want['error']!r} in the output")
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="tests/data/real-stacks")
    ap.add_argument("--only", default="")
    ap.add_argument("--keep-going", action="store_true", help="record cases whose stack disagrees with `want`")
    a = ap.parse_args()
    if a.only and os.path.abspath(a.out) == os.path.abspath("tests/data/real-stacks"):
        raise SystemExit("--only makes a new PKI: try it in another --out; regenerate the corpus whole")
    if os.geteuid() != 0:
        raise SystemExit("run as root (tcpdump on loopback)")
    for tool in ("openssl", "gnutls-serv", "gnutls-cli", "tcpdump", "tshark", "ss"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing (apt-get install gnutls-bin tcpdump tshark iproute2)")
    work = tempfile.mkdtemp(prefix="real-stacks-")
    pki = pki_mod.build(work)
    versions = stacks.versions()
    os.makedirs(a.out, exist_ok=True)
    certs_dir = os.path.join(a.out, "anchors")
    os.makedirs(certs_dir, exist_ok=True)
    failed = []
    for i, c in enumerate(case_table.all_cases()):
        if a.only not in c["id"]:
            continue
        port = c["port"] or BASE_PORT + i
        out_dir = os.path.join(a.out, c["id"])
        os.makedirs(out_dir, exist_ok=True)
        cli_out, srv_out = run(c, port, pki, out_dir)
        v = verdict(c, cli_out, srv_out, os.path.join(out_dir, "capture.pcap"), port)
        bad = check(c, v, cli_out, srv_out)
        status = "ok" if not bad else "DIFFERS: " + "; ".join(bad)
        print(f"{c['id']:60} {status}", flush=True)
        if bad:
            failed.append(c["id"])
            if not a.keep_going:
                print("client printed:\n" + cli_out + "\nserver printed:\n" + srv_out, file=sys.stderr)
                continue
        for name in c["anchors"]:
            shutil.copy(pki.path(name, "crt"), os.path.join(certs_dir, f"{name}.pem"))
        record = {
            "case": c["id"], "tls": "TLS " + c["tls"], "port": port, "note": c["note"],
            "server": {"stack": c["server"][0], "command": readme.shown(server_of(c, port, pki), work)},
            "client": {"stack": c["client"][0], "command": readme.shown(client_of(c, port, pki), work)},
            "versions": versions, "stack_verdict": v, "expect": c["expect"],
            "anchors": [f"anchors/{n}.pem" for n in c["anchors"]],
        }
        with open(os.path.join(out_dir, "case.json"), "w") as f:
            json.dump(record, f, indent=2)
            f.write("\n")
    sslv2.write(os.path.join(a.out, "handbuilt-sslv2-server-hello"), pki)
    readme.write(a.out)
    shutil.rmtree(work)
    if failed:
        raise SystemExit(f"{len(failed)} case(s) where the stack disagreed with the table: {failed}")


if __name__ == "__main__":
    main()
