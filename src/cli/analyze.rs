//! `tlstriage analyze`: diagnose the inputs, compare with a baseline, and write the report in
//! the chosen format to stdout or a file.

use std::path::PathBuf;
use std::process::ExitCode;

use super::args::{CommonArgs, FailOn, ViewArgs};
use super::error::{problems_if, Error, FATAL};
use super::options::run_analysis;
use crate::analyze::Report;
use crate::baseline::Comparison;
use crate::report::{AnalyzeFormat, Export, View};

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
    /// Write the report into FILE instead of stdout (e.g. `--format html -o report.html`); `-`
    /// is stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The table format with each finding's evidence and steps, and the devices (the default
    /// text is the answer: the case, the findings overview and each system's steps).
    #[arg(long, short = 'v')]
    pub verbose: bool,
    #[command(flatten)]
    pub view: ViewArgs,
}

/// Exit code for a finished report: 2 when nothing could be read or judged, 1 when a finding
/// reaches the threshold (with a baseline: a new finding), else 0.
pub fn exit_code(r: &Report, fail_on: FailOn, baseline: Option<&Comparison>) -> ExitCode {
    if r.nothing_readable() || r.nothing_judged() {
        return ExitCode::from(FATAL);
    }
    problems_if(crate::baseline::fails(&r.findings, fail_on.threshold(), baseline))
}

/// Run `tlstriage analyze`.
pub fn run(a: &AnalyzeArgs) -> Result<ExitCode, Error> {
    let accepted = a.baseline.as_deref().map(crate::baseline::load).transpose()?;
    let report = run_analysis(&a.common)?;
    let file = a.baseline.as_deref().map(|p| p.display().to_string()).unwrap_or_default();
    let cmp = accepted.map(|acc| crate::baseline::compare(&file, &report.findings, &acc));
    // A file gets no colour and the default width unless --width says otherwise.
    let layout = a.view.layout_for(a.out.as_deref());
    let view =
        View { report: &report, baseline: cmp.as_ref(), layout, fail_on: a.fail_on.threshold(), verbose: a.verbose };
    let export = Export::Analysis(a.format, &view);
    super::stdout::write_out(a.out.as_deref(), |w| crate::report::write(export, w))?;
    Ok(exit_code(&report, a.fail_on, cmp.as_ref()))
}
