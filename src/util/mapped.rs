//! Read-only file mappings that are being parsed, so that a parser streaming through one can
//! hand back the pages it has passed and keep the resident memory of a huge input small.
//!
//! `input::file` registers each mapping (only files that cannot shrink, and only when the binary
//! asks for maps with `--mmap`) for the time it is parsed; a parser
//! calls [`release`] with a slice of its input it will not read again. Memory that is not part
//! of a registered mapping (a heap buffer, an archive entry) is left alone, so parsers need not
//! know where their bytes live. The bytes released count into the run's progress as they are
//! passed (the rest of the file when its mapping is dropped), as the bytes read of a file do.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use memmap2::{Mmap, UncheckedAdvice};

/// A mapping being parsed, the run's progress, and how much of the mapping was counted into it.
struct Entry {
    map: Arc<Mmap>,
    progress: Arc<AtomicU64>,
    counted: u64,
}

/// The mappings being parsed right now (one per file read in parallel: a short list).
static MAPS: Mutex<Vec<Entry>> = Mutex::new(Vec::new());

/// Granularity in which pages are handed back: a multiple of every page size in use (4, 16 and
/// 64 KiB), so that only whole pages inside the released span are dropped.
const PAGE: usize = 64 << 10;

/// Keeps a mapping registered until dropped.
pub struct Registered {
    map: Arc<Mmap>,
}

/// Register `map` as a read-only file mapping whose consumed pages may be dropped; the bytes
/// released are counted into `progress`, and the rest of the mapping when it is unregistered.
pub fn register(map: Arc<Mmap>, progress: Arc<AtomicU64>) -> Registered {
    MAPS.lock().unwrap_or_else(|e| e.into_inner()).push(Entry { map: map.clone(), progress, counted: 0 });
    Registered { map }
}

impl Drop for Registered {
    fn drop(&mut self) {
        let mut maps = MAPS.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = maps.iter().position(|m| Arc::ptr_eq(&m.map, &self.map)) {
            let e = maps.swap_remove(i);
            e.progress.fetch_add((e.map.len() as u64).saturating_sub(e.counted), Ordering::Relaxed);
        }
    }
}

/// The registered mapping that holds all of `done`.
fn holder<'m>(maps: &'m mut [Entry], done: &[u8]) -> Option<&'m mut Entry> {
    let start = done.as_ptr() as usize;
    let end = start.checked_add(done.len())?;
    maps.iter_mut().find(|m| {
        let base = m.map.as_ptr() as usize;
        base <= start && end <= base + m.map.len()
    })
}

/// The whole pages inside `done`, as (offset in its mapping, length), when `done` lies inside a
/// registered mapping.
fn locate(maps: &mut [Entry], done: &[u8]) -> Option<(Arc<Mmap>, usize, usize)> {
    let map = &holder(maps, done)?.map;
    let start = done.as_ptr() as usize;
    let end = start + done.len();
    let first = start.div_ceil(PAGE) * PAGE;
    let last = end / PAGE * PAGE;
    (last > first).then(|| (map.clone(), first - map.as_ptr() as usize, last - first))
}

/// Tell the kernel that the bytes of `done` will not be read again: the whole pages inside it
/// leave this process's resident set (they stay in the page cache). Reading them later still
/// works and gives the same bytes (the pages are fetched again from the file). The bytes count
/// into the run's progress (once: never past the mapping's length). A no-op for memory that is
/// not a registered file mapping.
pub fn release(done: &[u8]) {
    let mut maps = MAPS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(e) = holder(&mut maps, done) {
        let add = (done.len() as u64).min((e.map.len() as u64).saturating_sub(e.counted));
        e.counted += add;
        e.progress.fetch_add(add, Ordering::Relaxed);
    }
    if done.len() < PAGE {
        return;
    }
    let found = locate(&mut maps, done);
    drop(maps);
    if let Some((map, offset, len)) = found {
        // SAFETY: `map` is a read-only mapping of a file (registered only by `register`, which
        // takes an `Mmap`, never a mutable or anonymous map). Dropping pages of such a mapping
        // only makes the next access read them from the file again; no reference into the map
        // can observe different bytes unless the file itself is changed, the caveat of every
        // file mapping.
        let _ = unsafe { map.unchecked_advise_range(UncheckedAdvice::DontNeed, offset, len) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn released_pages_read_back_the_same() {
        let mut f = tempfile::tempfile().expect("temp file");
        let data: Vec<u8> = (0..5 * PAGE + 100).map(|i| (i % 251) as u8).collect();
        f.write_all(&data).expect("write");
        // SAFETY: a private temporary file nobody else writes.
        let map = Arc::new(unsafe { Mmap::map(&f) }.expect("map"));
        let progress = Arc::new(AtomicU64::new(0));
        let guard = register(map.clone(), progress.clone());
        let inner = &map[PAGE / 2..4 * PAGE + 10];
        let (_, offset, len) = locate(&mut MAPS.lock().unwrap(), inner).expect("registered");
        // Whole aligned blocks inside the span only: the map itself is aligned to the system
        // page, not to `PAGE`, so where the blocks fall depends on its address.
        let base = map.as_ptr() as usize;
        assert_eq!((base + offset) % PAGE, 0);
        assert_eq!(len % PAGE, 0);
        assert!(offset >= PAGE / 2 && offset + len <= 4 * PAGE + 10, "{offset} {len}");
        assert!(len >= 2 * PAGE, "a span of 3.5 blocks holds at least 2 whole ones: {len}");
        release(inner);
        assert_eq!(&map[..], &data[..]);
        assert_eq!(progress.load(Ordering::Relaxed), inner.len() as u64, "the bytes passed count");
        release(&map[..10]);
        assert_eq!(progress.load(Ordering::Relaxed), inner.len() as u64 + 10, "less than a page counts too");
        drop(guard);
        assert_eq!(progress.load(Ordering::Relaxed), data.len() as u64, "the rest when unregistered");
        assert!(locate(&mut MAPS.lock().unwrap(), inner).is_none());
        // A heap buffer is never touched.
        let heap = data.clone();
        release(&heap);
        assert_eq!(heap, data);
    }
}
