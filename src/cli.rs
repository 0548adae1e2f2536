//! Command-line definitions (clap derive) and the run of each subcommand.

use std::io::IsTerminal;

use crate::util::stdout::{print, with_stdout};
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::analyze::{analyze, Options, Report};
use crate::diagnose::{Kind, Severity};
pub use crate::report::AnalyzeFormat;

#[derive(Parser, Debug)]
#[command(
    name = "tlstriage",
    version,
    about = "Why is TLS failing on this Firepower system, and what exactly to do about it"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Diagnose logs, captures, certificate files and troubleshoot bundles.
    Analyze(AnalyzeArgs),
    /// Write a baseline of the accepted findings for `analyze --baseline` (sorted JSON).
    Baseline {
        #[command(flatten)]
        common: CommonArgs,
        /// Write the baseline into this file instead of printing it.
        #[arg(long, short = 'o', value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// List every TLS handshake reconstructed from the captures, one per line.
    Handshakes {
        #[command(flatten)]
        common: CommonArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
        #[command(flatten)]
        view: ViewArgs,
    },
    /// Write the repair plan for certificates that were not pushed (FAILED_PUSH): a devices.csv
    /// template for copy_sftunnel_certs.py and the manual commands per device, in HA order.
    Plan {
        #[command(flatten)]
        common: CommonArgs,
        /// Write `devices.csv` and `plan.txt` into this folder instead of printing them (new files,
        /// mode 0600; a symbolic link or other non-regular file at either name is refused).
        #[arg(long, short = 'o', value_name = "DIR")]
        out: Option<PathBuf>,
        /// With -o: replace a `devices.csv` or `plan.txt` that already exists.
        #[arg(long, requires = "out")]
        force: bool,
    },
    /// List every certificate found (files, captures, bundles) with its days left.
    Certs {
        #[command(flatten)]
        common: CommonArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
        #[command(flatten)]
        view: ViewArgs,
    },
    /// Triage many bundles at once: each path analysed on its own, one row per system (FMC and
    /// InternalCA), most urgent first.
    Fleet(crate::fleet::cli::FleetArgs),
    /// Print the full explanation and remediation for a finding kind.
    Explain {
        /// A finding kind such as `expired-ca`; `all` lists every kind.
        kind: String,
    },
}

/// Output formats of `analyze`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
}

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
}

#[derive(clap::Args, Debug)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AnalyzeFormat::Table)]
    pub format: AnalyzeFormat,
    /// Exit with 1 when a finding of this severity or worse is found (with --baseline: a new one).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Compare with the findings accepted in FILE (`tlstriage baseline` output or a --format json
    /// report): each finding is new or unchanged, and the gone ones are listed as resolved.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write the report into FILE instead of stdout (e.g. `--format html -o report.html`).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub view: ViewArgs,
}

/// How the human views are laid out.
#[derive(clap::Args, Debug, Clone)]
pub struct ViewArgs {
    /// Lay the table out for N columns (default: the terminal's width, else $COLUMNS, else 120;
    /// under 120 the findings take a narrow layout).
    #[arg(long, value_name = "N")]
    pub width: Option<usize>,
    /// Colour severities: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_enum, default_value_t = crate::report::term::ColorChoice::Auto, value_name = "WHEN")]
    pub color: crate::report::term::ColorChoice,
}

impl ViewArgs {
    fn layout(&self) -> crate::report::term::Layout {
        crate::report::term::Layout::for_stdout(self.width, self.color)
    }
}

/// Parse `--now`: a date `YYYY-MM-DD` (midnight UTC) or an RFC 3339 time with its offset
/// (`2026-11-23T08:00:00Z`, `2026-11-23T09:00:00+01:00`). Nothing else is guessed at.
pub fn parse_now(s: &str) -> Result<jiff::Timestamp, String> {
    let wrong = || {
        format!("--now '{}': give a date YYYY-MM-DD or an RFC 3339 time such as 2026-11-23T08:00:00Z", s.escape_debug())
    };
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let date_shape = b.len() >= 10 && digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10);
    if !date_shape {
        return Err(wrong());
    }
    if b.len() == 10 {
        let d: jiff::civil::Date = s.parse().map_err(|_| wrong())?;
        return d.to_zoned(jiff::tz::TimeZone::UTC).map(|z| z.timestamp()).map_err(|_| wrong());
    }
    // RFC 3339: `T` (or a space) between date and time, seconds, and an offset (`Z` or ±hh:mm).
    let sep_ok = matches!(b[10], b'T' | b't' | b' ');
    let time_ok = b.len() >= 19 && digits(11..13) && b[13] == b':' && digits(14..16) && b[16] == b':' && digits(17..19);
    let tail = &s[19.min(s.len())..];
    let tail = tail.strip_prefix('.').map_or(tail, |t| t.trim_start_matches(|c: char| c.is_ascii_digit()));
    let offset_ok = matches!(tail, "Z" | "z")
        || (tail.len() == 6
            && matches!(tail.as_bytes()[0], b'+' | b'-')
            && tail.as_bytes()[3] == b':'
            && tail.bytes().enumerate().all(|(i, c)| i == 0 || i == 3 || c.is_ascii_digit()));
    if !(sep_ok && time_ok && offset_ok) {
        return Err(wrong());
    }
    s.parse::<jiff::Timestamp>().map_err(|_| wrong())
}

/// The analysis settings of the common options (`--now` parsed).
pub fn options(c: &CommonArgs) -> Result<Options, String> {
    let mut o = Options::new(c.paths.clone());
    o.year = c.year;
    o.ca_files = c.ca.clone();
    o.threads = c.threads;
    o.progress = !c.quiet && std::io::stderr().is_terminal();
    if let Some(n) = &c.now {
        o.now = parse_now(n)?;
    }
    Ok(o)
}

/// Exit code for a finished report: 2 when nothing could be read, 1 when a finding reaches the
/// threshold (with a baseline: a new finding), else 0.
pub fn exit_code(r: &Report, fail_on: FailOn, baseline: Option<&crate::baseline::Comparison>) -> i32 {
    if r.nothing_readable() {
        return 2;
    }
    i32::from(crate::baseline::fails(&r.findings, fail_on.threshold(), baseline))
}

/// Analyse the inputs of `c`; a bad option, an unusable `--ca` file or a run in which no input
/// could be read is reported on stderr and becomes exit code 2 (the last one still renders).
fn run_analysis(c: &CommonArgs) -> Result<Report, i32> {
    let report = match options(c) {
        Ok(o) => analyze(&o),
        Err(e) => {
            eprintln!("tlstriage: {e}");
            return Err(2);
        }
    };
    if !report.ca_errors.is_empty() {
        for e in &report.ca_errors {
            eprintln!("tlstriage: --ca {}", crate::report::unread::printable(e));
        }
        return Err(2);
    }
    if report.nothing_readable() {
        eprint!("{}", crate::report::unread::nothing_read_message(&report));
    }
    Ok(report)
}

/// Run the parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Analyze(a) => {
            let accepted = match a.baseline.as_deref().map(crate::baseline::load).transpose() {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("tlstriage: {e}");
                    return 2;
                }
            };
            let report = match run_analysis(&a.common) {
                Ok(r) => r,
                Err(code) => return code,
            };
            let file = a.baseline.as_deref().map(|p| p.display().to_string()).unwrap_or_default();
            let cmp = accepted.map(|acc| crate::baseline::compare(&file, &report.findings, &acc));
            // A file gets no colour and the default width unless --width says otherwise.
            let layout = match a.out {
                Some(_) => {
                    crate::report::term::Layout::plain(a.view.width.unwrap_or(crate::report::term::DEFAULT_WIDTH))
                }
                None => a.view.layout(),
            };
            let text = crate::report::render_analysis(&report, a.format, a.fail_on.threshold(), cmp.as_ref(), &layout);
            let code = exit_code(&report, a.fail_on, cmp.as_ref());
            match &a.out {
                Some(path) => match crate::report::output_file::write(path, &text) {
                    Ok(()) => code,
                    Err(e) => {
                        eprintln!("tlstriage: {}", crate::util::printable(&e));
                        2
                    }
                },
                None => print(&text).or_exit(code),
            }
        }
        Command::Baseline { common, out } => match run_analysis(&common) {
            Ok(report) => crate::baseline::write_out(&report, out.as_deref()),
            Err(code) => code,
        },
        Command::Handshakes { common, format, view } => {
            let report = match run_analysis(&common) {
                Ok(r) => r,
                Err(code) => return code,
            };
            let written = match format {
                OutputFormat::Table => print(&crate::report::handshakes::render(&report, &view.layout())),
                // Streamed: a long list is rendered in parallel, window by window.
                OutputFormat::Json => with_stdout(|w| {
                    let mut out = crate::report::json::IoText(w, None);
                    let names = crate::report::names::Names::of(&report);
                    let rows = crate::report::handshakes::rows(&report, &names);
                    let r = crate::report::json::write_pretty_array(&mut out, &rows, 0);
                    match (r, out.1) {
                        (_, Some(e)) => Err(e),
                        (Err(_), None) => Err(std::io::Error::other("cannot render the handshakes")),
                        (Ok(()), None) => out.0.write_all(b"\n"),
                    }
                }),
            };
            written.or_exit(if report.nothing_readable() { 2 } else { 0 })
        }
        Command::Plan { common, out, force } => {
            let report = match run_analysis(&common) {
                Ok(r) => r,
                Err(code) => return code,
            };
            if report.nothing_readable() {
                return 2;
            }
            let plan = crate::plan::plan(&report);
            // What each system's state means for the plan comes first.
            let states = crate::plan::state_lines(&report);
            if plan.is_empty() {
                return print(&format!("{states}Nothing to push: no FAILED_PUSH entries in the inputs.\n")).or_exit(0);
            }
            // Every row refused: the text says why, and nothing is there to paste.
            let code = i32::from(plan.all_refused());
            match out {
                Some(_) if plan.all_refused() => print(&plan.render_text()).or_exit(code),
                Some(dir) => {
                    let plan_text = format!("{states}{}", plan.render_text());
                    let files = [("devices.csv", plan.devices_csv()), ("plan.txt", plan_text)];
                    if let Err(e) = crate::plan::write::write_files(&dir, &files, force) {
                        eprintln!("tlstriage: {}", crate::util::printable(&e));
                        return 2;
                    }
                    let d = crate::util::printable(&dir.display().to_string()).into_owned();
                    print(&format!("Wrote {d}/devices.csv and {d}/plan.txt\n")).or_exit(code)
                }
                // The text stays a script of comments and quoted commands: devices.csv is shown
                // inside it as comments, and written as a file by -o.
                None if plan.all_refused() => print(&plan.render_text()).or_exit(code),
                None => {
                    let text = format!(
                        "{states}{}#\n# tlstriage plan -o DIR writes devices.csv (fill in the passwords) and plan.txt into DIR.\n",
                        plan.render_text()
                    );
                    print(&text).or_exit(code)
                }
            }
        }
        Command::Certs { common, format, view } => {
            let report = match run_analysis(&common) {
                Ok(r) => r,
                Err(code) => return code,
            };
            let text = match format {
                OutputFormat::Table => crate::report::certs::render(&report, &view.layout()),
                OutputFormat::Json => {
                    let names = crate::report::names::Names::of(&report);
                    crate::report::json::pretty_array(&crate::report::certs::rows(&report, &names), 0) + "\n"
                }
            };
            print(&text).or_exit(if report.nothing_readable() { 2 } else { 0 })
        }
        Command::Fleet(a) => crate::fleet::cli::run_fleet(&a),
        Command::Explain { kind } => {
            if kind == "all" {
                let text: String = Kind::ALL.iter().map(|k| format!("{:<28} {}\n", k.as_str(), k.summary())).collect();
                return print(&text).or_exit(0);
            }
            match kind.parse::<Kind>() {
                Ok(k) => print(&crate::util::printable_lines(&crate::remedy::explain(k))).or_exit(0),
                Err(e) => {
                    eprintln!("tlstriage: {}", crate::util::printable(&e.to_string()));
                    2
                }
            }
        }
    }
}

/// `--threads N`: a whole number of at least 1 (0 would mean no worker at all).
fn thread_count(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("must be at least 1 (leave --threads out to use every core)".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{s}` is not a whole number of threads")),
    }
}
