//! The options several subcommands share: the inputs and how to read them (`CommonArgs`), how a
//! human view is laid out (`ViewArgs`) and `--fail-on`.

use std::path::PathBuf;

use clap::ValueEnum;

use crate::diagnose::Severity;
use crate::report::term::{ColorChoice, Layout};

/// `--fail-on`: the least severity that makes the exit code 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Info,
    Warning,
    Error,
    Critical,
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Info => Some(Severity::Info),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Error => Some(Severity::Error),
            FailOn::Critical => Some(Severity::Critical),
            FailOn::Never => None,
        }
    }
}

#[derive(clap::Args, Debug, Clone)]
pub struct CommonArgs {
    /// Files and directories (walked recursively); archives are read in place.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Year of syslog timestamps (they carry none); default: from each file's modification time.
    #[arg(long)]
    pub year: Option<i16>,
    /// Judge certificates against this date (RFC 3339 or YYYY-MM-DD) instead of today.
    #[arg(long)]
    pub now: Option<String>,
    /// Extra trust anchor (PEM or DER); repeatable.
    #[arg(long = "ca", value_name = "FILE")]
    pub ca: Vec<PathBuf>,
    /// Worker threads, 1 or more (default: all cores). The output is the same whatever the
    /// number.
    #[arg(long, value_parser = thread_count)]
    pub threads: Option<usize>,
    /// No progress bar (it is only drawn when stderr is a terminal anyway).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Memory-map the input files that cannot shrink while mapped (a sealed memfd, a file on a
    /// read-only file system such as squashfs or ISO 9660); all others are read in chunks.
    #[arg(long)]
    pub mmap: bool,
}

/// How the human views are laid out.
#[derive(clap::Args, Debug, Clone)]
pub struct ViewArgs {
    /// Lay the table out for N columns (default: the terminal's width, else $COLUMNS, else 120;
    /// under 120 the findings take a narrow layout).
    #[arg(long, value_name = "N")]
    pub width: Option<usize>,
    /// Colour severities: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

impl ViewArgs {
    /// The layout for stdout.
    pub fn layout(&self) -> Layout {
        Layout::for_stdout(self.width, self.color)
    }

    /// The layout for `-o PATH`: a file gets no colour and the default width unless --width
    /// says otherwise; stdout (`-o -` or none) is laid out for the terminal.
    pub fn layout_for(&self, out: Option<&std::path::Path>) -> Layout {
        match super::stdout::is_stdout(out) {
            true => self.layout(),
            false => Layout::plain(self.width.unwrap_or(crate::report::term::DEFAULT_WIDTH)),
        }
    }
}

/// `-o FILE` of the subcommands that write one document.
#[derive(clap::Args, Debug, Clone)]
pub struct OutArgs {
    /// Write the output into FILE instead of stdout (a regular file is replaced; a link or
    /// other non-regular file is refused); `-` is stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `--threads N`: a whole number of at least 1 (0 would mean no worker at all).
fn thread_count(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("must be at least 1 (leave --threads out to use every core)".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{s}` is not a whole number of threads")),
    }
}
