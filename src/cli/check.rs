//! `tlstriage check`: the live FMC or FTD this runs on (or a copy of its tree with `--root`),
//! judged from the files sftunnel keeps, read-only: text for people, JSON, Prometheus metrics
//! for node_exporter's textfile collector, or the monitoring-plugin line (`--nagios`).

use std::path::PathBuf;
use std::process::ExitCode;

use super::args::ViewArgs;
use super::error::{problems_if, Error, FATAL};
use crate::appliance::{Check, ReadOptions};
use crate::report::check::CheckView;
use crate::report::term::{Layout, DEFAULT_WIDTH};
use crate::report::{CheckFormat, Export};

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// The appliance's tree: `/` on the FMC or FTD itself, or a copy of one. Nothing in it is
    /// changed and no command is run.
    #[arg(long, default_value = "/", value_name = "DIR")]
    pub root: PathBuf,
    /// Also read FILE as this system's (a saved output of `sftunnel_status.pl`, which check
    /// itself never runs); repeatable.
    #[arg(long = "with", value_name = "FILE")]
    pub with: Vec<PathBuf>,
    /// Judge certificates against this date (RFC 3339 or YYYY-MM-DD) instead of now.
    #[arg(long)]
    pub now: Option<String>,
    /// Year of syslog timestamps (they carry none); default: from each file's modification time.
    #[arg(long)]
    pub year: Option<i16>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// The same as `--format nagios`.
    #[arg(long, conflicts_with = "format")]
    pub nagios: bool,
    /// Write the output into FILE, replaced at once (a new file renamed over it, so a collector
    /// never reads half of it); a symbolic link or other non-regular file at FILE is refused.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub view: ViewArgs,
}

/// Run `tlstriage check`. Exit codes: with `--nagios` the plugin's (0 OK, 1 WARNING, 2
/// CRITICAL, 3 UNKNOWN); otherwise 2 when nothing could be read, 1 when a system needs action
/// (expired, expiring, renewal to push) or a finding is an error or worse, else 0.
pub fn run(a: &CheckArgs) -> Result<ExitCode, Error> {
    let now = match &a.now {
        Some(n) => super::parse_now(n)?,
        None => jiff::Timestamp::now(),
    };
    let c = crate::appliance::check(&a.root, &a.with, ReadOptions { now, year: a.year });
    let format = if a.nagios { CheckFormat::Nagios } else { a.format };
    let layout = match a.out {
        Some(_) => Layout::plain(a.view.width.unwrap_or(DEFAULT_WIDTH)),
        None => a.view.layout(),
    };
    let view = CheckView::new(&c, layout);
    let export = Export::Check(format, &view);
    match &a.out {
        Some(path) => crate::report::output_file::write_with(path, |w| crate::report::write(export, w))
            .map_err(|e| Error::Message(crate::util::printable(&e).into_owned()))?,
        None => super::stdout::with_stdout(|w| crate::report::write(export, w))?,
    }
    Ok(match format {
        CheckFormat::Nagios => ExitCode::from(view.plugin().code as u8),
        _ => exit_code(&c),
    })
}

fn exit_code(c: &Check) -> ExitCode {
    if c.nothing_read() {
        return ExitCode::from(FATAL);
    }
    problems_if(c.needs_action())
}
