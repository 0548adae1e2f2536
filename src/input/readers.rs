//! The reader registry: every input format tlstriage reads, one line each.
//!
//! A line names the format (the name in the JSON `inputs` and in `docs/schema.json`), the
//! sniffer that recognises it from the head of an input, the parser, the fuzz target that feeds
//! the parser arbitrary bytes (`fuzzing::run`, `fuzz/corpus/<target>/`) and what the dispatcher
//! must know about it. Sniffers are asked in the order of the table and the first that says yes
//! wins, so a format whose inputs also look like another's (an excerpt holds syslog lines, an
//! `s_client` transcript holds a PEM block) comes before it. Archives are not readers: the
//! dispatcher opens them itself (`archive`) and reads their members through this table.
//!
//! Adding a format is a reader file, one line here and a sample (docs/design.md, "Add an input
//! format").

use crate::model::{Format, Head, IngestContext, ReadStatus, Sink, Source};
use crate::{capture, logs, x509};

/// One input format and how it is read.
pub struct Reader {
    /// Also the schema name: the `format` of the input's line in the JSON.
    pub format: Format,
    /// Whether an input whose head this is has the format.
    pub sniff: fn(&Head<'_>) -> bool,
    /// Read the input: items go to the sink as they are found, the status is returned.
    pub parse: fn(&mut Source<'_>, &IngestContext, &mut dyn Sink) -> ReadStatus,
    /// The fuzz target that drives `parse` (several formats of one parser share one).
    pub fuzz: &'static str,
    /// What the input says depends on where it sits (a CA file beside a certificate, a device's
    /// own configuration): copies at two places are both read.
    pub bound_to_place: bool,
    /// A text log: a last line without a line end means the copy was cut.
    pub lines_end: bool,
    /// Its `parse` counts the line ends it reads and says how many (`ReadStatus::line_ends`)
    /// when it read the whole input: they are not counted a second time as the stream passes.
    pub counts_line_ends: bool,
    /// Lines of text: a carriage return alone (an old editor's line end) ends a line too.
    pub text: bool,
}

/// What a reader line leaves at its default.
const READER: Reader = Reader {
    format: Format::Unknown,
    sniff: |_| false,
    parse: |_, _, _| ReadStatus::ok(),
    fuzz: "",
    bound_to_place: false,
    lines_end: false,
    counts_line_ends: false,
    text: false,
};

/// Every reader, in the order the sniffers are asked.
pub static READERS: &[Reader] = &[
    // Our own outputs first: whatever they quote, they are not evidence.
    Reader {
        format: Format::TlstriageReport,
        sniff: super::own_report::sniff,
        parse: super::own_report::parse,
        fuzz: "ingest",
        ..READER
    },
    Reader { format: Format::Pcap, sniff: capture::sniff_pcap, parse: capture::parse, fuzz: "capture", ..READER },
    Reader { format: Format::Pcapng, sniff: capture::sniff_pcapng, parse: capture::parse, fuzz: "capture", ..READER },
    Reader {
        format: Format::Der,
        sniff: x509::files::sniff_der,
        parse: x509::files::parse_der,
        fuzz: "x509",
        bound_to_place: true,
        ..READER
    },
    Reader {
        format: Format::named("openssl"),
        sniff: logs::openssl::sniff,
        parse: logs::openssl::parse,
        fuzz: "openssl",
        text: true,
        ..READER
    },
    Reader {
        format: Format::Pem,
        sniff: x509::files::sniff_pem,
        parse: x509::files::parse_pem,
        fuzz: "x509",
        bound_to_place: true,
        text: true,
        ..READER
    },
    Reader {
        format: Format::TlsProxyLog,
        sniff: logs::tls_proxy::sniff,
        parse: logs::tls_proxy::parse,
        fuzz: "tls_proxy",
        lines_end: true,
        counts_line_ends: true,
        text: true,
        ..READER
    },
    Reader {
        format: Format::TunnelStatus,
        sniff: logs::tunnel_status::sniff,
        parse: logs::excerpt::parse,
        fuzz: "excerpt",
        lines_end: true,
        text: true,
        ..READER
    },
    Reader {
        format: Format::Excerpt,
        sniff: logs::excerpt::sniff,
        parse: logs::excerpt::parse,
        fuzz: "excerpt",
        lines_end: true,
        text: true,
        ..READER
    },
    Reader {
        format: Format::Syslog,
        sniff: logs::syslog::sniff,
        parse: logs::syslog::parse,
        fuzz: "syslog",
        lines_end: true,
        counts_line_ends: true,
        text: true,
        ..READER
    },
    Reader {
        format: Format::FailedPush,
        sniff: logs::failed_push::sniff,
        parse: logs::failed_push::parse,
        fuzz: "failed_push",
        text: true,
        ..READER
    },
    Reader {
        format: Format::SftunnelConf,
        sniff: logs::conf::sniff_sftunnel,
        parse: logs::conf::parse_sftunnel,
        fuzz: "conf",
        bound_to_place: true,
        text: true,
        ..READER
    },
    Reader {
        format: Format::ImsConf,
        sniff: logs::conf::sniff_ims,
        parse: logs::conf::parse_ims,
        fuzz: "conf",
        bound_to_place: true,
        text: true,
        ..READER
    },
    Reader {
        format: Format::PeerJson,
        sniff: logs::conf::sniff_peer,
        parse: logs::conf::parse_peer,
        fuzz: "conf",
        bound_to_place: true,
        text: true,
        ..READER
    },
];

/// The reader of `format`, if one reads it.
pub fn of(format: Format) -> Option<&'static Reader> {
    READERS.iter().find(|r| r.format == format)
}

/// The first reader whose sniffer knows `head`.
pub fn sniff(head: &Head<'_>) -> Option<&'static Reader> {
    READERS.iter().find(|r| (r.sniff)(head))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The formats the dispatcher gives itself: archives, and inputs no reader takes.
    const DISPATCHER: [Format; 4] = [Format::Gzip, Format::Tar, Format::Empty, Format::Unknown];

    #[test]
    fn the_schema_lists_every_format_of_the_registry() {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../docs/schema.json")).expect("docs/schema.json is JSON");
        let mut listed: Vec<&str> = schema["$defs"]["input"]["properties"]["format"]["enum"]
            .as_array()
            .expect("the schema defines the input formats")
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        let mut known: Vec<&str> = READERS.iter().map(|r| r.format).chain(DISPATCHER).map(Format::as_str).collect();
        listed.sort_unstable();
        known.sort_unstable();
        assert_eq!(listed, known, "docs/schema.json $defs.input.format.enum must list every format read");
    }

    #[test]
    fn every_format_has_one_reader_and_every_reader_a_fuzz_target() {
        for (i, r) in READERS.iter().enumerate() {
            assert!(!READERS[..i].iter().any(|o| o.format == r.format), "{} is read twice", r.format);
            assert!(!r.fuzz.is_empty(), "{}: no fuzz target drives its parser", r.format);
        }
    }
}
