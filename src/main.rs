//! The `tlstriage` binary: parse arguments, run the library, exit with its code.

use clap::Parser;

fn main() {
    let cli = tlstriage::cli::Cli::parse();
    std::process::exit(tlstriage::cli::run(cli));
}
