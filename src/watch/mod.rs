//! `tlstriage watch`: following sftunnel's log while a fix is under way. [`follow`] reads what a
//! logger appends to a file, across rotation and truncation; [`peers`] keeps which peers are
//! failing, so that one that connects again is said once.

pub mod follow;
pub mod peers;
