//! Writing the output to standard output with honest failures: a write that fails (a full disk,
//! a closed file) becomes [`Error::Output`] (exit code 2) instead of a panic or a silent empty
//! report; a reader that went away (`| head`) ends the run quietly. `-o -` is stdout too.

use std::io::{self, Write};
use std::path::Path;

use super::error::Error;

/// Judge the result of writing (and flushing) the output: a closed pipe is no failure.
pub fn judge(result: io::Result<()>) -> Result<(), Error> {
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::Output(e)),
    }
}

/// Write `text` to stdout and flush it.
pub fn print(text: &str) -> Result<(), Error> {
    let mut out = io::stdout().lock();
    judge(out.write_all(text.as_bytes()).and_then(|_| out.flush()))
}

/// Run `write` on a buffered stdout, flush, and judge the result.
pub fn with_stdout(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Error> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    let r = write(&mut out).and_then(|_| out.flush());
    judge(r)
}

/// Whether `-o PATH` means standard output: no `-o`, or `-o -`.
pub fn is_stdout(out: Option<&Path>) -> bool {
    out.is_none_or(|p| p.as_os_str() == "-")
}

/// Run `write` on the file of `-o PATH` (see [`crate::report::output_file`]), or on stdout
/// without `-o` or with `-o -`.
pub fn write_out(out: Option<&Path>, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Error> {
    match out.filter(|_| !is_stdout(out)) {
        Some(path) => crate::report::output_file::write_with(path, write)
            .map_err(|e| Error::Message(crate::util::printable(&e).into_owned())),
        None => with_stdout(write),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_pipe_is_quiet_and_other_failures_are_errors() {
        assert!(judge(Ok(())).is_ok());
        assert!(judge(Err(io::Error::from(io::ErrorKind::BrokenPipe))).is_ok());
        let full = judge(Err(io::Error::other("No space left on device")));
        assert_eq!(full.expect_err("fails").lines(), ["cannot write the output: No space left on device"]);
    }
}
