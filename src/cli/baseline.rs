//! `tlstriage baseline`: write the accepted findings of a run as the sorted baseline document,
//! to stdout or to a file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::args::CommonArgs;
use super::error::{Error, FATAL, OK};
use super::options::run_analysis;

#[derive(clap::Args, Debug)]
pub struct BaselineArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Write the baseline into this file instead of printing it; `-` is stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Run `tlstriage baseline`: exit code 2 when nothing could be read (the reasons are already on
/// stderr) or the file cannot be written.
pub fn run(a: &BaselineArgs) -> Result<ExitCode, Error> {
    let report = run_analysis(&a.common)?;
    if report.nothing_readable() {
        return Ok(ExitCode::from(FATAL));
    }
    let text = crate::baseline::render(&report.findings);
    match a.out.as_deref().filter(|p| !super::stdout::is_stdout(Some(p))) {
        None => super::stdout::print(&text)?,
        Some(path) => write_file(path, &text, report.findings.len())?,
    }
    Ok(ExitCode::from(OK))
}

/// Write the document into `path` and say so on stderr.
fn write_file(path: &Path, text: &str, findings: usize) -> Result<(), Error> {
    std::fs::write(path, text).map_err(|e| {
        let why = crate::util::os_error::words(&e);
        Error::Message(format!(
            "cannot write the baseline {}: {why}",
            crate::util::printable(&path.display().to_string())
        ))
    })?;
    let n = crate::wording::counted(findings as u64, "accepted finding");
    super::error::notice(&format!("Wrote {n} to {}\n", path.display()));
    Ok(())
}
