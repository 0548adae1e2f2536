"""The corpus README: how the corpus is made, and one table row per case from its case.json."""
import glob
import json
import os
import shlex

HEAD = """# Real-stack corpus

Captures of TLS connections between real stacks on loopback, each beside what the stacks
themselves printed (`case.json`). Made by `scripts/real-stack-corpus/make.py` (as root: it runs
`tcpdump -i lo` on the case's port); the integration test `real_stacks` runs tlstriage on every
case and compares with `expect`. The `probe-*` cases come from a probe run by hand with the same
stacks (`scripts/real-stack-corpus/probe/run.sh`: `tcpdump -i lo -U [-s N]`, then the server and
the client named in case.json, whose `note` says how the capture was made or cut).

- `stack_verdict`: what the verifying side printed — OpenSSL's `verify error:num=N` and depth
  (all of them, in order, in `verify_errors`), GnuTLS' status line, Python's
  `SSLCertVerificationError` (`verify_code`, `verify_message`); the alert it sent, by whom, and
  whether it crossed the wire in plaintext (read from the capture with tshark) or encrypted (then
  the alert is the one the receiving stack says it got).
- `expect`: the finding kind tlstriage must give (`kind`, `depth`, `severity` class `error` =
  error or critical, `also` = other kinds allowed beside it, `detail` = a phrase its text must
  hold, `fix` = a phrase its remediation steps must hold); `healthy` = no finding at warning or
  above; `no_error` = nothing at error or above;
  `outcome` = the handshake's outcome in `--format json` (`not-captured`: the capture starts after
  the handshake; `rejected-encrypted`: an encrypted alert-sized record, then the connection
  closed, right after the other side's flight; `unreadable`: frames cut by the snapshot length
  hid the handshake; `closed-or-rejected`: TLS 1.3, the server's one alert-sized record right
  after the client's lone Finished, then the close — a close_notify and a refusal look alike).
- TLS 1.3 encrypts the certificates: where the client refused the server's certificate, the
  expectation is what the capture can show — the client's alert when it is plaintext (OpenSSL
  and Python send it so: `unknown-ca` on unknown_ca, else `peer-rejected-certificate` naming the
  alert), or a rejection whose alert is encrypted (GnuTLS, and every server refusing a client
  certificate): `handshake-failed` saying so, with outcome `rejected-encrypted`.
- `anchors`: trust anchors to pass with `--ca` (the certificates the verifying stack trusted,
  where tlstriage needs them to reach the same verdict).
- Certificates come from `openssl ca` with fixed dates (valid ones run to 2045, expired ones
  ended in 2020, the not-yet-valid one starts in 2040), so every verdict holds whenever the
  corpus is regenerated or read; the one that expires soon ends 60 days after the day the corpus
  was made, which its verdict counts from the handshake (`leaf_not_after`: the end date the
  client printed). Keys are never written to the corpus.

| case | TLS | server | client | stack verdict | tlstriage must find |
|---|---|---|---|---|---|
"""


def shown(cmd, work):
    """A command as shown in case.json: the work directory's paths shortened to their names."""
    return " ".join(shlex.quote(a.replace(work + "/", "")) for a in cmd).replace(os.path.dirname(__file__) + "/", "")


def verdict_cell(v):
    parts = []
    if "verify_code" in v:
        depth = f" depth {v['verify_depth']}" if v.get("verify_depth") is not None else ""
        parts.append(f"verify error {v['verify_code']}{depth}")
    elif v.get("stack") == "gnutls" and v.get("printed"):
        status = [p for p in v["printed"] if p.startswith("- Status")]
        if status:
            parts.append(status[0].replace("- Status: ", "").replace("|", "/"))
    if v.get("alert"):
        parts.append(f"{v['alert_from']} sends {v['alert']} ({v['alert_on_wire']})")
    if v.get("error") and "verify_code" not in v:
        parts.append(v["error"])
    if v.get("leaf_not_after"):
        parts.append(f"handshake completes; the leaf's NotAfter is {v['leaf_not_after']}")
    return "; ".join(parts) or "handshake completes"


def expect_cell(e):
    outcome = f"; handshake `{e['outcome']}`" if e.get("outcome") else ""
    return expect_finding(e) + outcome


def expect_finding(e):
    if e.get("healthy"):
        return "nothing at warning or above"
    if e.get("no_error"):
        return "nothing at error or above"
    s = f"`{e['kind']}`" + (f" depth {e['depth']}" if "depth" in e else "")
    if e.get("severity") in ("warning", "info"):
        s += f" ({e['severity']})"
    if e.get("also"):
        s += " (may list " + ", ".join(f"`{k}`" for k in e["also"]) + ")"
    if e.get("detail"):
        s += f", saying \"{e['detail']}\""
    if e.get("fix"):
        s += f", its steps saying \"{e['fix']}\""
    return s


def write(out):
    rows = []
    for path in sorted(glob.glob(os.path.join(out, "*", "case.json"))):
        with open(path) as f:
            c = json.load(f)
        rows.append(f"| `{c['case']}` | {c['tls']} | {c['server']['stack']} | {c['client']['stack']} | "
                    f"{verdict_cell(c['stack_verdict'])} | {expect_cell(c['expect'])} |")
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write(HEAD + "\n".join(rows) + "\n")
