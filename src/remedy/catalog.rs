//! The catalog entries: for each finding kind and context, a title and step templates.
//!
//! Templates name values with `{key}`; [`super::fill`] replaces them with the finding's facts,
//! or with a plain wording when a value is not known (never a `<key>` marker). `{hotfix_step}`
//! comes from the version of the finding's own FMC. The InternalCA kinds of an FMC's system take
//! their steps from the system instead (`super::from_system`); these entries speak when a
//! finding has no system or its system has no steps.

use crate::diagnose::Kind;
use crate::model::Context;

/// One entry of the catalog.
pub struct Entry {
    pub id: &'static str,
    pub kind: Kind,
    /// `None` matches any context (the fallback for the kind).
    pub context: Option<Context>,
    pub title: &'static str,
    pub steps: &'static [&'static str],
}

const CHECK_CA: &str = "On the FMC, in expert mode as root, read the InternalCA's dates: \
`openssl x509 -dates -noout -in /etc/sf/ca_root/cacert.pem`.[[ The failing CA is {ca_subject}.]][[ Its notAfter is \
{ca_not_after}.]]";
const NO_REBOOT: &str = "Until the new certificates are in place, do not reboot or upgrade the FMC or any FTD: every \
tunnel that goes down stays down, and each such device then needs its certificates copied by hand.";
pub(super) const BACKUP: &str =
    "Take a backup of {fmc} (System > Tools > Backup/Restore) before touching its certificates.";
pub(super) const HOTFIX: &str = "{hotfix_step}";
pub(super) const GENERATE: &str =
    "Check which tunnels are up with `sftunnel_status.pl`, then run `generate_certs.pl` on {fmc}. \
It stops when a critical operation is running (backup/restore, SRU/VDB update, HA operation, upgrade, smart licence \
registration): let those finish first (with Classic licences only, TAC has to bypass the check).";
pub(super) const HA_ORDER: &str =
    "With FMC high availability, regenerate on the primary FMC first and then on the secondary: \
the secondary is managed like a device by the primary, and each FMC has its own InternalCA with its own expiry.";
const PUSH: &str =
    "generate_certs.pl lists the devices it could not reach in a FAILED_PUSH file under /var/tmp/certs/ (in a \
folder named after the run's Unix time). Push their files with `copy_sftunnel_certs.py devices.csv` on the FMC (or \
`copy_sftunnel_certs_jumpserver.py` from a host that reaches the FMC and the devices by SSH), or copy cacert.pem, \
sftunnel-cert.pem and sftunnel-key.pem by hand into {peer_folder} on {push_to} and run `pmtool restartbyid sftunnel` \
on that device (not on the FMC). `tlstriage plan` writes the CSV and the commands for each device.";
const VERIFY: &str = "Confirm on the FMC with `sftunnel_status.pl` that {push_to} is connected again.";
const IMPORT_1: &str = "In PRSM (Configurations > Policies/Settings > Decryption policies), add a policy above the \
others whose destination is a network group holding the server ({peer}) with the action Do not decrypt; save and commit.";
const IMPORT_2: &str = "Browse to the server through the module, open the certificate viewer and export the server's \
certificate ({subject}) to a file.";
const IMPORT_3: &str = "In PRSM, Configurations > Certificates > I want to... > Import certificate: upload that file, \
save and commit. The module now trusts the server.";
const IMPORT_4: &str = "Delete the temporary Do not decrypt policy and commit, so the traffic is decrypted again.";

pub static ENTRIES: &[Entry] = &[
    Entry {
        id: "sftunnel-renew-internal-ca",
        kind: Kind::ExpiredCa,
        context: Some(Context::Sftunnel),
        title: "Renew the FMC InternalCA and re-issue the sftunnel certificates",
        steps: &[CHECK_CA, BACKUP, NO_REBOOT, HOTFIX, HA_ORDER, GENERATE, PUSH, VERIFY],
    },
    Entry {
        id: "sftunnel-renew-internal-ca",
        kind: Kind::ExpiredCa,
        context: Some(Context::FmcHa),
        title: "Renew the InternalCA of the primary FMC, then of the secondary",
        steps: &[CHECK_CA, BACKUP, NO_REBOOT, HOTFIX, HA_ORDER, GENERATE, PUSH, VERIFY],
    },
    Entry {
        id: "renew-ca",
        kind: Kind::ExpiredCa,
        context: None,
        title: "Renew the expired CA certificate and re-issue what it signed",
        steps: &[
            "The CA {ca_subject} has expired[[ (on {ca_not_after})]]: every certificate it signed is refused from then on.",
            "Issue a new CA certificate (or renew it with the same key), re-issue the end-entity certificates, and \
install both the new chain and the new CA in the trust stores of the peers.",
        ],
    },
    Entry {
        id: "sftunnel-reissue-device-cert",
        kind: Kind::ExpiredCert,
        context: Some(Context::Sftunnel),
        title: "Re-issue the expired sftunnel certificate",
        steps: &[
            "The certificate {subject} (depth 0) has expired[[ (notAfter {not_after})]].",
            BACKUP,
            HOTFIX,
            GENERATE,
            PUSH,
            VERIFY,
        ],
    },
    Entry {
        id: "renew-cert",
        kind: Kind::ExpiredCert,
        context: None,
        title: "Renew the expired certificate",
        steps: &[
            "The certificate {subject} sent by the {sent_by} has expired[[ (on {not_after})]].",
            "Issue a new certificate from the same CA and install it with its key on {peer}; check the new file's \
dates with `openssl x509 -dates -noout -in` followed by its path.",
        ],
    },
    Entry {
        id: "check-clocks",
        kind: Kind::NotYetValid,
        context: None,
        title: "Fix the clock, or wait for the certificate's start date",
        steps: &[
            "[[The certificate was used {clock_behind} before its notBefore: that is the verifying device's clock running \
behind. Check NTP there first (`ntpq -p`, `date -u`) and correct the clock; the certificate itself is fine.]]",
            "A certificate[[ ({subject})]] is used before its notBefore date: the clock of the verifying side is behind, \
or the issuer's clock was ahead when the certificate was made.",
            "Compare `date -u` on both ends and check NTP (`ntpq -p` on Firepower); fix the clock before re-issuing.",
            "If the clocks are right, re-issue the certificate with a correct notBefore.",
        ],
    },
    Entry {
        id: "tls-proxy-import-server-cert",
        kind: Kind::SelfSigned,
        context: Some(Context::TlsProxy),
        title: "Import the server's certificate into the TLS proxy",
        steps: &[IMPORT_1, IMPORT_2, IMPORT_3, IMPORT_4],
    },
    Entry {
        id: "sftunnel-recopy-certs",
        kind: Kind::SelfSigned,
        context: Some(Context::Sftunnel),
        title: "Put the InternalCA-signed certificates back on the peer",
        steps: &[
            "{peer} presents {subject}, a self-signed certificate instead of one issued by the FMC InternalCA.",
            PUSH,
            VERIFY,
        ],
    },
    Entry {
        id: "trust-self-signed",
        kind: Kind::SelfSigned,
        context: None,
        title: "Trust the self-signed certificate, or replace it",
        steps: &[
            "{peer} presents the self-signed certificate {subject}.",
            "Either replace it with a certificate from a CA the clients trust, or add exactly this certificate to \
the clients' trust store (pass it with --ca to judge captures against it).",
        ],
    },
    Entry {
        id: "tls-proxy-import-server-cert",
        kind: Kind::UnknownCa,
        context: Some(Context::TlsProxy),
        title: "Import the server's certificate (or its CA) into the TLS proxy",
        steps: &[IMPORT_1, IMPORT_2, IMPORT_3, IMPORT_4],
    },
    Entry {
        id: "sftunnel-recopy-certs",
        kind: Kind::UnknownCa,
        context: Some(Context::Sftunnel),
        title: "Make both ends hold certificates of the same InternalCA",
        steps: &[
            "The chain from {peer} ends at an issuer ({issuer}) that is not the InternalCA this side trusts: the two \
ends hold certificates from different generations of the CA.",
            "On the device, check with `openssl verify -CAfile cacert.pem sftunnel-cert.pem` in {peer_folder}.",
            PUSH,
            VERIFY,
        ],
    },
    Entry {
        id: "trust-issuer",
        kind: Kind::UnknownCa,
        context: None,
        title: "Install the missing issuer or send the full chain",
        steps: &[
            "The chain from {peer} leads to {issuer}, which the receiving side does not trust.",
            "Configure the server to send its intermediate certificates, and add the root CA to the client's trust \
store (use --ca to judge a capture against it).",
        ],
    },
    Entry {
        id: "tls-proxy-k9-license",
        kind: Kind::CipherMismatch,
        context: Some(Context::TlsProxy),
        title: "Install the K9 (3DES/AES) licence, then align the server's cipher suites",
        steps: &[
            "Without the 3DES/AES (K9) licence the module offers only weak suites. The licence costs nothing: download \
it and upload it to the module through PRSM.",
            "If the handshake still fails, capture the module-to-server handshake and ask the server's administrator \
to enable a suite the module offers ({offered_suites}).",
        ],
    },
    Entry {
        id: "align-cipher-suites",
        kind: Kind::CipherMismatch,
        context: None,
        title: "Enable a cipher suite both sides support",
        steps: &[
            "The client offered {offered_suites}; the server ({peer}) accepted none of them.[[ In other \
connections of the capture the same server chose {server_suites}.]]",
            "Enable one of these suites on the server, or widen the client's list; for sftunnel, check proxy_cipher in \
/etc/sf/sftunnel.conf on both ends.",
        ],
    },
    Entry {
        id: "align-protocol-versions",
        kind: Kind::ProtocolMismatch,
        context: None,
        title: "Enable a TLS version both sides support",
        steps: &[
            "The client offered {offered_versions}; the server ({peer}) refused them[[ (alert {alert})]][[ ({ssl_error})]].",
            "Enable TLS 1.2 (or the version the client offers) on the server, or raise the client's version. For \
sftunnel both ends use proxy_tls_version from /etc/sf/sftunnel.conf (TLSv1.2).",
        ],
    },
    Entry {
        id: "sftunnel-peer-rejects-cert",
        kind: Kind::PeerRejectedCertificate,
        context: Some(Context::Sftunnel),
        title: "The peer refuses this side's sftunnel certificate: check the InternalCA and the copies on the peer",
        steps: &[
            "{peer} answered with alert {alert}: it does not accept the certificate (or the InternalCA behind it) that \
this side sends.",
            CHECK_CA,
            "If the CA has expired, follow `tlstriage explain expired-ca`: back up the FMC, install its hotfix, run \
generate_certs.pl, and push the files to {push_to}.",
            PUSH,
            VERIFY,
        ],
    },
    Entry {
        id: "peer-rejects-cert",
        kind: Kind::PeerRejectedCertificate,
        context: None,
        title: "Find out why the peer refuses the certificate",
        steps: &[
            "The {rejected_by} sent alert {alert} about the certificate it was given.",
            "Check that certificate's dates and chain (`openssl x509 -dates -issuer -noout`), and the peer's trust \
store and clock; the peer's own log names the exact reason.",
        ],
    },
    Entry {
        id: "sftunnel-connection-refused",
        kind: Kind::ConnectionRefused,
        context: Some(Context::Sftunnel),
        title: "Make sftunneld reachable on TCP 8305",
        steps: &[
            "Nothing accepted the connection to {peer}: check that sftunneld runs there (`pmtool status | grep -i \
sftunnel`) and start it with `pmtool restartbyid sftunnel`.",
            "Check that TCP 8305 is open between the devices (access rules, NAT, routing).",
            VERIFY,
        ],
    },
    Entry {
        id: "connection-refused",
        kind: Kind::ConnectionRefused,
        context: None,
        title: "Make the service reachable",
        steps: &["Check that the service on {peer} is running and listening, and that no firewall resets the connection."],
    },
];
