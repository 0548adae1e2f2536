//! The command line: clap definitions of every subcommand and the dispatch to their runs, one
//! file per subcommand. Each run returns `Result<ExitCode, Error>`; errors are printed in one
//! place ([`error::print`], called by `main`).
//!
//! Exit codes: 0 ok, 1 problems found, 2 nothing read / usage / fatal (also in `--help`).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub mod analyze;
pub mod args;
pub mod baseline;
pub mod check;
pub mod error;
pub mod explain;
pub mod fleet;
pub mod interrupt;
pub mod listing;
pub mod options;
pub mod plan;
pub mod shell;
pub mod stdout;
pub mod watch;

pub use crate::report::{AnalyzeFormat, FleetFormat, ListFormat};
pub use analyze::{exit_code, AnalyzeArgs};
pub use args::{CommonArgs, FailOn, ViewArgs};
pub use error::Error;
pub use options::{options, parse_now};

/// The end of `--help`: exit codes and examples.
const AFTER_HELP: &str = "\
Exit codes:
  0  nothing found at --fail-on (analyze), no system needing action (fleet)
  1  problems found: a finding at --fail-on or worse (with --baseline: a new
     one), a system that needs action; a failing case exits 1 by design
  2  nothing could be read, a usage error (a bad path, option or value), or
     a fatal error

Examples:
  tlstriage analyze case/              the answer: case, findings, steps
  tlstriage analyze -v case/           with each finding's evidence, steps
  tlstriage analyze case/ --format html -o report.html
  pbpaste | tlstriage analyze -        a pasted excerpt, read from stdin
  tlstriage plan bundle.tgz -o plan/   devices.csv, commands per device
  tlstriage explain expired-ca
  tlstriage completions bash > tlstriage.bash
  tlstriage man -o tlstriage.1";

/// The end of `analyze --help`.
const ANALYZE_AFTER_HELP: &str = "\
Exit codes: 0 nothing at --fail-on, 1 a finding at --fail-on or worse (with
--baseline: a new one; a failing case exits 1 by design), 2 nothing read or a
usage error.

Examples:
  tlstriage analyze case/ bundle.tar.gz
  tlstriage analyze -v case/ | less -R
  tlstriage analyze - < pasted-log.txt
  tlstriage analyze case/ --format json -o report.json
  tlstriage analyze case/ --baseline accepted.json --fail-on warning";

#[derive(Parser, Debug)]
#[command(
    name = "tlstriage",
    version,
    about = "Why is TLS failing on this Firepower system, and what exactly to do about it",
    after_help = AFTER_HELP,
    // Help is wrapped to the terminal (COLUMNS when not on one), at most 100 columns.
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Diagnose logs, captures, certificate files and troubleshoot bundles.
    #[command(after_help = ANALYZE_AFTER_HELP)]
    Analyze(AnalyzeArgs),
    /// Write a baseline of the accepted findings for `analyze --baseline` (sorted JSON).
    Baseline(baseline::BaselineArgs),
    /// List every TLS handshake reconstructed from the captures, one per line.
    Handshakes(listing::ListingArgs),
    /// Write the repair plan for certificates that were not pushed (FAILED_PUSH): a devices.csv
    /// template for copy_sftunnel_certs.py and the manual commands per device, in HA order.
    Plan(plan::PlanArgs),
    /// List every certificate found (files, captures, bundles) with its days left.
    Certs(listing::ListingArgs),
    /// Triage many bundles at once: each path analysed on its own, one row per system (FMC and
    /// InternalCA), most urgent first.
    Fleet(fleet::FleetArgs),
    /// Judge the FMC or FTD this runs on (or a copy of its tree, --root) from the files sftunnel
    /// keeps: state, InternalCA days left, each peer's tunnel, next steps; read-only, no network.
    Check(check::CheckArgs),
    /// Follow sftunnel's log (the system's own, or the files given) and say each failed
    /// connection and each peer that connects again the moment it is logged; Ctrl-C ends it
    /// with the peers still failing.
    Watch(watch::WatchArgs),
    /// Print the full explanation and remediation for a finding kind.
    Explain {
        /// A finding kind such as `expired-ca`; `all` lists every kind.
        kind: String,
        /// Wrap for N columns (default: the terminal's width, else $COLUMNS, else 120).
        #[arg(long, value_name = "N")]
        width: Option<usize>,
    },
    /// Print the shell completion script for SHELL (bash, zsh, fish, elvish, powershell).
    Completions(shell::CompletionsArgs),
    /// Print the manual page (roff), e.g. `tlstriage man -o tlstriage.1; man ./tlstriage.1`.
    Man(shell::ManArgs),
}

/// Run the parsed command line: the exit code of the run, or the error that ends it (exit code
/// 2 once printed by [`error::print`]).
pub fn run(cli: Cli) -> Result<ExitCode, Error> {
    use_threads(cli.command.threads());
    match &cli.command {
        Command::Analyze(a) => analyze::run(a),
        Command::Baseline(a) => baseline::run(a),
        Command::Handshakes(a) => listing::run(listing::Listing::Handshakes, a),
        Command::Plan(a) => plan::run(a),
        Command::Certs(a) => listing::run(listing::Listing::Certs, a),
        Command::Fleet(a) => fleet::run(a),
        Command::Check(a) => check::run(a),
        Command::Watch(a) => watch::run(a),
        Command::Explain { kind, width } => explain::run(kind, *width),
        Command::Completions(a) => shell::completions(a),
        Command::Man(a) => shell::man(a),
    }
}

impl Command {
    /// The `--threads` of the subcommand, when it has one and it is given.
    fn threads(&self) -> Option<usize> {
        match self {
            Command::Analyze(a) => a.common.threads,
            Command::Baseline(a) => a.common.threads,
            Command::Handshakes(a) | Command::Certs(a) => a.common.threads,
            Command::Plan(a) => a.common.threads,
            Command::Fleet(a) => a.common.threads,
            Command::Check(_)
            | Command::Watch(_)
            | Command::Explain { .. }
            | Command::Completions(_)
            | Command::Man(_) => None,
        }
    }
}

/// `--threads N` holds for the whole run, rendering included (not only the analysis), so the
/// process's shared worker pool gets N threads. A pool built earlier in the same process (a
/// second run inside a test) is left as it is; the analysis still installs its own pool of N.
fn use_threads(threads: Option<usize>) {
    if let Some(n) = threads {
        let _ = rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build_global();
    }
}
