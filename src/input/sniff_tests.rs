//! Which format the sniffers of the registry give the inputs that look like several.

use super::format_of as sniff;
use crate::model::Format;

const SYSLOG: &str = "Mar 14 06:00:05 ftd-branch-07 SF-IMS[3120]: [4310] sftunneld:sf_ssl [INFO] Initiating IPv4 connection to 192.168.45.10:8305/tcp\n";
const PEM: &str = "-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n";

#[test]
fn a_log_that_carries_a_pem_block_stays_a_log() {
    let log = format!("{SYSLOG}{PEM}{SYSLOG}");
    assert_eq!(sniff("var/log/messages", log.as_bytes()), Format::Syslog);
    let proxy =
        format!("2015-06-11 09:12:40,002 INFO TLS_Proxy - Decryption policy configuration loaded (version 112)\n{PEM}");
    assert_eq!(sniff("tls_proxy.log", proxy.as_bytes()), Format::TlsProxyLog);
}

#[test]
fn pem_after_openssl_text_is_pem_unless_the_text_is_openssl_output() {
    assert_eq!(sniff("ca.pem", PEM.as_bytes()), Format::Pem);
    let bag = format!("Bag Attributes\n    localKeyID: 01 02 03\nsubject=CN = ca\nissuer=CN = ca\n{PEM}");
    assert_eq!(sniff("bundle.crt", bag.as_bytes()), Format::Pem);
    // An `s_client` transcript is read by the openssl reader, its PEM block included.
    let s_client = format!(
        "CONNECTED(00000003)\ndepth=0 CN = fmc\nverify error:num=18:self-signed certificate\n---\nCertificate chain\n 0 s:CN = fmc\n{PEM}"
    );
    assert_eq!(sniff("s_client.txt", s_client.as_bytes()), Format::named("openssl"));
    // Its lines in a case note among sftunneld lines leave it an excerpt.
    let note = format!(
        "{}\nverify error:num=10:certificate has expired\n",
        SYSLOG.replace("Mar 14 06:00:05 ftd-branch-07 SF-IMS[3120]: ", "")
    );
    assert_eq!(sniff("note.txt", note.as_bytes()), Format::Excerpt);
    // Armour that does not start a line is not a PEM block.
    assert_eq!(sniff("notes", b"see -----BEGIN CERTIFICATE----- above\n"), Format::Unknown);
}

#[test]
fn only_a_proxyssl_block_makes_sftunnel_conf() {
    let conf = "# sftunnel\nproxyssl\n{\n    proxy_cert /etc/sf/keys/sftunnel-cert.pem;\n};\n";
    assert_eq!(sniff("etc/sf/sftunnel.conf", conf.as_bytes()), Format::SftunnelConf);
    assert_eq!(sniff("sftunnel.conf", b"proxyssl {\n proxy_cert x;\n};\n"), Format::SftunnelConf);
    let readme = "| `etc/sf/sftunnel.conf` | `proxyssl { ... }` naming the keys |\n";
    assert_eq!(sniff("README.md", readme.as_bytes()), Format::Unknown);
}
