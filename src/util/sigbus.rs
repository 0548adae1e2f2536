//! Guarded file mappings: a file that is truncated while it is mapped and read (a log rotated
//! under us, a copy still being written) must not kill the run with SIGBUS.
//!
//! While a mapping is guarded, a SIGBUS whose fault address lies inside it is answered by mapping
//! anonymous zero pages over the rest of the mapping (`mmap(MAP_FIXED)` is async-signal-safe)
//! and noting the fault; the read that faulted then sees zeros and the parser goes on. The reader
//! asks [`Guarded::truncated`] afterwards and reports the input as cut. A SIGBUS anywhere else
//! is handed back to the handler that was installed before (the default one: the process dies
//! as it would have). The registry is a fixed array of atomics, so the handler takes no lock.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Once;

/// Mappings guarded at the same time (one per file read in parallel); more are read unguarded.
const SLOTS: usize = 256;

struct Slot {
    start: AtomicUsize,
    len: AtomicUsize,
    faulted: AtomicBool,
}

#[allow(clippy::declare_interior_mutable_const)]
const EMPTY: Slot = Slot { start: AtomicUsize::new(0), len: AtomicUsize::new(0), faulted: AtomicBool::new(false) };
static REGISTRY: [Slot; SLOTS] = [EMPTY; SLOTS];
static INSTALL: Once = Once::new();
/// The SIGBUS action before ours, as raw bytes of a `libc::sigaction` (set once, before use).
static mut PREVIOUS: Option<libc::sigaction> = None;

/// A guarded mapping; the guard ends when this is dropped.
pub struct Guarded {
    slot: Option<usize>,
}

impl Guarded {
    /// Whether a read of the mapping faulted because the file had become shorter.
    pub fn truncated(&self) -> bool {
        self.slot.is_some_and(|i| REGISTRY[i].faulted.load(Ordering::Acquire))
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        if let Some(i) = self.slot {
            REGISTRY[i].len.store(0, Ordering::Release);
            REGISTRY[i].start.store(0, Ordering::Release);
        }
    }
}

/// Guard `data`, a read-only file mapping that lives at least as long as the returned value.
pub fn guard(data: &[u8]) -> Guarded {
    INSTALL.call_once(install);
    let start = data.as_ptr() as usize;
    for (i, s) in REGISTRY.iter().enumerate() {
        if s.start.compare_exchange(0, start, Ordering::AcqRel, Ordering::Relaxed).is_ok() {
            s.faulted.store(false, Ordering::Release);
            s.len.store(data.len(), Ordering::Release);
            return Guarded { slot: Some(i) };
        }
    }
    Guarded { slot: None }
}

fn install() {
    // SAFETY: plain sigaction calls with zeroed, then filled, structs; done once.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigbus as *const () as usize;
        action.sa_flags = libc::SA_SIGINFO | libc::SA_NODEFER;
        libc::sigemptyset(&mut action.sa_mask);
        let mut old: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(libc::SIGBUS, &action, &mut old) == 0 {
            PREVIOUS = Some(old);
        }
    }
}

extern "C" fn on_sigbus(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid siginfo for SA_SIGINFO handlers.
    let addr = unsafe { (*info).si_addr() } as usize;
    let page = page_size();
    for s in &REGISTRY {
        let (start, len) = (s.start.load(Ordering::Acquire), s.len.load(Ordering::Acquire));
        if start == 0 || addr < start || addr >= start + len {
            continue;
        }
        let from = addr & !(page - 1);
        let end = (start + len).div_ceil(page) * page;
        // SAFETY: the range lies inside a mapping we own for the time it is guarded; replacing it
        // with zero pages only changes what the parser reads.
        let p = unsafe {
            libc::mmap(
                from as *mut libc::c_void,
                end - from,
                libc::PROT_READ,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                -1,
                0,
            )
        };
        if p != libc::MAP_FAILED {
            s.faulted.store(true, Ordering::Release);
            return;
        }
    }
    // Not ours: give the signal back to whoever handled it before.
    // SAFETY: PREVIOUS was written once before this handler could run.
    unsafe {
        match *std::ptr::addr_of!(PREVIOUS) {
            Some(old) if old.sa_sigaction != libc::SIG_DFL && old.sa_sigaction != libc::SIG_IGN => {
                if old.sa_flags & libc::SA_SIGINFO != 0 {
                    let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                        std::mem::transmute(old.sa_sigaction);
                    f(sig, info, ctx);
                } else {
                    let f: extern "C" fn(libc::c_int) = std::mem::transmute(old.sa_sigaction);
                    f(sig);
                }
            }
            _ => {
                libc::signal(libc::SIGBUS, libc::SIG_DFL);
            }
        }
    }
}

fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let n = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if n > 0 {
        n as usize
    } else {
        4096
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    #[test]
    fn a_file_truncated_while_mapped_reads_as_zeros() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(&vec![b'x'; 1 << 20]).unwrap();
        f.flush().unwrap();
        // SAFETY: the test owns the file; truncating it under the map is the point.
        let map = unsafe { memmap2::Mmap::map(f.as_file()).unwrap() };
        let guarded = super::guard(&map);
        assert_eq!(map[0], b'x');
        f.as_file().set_len(4096).unwrap();
        let tail: u64 = map[8192..].iter().map(|&b| u64::from(b)).sum();
        assert_eq!(tail, 0, "the cut part reads as zeros");
        assert_eq!(map[100], b'x', "the part that is still there reads as before");
        assert!(guarded.truncated());
    }
}
