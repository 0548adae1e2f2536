//! The catalog entries for the kinds that need fewer words (disk consistency, failed pushes,
//! expiry warnings, OpenSSL codes, incomplete handshakes); kept apart from [`super::catalog`]
//! so each file stays readable.

use super::catalog::{Entry, BACKUP, GENERATE, HA_ORDER, HOTFIX};
use crate::diagnose::Kind;
use crate::model::Context;

/// Entries for kinds that need fewer words; kept apart to keep the table above readable.
pub static MORE: &[Entry] = &[
    Entry {
        id: "sftunnel-recopy-matching-files",
        kind: Kind::CaMismatch,
        context: None,
        title: "Copy the three sftunnel files again, together",
        steps: &[
            "{cert_path} is not signed by {ca_path} beside it: the folder holds files of two different generations, \
typically after a manual copy that stopped half-way.",
            "Back up the folder, copy cacert.pem, sftunnel-cert.pem and sftunnel-key.pem from the same FMC run \
(the paths in FAILED_PUSH), then `chmod 644` and `chown root:root` them and run `pmtool restartbyid sftunnel` on the \
box that holds the folder (a device, never the FMC while its CA is expired).",
            "Check with `openssl verify -CAfile cacert.pem sftunnel-cert.pem` in that folder.",
        ],
    },
    Entry {
        id: "sftunnel-recopy-key",
        kind: Kind::KeyMismatch,
        context: None,
        title: "Put back the private key that belongs to the certificate",
        steps: &[
            "{key_path} does not belong to {cert_path}: the tunnel cannot authenticate with this pair.",
            "Copy the key and the certificate again from the same generate_certs.pl run, then run `pmtool restartbyid \
sftunnel` on the box that holds them. To compare a pair without showing the key, hash the public parts in that folder: \
`openssl x509 -noout -pubkey -in sftunnel-cert.pem | sha256sum` and `openssl pkey -pubout -in sftunnel-key.pem | \
sha256sum`.",
        ],
    },
    Entry {
        id: "sftunnel-push-failed",
        kind: Kind::CertPushFailed,
        context: None,
        title: "Copy the regenerated certificates to the device",
        steps: &[
            "generate_certs.pl could not copy the new files to {device_name}[[ ({peer_ip}]][[, UUID {device_uuid}]][[)]]:\n{files}",
            "Automated: list the device in devices.csv and run `copy_sftunnel_certs.py devices.csv` on the FMC \
(or the jump-server variant); `tlstriage plan` writes the CSV.",
            "By hand on {device_name} (expert, `sudo su`): go to {peer_folder}, back up cacert.pem, \
sftunnel-cert.pem and sftunnel-key.pem (`cp X X.backup`), paste the new contents from the FMC paths above, \
`chmod 644` and `chown root:root` the three files, then `pmtool restartbyid sftunnel`.",
            "Confirm on the FMC with `sftunnel_status.pl` that {device_name} is connected.",
        ],
    },
    Entry {
        id: "sftunnel-renew-before-expiry",
        kind: Kind::ExpiringSoon,
        context: Some(Context::Sftunnel),
        title: "Renew the sftunnel certificates while the tunnels are still up",
        steps: &[
            "{subject} in {path} expires[[ on {not_after}]][[ ({time_left} left)]].",
            "Renewing now is the easy case: the tunnels are up, so generate_certs.pl pushes the new files itself.",
            BACKUP,
            HOTFIX,
            HA_ORDER,
            GENERATE,
            "Afterwards check `sftunnel_status.pl` and push by hand only to the devices listed in FAILED_PUSH.",
        ],
    },
    Entry {
        id: "renew-before-expiry",
        kind: Kind::ExpiringSoon,
        context: None,
        title: "Renew the certificate before it expires",
        steps: &[
            "{subject} in {path} expires[[ on {not_after}]][[ ({time_left} left)]]: renew it and deploy the new one.",
        ],
    },
    Entry {
        id: "investigate-verification",
        kind: Kind::VerifyFailed,
        context: None,
        title: "Fix the certificate problem OpenSSL names",
        steps: &[
            "Verification failed with OpenSSL code {verify_code} ({verify_text})[[ for {subject}]].",
            "Check the chain on the verifying side with `openssl verify -CAfile` followed by the CA file it trusts and \
the certificate file it was given.",
        ],
    },
    Entry {
        id: "investigate-handshake",
        kind: Kind::HandshakeFailed,
        context: None,
        title: "Collect more evidence about the failed handshake",
        steps: &[
            "The handshake with {peer} failed and the evidence does not say why.",
            "Capture the handshake (`capture-traffic` or tcpdump on the device, port 8305 for sftunnel) and run \
tlstriage on the pcap together with both sides' logs.",
        ],
    },
    Entry {
        id: "capture-longer",
        kind: Kind::HandshakeIncomplete,
        context: None,
        title: "Capture the whole handshake",
        steps: &["The capture stops before the handshake with {peer} ended: start the capture earlier or let it run \
longer."],
    },
];
