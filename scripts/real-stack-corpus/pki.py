"""The corpus PKI, made with the openssl command line: keys, CSRs and `openssl ca` with fixed
start and end dates (so every verdict about dates holds whenever the corpus is regenerated) and
fixed serial numbers; the one exception ends a fixed number of days after the run (`EXPIRING`),
so that its verdict, counted from the handshake, holds too. Keys stay in the work directory;
only certificates are copied to the corpus.
"""
import datetime
import os
import subprocess

CA_CONF = """\
[ ca ]
default_ca = corpus
[ corpus ]
database = {dir}/index.txt
new_certs_dir = {dir}/issued
serial = {dir}/serial
policy = anything
unique_subject = no
email_in_dn = no
preserve = yes
default_md = sha256
[ anything ]
commonName = supplied
organizationName = optional
organizationalUnitName = optional
title = optional
"""

ROLE_EXT = {
    "root": "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n",
    "intermediate": "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n"
                    "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n",
    "server": "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
              "extendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n",
    "client": "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
              "extendedKeyUsage=clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n",
    # An sftunnel device certificate is used on both ends of the tunnel.
    "device": "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
              "extendedKeyUsage=serverAuth,clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n",
}


class Pki:
    def __init__(self, workdir):
        self.dir = workdir
        os.makedirs(os.path.join(workdir, "issued"), exist_ok=True)
        open(os.path.join(workdir, "index.txt"), "w").close()
        with open(os.path.join(workdir, "ca.cnf"), "w") as f:
            f.write(CA_CONF.format(dir=workdir))
        self.serial = 0x1000
        self.certs = {}

    def path(self, name, ext):
        return os.path.join(self.dir, f"{name}.{ext}")

    def run(self, *args):
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    def key(self, name, bits=2048):
        if not os.path.exists(self.path(name, "key")):
            self.run("genpkey", "-algorithm", "RSA", "-pkeyopt", f"rsa_keygen_bits:{bits}", "-out", self.path(name, "key"))
        return self.path(name, "key")

    def issue(self, name, subject, role, start, end, issuer=None, key=None, bits=2048, md="sha256", san=None,
              eku=None, extra=""):
        """Issue certificate `name` (signed by `issuer`, or self-signed). `key` reuses another
        certificate's key (a cross-certificate); `eku` replaces the role's extended key usage."""
        key_path = self.key(key or name, bits)
        ext = ROLE_EXT[role]
        if eku is not None:
            ext = "\n".join(line for line in ext.splitlines() if not line.startswith("extendedKeyUsage")) + "\n"
            ext += f"extendedKeyUsage={eku}\n"
        if san:
            ext += "subjectAltName=" + ",".join(san) + "\n"
        ext += extra
        with open(self.path(name, "ext"), "w") as f:
            f.write("[ ext ]\n" + ext)
        self.run("req", "-new", "-key", key_path, "-subj", subject, "-out", self.path(name, "csr"))
        self.serial += 1
        with open(os.path.join(self.dir, "serial"), "w") as f:
            f.write(f"{self.serial:X}\n")
        sign = ["-selfsign", "-keyfile", key_path] if issuer is None else [
            "-cert", self.path(issuer, "crt"), "-keyfile", self.path(issuer, "key")]
        self.run("ca", "-batch", "-config", os.path.join(self.dir, "ca.cnf"), "-in", self.path(name, "csr"),
                 "-out", self.path(name, "crt"), "-startdate", start, "-enddate", end, "-md", md,
                 "-extfile", self.path(name, "ext"), "-extensions", "ext", "-notext", *sign)
        if key:
            # The cross-certificate shares `key`'s key file; keep a copy under its own name.
            with open(key_path) as src, open(self.path(name, "key"), "w") as dst:
                dst.write(src.read())
        self.certs[name] = self.path(name, "crt")
        return self.path(name, "crt")

    def bundle(self, out_name, *names):
        """Concatenate certificates (PEM) in the order given into `out_name`.pem."""
        out = os.path.join(self.dir, f"{out_name}.pem")
        with open(out, "w") as f:
            for n in names:
                with open(self.path(n, "crt")) as c:
                    f.write(c.read())
        return out


SERVER_SAN = ["DNS:server.corpus.test", "IP:127.0.0.1"]
ROOT_SUBJECT = "/O=tlstriage corpus/CN=Corpus Root CA"

# UTCTime dates (YYMMDDHHMMSSZ). Captures are made now (2026 or later): "valid" certificates run
# to 2045, "expired" ones ended in 2020, the "not yet valid" one starts in 2040.
LONG = ("200101000000Z", "491231000000Z")
VALID = ("240101000000Z", "450101000000Z")
EXPIRED = ("190101000000Z", "200601000000Z")
FUTURE = ("400101000000Z", "450101000000Z")
# Days left at the handshake of the certificate that expires soon: within tlstriage's warning
# window (90 days), outside its error window (30).
EXPIRING_DAYS = 60


def expiring():
    """Valid from 2024 to EXPIRING_DAYS days after today (the day the corpus is made)."""
    end = datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=EXPIRING_DAYS)
    return VALID[0], end.strftime("%y%m%d") + "000000Z"


def build(workdir):
    """Every certificate the cases use."""
    p = Pki(workdir)
    p.issue("root", ROOT_SUBJECT, "root", *LONG)
    p.issue("int", "/O=tlstriage corpus/CN=Corpus Issuing CA", "intermediate", *LONG, issuer="root")
    p.issue("server", "/O=tlstriage corpus/CN=server.corpus.test", "server", *VALID, issuer="int", san=SERVER_SAN)
    p.issue("client", "/O=tlstriage corpus/CN=client.corpus.test", "client", *VALID, issuer="int",
            san=["DNS:client.corpus.test"])
    p.issue("server-expired", "/O=tlstriage corpus/CN=server.corpus.test", "server", *EXPIRED, issuer="int",
            san=SERVER_SAN)
    p.issue("client-expired", "/O=tlstriage corpus/CN=client.corpus.test", "client", *EXPIRED, issuer="int",
            san=["DNS:client.corpus.test"])
    p.issue("server-future", "/O=tlstriage corpus/CN=server.corpus.test", "server", *FUTURE, issuer="int",
            san=SERVER_SAN)
    p.issue("server-expiring", "/O=tlstriage corpus/CN=server.corpus.test", "server", *expiring(), issuer="int",
            san=SERVER_SAN)
    p.issue("server-weak", "/O=tlstriage corpus/CN=server.corpus.test", "server", *VALID, issuer="int", bits=1024,
            san=SERVER_SAN)
    p.issue("server-weak-expired", "/O=tlstriage corpus/CN=server.corpus.test", "server", *EXPIRED, issuer="int",
            bits=1024, san=SERVER_SAN)
    p.issue("server-clientauth", "/O=tlstriage corpus/CN=server.corpus.test", "server", *VALID, issuer="int",
            san=SERVER_SAN, eku="clientAuth")
    p.issue("server-critical-ext", "/O=tlstriage corpus/CN=server.corpus.test", "server", *VALID, issuer="int",
            san=SERVER_SAN, extra="1.3.6.1.4.1.55555.1=critical,ASN1:UTF8String:tlstriage corpus\n")
    p.issue("selfsigned", "/O=tlstriage corpus/CN=server.corpus.test", "server", *VALID, san=SERVER_SAN)
    # An intermediate that expired, and a leaf under it that is itself valid.
    p.issue("int-expired", "/O=tlstriage corpus/CN=Corpus Old Issuing CA", "intermediate", "150101000000Z",
            "200101000000Z", issuer="root")
    p.issue("server-under-expired", "/O=tlstriage corpus/CN=server.corpus.test", "server", *VALID,
            issuer="int-expired", san=SERVER_SAN)
    # An intermediate signed with SHA-1 by the root, and a leaf under it.
    p.issue("int-sha1", "/O=tlstriage corpus/CN=Corpus SHA-1 Issuing CA", "intermediate", *LONG, issuer="root",
            md="sha1")
    p.issue("server-under-sha1", "/O=tlstriage corpus/CN=server.corpus.test", "server", *VALID, issuer="int-sha1",
            san=SERVER_SAN)
    # Another organisation's PKI with the same shape, trusted by nobody here.
    p.issue("other-root", "/O=Other Org/CN=Other Root CA", "root", *LONG)
    p.issue("other-int", "/O=Other Org/CN=Other Issuing CA", "intermediate", *LONG, issuer="other-root")
    p.issue("other-server", "/O=Other Org/CN=server.corpus.test", "server", *VALID, issuer="other-int",
            san=SERVER_SAN)
    p.issue("other-client", "/O=Other Org/CN=client.corpus.test", "client", *VALID, issuer="other-int",
            san=["DNS:client.corpus.test"])
    # Cross-signing: an expired certificate of the root's name and key, issued by a legacy root.
    p.issue("legacy-root", "/O=tlstriage corpus/CN=Corpus Legacy Root", "root", "100101000000Z", "491231000000Z")
    p.issue("root-cross", ROOT_SUBJECT, "intermediate", "150101000000Z", "210101000000Z", issuer="legacy-root",
            key="root")
    # sftunnel-like: an old InternalCA (expired) and the current one, device certificates of both.
    ims = "/title=InternalCA/OU=Intrusion Management System/CN={}/O=Cisco Systems, Inc"
    p.issue("ica-old", ims.format("2d7b9e10-d1a3-11e3-8c4f-0b5e3a9f7c21"), "root", "140506000000Z", "240506000000Z")
    p.issue("ica-new", ims.format("8f3c2a64-5b1e-11ea-9d2f-4a1c7e0b6d35"), "root", "240301000000Z",
            "340301000000Z")
    dev = "/OU=Intrusion Management System/CN={}/O=Cisco Systems, Inc"
    p.issue("fmc", dev.format("e6a1f0b8-5b1f-11ea-a7c3-6d2e9b4f8a12"), "device", "240301000000Z", "340301000000Z",
            issuer="ica-new", san=["IP:127.0.0.1"])
    p.issue("fmc-expired", dev.format("e6a1f0b8-5b1f-11ea-a7c3-6d2e9b4f8a12"), "device", "240301000000Z",
            "250301000000Z", issuer="ica-new", san=["IP:127.0.0.1"])
    p.issue("ftd", dev.format("c41e7d92-7a30-11ec-b8e6-93f2d45a10bf"), "device", "240301000000Z", "340301000000Z",
            issuer="ica-new", san=["IP:127.0.0.1"])
    p.issue("ftd-old", dev.format("c41e7d92-7a30-11ec-b8e6-93f2d45a10bf"), "device", "140506000000Z",
            "240506000000Z", issuer="ica-old", san=["IP:127.0.0.1"])
    return p
