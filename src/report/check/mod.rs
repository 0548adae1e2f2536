//! The views of `tlstriage check`: the text for people ([`text`]), the JSON document
//! ([`json`]), node_exporter metrics ([`prometheus`]) and the monitoring-plugin line
//! ([`nagios`]). Each is an [`super::Exporter`] of one [`CheckView`], picked in
//! [`super::exporter`] by a [`super::CheckFormat`].

pub mod json;
pub mod nagios;
pub mod prometheus;
pub mod text;

use std::cell::OnceCell;

use super::term::Layout;
use crate::appliance::Check;

/// A check as one run shows it: the check, the layout of its text (the other formats ignore
/// it), and its monitoring-plugin result, judged once for both the line and the exit code.
#[derive(Debug)]
pub struct CheckView<'a> {
    pub check: &'a Check,
    pub layout: Layout,
    plugin: OnceCell<nagios::Plugin>,
}

impl<'a> CheckView<'a> {
    pub fn new(check: &'a Check, layout: Layout) -> Self {
        CheckView { check, layout, plugin: OnceCell::new() }
    }

    /// The monitoring-plugin result of the check (judged on first use).
    pub fn plugin(&self) -> &nagios::Plugin {
        self.plugin.get_or_init(|| nagios::of(self.check))
    }
}
