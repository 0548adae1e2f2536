//! Archives read in place: gzip streams (multi-member) and tar files, nested to any depth the
//! limits allow, never extracted to disk.
//!
//! A `.tar.gz` is one container: its decompressed stream goes straight into the tar reader, and
//! only one entry at a time is held in memory. Every entry becomes a [`Source`] whose path joins
//! the levels with `!/` ([`DisplayPath::join`](crate::model::DisplayPath::join)) (`case.tar.gz!/bundle.tar.gz!/dir-archives/var-log/messages`) and is
//! handed back to [`crate::input::ingest`], which may come back here for an inner archive.
//!
//! The [`Limits`](crate::model::Limits) are shared by everything read out of one top-level input (a per-thread budget,
//! see [`budget`]); when one is hit the container says so in its [`InputStatus`] and everything
//! read before still counts.

mod budget;
mod gunzip;
mod untar;

#[cfg(test)]
mod tests;

use crate::model::Format;
use crate::model::{IngestContext, InputStatus, Parsed, Source, Status};

pub use budget::Budget;

/// Read a gzip or tar source and ingest what is inside.
pub fn ingest(src: &Source<'_>, format: Format, ctx: &IngestContext) -> Parsed {
    let scope = budget::enter(src.depth, &ctx.limits, src.data.len() as u64);
    let bytes = src.data.len() as u64;
    let mut out = if src.depth >= ctx.limits.max_depth {
        let msg = format!("archive nested deeper than {} levels; not opened (limit max_depth)", ctx.limits.max_depth);
        scope.budget().note_limit(&msg);
        Parsed::status(&src.path, format, Status::Error, Some(msg), bytes)
    } else {
        match format {
            Format::Gzip => gunzip::read(src, ctx, scope.budget()),
            Format::Tar => untar::read_slice(src, ctx, scope.budget()),
            _ => Parsed::status(&src.path, format, Status::Skipped, Some("not an archive".into()), bytes),
        }
    };
    if scope.is_top() {
        if let Some(limit) = scope.budget().limit_hit() {
            mark_top(&mut out, &src.path, &limit);
        }
    }
    out
}

/// At the top-level input, repeat a limit hit somewhere inside so it is seen with the input.
fn mark_top(out: &mut Parsed, path: &str, limit: &str) {
    if let Some(st) = out.inputs.iter_mut().find(|i| i.path == path) {
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

/// What happened while reading one container, turned into its [`InputStatus`] at the end.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    pub entries: u64,
    pub unreadable: u64,
    pub symlinks: u64,
    /// The first few symbolic links, named in the message.
    pub symlink_names: Vec<String>,
    pub hardlinks: u64,
    pub other: u64,
    /// Why reading stopped early (a limit, a corrupt stream).
    pub problem: Option<String>,
    pub status: Option<Status>,
}

impl Tally {
    /// Record a problem; the first one is kept, the status is the worst.
    pub fn stop(&mut self, status: Status, why: String) {
        self.status = Some(self.status.map_or(status, |s| s.max(status)));
        if self.problem.is_none() {
            self.problem = Some(why);
        }
    }

    /// Add one entry's result, keeping its own statuses unless it was just not readable.
    pub fn absorb(&mut self, out: &mut Parsed, mut inner: Parsed) {
        let before = inner.inputs.len();
        let dup = |i: &InputStatus| inner.duplicates.iter().any(|d| d.path == i.path);
        let keep: Vec<bool> = inner.inputs.iter().map(|i| i.status != Status::Skipped || dup(i)).collect();
        let mut keep = keep.into_iter();
        inner.inputs.retain(|_| keep.next().unwrap_or(true));
        if inner.inputs.len() < before && inner.inputs.is_empty() {
            self.unreadable += 1;
        }
        out.extend(inner);
    }

    /// The container's own status line.
    pub fn into_status(self, path: &str, format: Format, bytes: u64) -> InputStatus {
        let mut parts = vec![crate::wording::counted(self.entries, "entry")];
        if self.unreadable > 0 {
            parts.push(format!("{} not in a format tlstriage reads", self.unreadable));
        }
        if self.symlinks > 0 {
            let more = if self.symlinks > self.symlink_names.len() as u64 { ", ..." } else { "" };
            parts.push(format!(
                "{} symbolic links not followed ({}{more})",
                self.symlinks,
                self.symlink_names.join(", ")
            ));
        }
        if self.hardlinks > 0 {
            parts.push(format!("{} hard links skipped", self.hardlinks));
        }
        if self.other > 0 {
            parts.push(format!("{} special files skipped", self.other));
        }
        let mut message = parts.join(", ");
        if let Some(p) = self.problem {
            message = format!("{p}; {message} read before");
        }
        InputStatus {
            path: path.to_string(),
            format,
            status: self.status.unwrap_or(Status::Ok),
            message: Some(message),
            bytes,
        }
    }
}

/// Mark the status line of `path` in `parsed` (or its first line) with a problem met while
/// reading it: at least `Partial`, the reason put in front of the parser's own message.
pub(crate) fn mark(parsed: &mut Parsed, path: &str, status: Status, why: &str) {
    let idx = parsed.inputs.iter().position(|i| i.path == path).unwrap_or(0);
    if let Some(st) = parsed.inputs.get_mut(idx) {
        st.status = match st.status {
            Status::Ok | Status::Skipped => status,
            s => s.max(status),
        };
        st.message = Some(match st.message.take() {
            Some(m) => format!("{why}; {m}"),
            None => why.to_string(),
        });
    }
}
