//! Writing the report to standard output with honest failures: a write that fails (a full disk,
//! a closed file) is a message on stderr and exit code 2 instead of a panic or a silent empty
//! report; a reader that went away (`| head`) ends the run quietly.

use std::io::{self, Write};

/// How writing the output ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Written {
    Done,
    /// The reader closed the pipe: stop quietly.
    Closed,
    /// The write failed; the message is already on stderr.
    Failed,
}

impl Written {
    /// The exit code: `code` when the output was written (or its reader left), 2 when it failed.
    pub fn or_exit(self, code: i32) -> i32 {
        match self {
            Written::Done | Written::Closed => code,
            Written::Failed => 2,
        }
    }
}

/// Judge the result of writing (and flushing) the output.
pub fn judge(result: io::Result<()>) -> Written {
    match result {
        Ok(()) => Written::Done,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Written::Closed,
        Err(e) => {
            eprintln!("tlstriage: cannot write the output: {e}");
            Written::Failed
        }
    }
}

/// Write `text` to stdout and flush it.
pub fn print(text: &str) -> Written {
    let mut out = io::stdout().lock();
    judge(out.write_all(text.as_bytes()).and_then(|_| out.flush()))
}

/// Run `write` on a buffered stdout, flush, and judge the result.
pub fn with_stdout(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Written {
    let mut out = io::BufWriter::new(io::stdout().lock());
    let r = write(&mut out).and_then(|_| out.flush());
    judge(r)
}
