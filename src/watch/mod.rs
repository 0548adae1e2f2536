//! `tlstriage watch`: following sftunnel's log while a fix is under way. [`follow`] reads what a
//! logger appends to a file, across rotation and truncation.

pub mod follow;
