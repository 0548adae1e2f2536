//! The `tlstriage` binary: parse arguments, run the library, exit with its code.

use clap::Parser;

/// Captures and logs make many small, short-lived allocations (evidence strings, certificate
/// summaries, JSON text); mimalloc serves them from thread-local pages and keeps the pages it
/// got, which saves most of the system allocator's page faults on big inputs.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = tlstriage::cli::Cli::parse();
    std::process::exit(tlstriage::cli::run(cli));
}
