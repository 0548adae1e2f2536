//! `tlstriage fleet`: each path analysed on its own, one row per system, most urgent first.

use std::process::ExitCode;

use super::args::{CommonArgs, OutArgs, ViewArgs};
use super::error::{problems_if, Error, FATAL};
use super::options::options;
use crate::report::fleet::FleetView;
use crate::report::{Export, FleetFormat};

/// `tlstriage fleet PATH...`.
#[derive(clap::Args, Debug)]
pub struct FleetArgs {
    /// Each path is one input of its own: a bundle, or a folder holding one case.
    #[command(flatten)]
    pub common: CommonArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FleetFormat::Table)]
    pub format: FleetFormat,
    #[command(flatten)]
    pub out: OutArgs,
    #[command(flatten)]
    pub view: ViewArgs,
}

/// Run `tlstriage fleet`: exit code 2 when no input could be read, 1 when a system needs action
/// (expired, renewal pending, expiring, or sources that disagree) or an input could not be read,
/// else 0.
pub fn run(a: &FleetArgs) -> Result<ExitCode, Error> {
    let opts = options(&a.common)?;
    // Trust anchors are checked once, before any bundle: an unusable one stops the run, as in
    // `analyze`.
    if !opts.ca_files.is_empty() {
        let mut only_ca = opts.clone();
        only_ca.paths = Vec::new();
        let errors = crate::analyze::analyze(&only_ca).ca_errors;
        if !errors.is_empty() {
            return Err(Error::Messages(
                errors.iter().map(|e| format!("--ca {}", crate::util::printable(e))).collect(),
            ));
        }
    }
    let fleet = crate::fleet::run(&a.common.paths, &opts);
    let out = a.out.out.as_deref();
    let shown = FleetView { fleet: &fleet, layout: a.view.layout_for(out) };
    super::stdout::write_out(out, |w| crate::report::write(Export::Fleet(a.format, &shown), w))?;
    if fleet.inputs.iter().all(|i| i.status == "error") {
        Ok(ExitCode::from(FATAL))
    } else {
        Ok(problems_if(fleet.systems.iter().any(|r| r.needs_action())))
    }
}
