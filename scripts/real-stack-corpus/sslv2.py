"""A hand-built SSL 2.0 handshake: no stack available here (OpenSSL 3.0, GnuTLS 3.7, Python's
ssl) still speaks SSL 2.0, so this case is written byte by byte after RFC 6101 appendix E and
the SSL 2.0 draft: CLIENT-HELLO (version 0.2), SERVER-HELLO carrying a real certificate of the
corpus PKI, CLIENT-MASTER-KEY, then encrypted records both ways (random bytes: their content is
never read), wrapped in consistent TCP/IP framing. Nothing was captured on a network; the case
says so in its case.json."""
import json
import os
import random
import struct
import subprocess

import pcapwrite

CLIENT = ("127.0.0.1", 50222)
SERVER = ("127.0.0.1", 443)
RC4_128_WITH_MD5 = b"\x01\x00\x80"
DES_192_EDE3_CBC_WITH_MD5 = b"\x07\x00\xc0"


def record(body):
    """A two-byte-header SSL 2.0 record."""
    return struct.pack(">H", 0x8000 | len(body)) + body


def messages(cert_der, rng):
    challenge = rng.randbytes(16)
    specs = RC4_128_WITH_MD5 + DES_192_EDE3_CBC_WITH_MD5
    client_hello = record(b"\x01" + struct.pack(">HHHH", 0x0002, len(specs), 0, len(challenge)) + specs + challenge)
    conn_id = rng.randbytes(16)
    server_hello = record(b"\x04\x00\x01" + struct.pack(">HHHH", 0x0002, len(cert_der), 3, len(conn_id)) + cert_der
                          + RC4_128_WITH_MD5 + conn_id)
    enc_key = rng.randbytes(256)
    master_key = record(b"\x02" + RC4_128_WITH_MD5 + struct.pack(">HHH", 0, len(enc_key), 0) + enc_key)
    sealed = lambda n: record(rng.randbytes(16 + n))  # MAC + encrypted data
    return [
        ("c", client_hello), ("s", server_hello), ("c", master_key + sealed(17)),
        ("s", sealed(17) + sealed(17)), ("c", sealed(17)), ("c", sealed(40)), ("s", sealed(40)),
    ]


def write(out_dir, pki):
    os.makedirs(out_dir, exist_ok=True)
    der = subprocess.run(["openssl", "x509", "-in", pki.path("server", "crt"), "-outform", "DER"],
                         capture_output=True, check=True).stdout
    rng = random.Random(2)
    pcapwrite.conversation(os.path.join(out_dir, "capture.pcap"), CLIENT, SERVER, messages(der, rng),
                           start=1780300800)  # 2026-06-01 08:00:00 UTC
    record_json = {
        "case": "handbuilt-sslv2-server-hello", "tls": "SSL 2.0", "port": 443,
        "note": "hand-built: no available stack speaks SSL 2.0; the server answers an SSL 2.0 CLIENT-HELLO with "
                "an SSL 2.0 SERVER-HELLO carrying the corpus server certificate, the client sends "
                "CLIENT-MASTER-KEY and both sides go on with encrypted SSL 2.0 records",
        "server": {"stack": "hand-built", "command": "scripts/real-stack-corpus/sslv2.py"},
        "client": {"stack": "hand-built", "command": "scripts/real-stack-corpus/sslv2.py"},
        "versions": {}, "stack_verdict": {"verifier": None, "stack": "hand-built", "printed": []},
        "expect": {"no_error": True, "outcome": "established"}, "anchors": [],
    }
    with open(os.path.join(out_dir, "case.json"), "w") as f:
        json.dump(record_json, f, indent=2)
        f.write("\n")
