//! Recognise an input's format by its content (the name is only a tie-breaker).

use crate::model::Format;

const HEAD: usize = 64 * 1024;

/// Decide the format of `data` (whose display path is `path`).
pub fn sniff(path: &str, data: &[u8]) -> Format {
    if data.is_empty() {
        return Format::Empty;
    }
    if data.starts_with(&[0x1f, 0x8b]) {
        return Format::Gzip;
    }
    if data.len() >= 4 {
        match u32::from_le_bytes([data[0], data[1], data[2], data[3]]) {
            0xa1b2_c3d4 | 0xd4c3_b2a1 | 0xa1b2_3c4d | 0x4d3c_b2a1 => return Format::Pcap,
            0x0a0d_0d0a => return Format::Pcapng,
            _ => {}
        }
    }
    if data.len() >= 262 && &data[257..262] == b"ustar" {
        return Format::Tar;
    }
    let head = &data[..data.len().min(HEAD)];
    if head[0] == 0x30 && crate::x509::files::looks_like_der(data) {
        return Format::Der;
    }
    let text = String::from_utf8_lossy(head);
    if memchr::memmem::find(head, b"-----BEGIN ").is_some() && starts_as_pem(&text) {
        return Format::Pem;
    }
    let name = path.rsplit(['/', '!']).next().unwrap_or(path);
    sniff_text(&text, name)
}

/// Whether the text is a PEM file: a `-----BEGIN ` line, preceded only by lines that are not
/// log lines (what OpenSSL prints before the armour: `Bag Attributes`, `subject=`, the `-text`
/// dump, an `s_client` transcript). A log that carries a PEM block somewhere stays a log.
fn starts_as_pem(text: &str) -> bool {
    for line in text.lines() {
        if line.starts_with("-----BEGIN ") {
            return true;
        }
        if is_log_line(line) {
            return false;
        }
    }
    false
}

fn is_log_line(line: &str) -> bool {
    crate::logs::syslog::looks_like(line)
        || crate::logs::tls_proxy::looks_like(line)
        || crate::logs::failed_push::looks_like(line)
}

/// Whether a line opens the `proxyssl { ... }` block of `sftunnel.conf` (`proxyssl` first on
/// the line, then `{` or nothing), as opposed to a text that only mentions it.
fn opens_proxyssl(line: &str) -> bool {
    line.trim_start()
        .strip_prefix("proxyssl")
        .is_some_and(|rest| rest.trim_start().is_empty() || rest.trim_start().starts_with('{'))
}

fn sniff_text(text: &str, name: &str) -> Format {
    let mut syslog = 0;
    let mut proxy = 0;
    let mut push = 0;
    let mut excerpt = 0;
    for line in text.lines().take(400) {
        if crate::logs::syslog::looks_like(line) {
            syslog += 1;
        } else if crate::logs::tls_proxy::looks_like(line) {
            proxy += 1;
        } else if crate::logs::failed_push::looks_like(line) {
            push += 1;
        } else if crate::logs::excerpt::looks_like(line) {
            excerpt += 1;
        }
    }
    if proxy > 0 && proxy >= syslog && proxy > excerpt {
        return Format::TlsProxyLog;
    }
    if (syslog == 0 || excerpt >= syslog) && crate::logs::tunnel_status::looks_like(text) {
        return Format::TunnelStatus;
    }
    // sftunneld messages outside syslog lines, as many as the syslog lines or more: an excerpt
    // (its reader takes the syslog lines among them too). A device's own log has none.
    if excerpt > 0 && excerpt >= syslog {
        return Format::Excerpt;
    }
    if syslog > 0 {
        return Format::Syslog;
    }
    if push > 0 {
        return Format::FailedPush;
    }
    if text.lines().any(opens_proxyssl) && text.contains('{') {
        return Format::SftunnelConf;
    }
    let ims_keys = ["APPLIANCE_UUID=", "SWVERSION=", "MODEL_TYPE="];
    if text.lines().any(|l| ims_keys.iter().any(|k| l.trim_start().starts_with(k))) {
        return Format::ImsConf;
    }
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') && (name.ends_with(".json") || text.contains("\"uuid\"")) && name.contains("sftunnel") {
        return Format::PeerJson;
    }
    Format::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    const SYSLOG: &str = "Mar 14 06:00:05 ftd-branch-07 SF-IMS[3120]: [4310] sftunneld:sf_ssl [INFO] Initiating IPv4 connection to 192.168.45.10:8305/tcp\n";
    const PEM: &str = "-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n";

    #[test]
    fn a_log_that_carries_a_pem_block_stays_a_log() {
        let log = format!("{SYSLOG}{PEM}{SYSLOG}");
        assert_eq!(sniff("var/log/messages", log.as_bytes()), Format::Syslog);
        let proxy = format!(
            "2015-06-11 09:12:40,002 INFO TLS_Proxy - Decryption policy configuration loaded (version 112)\n{PEM}"
        );
        assert_eq!(sniff("tls_proxy.log", proxy.as_bytes()), Format::TlsProxyLog);
    }

    #[test]
    fn pem_after_openssl_text_is_pem() {
        assert_eq!(sniff("ca.pem", PEM.as_bytes()), Format::Pem);
        let bag = format!("Bag Attributes\n    localKeyID: 01 02 03\nsubject=CN = ca\nissuer=CN = ca\n{PEM}");
        assert_eq!(sniff("bundle.crt", bag.as_bytes()), Format::Pem);
        let s_client = format!(
            "CONNECTED(00000003)\ndepth=0 CN = fmc\nverify error:num=18:self-signed certificate\n---\nCertificate chain\n 0 s:CN = fmc\n{PEM}"
        );
        assert_eq!(sniff("s_client.txt", s_client.as_bytes()), Format::Pem);
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
}
