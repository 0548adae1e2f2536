//! Archives read in place: gzip streams (multi-member) and tar files, nested to any depth the
//! limits allow, never extracted to disk.
//!
//! A `.tar.gz` is one container: its decompressed stream goes straight into the tar reader, and
//! each entry is streamed to its reader as it inflates; no entry is held whole. Every entry becomes a [`Source`] whose path joins
//! the levels with `!/` ([`DisplayPath::join`](crate::model::DisplayPath::join))
//! (`case.tar.gz!/bundle.tar.gz!/dir-archives/var-log/messages`) and is handed to the
//! [`Members`] reader the dispatcher passed in, which may come back here for an inner archive.
//!
//! The [`Limits`](crate::model::Limits) are shared by everything read out of one top-level input
//! (a per-thread budget, see [`budget`]); when one is hit the container says so in its status
//! line and everything read before still counts.

mod budget;
mod gunzip;
mod inflate;
mod member;
mod members;
mod tally;
mod untar;

#[cfg(test)]
mod tests;

use crate::input::inputs::Inputs;
use crate::model::{Format, Source, Status};

pub use budget::Budget;
pub use members::Members;

/// Read a gzip or tar source and what is inside: a stream is read as it comes, never held.
pub fn read(mut src: Source<'_>, format: Format, members: &mut Members<'_>) -> Inputs {
    let limits = &members.ctx.limits;
    let bytes = src.len_hint().unwrap_or(0);
    let scope = budget::enter(src.depth, limits, bytes);
    let mut out = if src.depth >= limits.max_depth {
        let msg = format!("archive nested deeper than {} levels; not opened (limit max_depth)", limits.max_depth);
        scope.budget().note_limit(&msg);
        Inputs::one(&src.path, format, Status::Error, Some(msg), bytes)
    } else if format == Format::Gzip {
        gunzip::read(&mut src, members, scope.budget())
    } else if format == Format::Tar {
        untar::read_tar(&mut src, members, scope.budget())
    } else {
        Inputs::one(&src.path, format, Status::Skipped, Some("not an archive".into()), bytes)
    };
    if scope.is_top() {
        if let Some(limit) = scope.budget().limit_hit() {
            mark_top(&mut out, &src.path, &limit);
        }
    }
    out
}

/// At the top-level input, repeat a limit hit somewhere inside so it is seen with the input.
fn mark_top(out: &mut Inputs, path: &str, limit: &str) {
    if let Some(st) = out.statuses.iter_mut().find(|i| i.path == path) {
        if st.status == Status::Ok {
            st.status = Status::Partial;
        }
        let already = st.message.as_deref().is_some_and(|m| m.contains(limit));
        if !already {
            st.message = Some(match st.message.take() {
                Some(m) => format!("{m}; {limit}"),
                None => limit.to_string(),
            });
        }
    }
}
