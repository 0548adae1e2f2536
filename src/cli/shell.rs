//! `tlstriage completions SHELL` and `tlstriage man`: the shell completions (clap_complete) and
//! the manual page in roff (clap_mangen), both made from the same clap definitions as `--help`,
//! written to stdout or to `-o FILE`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::CommandFactory;

use super::error::{Error, OK};

#[derive(clap::Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
    /// Write the script into FILE instead of stdout; `-` is stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct ManArgs {
    /// Write the page into FILE (e.g. `tlstriage.1`) instead of stdout; `-` is stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Run `tlstriage completions SHELL`.
pub fn completions(a: &CompletionsArgs) -> Result<ExitCode, Error> {
    let mut cmd = super::Cli::command();
    super::stdout::write_out(a.out.as_deref(), |w| {
        clap_complete::generate(a.shell, &mut cmd, "tlstriage", w);
        Ok(())
    })?;
    Ok(ExitCode::from(OK))
}

/// Run `tlstriage man`: the page of `tlstriage` with a section per subcommand.
pub fn man(a: &ManArgs) -> Result<ExitCode, Error> {
    let cmd = super::Cli::command();
    super::stdout::write_out(a.out.as_deref(), |w| clap_mangen::Man::new(cmd).render(w))?;
    Ok(ExitCode::from(OK))
}
