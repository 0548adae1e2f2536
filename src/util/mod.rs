//! Small helpers shared by the parsers: a fast non-cryptographic hasher for in-memory tables and
//! the registry of memory-mapped input files whose consumed pages may be handed back.

pub mod fasthash;
pub mod mapped;
