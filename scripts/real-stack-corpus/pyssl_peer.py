"""One end of a TLS connection with Python's `ssl` module, for the real-stack corpus.

    pyssl_peer.py server PORT --cert C --key K [--ca CA --require-client-cert] [--tls 1.2|1.3]
    pyssl_peer.py client PORT [--ca CA] [--host NAME] [--cert C --key K] [--tls 1.2|1.3]
    pyssl_peer.py http PORT

The server accepts one connection and echoes one message; the client sends one message and
reads the answer. What happened is printed as one JSON object on stdout: `ok`, or the exception's
class and text, and for a certificate verification error its `verify_code` and `verify_message`
(the OpenSSL code that Python's ssl reports).
"""
import argparse
import json
import socket
import ssl
import sys


def versions(ctx, tls):
    if tls:
        v = {"1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3}[tls]
        ctx.minimum_version = v
        ctx.maximum_version = v


def report(**fields):
    fields["openssl"] = ssl.OPENSSL_VERSION
    fields["python"] = sys.version.split()[0]
    print(json.dumps(fields), flush=True)


def failure(e):
    out = {"ok": False, "error": type(e).__name__, "text": str(e)}
    if isinstance(e, ssl.SSLCertVerificationError):
        out["verify_code"] = e.verify_code
        out["verify_message"] = e.verify_message
    return out


def server(a):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    versions(ctx, a.tls)
    ctx.load_cert_chain(a.cert, a.key)
    if a.require_client_cert:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(a.ca)
    with socket.create_server(("127.0.0.1", a.port)) as ls:
        print("listening", file=sys.stderr, flush=True)
        ls.settimeout(20)
        conn, _ = ls.accept()
        try:
            with ctx.wrap_socket(conn, server_side=True) as tls:
                data = tls.recv(1024)
                tls.sendall(data[::-1])
                tls.unwrap()
            report(ok=True)
        except (ssl.SSLError, OSError) as e:
            report(**failure(e))


def client(a):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    versions(ctx, a.tls)
    if a.ca:
        ctx.load_verify_locations(a.ca)
    if a.cert:
        ctx.load_cert_chain(a.cert, a.key)
    ctx.check_hostname = True
    try:
        with socket.create_connection(("127.0.0.1", a.port), timeout=10) as s:
            with ctx.wrap_socket(s, server_hostname=a.host) as tls:
                tls.sendall(b"ping from python\n")
                tls.recv(1024)
                try:
                    tls.unwrap()
                except (ssl.SSLError, OSError):
                    pass
        report(ok=True)
    except (ssl.SSLError, OSError) as e:
        report(**failure(e))


def http(a):
    """A plain-HTTP listener on the port a client takes for TLS: it answers whatever arrives with
    400 Bad Request and closes, as web servers do."""
    with socket.create_server(("127.0.0.1", a.port)) as ls:
        print("listening", file=sys.stderr, flush=True)
        ls.settimeout(20)
        conn, _ = ls.accept()
        with conn:
            conn.recv(4096)
            body = b"<html><body>400 Bad Request</body></html>\r\n"
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: "
                         + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
        report(ok=True, answered="HTTP/1.1 400 Bad Request")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["server", "client", "http"])
    p.add_argument("port", type=int)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--ca")
    p.add_argument("--host", default="server.corpus.test")
    p.add_argument("--tls")
    p.add_argument("--require-client-cert", action="store_true")
    a = p.parse_args()
    {"server": server, "client": client, "http": http}[a.mode](a)


if __name__ == "__main__":
    main()
