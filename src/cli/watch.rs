//! `tlstriage watch`: follow sftunnel's log (the system's own under `--root`, or the files
//! given) and say each finding the moment its connection attempt ends, and each peer that
//! connects again after failing, with the time of its line; Ctrl-C (or SIGTERM) ends it with the
//! peers still failing. `--once` reads what the files hold and stops (a log already written).

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use super::error::{problems_if, Error, FATAL};
use crate::report::watch::{line, summary, WatchFormat};
use crate::watch::{Seen, Watch};

/// How often the files are looked at.
pub const POLL: Duration = Duration::from_millis(200);

#[derive(clap::Args, Debug)]
pub struct WatchArgs {
    /// Log files to follow; default: the system's own messages log under --root
    /// (`/var/log/messages`, an FTD's `/ngfw/var/log/messages`).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The appliance's tree whose messages log is followed when no PATH is given.
    #[arg(long, default_value = "/", value_name = "DIR")]
    pub root: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = WatchFormat::Text)]
    pub format: WatchFormat,
    /// Read the files from their start (default: only what is written from now on).
    #[arg(long)]
    pub from_start: bool,
    /// Read what the files hold now, from their start, then stop with the summary.
    #[arg(long)]
    pub once: bool,
    /// Year of syslog timestamps (they carry none); default: from each file's modification time.
    #[arg(long)]
    pub year: Option<i16>,
}

/// Run `tlstriage watch` until Ctrl-C (or the end of the files with `--once`). Exit code 2
/// when no file could ever be read (live too: a watch of a path that never appeared read
/// nothing), 1 when a peer is still failing at the end, else 0.
pub fn run(a: &WatchArgs) -> Result<ExitCode, Error> {
    let paths = if a.paths.is_empty() { vec![crate::appliance::messages_log(&a.root)] } else { a.paths.clone() };
    let stop = super::interrupt::on_interrupt();
    let mut watch = Watch::new(&paths, a.from_start || a.once, a.year);
    let format = a.format;
    let mut out = io::stdout().lock();
    let mut say = |seen: Seen| -> io::Result<()> {
        out.write_all(line(format, &seen).as_bytes())?;
        out.flush()
    };
    let ended = loop {
        let read = match watch.look(&mut say) {
            Ok(read) => read,
            Err(e) => break Err(e),
        };
        if (a.once && !read) || stop.load(std::sync::atomic::Ordering::Relaxed) {
            break Ok(());
        }
        if !read {
            std::thread::sleep(POLL);
        }
    };
    let ended = ended.and_then(|()| watch.finish(&mut say));
    let nothing_read = !watch.any_open();
    let text = summary(format, &watch.peers, nothing_read);
    let ended = ended.and_then(|()| out.write_all(text.as_bytes())).and_then(|()| out.flush());
    super::stdout::judge(ended)?;
    if nothing_read {
        return Ok(ExitCode::from(FATAL));
    }
    Ok(problems_if(!watch.peers.still_failing().is_empty()))
}
