//! Tar reading: entries streamed one at a time (the `tar` crate resolves GNU long names, PAX
//! paths and USTAR prefixes), regular files handed to the [`Members`] reader, links and special
//! files counted.

use std::io::Read;

use jiff::Timestamp;
use tar::EntryType;

use super::budget::Budget;
use super::members::Members;
use super::tally::Tally;
use crate::input::inputs::Inputs;
use crate::input::sniff::format_of;
use crate::model::{Data, Format, Source, Status};
use crate::model::{DisplayPath, Head};

/// How much of an entry is read before its format is decided (what the sniffers look at).
const SNIFF_PREFIX: u64 = Head::LEN as u64;

/// How many bytes to reserve up front for one entry, whatever its header claims.
const PREALLOC: u64 = 1 << 20;

/// Read a plain tar (in memory, or a stream). Its entries are copied out, so their bytes are
/// charged to the budget (a gzip stream charges them as it expands instead).
pub fn read_tar(src: &mut Source<'_>, members: &mut Members<'_>, budget: &Budget) -> Inputs {
    let mut tally = Tally::default();
    let mut out = Inputs::default();
    let input = TarInput { path: &src.path, depth: src.depth, charge: true };
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
    /// Charge the bytes of each entry to the budget when they are copied out (a plain tar; the
    /// bytes of a tar inside gzip were charged as they were decompressed).
    pub charge: bool,
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
        let read = read_entry(&mut entry, &name, budget.limits.max_entry);
        if input.charge {
            if let Err(msg) = budget.take_bytes(read.got()) {
                tally.stop(Status::Partial, format!("{name}: {msg}"));
                break;
            }
        }
        if !hand_over(read, name, input.depth + 1, members, budget, tally, out) {
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

/// What was read of one regular entry.
struct EntryRead {
    /// The bytes kept (none past the sniffed prefix for an entry of no known format).
    buf: Vec<u8>,
    /// Bytes passed over without being kept.
    passed: u64,
    /// The size its header claims.
    size: u64,
    /// The per-entry limit it was read under.
    cap: u64,
    unknown: bool,
    mtime: Option<Timestamp>,
    result: std::io::Result<usize>,
}

impl EntryRead {
    fn got(&self) -> u64 {
        self.buf.len() as u64 + self.passed
    }

    /// Why the entry ended before its header's size (within the limit), if it did.
    fn cut_short(&self) -> Option<String> {
        let (got, size) = (self.got(), self.size);
        match &self.result {
            Err(e) => Some(format!("entry cut short after {got} of {size} bytes: {e}")),
            Ok(_) if got < size.min(self.cap) => {
                Some(format!("entry cut short after {got} of {size} bytes (truncated tar)"))
            }
            Ok(_) => None,
        }
    }
}

/// Read one regular entry: its first bytes decide the format, and an entry of no known format
/// is passed over without being held.
fn read_entry<R: Read>(entry: &mut tar::Entry<'_, R>, name: &str, cap: u64) -> EntryRead {
    let size = entry.size();
    let mut buf = Vec::with_capacity(size.min(cap).min(PREALLOC) as usize);
    let mut result = (&mut *entry).take(SNIFF_PREFIX.min(cap)).read_to_end(&mut buf);
    let unknown = result.is_ok() && format_of(name, &buf) == Format::Unknown;
    let mut passed = 0;
    if unknown {
        let rest = size.saturating_sub(buf.len() as u64);
        result = std::io::copy(&mut (&mut *entry).take(rest), &mut std::io::sink()).map(|n| {
            passed = n;
            n as usize
        });
    } else if result.is_ok() {
        result = (&mut *entry).take(cap.saturating_sub(buf.len() as u64)).read_to_end(&mut buf);
    }
    let mtime = entry
        .header()
        .mtime()
        .ok()
        .filter(|&t| t > 0)
        .and_then(|t| i64::try_from(t).ok())
        .and_then(|t| Timestamp::from_second(t).ok());
    EntryRead { buf, passed, size, cap, unknown, mtime, result }
}

/// Parse what was read of an entry and add it to `out`; false when the tar must not be read
/// further (the entry was cut short).
fn hand_over(
    read: EntryRead,
    name: String,
    depth: u32,
    members: &mut Members<'_>,
    budget: &Budget,
    tally: &mut Tally,
    out: &mut Inputs,
) -> bool {
    let got = read.got();
    let mut parsed = if read.unknown {
        let msg = "not a format tlstriage reads".to_string();
        Inputs::one(&name, Format::Unknown, Status::Skipped, Some(msg), got)
    } else {
        members.read(Source { path: name.clone(), data: Data::Bytes(&read.buf), mtime: read.mtime, depth })
    };
    if let Some(why) = read.cut_short() {
        parsed.mark(&name, Status::Partial, &why);
        tally.absorb(out, parsed);
        tally.stop(Status::Partial, format!("{name}: {why}"));
        return false;
    }
    if read.size > read.cap && !read.unknown {
        let why = format!("only the first {} of {} bytes read (limit max_entry)", read.cap, read.size);
        parsed.mark(&name, Status::Partial, &why);
        budget.note_limit(&format!("{name}: {why}"));
    }
    tally.absorb(out, parsed);
    true
}
