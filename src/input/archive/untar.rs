//! Tar reading: entries streamed one at a time (the `tar` crate resolves GNU long names, PAX
//! paths and USTAR prefixes), regular files handed to the [`Members`] reader as streams (see
//! [`member`](super::member)), links and special files counted.
//!
//! A plain tar's bytes are not charged to the budget: they are read straight from the tar (a file,
//! or a gzip stream that charged them as it expanded), never copied, so a tar inside a tar costs
//! nothing more than the outer one.

use std::io::Read;

use jiff::Timestamp;
use tar::EntryType;

use super::budget::Budget;
use super::member::{self, Place};
use super::members::Members;
use super::tally::Tally;
use crate::input::inputs::Inputs;
use crate::model::DisplayPath;
use crate::model::{Format, Source, Status};

/// Read a plain tar (in memory, or a stream).
pub fn read_tar(src: &mut Source<'_>, members: &mut Members<'_>, budget: &Budget) -> Inputs {
    let mut tally = Tally::default();
    let mut out = Inputs::default();
    let input = TarInput { path: &src.path, depth: src.depth };
    let bytes = src.len_hint().unwrap_or(0);
    read_stream(&input, src.data.reader(), members, budget, &mut tally, &mut out);
    out.statuses.insert(0, tally.into_status(&src.path, Format::Tar, bytes));
    out
}

/// Where a tar stream comes from.
pub struct TarInput<'a> {
    /// Display path of the tar.
    pub path: &'a str,
    pub depth: u32,
}

/// Read the tar stream `reader`, adding what its entries hold to `out` and what happened to
/// `tally`.
pub fn read_stream<R: Read>(
    input: &TarInput<'_>,
    reader: R,
    members: &mut Members<'_>,
    budget: &Budget,
    tally: &mut Tally,
    out: &mut Inputs,
) {
    let mut archive = tar::Archive::new(reader);
    let entries = match archive.entries() {
        Ok(e) => e,
        Err(e) => return tally.stop(Status::Error, format!("not a readable tar: {e}")),
    };
    for item in entries {
        let mut entry = match item {
            Ok(e) => e,
            Err(e) => {
                let status = if tally.entries == 0 { Status::Error } else { Status::Partial };
                tally.stop(status, format!("tar broken after {} entries: {e}", tally.entries));
                break;
            }
        };
        if let Err(msg) = budget.take_entry() {
            tally.stop(Status::Partial, msg);
            break;
        }
        tally.entries += 1;
        let name = DisplayPath::join(input.path, &entry.path_bytes());
        if !is_file_to_read(entry.header().entry_type(), name.clone(), tally) {
            continue;
        }
        let mtime = entry
            .header()
            .mtime()
            .ok()
            .filter(|&t| t > 0)
            .and_then(|t| i64::try_from(t).ok())
            .and_then(|t| Timestamp::from_second(t).ok());
        let size = entry.size();
        let cap = budget.limits.max_entry;
        let at = Place { path: &name, depth: input.depth + 1, mtime };
        let read = member::read(members, &at, &mut entry, Some(size), cap);
        if !hand_over(read, &name, size, cap, budget, tally, out) {
            break;
        }
    }
}

/// Whether an entry of this type is a file to read; links and special entries are counted in
/// `tally` instead.
fn is_file_to_read(kind: EntryType, name: String, tally: &mut Tally) -> bool {
    match kind {
        EntryType::Regular | EntryType::Continuous => return true,
        EntryType::Symlink => {
            tally.symlinks += 1;
            if tally.symlink_names.len() < 3 {
                tally.symlink_names.push(name);
            }
        }
        EntryType::Link => tally.hardlinks += 1,
        EntryType::Directory | EntryType::XGlobalHeader | EntryType::XHeader => {}
        _ => tally.other += 1,
    }
    false
}

/// Add what was read of an entry to `out`; false when the tar must not be read further (the
/// entry was cut short).
fn hand_over(
    read: member::Read_,
    name: &str,
    size: u64,
    cap: u64,
    budget: &Budget,
    tally: &mut Tally,
    out: &mut Inputs,
) -> bool {
    let member::Read_ { out: mut parsed, got, broken, more } = read;
    let cut_short = match broken {
        Some(e) => Some(format!("entry cut short after {got} of {size} bytes: {e}")),
        None if got < size.min(cap) => Some(format!("entry cut short after {got} of {size} bytes (truncated tar)")),
        None => None,
    };
    if let Some(why) = cut_short {
        parsed.mark(name, Status::Partial, &why);
        tally.absorb(out, parsed);
        tally.stop(Status::Partial, format!("{name}: {why}"));
        return false;
    }
    let unknown = parsed.statuses.iter().any(|i| i.path == name && i.format == Format::Unknown);
    if more && !unknown {
        let why = format!("only the first {cap} of {size} bytes read (limit max_entry)");
        parsed.mark(name, Status::Partial, &why);
        budget.note_limit(&format!("{name}: {why}"));
    }
    tally.absorb(out, parsed);
    true
}
