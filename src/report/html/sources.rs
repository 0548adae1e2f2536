//! Which kind of source a piece of evidence comes from, for the colours of the HTML page: the
//! FMC's log, an FTD's log, a log of unknown role (pasted excerpts too), the TLS proxy's log, a
//! tunnel status output, a capture, or a file on disk (certificates, FAILED_PUSH, configuration).

use std::collections::HashMap;

use crate::analyze::Report;
use crate::diagnose::Finding;
use crate::model::DeviceRole;
use crate::model::Format;
use crate::model::{Context, Evidence};
use crate::report::names::Names;

/// The kinds of source, in the order of the legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SourceKind {
    FmcLog,
    FtdLog,
    DeviceLog,
    ProxyLog,
    Status,
    Capture,
    Disk,
}

impl SourceKind {
    pub const ALL: [SourceKind; 7] = [
        SourceKind::FmcLog,
        SourceKind::FtdLog,
        SourceKind::DeviceLog,
        SourceKind::ProxyLog,
        SourceKind::Status,
        SourceKind::Capture,
        SourceKind::Disk,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SourceKind::FmcLog => "FMC log",
            SourceKind::FtdLog => "FTD log",
            SourceKind::DeviceLog => "device log (FMC or FTD not known)",
            SourceKind::ProxyLog => "TLS proxy log",
            SourceKind::Status => "tunnel status output",
            SourceKind::Capture => "capture",
            SourceKind::Disk => "file on disk",
        }
    }

    /// The CSS class that colours it.
    pub fn class(self) -> &'static str {
        match self {
            SourceKind::FmcLog => "src-fmc",
            SourceKind::FtdLog => "src-ftd",
            SourceKind::DeviceLog => "src-log",
            SourceKind::ProxyLog => "src-proxy",
            SourceKind::Status => "src-status",
            SourceKind::Capture => "src-capture",
            SourceKind::Disk => "src-disk",
        }
    }
}

/// Classifies evidence by the format of the input it was read from.
pub struct Sources<'a> {
    formats: HashMap<&'a str, Format>,
    names: &'a Names,
}

impl<'a> Sources<'a> {
    pub fn new(r: &'a Report, names: &'a Names) -> Self {
        Sources { formats: r.inputs.iter().map(|i| (i.path.as_str(), i.format)).collect(), names }
    }

    /// The kind of evidence `e` of finding `f` (whose device is the log's host name).
    pub fn kind(&self, e: &Evidence, f: &Finding) -> SourceKind {
        let host = f.device.as_deref();
        let format = self.formats.get(e.path.as_str()).copied();
        match format {
            // A pasted excerpt of the TLS proxy's log is read as that log.
            Some(Format::Excerpt) if f.context == Context::TlsProxy => SourceKind::ProxyLog,
            Some(Format::Pcap | Format::Pcapng) => SourceKind::Capture,
            Some(Format::TlsProxyLog) => SourceKind::ProxyLog,
            Some(Format::TunnelStatus) => SourceKind::Status,
            Some(Format::Syslog | Format::Excerpt) => match self.names.role_of(&e.path, host) {
                DeviceRole::Fmc => SourceKind::FmcLog,
                DeviceRole::Ftd => SourceKind::FtdLog,
                DeviceRole::Unknown => SourceKind::DeviceLog,
            },
            _ if e.frame.is_some() => SourceKind::Capture,
            _ => SourceKind::Disk,
        }
    }
}
