//! The bound on distinct findings: a log with a failing attempt to each of a million peers must
//! not become a million findings (each with its evidence, facts and steps) held in memory and
//! rendered. Per kind, context, reporting device and depth, the first [`MAX_PEERS`] peers (in
//! input order) keep a finding of their own; attempts to any further peer are counted in one
//! finding whose peer is [`OTHER_PEERS`], with its first evidence and the span of time.
//!
//! Folding stays associative: a folder that has seen the first peers of an input in order keeps
//! exactly those, so combining the folds of consecutive parts gives the same result as folding
//! the whole.

use super::rules::{Finding, Kind};
use crate::model::{Context, Endpoint, Host};

/// Peers with a finding of their own, per kind, context, device and depth.
pub const MAX_PEERS: usize = 1000;

/// The peer of the finding that counts the attempts to all further peers.
pub const OTHER_PEERS: &str = "(other peers)";

/// What the bound counts peers in.
pub type Class = (Kind, Context, Option<String>, Option<u32>);

/// The class of a finding; `None` for findings without a peer and for the overflow finding.
pub fn class_of(f: &Finding) -> Option<Class> {
    match &f.peer {
        Some(p) if !is_other_peers(p) => Some((f.kind, f.context, f.device.clone(), f.depth)),
        _ => None,
    }
}

/// Whether `peer` is the one of the overflow finding.
pub fn is_other_peers(peer: &Endpoint) -> bool {
    peer.port().is_none() && peer.host().name() == Some(OTHER_PEERS)
}

/// Turn `f` into (a part of) the overflow finding of its class: the peer-specific facts go, the
/// detail says what is counted.
pub fn into_other_peers(mut f: Finding) -> Finding {
    f.peer = Some(Endpoint::from(Host::Name(OTHER_PEERS.to_string())));
    f.shared.forget_peer(MAX_PEERS);
    f.data.forget_peer();
    f.title = format!("{} (further peers)", f.title);
    f.detail = format!(
        "attempts to peers beyond the first {MAX_PEERS} with this failure, counted together; the \
         evidence shows the first ones. {}",
        f.detail
    );
    f.certificate = Default::default();
    f
}
