//! The views of `tlstriage check`: the text for people ([`text`]), the JSON document
//! ([`json`]), node_exporter metrics ([`prometheus`]) and the monitoring-plugin line
//! ([`nagios`]). Each is an [`super::Exporter`] of one [`CheckView`], picked in
//! [`super::exporter`] by a [`super::CheckFormat`].

pub mod json;
pub mod nagios;
pub mod prometheus;
pub mod text;

use super::term::Layout;
use crate::appliance::Check;

/// A check as one run shows it: the check, and the layout of its text (the other formats
/// ignore it).
#[derive(Clone, Copy, Debug)]
pub struct CheckView<'a> {
    pub check: &'a Check,
    pub layout: Layout,
}
