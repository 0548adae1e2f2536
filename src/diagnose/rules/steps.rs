//! Step texts that several kinds' remediation entries share (the InternalCA renewal, pushing
//! regenerated files, importing a server's certificate into the TLS proxy). The steps of one
//! kind only stay in its rule file.

pub const CHECK_CA: &str = "On the FMC, in expert mode as root, read the InternalCA's dates: \
`openssl x509 -dates -noout -in /etc/sf/ca_root/cacert.pem`.[[ The failing CA is {ca_subject}.]][[ Its notAfter is \
{ca_not_after}.]]";
pub const NO_REBOOT: &str =
    "Until the new certificates are in place, do not reboot or upgrade the FMC or any FTD: every \
tunnel that goes down stays down, and each such device then needs its certificates copied by hand.";
pub const BACKUP: &str = "Take a backup of {fmc} (System > Tools > Backup/Restore) before touching its certificates.";
pub const HOTFIX: &str = "{hotfix_step}";
pub const GENERATE: &str =
    "Check which tunnels are up with `sftunnel_status.pl`, then run `generate_certs.pl` on {fmc}. \
It stops when a critical operation is running (backup/restore, SRU/VDB update, HA operation, upgrade, smart licence \
registration): let those finish first (with Classic licences only, TAC has to bypass the check).";
pub const HA_ORDER: &str =
    "With FMC high availability, regenerate on the primary FMC first and then on the secondary: \
the secondary is managed like a device by the primary, and each FMC has its own InternalCA with its own expiry.";
pub const PUSH: &str =
    "generate_certs.pl lists the devices it could not reach in a FAILED_PUSH file under /var/tmp/certs/ (in a \
folder named after the run's Unix time). Push their files with `copy_sftunnel_certs.py devices.csv` on the FMC (or \
`copy_sftunnel_certs_jumpserver.py` from a host that reaches the FMC and the devices by SSH), or copy cacert.pem, \
sftunnel-cert.pem and sftunnel-key.pem by hand into {peer_folder} on {push_to} and run `pmtool restartbyid sftunnel` \
on that device (not on the FMC). `tlstriage plan` writes the CSV and the commands for each device.";
pub const VERIFY: &str = "Confirm on the FMC with `sftunnel_status.pl` that {push_to} is connected again.";
pub const IMPORT_1: &str = "In PRSM (Configurations > Policies/Settings > Decryption policies), add a policy above the \
others whose destination is a network group holding the server ({peer}) with the action Do not decrypt; save and commit.";
pub const IMPORT_2: &str =
    "Browse to the server through the module, open the certificate viewer and export the server's \
certificate[[ ({subject})]] to a file.";
pub const IMPORT_3: &str =
    "In PRSM, Configurations > Certificates > I want to... > Import certificate: upload that file, \
save and commit. The module now trusts the server.";
pub const IMPORT_4: &str = "Delete the temporary Do not decrypt policy and commit, so the traffic is decrypted again.";
