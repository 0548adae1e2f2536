//! Recognise an input's format by its content (the name is only a tie-breaker).

use serde::Serialize;

/// The formats tlstriage reads.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    Syslog,
    TlsProxyLog,
    Pcap,
    Pcapng,
    Pem,
    Der,
    FailedPush,
    SftunnelConf,
    ImsConf,
    PeerJson,
    Gzip,
    Tar,
    Empty,
    Unknown,
}

impl Format {
    /// Whether the parser of this format reports its progress itself through
    /// [`IngestContext::advance`](super::IngestContext::advance) while it reads a top-level file.
    pub fn reports_progress(self) -> bool {
        match self {
            // The capture reader reports as it walks the records (capture/parallel.rs).
            Format::Pcap | Format::Pcapng => true,
            _ => false,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Syslog => "syslog",
            Format::TlsProxyLog => "tls-proxy-log",
            Format::Pcap => "pcap",
            Format::Pcapng => "pcapng",
            Format::Pem => "pem",
            Format::Der => "der",
            Format::FailedPush => "failed-push",
            Format::SftunnelConf => "sftunnel-conf",
            Format::ImsConf => "ims-conf",
            Format::PeerJson => "peer-json",
            Format::Gzip => "gzip",
            Format::Tar => "tar",
            Format::Empty => "empty",
            Format::Unknown => "unknown",
        }
    }
}

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
    if memchr::memmem::find(head, b"-----BEGIN ").is_some() {
        return Format::Pem;
    }
    if head[0] == 0x30 && crate::x509::files::looks_like_der(data) {
        return Format::Der;
    }
    let text = String::from_utf8_lossy(head);
    let name = path.rsplit(['/', '!']).next().unwrap_or(path);
    sniff_text(&text, name)
}

fn sniff_text(text: &str, name: &str) -> Format {
    let mut syslog = 0;
    let mut proxy = 0;
    let mut push = 0;
    for line in text.lines().take(400) {
        if crate::logs::syslog::looks_like(line) {
            syslog += 1;
        } else if crate::logs::tls_proxy::looks_like(line) {
            proxy += 1;
        } else if crate::logs::failed_push::looks_like(line) {
            push += 1;
        }
    }
    if proxy > 0 && proxy >= syslog {
        return Format::TlsProxyLog;
    }
    if syslog > 0 {
        return Format::Syslog;
    }
    if push > 0 {
        return Format::FailedPush;
    }
    if text.contains("proxyssl") && text.contains('{') {
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
