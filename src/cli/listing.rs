//! `tlstriage certs` and `tlstriage handshakes`: one line (or block) per certificate or per
//! handshake, as a table or a JSON array.

use std::process::ExitCode;

use super::args::{CommonArgs, OutArgs, ViewArgs};
use super::error::{unless_nothing_read, Error, OK};
use super::options::run_analysis;
use crate::report::{Export, ListFormat, View};

/// The arguments of `certs` and `handshakes`.
#[derive(clap::Args, Debug)]
pub struct ListingArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[command(flatten)]
    pub out: OutArgs,
    #[command(flatten)]
    pub view: ViewArgs,
}

/// Which listing to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing {
    Certs,
    Handshakes,
}

/// Run `tlstriage certs` or `tlstriage handshakes`: exit code 2 when nothing could be read.
pub fn run(listing: Listing, args: &ListingArgs) -> Result<ExitCode, Error> {
    let (format, view) = (args.format, &args.view);
    let report = run_analysis(&args.common)?;
    let out = args.out.out.as_deref();
    let shown = View { layout: view.layout_for(out), ..View::new(&report) };
    let export = match listing {
        Listing::Certs => Export::Certs(format, &shown),
        Listing::Handshakes => Export::Handshakes(format, &shown),
    };
    super::stdout::write_out(out, |w| crate::report::write(export, w))?;
    Ok(unless_nothing_read(report.nothing_readable(), OK))
}
