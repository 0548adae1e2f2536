//! The two sample troubleshoot bundles in samples/bundles/: `ftd-branch-07.tar.gz`, an FTD that
//! still trusts the InternalCA which expired on 2026-03-10, and `fmc-hq-01.tar.gz`, its FMC
//! after `generate_certs.pl` made a new CA and could not push the new certificates to two FTDs.

use anyhow::Result;

use crate::archive::{pem, tar_gz, Member};
use crate::bundle_pki::{Cast, FMC_IP, FMC_NAME, FMC_UUID, FTD2_IP, FTD2_NAME, FTD2_UUID, FTD_IP, FTD_NAME, FTD_UUID};
use crate::pki::Issued;

const FTD_MESSAGES: &[u8] = include_bytes!("../../samples/logs/ftd-expired-ca/messages");
const FMC_MESSAGES: &[u8] = include_bytes!("../../samples/logs/fmc-expired-ca/messages");

/// Folder under `/var/tmp/certs/` that `generate_certs.pl` named after its start time
/// (2026-03-14 09:20:00 UTC).
const PUSH_TIME: u64 = 1_773_480_000;
/// mtime of every entry in the FTD bundle (2026-03-14 06:20:00 UTC) and the FMC bundle
/// (2026-03-14 09:40:00 UTC).
const FTD_MTIME: u64 = 1_773_469_200;
const FMC_MTIME: u64 = 1_773_481_200;

pub(crate) fn cert_pem(c: &Issued) -> String {
    pem("CERTIFICATE", c.der.as_ref())
}

pub(crate) fn key_pem(c: &Issued) -> Result<String> {
    Ok(pem("PRIVATE KEY", &c.key.pkcs8_v2()?))
}

pub(crate) fn ims_conf(uuid: &str, hostname: &str, version: &str, build: &str, model: &str, kind: &str) -> String {
    format!(
        "APPLIANCE_UUID={uuid}\nHOSTNAME={hostname}\nSWVERSION={version}\nSWBUILD={build}\n\
         MODEL={model}\nMODEL_TYPE={kind}\nMODEL_CLASS=Virtual\n"
    )
}

pub(crate) fn sftunnel_conf() -> String {
    "# sftunnel configuration (sample)\n\
     service_name sftunnel;\n\
     listen_port 8305;\n\
     proxyssl {\n    \
     proxy_cert /etc/sf/keys/sftunnel-cert.pem;\n    \
     proxy_key /etc/sf/keys/sftunnel-key.pem;\n    \
     proxy_cacert /etc/sf/ca_root/cacert.pem;\n    \
     proxy_crl /etc/sf/ca_root/crl.pem;\n    \
     proxy_cipher 1;\n    \
     proxy_tls_version TLSv1.2;\n\
     };\n"
        .to_string()
}

fn peer_json() -> String {
    format!(
        "{{\n  \"uuid\": \"{FMC_UUID}\",\n  \"name\": \"{FMC_NAME}\",\n  \"ip\": \"{FMC_IP}\",\n  \
         \"role\": \"manager\",\n  \"port\": 8305\n}}\n"
    )
}

/// Three rows per device: the CA and the device's new key and certificate, each with the path
/// it should get on the FTD (under the FMC's peer folder there).
fn failed_push() -> String {
    let mut out = String::new();
    for (uuid, name, ip) in [(FTD_UUID, FTD_NAME, FTD_IP), (FTD2_UUID, FTD2_NAME, FTD2_IP)] {
        let dest = format!("/var/sf/peers/{FMC_UUID}");
        out.push_str(&format!("{uuid} {name} {ip} /etc/sf/ca_root/cacert.pem {dest}/cacert.pem\n"));
        for file in ["sftunnel-key.pem", "sftunnel-cert.pem"] {
            let src = format!("/var/sf/peers/{uuid}/certs_pushed//{file}");
            out.push_str(&format!("{uuid} {name} {ip} {src} {dest}/{file}\n"));
        }
    }
    out
}

fn ftd_bundle(cast: &Cast) -> Result<Vec<u8>> {
    let root = format!("results-{FTD_NAME}/dir-archives");
    let peer = format!("{root}/var-sf-peers/{FMC_UUID}");
    let model = "Cisco Firepower Threat Defense for VMware";
    let members = [
        Member::file(format!("{root}/etc/sf/ims.conf"), ims_conf(FTD_UUID, FTD_NAME, "7.2.5", "208", model, "SENSOR")),
        Member::file(format!("{root}/var-log/messages"), FTD_MESSAGES),
        Member::file(format!("{peer}/cacert.pem"), cert_pem(&cast.old_ca)),
        Member::file(format!("{peer}/sftunnel-cert.pem"), cert_pem(&cast.ftd_old)),
        Member::secret(format!("{peer}/sftunnel-key.pem"), key_pem(&cast.ftd_old)?),
        Member::file(format!("{peer}/sftunnel.json"), peer_json()),
    ];
    tar_gz(&members, FTD_MTIME)
}

fn fmc_bundle(cast: &Cast) -> Result<Vec<u8>> {
    let root = format!("results-{FMC_NAME}/dir-archives");
    let pushed = format!("{root}/var-sf-peers/{FTD_UUID}/certs_pushed");
    let model = "Cisco Firepower Management Center for VMware";
    let members = [
        Member::file(format!("{root}/etc/sf/ims.conf"), ims_conf(FMC_UUID, FMC_NAME, "7.4.1", "172", model, "CONSOLE")),
        Member::file(format!("{root}/etc/sf/sftunnel.conf"), sftunnel_conf()),
        Member::file(format!("{root}/etc/sf/ca_root/cacert.pem"), cert_pem(&cast.new_ca)),
        Member::file(format!("{root}/etc/sf/keys/sftunnel-cert.pem"), cert_pem(&cast.fmc_new)),
        Member::secret(format!("{root}/etc/sf/keys/sftunnel-key.pem"), key_pem(&cast.fmc_new)?),
        Member::file(format!("{root}/var-log/messages"), FMC_MESSAGES),
        Member::file(format!("{root}/var-tmp/certs/{PUSH_TIME}/FAILED_PUSH"), failed_push()),
        // The half-finished manual copy: the new certificate, but the old CA beside it.
        Member::file(format!("{pushed}/cacert.pem"), cert_pem(&cast.old_ca)),
        Member::file(format!("{pushed}/sftunnel-cert.pem"), cert_pem(&cast.ftd_new)),
    ];
    tar_gz(&members, FMC_MTIME)
}

/// Both bundles as (file name, bytes).
pub fn all() -> Result<Vec<(String, Vec<u8>)>> {
    let cast = Cast::new()?;
    Ok(vec![(format!("{FTD_NAME}.tar.gz"), ftd_bundle(&cast)?), (format!("{FMC_NAME}.tar.gz"), fmc_bundle(&cast)?)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_push_rows() {
        let text = failed_push();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 6);
        assert_eq!(
            lines[1],
            "a7d20c4e-8b3f-11ee-9c41-6f2e81d05b19 ftd-branch-07 192.168.45.21 \
             /var/sf/peers/a7d20c4e-8b3f-11ee-9c41-6f2e81d05b19/certs_pushed//sftunnel-key.pem \
             /var/sf/peers/3b9c1e52-8a41-11e4-9c2f-5254001a7c33/sftunnel-key.pem"
        );
        assert_eq!(
            lines[3],
            "5e19b3f7-8c20-11ee-b2d6-0c4a7f93e1d8 ftd-dc-02 192.168.45.22 /etc/sf/ca_root/cacert.pem \
             /var/sf/peers/3b9c1e52-8a41-11e4-9c2f-5254001a7c33/cacert.pem"
        );
    }

    #[test]
    fn bundles_are_reproducible() {
        let a = all().expect("bundles");
        let b = all().expect("bundles");
        assert_eq!(a, b);
    }
}
