//! The `fleet` subcommand's arguments and its run.

use std::io::Write;

use super::{render, run, FleetFormat};
use crate::cli::CommonArgs;

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
    pub view: crate::cli::ViewArgs,
}

/// Run `tlstriage fleet`: exit code 2 when no input could be read, 1 when a system needs action
/// (expired, renewal pending, expiring) or an input could not be read, else 0.
pub fn run_fleet(a: &FleetArgs) -> i32 {
    let opts = match crate::cli::options(&a.common) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("tlstriage: {e}");
            return 2;
        }
    };
    // Trust anchors are checked once, before any bundle: an unusable one stops the run, as in
    // `analyze`.
    if !opts.ca_files.is_empty() {
        let mut only_ca = opts.clone();
        only_ca.paths = Vec::new();
        let errors = crate::analyze::analyze(&only_ca).ca_errors;
        if !errors.is_empty() {
            for e in &errors {
                eprintln!("tlstriage: --ca {}", crate::util::printable(e));
            }
            return 2;
        }
    }
    let fleet = run(&a.common.paths, &opts);
    let layout = crate::report::term::Layout::for_stdout(a.view.width, a.view.color);
    let text = render(&fleet, a.format, Some(&layout));
    if let Err(e) = std::io::stdout().lock().write_all(text.as_bytes()) {
        eprintln!("tlstriage: cannot write the output: {e}");
        return 2;
    }
    if fleet.inputs.iter().all(|i| i.status == "error") {
        2
    } else {
        i32::from(fleet.systems.iter().any(|r| super::row::needs_action(&r.state)))
    }
}
