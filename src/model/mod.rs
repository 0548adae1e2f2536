//! The leaf data model every part of tlstriage shares: sources and the read context, input
//! statuses and formats, evidence, attempts with their events, reconstructed handshakes, facts
//! found on disk and certificate/key summaries.
//!
//! The model depends on nothing above `codes` and `util`: readers produce its types, the
//! classifier and the views consume them, and none of them needs to know the others.

mod address;
mod attempt;
mod bare_key;
mod cert;
mod counts;
mod duplicate;
mod event;
mod evidence;
mod evidence_text;
mod facts;
mod fingerprint;
mod format;
mod handshake;
mod key_hint;
mod line_owners;
mod parsed;
mod path;
mod read;
mod role;
mod side;
mod sink;
mod source;
mod status;
mod text_block;
mod tunnel;
mod uuid;

pub use address::{Endpoint, Host};
pub use attempt::{Attempt, Observed, MAX_EVENTS};
pub use cert::{
    days_left, days_left_words, CertEntry, CertError, CertId, CertParser, CertSeen, CertSummary, KeySummary,
};
pub use counts::InputCounts;
pub use duplicate::{ContentId, Duplicate, SeenBefore};
pub use event::{ChainLink, Event, TunnelStep};
pub use evidence::Evidence;
pub use evidence_text::EvidenceText;
pub use facts::{DeviceInfo, DeviceRole, Disputed, Fact, PeerInfo, PushRow, TunnelConf};
pub use fingerprint::Sha256;
pub use format::Format;
pub use handshake::{AlertRecord, Handshake, HandshakeCert, NotTlsAnswer};
pub use line_owners::{LineKeys, LineOwners};
pub use parsed::Parsed;
pub use path::{DisplayPath, SEP};
pub use read::{IngestContext, Limits};
pub use role::{CertRole, Place, Purpose};
pub use side::{Context, Outcome, Role};
pub use sink::{MapAttempts, Sink};
#[cfg(test)]
pub(crate) use source::Trickle;
pub use source::{ByteStream, Data, Head, LineCounts, LineKind, Source, Whole};
pub use status::{InputStatus, ReadStatus, Status};
pub use text_block::{TextBlock, TextBlockBuilder};
pub use tunnel::{EarlierRun, TunnelState, TunnelStatus};
pub use uuid::Uuid;
