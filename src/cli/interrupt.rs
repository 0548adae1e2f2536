//! Ctrl-C for the commands that run until stopped (`watch`): SIGINT and SIGTERM set a flag the
//! run looks at between its looks, so it ends with its summary instead of dying mid-line. Only
//! the command line installs this (the Python package installs no signal handler).

use std::sync::atomic::{AtomicBool, Ordering};

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    // Only an atomic store: async-signal-safe.
    STOP.store(true, Ordering::Relaxed);
}

/// Install the handler; the flag it sets.
pub fn on_interrupt() -> &'static AtomicBool {
    for sig in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: the handler only stores into an atomic, which is async-signal-safe; `signal`
        // with a valid signal number and handler has no other precondition.
        unsafe {
            libc::signal(sig, on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t);
        }
    }
    &STOP
}
