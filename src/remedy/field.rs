//! Catalog entries for the kinds that field material brings: a tunnel a status output shows
//! down, TLS 1.3 post-handshake authentication failing, certificates refused as weak. Kept
//! apart from the main catalog so that each entry stands on its own.
//!
//! A step written wholly inside `[[...]]` is left out when a value it names is unknown.

use super::catalog::Entry;
use crate::diagnose::Kind;
use crate::model::Context;

const TUNNEL_SEEN: &str = "[[{tls_explanation} ]]The status output[[ ({status_command})]] shows the tunnel to {peer} \
down[[; the last disconnect reason given is: {last_disconnect_reason}]].";
const TUNNEL_PORT: &str = "Check that TCP port 8305 is reachable in both directions between the FMC and {peer} \
(`nc -vz` from each side's expert mode to the other's management address, port 8305); look for access rules, NAT or a \
proxy between them that drop or rewrite the connection.";
const TUNNEL_ADDRESS: &str = "Check whether a management address changed: `show managers` on the device shows the \
address it uses for the FMC, and the FMC keeps the device's address in its device settings. Correct the side that \
still has the old one (`configure manager edit` on the device, or the device's Host on the FMC).";
const TUNNEL_BOTH_SIDES: &str = "Run `sftunnel_status.pl` on the FMC and `sftunnel-status` (or `sftunnel_status.pl` \
in expert mode) on the device, and compare: which side sees which channel down, and the last disconnect reason of \
each.";
const TUNNEL_LOGS: &str = "If it stays down, restart the tunnel on the device with `pmtool restartbyid sftunnel` and \
run tlstriage on the sftunneld lines of /var/log/messages from both sides.";

const PHA_SEEN: &str = "The client's certificate was not accepted after the TLS 1.3 handshake[[ (the tunnel failed \
at {failed_steps})]][[; the log asks to re-connect {reconnect_peer}]].";
const PHA_CA: &str = "Compare the InternalCA each side holds: `openssl x509 -noout -subject -enddate -fingerprint \
-sha256 -in /etc/sf/ca_root/cacert.pem` on the FMC, and the same command on the cacert.pem in the FMC's folder under \
/var/sf/peers/ on the device. The fingerprints must be equal.";
const PHA_ISSUER: &str = "Check that the device's sftunnel certificate comes from the FMC's current CA: copy its \
sftunnel-cert.pem to the FMC and run `openssl verify -CAfile /etc/sf/ca_root/cacert.pem sftunnel-cert.pem` there.";
const PHA_REPUSH: &str = "If the CAs differ or the verify fails, push the device's certificates again from the FMC \
(`generate_certs.pl`, then `copy_sftunnel_certs.py` for the devices it could not reach; `tlstriage explain expired-ca` \
has the order), or register the device again; then run `pmtool restartbyid sftunnel` on the device.";
const PHA_VERSION: &str =
    "Compare the TLS version set in the proxyssl block of /etc/sf/sftunnel.conf on both sides: a \
device whose settings were left behind by an upgrade (seen after 7.2 to 7.6) cannot answer the post-handshake \
authentication the FMC asks for.";

const WEAK_SEEN: &str = "The certificate[[ {subject}]] was refused with OpenSSL error {verify_code} ({verify_text})\
[[: {weak_reason}]].";
const WEAK_CHECK: &str = "Read the certificate's signature algorithm and key size with `openssl x509 -noout -text` on \
the certificate file (and on its CA): a SHA-1 or MD5 signature, or an RSA key under 2048 bits, is refused by current \
OpenSSL security levels.";
const WEAK_SFTUNNEL: &str = "For the sftunnel this is a known FMC defect: the device's certificate was signed with a \
weak digest. On the FMC, revoke and re-issue the device's sftunnel certificate (`generate_certs.pl` re-issues them), \
copy the new files to the device and run `pmtool restartbyid sftunnel` there.";
const WEAK_REISSUE: &str = "Re-issue the certificate (and, for codes 67 and 68, its CA) with a SHA-256 or stronger \
signature and an RSA key of 2048 bits or more (or an EC key), and install it where the old one was.";

pub static FIELD: &[Entry] = &[
    Entry {
        id: "sftunnel-tunnel-down",
        kind: Kind::TunnelDown,
        context: None,
        title: "Find out why the tunnel is down, outside TLS first when no certificate explains it",
        steps: &[TUNNEL_SEEN, TUNNEL_PORT, TUNNEL_ADDRESS, TUNNEL_BOTH_SIDES, TUNNEL_LOGS],
    },
    Entry {
        id: "sftunnel-post-handshake-auth",
        kind: Kind::PostHandshakeAuthFailed,
        context: None,
        title: "Give the device an sftunnel certificate from the FMC's current InternalCA",
        steps: &[PHA_SEEN, PHA_CA, PHA_ISSUER, PHA_REPUSH, PHA_VERSION],
    },
    Entry {
        id: "sftunnel-reissue-weak-cert",
        kind: Kind::WeakCertificate,
        context: Some(Context::Sftunnel),
        title: "Re-issue the device's sftunnel certificate on the FMC",
        steps: &[WEAK_SEEN, WEAK_SFTUNNEL, WEAK_CHECK],
    },
    Entry {
        id: "reissue-weak-cert",
        kind: Kind::WeakCertificate,
        context: None,
        title: "Re-issue the certificate with a stronger key and signature",
        steps: &[WEAK_SEEN, WEAK_CHECK, WEAK_REISSUE],
    },
];
