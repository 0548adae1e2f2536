//! Why a command stops with exit code 2, and the one place that prints it (and the notices).
//!
//! Every subcommand returns `Result<ExitCode, Error>`; `main` hands an error to [`print`]. The
//! messages are the ones the README and the tests pin, each line prefixed with `tlstriage: `.

use std::fmt;
use std::process::ExitCode;

/// Exit code 0: the run worked and found nothing that fails it.
pub const OK: u8 = 0;
/// Exit code 1: a problem was found (a finding at `--fail-on`, a system that needs action, a
/// plan whose every row is refused).
pub const PROBLEMS: u8 = 1;
/// Exit code 2: nothing could be read, a usage error, or a fatal error.
pub const FATAL: u8 = 2;

/// A failure that ends the run with exit code 2.
#[derive(Debug)]
pub enum Error {
    /// One message; values from inputs in it are already escaped for the terminal.
    Message(String),
    /// Several messages, one line each (every unusable `--ca` file).
    Messages(Vec<String>),
    /// Writing the output failed (a full disk, a closed file; a closed pipe is no error).
    Output(std::io::Error),
}

impl Error {
    /// The lines printed for this error, without the `tlstriage: ` prefix.
    pub fn lines(&self) -> Vec<String> {
        match self {
            Error::Message(m) => vec![m.clone()],
            Error::Messages(ms) => ms.clone(),
            Error::Output(e) => vec![format!("cannot write the output: {e}")],
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.lines().join("\n"))
    }
}

impl std::error::Error for Error {}

impl From<String> for Error {
    fn from(message: String) -> Self {
        Error::Message(message)
    }
}

/// Print `error` on stderr and give the exit code it ends the run with.
pub fn print(error: &Error) -> ExitCode {
    for line in error.lines() {
        eprintln!("tlstriage: {line}");
    }
    ExitCode::from(FATAL)
}

/// Print a notice that is no error on stderr, as it is (`text` ends with its line break): the
/// reasons why nothing could be read, `Wrote …`. The run goes on.
pub fn notice(text: &str) {
    eprint!("{text}");
}

/// The exit code of a run that went through: 2 when nothing could be read, else `code`.
pub fn unless_nothing_read(nothing_read: bool, code: u8) -> ExitCode {
    ExitCode::from(if nothing_read { FATAL } else { code })
}

/// 1 when `problems`, else 0.
pub fn problems_if(problems: bool) -> ExitCode {
    ExitCode::from(if problems { PROBLEMS } else { OK })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_has_its_lines() {
        assert_eq!(Error::Message("--now 'x': bad".into()).lines(), ["--now 'x': bad"]);
        assert_eq!(Error::Messages(vec!["--ca a".into(), "--ca b".into()]).to_string(), "--ca a\n--ca b");
        let e = Error::Output(std::io::Error::other("disk full"));
        assert_eq!(e.lines(), ["cannot write the output: disk full"]);
        assert_eq!(unless_nothing_read(true, OK), ExitCode::from(FATAL));
        assert_eq!(unless_nothing_read(false, PROBLEMS), ExitCode::from(PROBLEMS));
        assert_eq!((problems_if(true), problems_if(false)), (ExitCode::from(1), ExitCode::from(0)));
    }
}
