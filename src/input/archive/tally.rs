//! What happened while reading one container, turned into its status line at the end.

use crate::input::inputs::Inputs;
use crate::model::{Format, InputStatus, Status};

/// The counts and the first problem of one container.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    pub entries: u64,
    pub unreadable: u64,
    pub symlinks: u64,
    /// The first few symbolic links, named in the message.
    pub symlink_names: Vec<String>,
    pub hardlinks: u64,
    pub other: u64,
    /// Entries read (in part too, or found unreadable: that is said on their own line) or counted
    /// once as a copy of a place read elsewhere.
    pub read: u64,
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

    /// Add one entry's status lines, keeping them unless it was just not readable (an output of
    /// tlstriage is listed: it is skipped for a reason of its own).
    pub fn absorb(&mut self, out: &mut Inputs, mut inner: Inputs) {
        let before = inner.statuses.len();
        let dup = |i: &InputStatus| inner.duplicates.iter().any(|d| d.path == i.path);
        let keep: Vec<bool> = inner
            .statuses
            .iter()
            .map(|i| i.status != Status::Skipped || dup(i) || i.format == Format::TlstriageReport)
            .collect();
        let mut keep = keep.into_iter();
        inner.statuses.retain(|_| keep.next().unwrap_or(true));
        if inner.statuses.iter().any(|i| i.status != Status::Skipped || dup(i)) {
            self.read += 1;
        }
        if inner.statuses.len() < before && inner.statuses.is_empty() {
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
        // A container of nothing tlstriage reads was not read, whatever it held: the case must
        // not say "no TLS problem" of it.
        let status = match self.status {
            Some(s) => s,
            None if self.read == 0 => {
                message.push_str(": nothing in it could be read");
                Status::Skipped
            }
            None => Status::Ok,
        };
        InputStatus { path: path.to_string(), format, status, message: Some(message), bytes }
    }
}
