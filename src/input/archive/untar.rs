//! Tar reading: entries streamed one at a time (the `tar` crate resolves GNU long names, PAX
//! paths and USTAR prefixes), regular files handed to `crate::input::ingest`, links and special
//! files counted.

use std::io::Read;

use jiff::Timestamp;
use tar::EntryType;

use super::budget::Budget;
use super::gunzip::SNIFF_PREFIX;
use super::{mark, Tally};
use crate::model::DisplayPath;
use crate::model::{Format, IngestContext, Parsed, Source, Status};

/// How many bytes to reserve up front for one entry, whatever its header claims.
const PREALLOC: u64 = 1 << 20;

/// Read a tar held in memory. Its entries are copied out, so their bytes are charged to the
/// budget (a gzip stream charges them as it expands instead).
pub fn read_slice(src: &Source<'_>, ctx: &IngestContext, budget: &Budget) -> Parsed {
    let mut tally = Tally::default();
    let mut out = Parsed::default();
    let input = TarInput { path: &src.path, depth: src.depth, charge: true };
    read_stream(&input, src.data, ctx, budget, &mut tally, &mut out);
    out.inputs.insert(0, tally.into_status(&src.path, Format::Tar, src.data.len() as u64));
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
    ctx: &IngestContext,
    budget: &Budget,
    tally: &mut Tally,
    out: &mut Parsed,
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
        match entry.header().entry_type() {
            EntryType::Regular | EntryType::Continuous => {}
            EntryType::Symlink => {
                tally.symlinks += 1;
                if tally.symlink_names.len() < 3 {
                    tally.symlink_names.push(name);
                }
                continue;
            }
            EntryType::Link => {
                tally.hardlinks += 1;
                continue;
            }
            EntryType::Directory | EntryType::XGlobalHeader | EntryType::XHeader => continue,
            _ => {
                tally.other += 1;
                continue;
            }
        }
        let size = entry.size();
        let cap = budget.limits.max_entry;
        let mut buf = Vec::with_capacity(size.min(cap).min(PREALLOC) as usize);
        // The format is decided from the first bytes; an entry of no known format is passed
        // over without being held.
        let mut res = (&mut entry).take(SNIFF_PREFIX.min(cap)).read_to_end(&mut buf);
        let unknown = res.is_ok() && crate::input::sniff(&name, &buf) == Format::Unknown;
        let mut passed = 0;
        if unknown {
            res = std::io::copy(&mut (&mut entry).take(size.saturating_sub(buf.len() as u64)), &mut std::io::sink())
                .map(|n| {
                    passed = n;
                    n as usize
                });
        } else if res.is_ok() {
            res = (&mut entry).take(cap.saturating_sub(buf.len() as u64)).read_to_end(&mut buf);
        }
        let mtime = entry
            .header()
            .mtime()
            .ok()
            .filter(|&t| t > 0)
            .and_then(|t| i64::try_from(t).ok())
            .and_then(|t| Timestamp::from_second(t).ok());
        let got = buf.len() as u64 + passed;
        if input.charge {
            if let Err(msg) = budget.take_bytes(got) {
                tally.stop(Status::Partial, format!("{name}: {msg}"));
                break;
            }
        }
        let inner = Source { path: name, data: &buf, mtime, depth: input.depth + 1 };
        let mut parsed = if unknown {
            let msg = "not a format tlstriage reads".to_string();
            Parsed::status(&inner.path, Format::Unknown, Status::Skipped, Some(msg), got)
        } else {
            crate::input::ingest(&inner, ctx)
        };
        let cut = match res {
            Err(e) => Some(format!("entry cut short after {got} of {size} bytes: {e}")),
            Ok(_) if got < size.min(cap) => {
                Some(format!("entry cut short after {got} of {size} bytes (truncated tar)"))
            }
            Ok(_) => None,
        };
        if let Some(why) = cut {
            mark(&mut parsed, &inner.path, Status::Partial, &why);
            tally.absorb(out, parsed);
            tally.stop(Status::Partial, format!("{}: {why}", inner.path));
            break;
        }
        if size > cap && !unknown {
            let why = format!("only the first {cap} of {size} bytes read (limit max_entry)");
            mark(&mut parsed, &inner.path, Status::Partial, &why);
            budget.note_limit(&format!("{}: {why}", inner.path));
        }
        tally.absorb(out, parsed);
    }
}
