//! Renderers: they only render a finished [`crate::analyze::Report`]. One file per format.

pub mod certs;
pub mod json;
pub mod table;
