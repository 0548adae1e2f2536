//! The progress bar of long runs: bytes and inputs done, rate and time left, on stderr.
//!
//! It is drawn only when asked for (`Options::progress`, which the command line sets when stderr
//! is a terminal and `--quiet` is absent), and only once a run has lasted long enough to be worth
//! watching, so short runs never flash a bar. It never writes to stdout, where the JSON goes.
//! Each file's stream counts the bytes the readers take from it into
//! [`IngestContext::progress`](crate::model::IngestContext) (`input::file`: for a compressed
//! input, the compressed bytes consumed), whatever reads them; a watcher thread reads the counters
//! a few times a second.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before the bar appears.
const SHOW_AFTER: Duration = Duration::from_millis(400);
/// How often the bar is refreshed.
const TICK: Duration = Duration::from_millis(100);

/// Counters shared between the workers and the watcher.
#[derive(Debug, Default)]
pub struct Counters {
    pub bytes: Arc<AtomicU64>,
    pub inputs_done: AtomicUsize,
}

/// A running progress watcher; dropping it removes the bar.
pub struct Watcher {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Watcher {
    /// Watch `counters` towards `total_bytes` in `total_inputs` files. With `enabled` false
    /// nothing is started.
    pub fn start(counters: Arc<Counters>, total_bytes: u64, total_inputs: usize, enabled: bool) -> Watcher {
        let stop = Arc::new(AtomicBool::new(false));
        if !enabled || total_inputs == 0 {
            return Watcher { stop, thread: None };
        }
        let flag = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("progress".into())
            .spawn(move || watch(&counters, total_bytes, total_inputs, &flag))
            .ok();
        Watcher { stop, thread }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            t.thread().unpark();
            let _ = t.join();
        }
    }
}

fn style() -> ProgressStyle {
    ProgressStyle::with_template(
        "{spinner} {elapsed_precise} [{wide_bar}] {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta} {msg}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ")
}

fn watch(c: &Counters, total_bytes: u64, total_inputs: usize, stop: &AtomicBool) {
    let started = Instant::now();
    let mut bar: Option<ProgressBar> = None;
    while !stop.load(Ordering::Relaxed) {
        std::thread::park_timeout(TICK);
        if stop.load(Ordering::Relaxed) {
            break;
        }
        if bar.is_none() && started.elapsed() >= SHOW_AFTER {
            let b = ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr());
            b.set_style(style());
            bar = Some(b);
        }
        if let Some(b) = &bar {
            b.set_position(c.bytes.load(Ordering::Relaxed).min(total_bytes));
            b.set_message(format!("inputs {}/{total_inputs}", c.inputs_done.load(Ordering::Relaxed)));
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_disabled_watcher_starts_no_thread() {
        let w = Watcher::start(Arc::default(), 100, 3, false);
        assert!(w.thread.is_none());
    }

    #[test]
    fn an_enabled_watcher_stops_when_dropped() {
        let c = Arc::new(Counters::default());
        c.bytes.store(50, Ordering::Relaxed);
        let w = Watcher::start(Arc::clone(&c), 100, 1, true);
        assert!(w.thread.is_some());
        drop(w); // joins the thread: would hang here if stopping did not work
        assert_eq!(Arc::strong_count(&c), 1);
    }
}
