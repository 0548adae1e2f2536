//! The format of an input: the name its reader goes by in the reader registry
//! (`input::readers`), in the JSON `inputs` and in `docs/schema.json`.

use std::fmt;

use serde::Serialize;

/// The format of an input, by name. Formats are an open set: each reader of the registry names
/// its own, so a new reader needs no new variant here. The formats other parts of the program
/// ask about by name are the constants below (named like the variants of an enum, which they
/// replace: `Format::Syslog`), plus those the dispatcher gives itself (archives, empty and
/// unknown inputs).
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Format(&'static str);

#[allow(non_upper_case_globals)]
impl Format {
    pub const Syslog: Format = Format("syslog");
    pub const TlsProxyLog: Format = Format("tls-proxy-log");
    pub const Pcap: Format = Format("pcap");
    pub const Pcapng: Format = Format("pcapng");
    pub const Pem: Format = Format("pem");
    pub const Der: Format = Format("der");
    pub const FailedPush: Format = Format("failed-push");
    pub const SftunnelConf: Format = Format("sftunnel-conf");
    pub const ImsConf: Format = Format("ims-conf");
    pub const PeerJson: Format = Format("peer-json");
    /// sftunneld messages without (or with another) syslog prefix: a pasted log excerpt.
    pub const Excerpt: Format = Format("excerpt");
    /// The output of `sftunnel_status.pl`, `sftunnel-status[-brief]` or `show managers`.
    pub const TunnelStatus: Format = Format("tunnel-status");
    /// One of tlstriage's own outputs (a report of an earlier run, a plan, a baseline): listed,
    /// never read as evidence.
    pub const TlstriageReport: Format = Format("tlstriage-report");
    pub const Gzip: Format = Format("gzip");
    pub const Tar: Format = Format("tar");
    pub const Empty: Format = Format("empty");
    pub const Unknown: Format = Format("unknown");
}

impl Format {
    /// The format named `name` (lower-case words joined by `-`, as in the JSON).
    pub const fn named(name: &'static str) -> Format {
        Format(name)
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}
