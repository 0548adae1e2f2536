//! The `tlstriage` binary: parse arguments, run the library, print an error if the run ends
//! with one, and exit with its code.

use std::process::ExitCode;

use clap::Parser;

/// Captures and logs make many small, short-lived allocations (evidence strings, certificate
/// summaries, JSON text); mimalloc serves them from thread-local pages and keeps the pages it
/// got, which saves most of the system allocator's page faults on big inputs.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = tlstriage::cli::Cli::parse();
    match tlstriage::cli::run(cli) {
        Ok(code) => code,
        Err(e) => tlstriage::cli::error::print(&e),
    }
}
