//! `tlstriage watch`: following sftunnel's log while a fix is under way. [`follow`] reads what a
//! logger appends to a file, across rotation and truncation; [`run`] feeds the lines to the
//! syslog reader and judges each attempt as it ends; [`peers`] keeps which peers are failing,
//! so that one that connects again is said once.

pub mod follow;
pub mod peers;
pub mod run;

pub use run::{Seen, Watch};
