//! The formats tlstriage reads (what sniffing an input can say about it).

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
    /// sftunneld messages without (or with another) syslog prefix: a pasted log excerpt.
    Excerpt,
    /// The output of `sftunnel_status.pl`, `sftunnel-status[-brief]` or `show managers`.
    TunnelStatus,
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
            // The log readers report per chunk (logs/chunks.rs).
            Format::Syslog | Format::TlsProxyLog => true,
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
            Format::Excerpt => "excerpt",
            Format::TunnelStatus => "tunnel-status",
            Format::Gzip => "gzip",
            Format::Tar => "tar",
            Format::Empty => "empty",
            Format::Unknown => "unknown",
        }
    }
}
