"""How each TLS stack is started as a server or a client, and how its own verdict is read from
what it printed. Commands are argument lists (no shell); paths are the work directory's."""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
HOST = "server.corpus.test"


def versions():
    """The version line of each stack, recorded in every case."""
    ossl = subprocess.run(["openssl", "version"], capture_output=True, text=True).stdout.strip()
    gnutls = subprocess.run(["gnutls-cli", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    import ssl
    return {"openssl": ossl, "gnutls": gnutls.strip(),
            "python": f"Python {sys.version.split()[0]} ssl ({ssl.OPENSSL_VERSION})"}


def openssl_tls(tls):
    return ["-tls1_2"] if tls == "1.2" else ["-tls1_3"]


def gnutls_priority(tls):
    return "NORMAL:-VERS-ALL:+VERS-TLS" + tls


def server_cmd(stack, port, tls, pki, cert, chain=(), client_ca=None, request_only=False, seclevel0=False):
    """Start a server of `stack` that presents `cert` (+ `chain`, in that order) and, with
    `client_ca`, requires (or with `request_only` only asks for) a client certificate."""
    key = pki.path(cert, "key")
    if stack == "openssl":
        cmd = ["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-cert", pki.path(cert, "crt"), "-key", key,
               "-naccept", "1", "-rev", *openssl_tls(tls)]
        if chain:
            cmd += ["-cert_chain", pki.bundle(f"chain-{cert}-{'-'.join(chain)}", *chain)]
        if client_ca:
            cmd += ["-verify_return_error", "-verify" if request_only else "-Verify", "1",
                    "-CAfile", pki.path(client_ca, "crt")]
        if seclevel0:
            cmd += ["-cipher", "DEFAULT:@SECLEVEL=0"]
        return cmd
    if stack == "gnutls":
        cmd = ["gnutls-serv", "-p", str(port), "--echo", "--priority", gnutls_priority(tls),
               "--x509certfile", pki.bundle(f"gchain-{cert}-{'-'.join(chain)}", cert, *chain), "--x509keyfile", key]
        if client_ca:
            cmd += ["--x509cafile", pki.path(client_ca, "crt"), "--verify-client-cert"]
            if not request_only:
                cmd += ["--require-client-cert"]
        else:
            cmd += ["--disable-client-cert"]
        return cmd
    if stack == "python":
        cmd = [sys.executable, os.path.join(HERE, "pyssl_peer.py"), "server", str(port), "--tls", tls,
               "--cert", pki.bundle(f"pchain-{cert}-{'-'.join(chain)}", cert, *chain), "--key", key]
        if client_ca:
            cmd += ["--ca", pki.path(client_ca, "crt"), "--require-client-cert"]
        return cmd
    raise ValueError(stack)


def client_cmd(stack, port, tls, pki, ca, host=HOST, cert=None, chain=(), auth_level=None, sni=True, enforce=True):
    """Start a client of `stack` trusting `ca` (a certificate name or a PEM path), checking the
    server's name `host` (None: no name check), optionally with a client certificate. Without
    `enforce`, s_client reports verification errors but completes the handshake (its default)."""
    ca_path = ca if ca.endswith(".pem") else pki.path(ca, "crt")
    if stack == "openssl":
        cmd = ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-CAfile", ca_path, *openssl_tls(tls)]
        if enforce:
            cmd.append("-verify_return_error")
        if sni:
            # A client names the server it checks: the SNI is the name verified.
            cmd += ["-servername", host or HOST]
        if host:
            cmd += ["-verify_hostname", host]
        if cert:
            cmd += ["-cert", pki.path(cert, "crt"), "-key", pki.path(cert, "key")]
            if chain:
                cmd += ["-cert_chain", pki.bundle(f"cchain-{cert}", *chain)]
        if auth_level is not None:
            cmd += ["-auth_level", str(auth_level)]
        return cmd
    if stack == "gnutls":
        cmd = ["gnutls-cli", "-p", str(port), "--x509cafile", ca_path, "--priority", gnutls_priority(tls)]
        if sni:
            cmd += ["--sni-hostname", host or HOST]
        else:
            cmd += ["--disable-sni"]
        if host:
            cmd += ["--verify-hostname", host]
        if cert:
            cmd += ["--x509certfile", pki.bundle(f"gcchain-{cert}", cert, *chain), "--x509keyfile",
                    pki.path(cert, "key")]
        return cmd + ["127.0.0.1"]
    if stack == "python":
        cmd = [sys.executable, os.path.join(HERE, "pyssl_peer.py"), "client", str(port), "--tls", tls, "--ca",
               ca_path, "--host", host or "127.0.0.1"]
        if cert:
            cmd += ["--cert", pki.bundle(f"pcchain-{cert}", cert, *chain), "--key", pki.path(cert, "key")]
        return cmd
    raise ValueError(stack)


ALERT_NAMES = {0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac", 40: "handshake_failure",
               42: "bad_certificate", 43: "unsupported_certificate", 44: "certificate_revoked",
               45: "certificate_expired", 46: "certificate_unknown", 47: "illegal_parameter", 48: "unknown_ca",
               49: "access_denied", 50: "decode_error", 51: "decrypt_error", 70: "protocol_version",
               71: "insufficient_security", 80: "internal_error", 86: "inappropriate_fallback",
               109: "missing_extension", 112: "unrecognized_name", 116: "certificate_required"}


def openssl_verify_errors(text):
    """`[(code, depth, message)]` in the order s_client/s_server printed them."""
    out, depth = [], None
    for line in text.splitlines():
        m = re.match(r"depth=(\d+)", line)
        if m:
            depth = int(m.group(1))
        m = re.match(r"verify error:num=(\d+):(.*)", line)
        if m:
            out.append((int(m.group(1)), depth, m.group(2).strip()))
    return out


def openssl_return_code(text):
    """The `Verify return code: N` s_client prints for a completed handshake (the last error its
    verification met, or 0); `None` for an aborted one (it prints "Cipher is (NONE)" and a
    meaningless return code)."""
    m = re.search(r"Verify return code: (\d+)", text)
    return int(m.group(1)) if m and "Cipher is (NONE)" not in text else None


def openssl_leaf_not_after(text):
    """The end date s_client prints for the server's certificate (`v:NotBefore: ...; NotAfter: ...`
    of depth 0), as printed."""
    m = re.search(r"v:NotBefore: [^;]*; NotAfter: (.+)", text)
    return m.group(1).strip() if m else None


def openssl_error_reason(text):
    """The reason of the first OpenSSL error line (`...:SSL routines:function:reason:file:line:`)."""
    m = re.search(r"error:[0-9A-F]{8}:[^:]*:[^:]*:([^:]+):", text)
    return m.group(1) if m else None


def received_alert(text):
    """The alert number a stack says it received (OpenSSL, GnuTLS, Python wordings)."""
    m = re.search(r"alert number (\d+)", text) or re.search(r"Received alert \[(\d+)\]", text)
    if m:
        return int(m.group(1))
    m = re.search(r"TLSV1_ALERT_([A-Z_]+)|SSLV3_ALERT_([A-Z_]+)", text)
    if m:
        name = (m.group(1) or m.group(2)).lower()
        by_name = {v: k for k, v in ALERT_NAMES.items()}
        return by_name.get({"unknown_ca": "unknown_ca"}.get(name, name))
    return None


def interesting_lines(stack, text):
    """The lines of a stack's output that carry its verdict (kept in case.json as printed)."""
    keep = []
    for line in text.splitlines():
        line = line.rstrip()
        if stack == "openssl" and re.search(r"verify error|Verify return code|alert|error:[0-9A-F]{8}|verify return", line):
            keep.append(line)
        elif stack == "gnutls" and re.match(r"(- Status|\*\*\*|Error in handshake|- Certificate\[|.*[Aa]lert)", line):
            keep.append(line)
        elif stack == "python" and line.startswith("{"):
            keep.append(line)
    # The depth lines of OpenSSL repeat every certificate; keep the first 12 verdict lines.
    return keep[:12]
