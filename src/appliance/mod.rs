//! On the appliance itself: where an FMC or an FTD keeps sftunnel's files ([`layout`]),
//! finding them under a root without changing anything ([`discover`]; `root` keeps every path
//! inside the root, `role` tells FMC from FTD), reading them as one system through the analysis
//! pipeline ([`read`]), and what a check found ([`check`]). [`tree`] lays a
//! troubleshoot bundle out as the appliance's own tree, for the tests and
//! `cargo run -p xtask -- appliance-trees`.

pub mod check;
pub mod discover;
pub mod layout;
pub mod read;
mod role;
mod root;
pub mod tree;

pub use check::{check, Check};
pub use discover::messages_log;
pub use layout::Role;
pub use read::ReadOptions;
