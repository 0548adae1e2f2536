//! The leaf data model every part of tlstriage shares: sources and the read context, input
//! statuses and formats, evidence, attempts with their events, reconstructed handshakes, facts
//! found on disk and certificate/key summaries.
//!
//! The model depends on nothing above `codes` and `util`: readers produce its types, the
//! classifier and the views consume them, and none of them needs to know the others.

mod attempt;
mod cert;
mod duplicate;
mod event;
mod evidence;
mod facts;
mod format;
mod handshake;
mod parsed;
mod path;
mod read;
mod side;
mod sink;
mod source;
mod status;
mod tunnel;

pub use attempt::{Attempt, Observed, MAX_EVENTS};
pub use cert::{CertError, CertParser, CertSummary, KeySummary};
pub use duplicate::{ContentId, Duplicate, SeenBefore};
pub use event::{ChainLink, Event, TunnelStep};
pub use evidence::Evidence;
pub use facts::{DeviceInfo, DeviceRole, Fact, PeerInfo, PushRow, TunnelConf};
pub use format::Format;
pub use handshake::{AlertRecord, Handshake, HandshakeCert};
pub use parsed::{CertEntry, CertSeen, Parsed};
pub use path::{DisplayPath, SEP};
pub use read::{IngestContext, Limits};
pub use side::{Context, Outcome, Role};
pub use sink::{MapAttempts, ReadStatus, Sink};
#[cfg(test)]
pub(crate) use source::Trickle;
pub use source::{ByteStream, Data, Head, LineCounts, LineKind, Source, Whole};
pub use status::{InputStatus, Status};
pub use tunnel::{TunnelState, TunnelStatus};
