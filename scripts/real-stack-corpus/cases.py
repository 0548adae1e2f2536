"""The corpus cases: who serves which chain, who connects trusting what, and what the verifying
stack is expected to say (`want`, checked against what it printed: a stack that says something
else stops the run, so the corpus never records a guess) and what tlstriage must find (`expect`).

`want`: `code`/`depth` the first OpenSSL verify error the verifier printed (OpenSSL and Python;
GnuTLS prints no codes: `status` is a phrase of its message instead), `alert` the alert the
verifier sent and `wire` whether it crossed the wire in `plaintext` or `encrypted`; `ok` for a
healthy connection.
`expect`: the finding kind tlstriage must give with its `depth`, `severity` class (`error`: error
or critical), `also` other kinds that may accompany it, `detail` a phrase its text must hold,
`fix` a phrase its remediation steps must hold; `healthy`: no finding at warning or above;
`outcome`: the handshake's outcome in the JSON. `leaf_not_after`: record the leaf's end date as
the client printed it (the stack's word on a certificate that expires soon).
"""

SERVER_CHAIN = ("server", ("int",))


def case(cid, server, client, tls, want, expect, verifier="client", note="", anchors=(), port=None, **extra):
    return dict(id=cid, server=server, client=client, tls=tls, want=want, expect=expect, verifier=verifier,
                note=note, anchors=list(anchors), port=port, **extra)


def kind(k, depth=None, also=(), detail=None):
    e = {"kind": k, "severity": "error"}
    if depth is not None:
        e["depth"] = depth
    if also:
        e["also"] = list(also)
    if detail:
        e["detail"] = detail
    return e


HEALTHY = {"healthy": True, "outcome": "established"}

# Server-certificate problems judged by a client: (name, served cert, chain, client options,
# OpenSSL's (code, depth, alert), GnuTLS status phrase, expected finding, server options).
SERVER_PROBLEMS = [
    ("expired-leaf", "server-expired", ("int",), {}, (10, 0, "certificate_expired"), "expired",
     kind("expired-cert", 0), {}),
    ("expired-intermediate", "server-under-expired", ("int-expired",), {}, (10, 1, "certificate_expired"),
     "expired", kind("expired-ca", 1), {}),
    ("not-yet-valid", "server-future", ("int",), {}, (9, 0, "bad_certificate"), "not yet valid",
     kind("not-yet-valid", 0), {}),
    ("self-signed", "selfsigned", (), {}, (18, 0, "unknown_ca"), "issuer is unknown", kind("self-signed", 0), {}),
    ("self-signed-in-chain", "other-server", ("other-int", "other-root"), {}, (19, 2, "unknown_ca"),
     "issuer is unknown", kind("unknown-ca", 2), {}),
    ("untrusted-issuer", "other-server", ("other-int",), {}, (20, 1, "unknown_ca"), "issuer is unknown",
     kind("unknown-ca", 1), {}),
    ("missing-intermediate", "server", (), {}, (20, 0, "unknown_ca"), "issuer is unknown", kind("unknown-ca", 0),
     {}),
    ("trusted-intermediate-without-root", "server", ("int",), {"ca": "int"}, (2, 1, "unknown_ca"), None,
     kind("unknown-ca", 1), {}),
    ("wrong-purpose", "server-clientauth", ("int",), {}, (26, 0, "unsupported_certificate"), "purpose",
     kind("invalid-purpose", 0), {}),
    ("hostname-mismatch", "server", ("int",), {"host": "other.corpus.test"}, (62, 0, "bad_certificate"),
     "does not match", kind("verify-failed", 0), {}),
    ("weak-key", "server-weak", ("int",), {"auth_level": 2}, (66, 0, "bad_certificate"), None,
     kind("weak-certificate", 0), {"seclevel0": True}),
    ("sha1-intermediate", "server-under-sha1", ("int-sha1",), {}, (68, 1, "bad_certificate"), "insecure",
     kind("weak-certificate", 1), {"seclevel0": True}),
    ("expired-and-weak", "server-weak-expired", ("int",), {"auth_level": 2}, (66, 0, "bad_certificate"), None,
     kind("weak-certificate", 0, also=["expired-cert"]), {"seclevel0": True}),
    ("unknown-critical-extension", "server-critical-ext", ("int",), {}, (34, 0, "certificate_unknown"),
     "unknown critical extension", kind("verify-failed", 0), {}),
    ("out-of-order-expired-intermediate", "server-under-expired", ("root", "int-expired"), {},
     (10, 1, "certificate_expired"), "expired", kind("expired-ca", 1), {}),
]

# s_client without -verify_return_error goes on after each error: with a missing intermediate it
# reports 20 then 21 at depth 0, ends with "Verify return code: 21" and completes the handshake.
# The capture shows only a leaf sent alone and accepted (as a leaf issued by a trusted root is):
# tlstriage mentions the issuer not sent, at info.
NOT_ENFORCED = case("openssl-tls2-missing-intermediate-not-enforced", ("openssl", {"cert": "server", "chain": ()}),
                    ("openssl", {"ca": "root", "enforce": False}), "1.2", {"return_code": 21},
                    {"kind": "unknown-ca", "depth": 0, "severity": "info", "detail": "went on"},
                    note="s_client reports the errors but goes on (no -verify_return_error)")

# A healthy connection whose server certificate ends EXPIRING_DAYS (60) days after the run: the
# client prints its NotAfter; tlstriage warns from the capture alone.
EXPIRING = case("openssl-tls2-expiring-leaf", ("openssl", {"cert": "server-expiring", "chain": ("int",)}),
                ("openssl", {"ca": "root"}), "1.2", {"ok": True},
                {"kind": "expiring-soon", "depth": 0, "severity": "warning", "outcome": "established"},
                leaf_not_after=True, note="the server's certificate ends 60 days after the capture")

HEALTHY_CHAINS = [
    ("out-of-order-ok", "server", ("root", "int"), {}, ()),
    ("cross-signed-ok", "server", ("int", "root-cross"), {}, ("root",)),
]

# Which problems each client stack is run against, per TLS version.
CLIENT_RUNS = {
    ("openssl", "1.2"): [p[0] for p in SERVER_PROBLEMS],
    ("openssl", "1.3"): ["expired-leaf", "expired-intermediate", "self-signed", "untrusted-issuer",
                         "hostname-mismatch", "wrong-purpose", "weak-key", "unknown-critical-extension"],
    ("gnutls", "1.2"): ["expired-leaf", "expired-intermediate", "not-yet-valid", "self-signed", "untrusted-issuer",
                        "missing-intermediate", "hostname-mismatch", "wrong-purpose", "sha1-intermediate",
                        "unknown-critical-extension"],
    ("gnutls", "1.3"): ["expired-leaf", "expired-intermediate", "untrusted-issuer", "hostname-mismatch"],
    ("python", "1.2"): ["expired-leaf", "self-signed", "untrusted-issuer", "hostname-mismatch",
                        "unknown-critical-extension"],
    ("python", "1.3"): ["expired-leaf", "untrusted-issuer"],
}


TLS13_NOTE = "TLS 1.3: the server's certificates are encrypted; only the client's alert can be judged"


def encrypted_rejection():
    return {**kind("handshake-failed", detail="encrypted alert"), "outcome": "rejected-encrypted"}


def tls13_expectation(want):
    """What a TLS 1.3 capture can show of a client refusing the server's certificate: never the
    certificate (encrypted), only the alert when it is sent in plaintext (OpenSSL's client does;
    GnuTLS' encrypts it too)."""
    if want["wire"] == "encrypted":
        return encrypted_rejection()
    if want["alert"] == "unknown_ca":
        return kind("unknown-ca")
    return kind("peer-rejected-certificate", detail=want["alert"])


def client_side_cases():
    out = []
    for stack in ("openssl", "gnutls", "python"):
        for tls in ("1.2", "1.3"):
            out.append(case(f"{stack}-tls{tls[-1]}-ok", (stack, {"cert": "server", "chain": ("int",)}),
                            (stack, {"ca": "root"}), tls, {"ok": True}, HEALTHY, verifier=None))
    for (stack, tls), names in CLIENT_RUNS.items():
        for name, cert, chain, copts, (code, depth, alert), status, expect, sopts in SERVER_PROBLEMS:
            if name not in names:
                continue
            want = {"alert": alert, "wire": "plaintext"}
            if stack == "gnutls":
                # gnutls-cli 3.7 answers every verification failure with bad_certificate.
                want = {"status": status, "alert": "bad_certificate", "wire": "plaintext" if tls == "1.2" else
                        "encrypted"}
            else:
                # Python's ssl reports OpenSSL's code but no depth.
                want.update(code=code, **({"depth": depth} if stack == "openssl" else {}))
            client = {"ca": copts.get("ca", "root"), **{k: v for k, v in copts.items() if k != "ca"}}
            # What the client trusted, where tlstriage needs it: a trust verdict without an
            # unknown_ca alert (GnuTLS says bad_certificate) is only reached with --ca.
            trust = expect["kind"] in ("unknown-ca", "self-signed") and stack == "gnutls"
            anchors = [client["ca"]] if "ca" in copts or trust else []
            note = ""
            if tls == "1.3":
                expect, note = tls13_expectation(want), TLS13_NOTE
                anchors = []
            out.append(case(f"{stack}-tls{tls[-1]}-{name}", ("openssl", {"cert": cert, "chain": chain, **sopts}),
                            (stack, client), tls, want, expect, anchors=anchors, note=note))
    for name, cert, chain, copts, anchors in HEALTHY_CHAINS:
        out.append(case(f"openssl-tls2-{name}", ("openssl", {"cert": cert, "chain": chain}),
                        ("openssl", {"ca": "root"}), "1.2", {"ok": True}, HEALTHY, verifier=None, anchors=anchors))
    return out + [NOT_ENFORCED, EXPIRING]


def mutual_cases():
    """Client certificates judged by the server; sftunnel-like runs on port 8305."""
    out = []
    enc = encrypted_rejection()
    for stack in ("openssl", "gnutls", "python"):
        srv = lambda **k: (stack, {"cert": "server", "chain": ("int",), "client_ca": "root", **k})
        cli = lambda cert=None, chain=(): ("openssl", {"ca": "root", "cert": cert, "chain": chain})
        rows = [
            ("1.2", "client-expired", cli("client-expired", ("int",)), {"code": 10, "depth": 0,
             "alert": "certificate_expired", "wire": "plaintext"}, kind("expired-cert", 0)),
            ("1.2", "client-untrusted", cli("other-client", ("other-int",)), {"code": 20, "depth": 1,
             "alert": "unknown_ca", "wire": "plaintext"}, kind("unknown-ca", 1)),
            ("1.2", "client-sent-no-certificate", cli(), {"alert": "handshake_failure", "wire": "plaintext"},
             kind("handshake-failed", detail="no certificate")),
            ("1.3", "client-expired", cli("client-expired", ("int",)), {"code": 10, "depth": 0,
             "alert": "certificate_expired", "wire": "encrypted"}, enc),
            ("1.3", "client-untrusted", cli("other-client", ("other-int",)), {"code": 20, "depth": 1,
             "alert": "unknown_ca", "wire": "encrypted"}, enc),
            ("1.3", "client-sent-no-certificate", cli(), {"alert": "certificate_required", "wire": "encrypted"}, enc),
        ]
        for tls, name, client, want, expect in rows:
            if stack == "python" and "untrusted" not in name:
                continue
            if stack != "openssl":
                want = {k: v for k, v in want.items() if k not in ("code", "depth")}
            if stack == "gnutls":
                # gnutls-serv 3.7 refuses a client certificate with access_denied, and an empty
                # Certificate message of TLS 1.2 with decode_error.
                want["alert"] = {"client-sent-no-certificate": "decode_error" if tls == "1.2" else
                                 "certificate_required"}.get(name, "access_denied")
            anchors = ["root"] if stack == "gnutls" and expect.get("kind") == "unknown-ca" else []
            out.append(case(f"{stack}-server-tls{tls[-1]}-{name}", srv(), client, tls, want, expect,
                            verifier="server", anchors=anchors))
    sft_server = ("openssl", {"cert": "fmc", "chain": ("ica-new",), "client_ca": "ica-new"})
    for tls in ("1.2", "1.3"):
        out.append(case(f"sftunnel-tls{tls[-1]}-ok", sft_server,
                        ("openssl", {"ca": "ica-new", "cert": "ftd", "chain": ("ica-new",), "host": None}), tls,
                        {"ok": True}, HEALTHY, verifier=None, port=8305))
    old = ("openssl", {"ca": "ica-new", "cert": "ftd-old", "chain": ("ica-old",), "host": None})
    out.append(case("sftunnel-tls2-old-internalca-device-cert", sft_server, old, "1.2",
                    {"code": 19, "depth": 1, "alert": "unknown_ca", "wire": "plaintext"},
                    kind("unknown-ca", 1, also=["expired-ca", "expired-cert"]), verifier="server", port=8305))
    out.append(case("sftunnel-tls3-old-internalca-device-cert", sft_server, old, "1.3",
                    {"code": 19, "depth": 1, "alert": "unknown_ca", "wire": "encrypted"}, enc, verifier="server",
                    port=8305))
    # The device refuses the FMC's expired certificate: the alert comes from the client, and every
    # text must say so (not the FMC's address, which is the attempt's peer).
    expired_fmc = ("openssl", {"cert": "fmc-expired", "chain": ("ica-new",), "client_ca": "ica-new"})
    ftd = ("openssl", {"ca": "ica-new", "cert": "ftd", "chain": ("ica-new",), "host": None})
    refused = {"code": 10, "depth": 0, "alert": "certificate_expired", "wire": "plaintext"}
    out.append(case("sftunnel-tls2-expired-fmc-cert", expired_fmc, ftd, "1.2", refused,
                    kind("expired-cert", 0, detail="the client answered with alert certificate_expired"), port=8305))
    out.append(case("sftunnel-tls3-expired-fmc-cert", expired_fmc, ftd, "1.3", refused,
                    {**kind("peer-rejected-certificate", detail="the client sent alert certificate_expired"),
                     "fix": "The client (127.0.0.1) answered with alert certificate_expired"}, port=8305,
                    note=TLS13_NOTE))
    return out


def special_cases():
    out = []
    for stack, tls in (("openssl", "1.2"), ("openssl", "1.3"), ("gnutls", "1.3")):
        out.append(case(f"{stack}-tls{tls[-1]}-mid-connection", (stack, {"cert": "server", "chain": ("int",)}),
                        (stack, {"ca": "root"}), tls, {"ok": True}, {"healthy": True, "outcome": "not-captured"},
                        verifier=None, mid_connection=True,
                        note="the capture starts after the handshake of a long-lived connection"))
    for stack in ("openssl", "python"):
        out.append(case(f"{stack}-plain-http-answer", ("http", {}), (stack, {"ca": "root"}), "1.2",
                        {"error": "wrong version number" if stack == "openssl" else "WRONG_VERSION_NUMBER"},
                        kind("handshake-failed", detail="not TLS"), verifier="client",
                        note="the server speaks plain HTTP and answers the ClientHello with 400 Bad Request"))
    return out


def all_cases():
    return client_side_cases() + mutual_cases() + special_cases()
