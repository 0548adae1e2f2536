//! Small helpers shared by the parsers: a fast non-cryptographic hasher for in-memory tables and
//! the registry of memory-mapped input files (the binary's `--mmap`) whose consumed pages may be
//! handed back; input text made safe for a terminal; OS errors in words.

pub mod fasthash;
pub mod mapped;
pub mod os_error;
pub mod printable;
pub mod quote;

pub use printable::{printable, printable_document, printable_lines};
