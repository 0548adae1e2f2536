//! Memory-mapped top-level files, and a way for a parser that reads one front to back to give
//! back the pages it is done with.
//!
//! Every touched page of a mapped file counts as resident memory of the process, so a 1 GB log
//! read through a map would show 1 GB resident at the end. [`ingest_file`] registers its map
//! here while the file is parsed; a parser calls [`release`] on the part it has consumed, which
//! drops those pages from the process (they stay in the page cache and come back on the next
//! access). A slice that is not inside a registered map (an archive entry, a file read into a
//! buffer) is left alone: dropping the pages of heap memory would destroy its contents.
//!
//! [`ingest_file`]: crate::analyze::ingest_file

use std::sync::{Arc, Mutex};

use memmap2::{Mmap, UncheckedAdvice};

static MAPS: Mutex<Vec<Arc<Mmap>>> = Mutex::new(Vec::new());

/// A map known to [`release`] until this is dropped.
pub struct Registration(Arc<Mmap>);

/// Make `map` known to [`release`] for as long as the returned value lives.
pub fn register(map: Arc<Mmap>) -> Registration {
    if let Ok(mut maps) = MAPS.lock() {
        maps.push(map.clone());
    }
    Registration(map)
}

impl Drop for Registration {
    fn drop(&mut self) {
        if let Ok(mut maps) = MAPS.lock() {
            maps.retain(|m| !Arc::ptr_eq(m, &self.0));
        }
    }
}

/// Drop the pages of `done` (whole pages only, the partial ones at both ends included) from the
/// process when `done` lies inside a registered map; otherwise do nothing.
pub fn release(done: &[u8]) {
    if done.is_empty() {
        return;
    }
    let Ok(maps) = MAPS.lock() else { return };
    let start = done.as_ptr() as usize;
    let end = start + done.len();
    for m in maps.iter() {
        let base = m.as_ptr() as usize;
        if start >= base && end <= base + m.len() {
            // SAFETY: the map is a read-only shared mapping of a file. MADV_DONTNEED only drops
            // the process's page table entries; a later read faults the same file contents back
            // in from the page cache, so no reference into the map ever sees other bytes.
            let _ = unsafe { m.unchecked_advise_range(UncheckedAdvice::DontNeed, start - base, done.len()) };
            return;
        }
    }
}
