//! `tlstriage plan`: the repair plan for certificates that were not pushed, printed as a
//! script of comments and quoted commands, or written as `devices.csv` and `plan.txt`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::args::CommonArgs;
use super::error::{problems_if, Error, FATAL, OK};
use super::options::run_analysis;
use super::stdout::{print, with_stdout};
use crate::report::plan::PlanView;
use crate::report::{render, Export, PlanFormat};

#[derive(clap::Args, Debug)]
pub struct PlanArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Write `devices.csv` and `plan.txt` into this folder instead of printing them (new files,
    /// mode 0600; a symbolic link or other non-regular file at either name is refused); `-`
    /// prints the plan.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// With -o: replace a `devices.csv` or `plan.txt` that already exists.
    #[arg(long, requires = "out")]
    pub force: bool,
}

/// The last lines of the printed plan: how to get it as files.
const FILES_HINT: &str =
    "#\n# tlstriage plan -o DIR writes devices.csv (fill in the passwords) and plan.txt into DIR.\n";

/// Run `tlstriage plan`: exit code 2 when nothing could be read, 1 when every row of the plan
/// is refused (the text says why, and nothing is there to paste), else 0.
pub fn run(a: &PlanArgs) -> Result<ExitCode, Error> {
    let report = run_analysis(&a.common)?;
    if report.nothing_readable() {
        return Ok(ExitCode::from(FATAL));
    }
    let plan = crate::plan::plan(&report);
    // What each system's state means for the plan comes first.
    let states = crate::plan::state_lines(&report);
    let view = PlanView { plan: &plan, states: &states };
    let code = if plan.is_empty() { ExitCode::from(OK) } else { problems_if(plan.all_refused()) };
    match a.out.as_deref().filter(|p| !super::stdout::is_stdout(Some(p))) {
        // Files only for a plan with something to paste; else the text says why there is none.
        Some(dir) if !plan.is_empty() && !plan.all_refused() => write_files(dir, &view, a.force)?,
        _ => with_stdout(|w| {
            crate::report::write(Export::Plan(PlanFormat::Script, &view), w)?;
            // The text stays a script of comments and quoted commands: devices.csv is shown
            // inside it as comments, and written as a file by -o.
            match plan.is_empty() || plan.all_refused() {
                true => Ok(()),
                false => w.write_all(FILES_HINT.as_bytes()),
            }
        })?,
    }
    Ok(code)
}

/// Write `devices.csv` and `plan.txt` into `dir` and say so on stdout.
fn write_files(dir: &Path, view: &PlanView, force: bool) -> Result<(), Error> {
    let files = [
        ("devices.csv", render(Export::Plan(PlanFormat::DevicesCsv, view))),
        ("plan.txt", render(Export::Plan(PlanFormat::Script, view))),
    ];
    crate::plan::write::write_files(dir, &files, force)
        .map_err(|e| Error::Message(crate::util::printable(&e).into_owned()))?;
    let d = crate::util::printable(&dir.display().to_string()).into_owned();
    print(&format!("Wrote {d}/devices.csv and {d}/plan.txt\n"))
}
