//! What the exporters of a report take: the finished report and how to show it.

use super::term::{Layout, DEFAULT_WIDTH};
use crate::analyze::Report;
use crate::baseline::Comparison;
use crate::diagnose::Severity;

/// A report as one run shows it.
#[derive(Clone, Copy, Debug)]
pub struct View<'a> {
    pub report: &'a Report,
    /// The comparison with `--baseline`: each finding's status and the resolved ones.
    pub baseline: Option<&'a Comparison>,
    /// Width and colour of the human views.
    pub layout: Layout,
    /// `--fail-on`: the least severity that fails the run (JUnit failures); `None` for never.
    pub fail_on: Option<Severity>,
    /// `-v`: the text view shows each finding's evidence and steps (the other formats always do).
    pub verbose: bool,
}

impl<'a> View<'a> {
    /// `report` with no baseline, at the default width without colour, failing at `error` (the
    /// defaults of the command line).
    pub fn new(report: &'a Report) -> Self {
        View {
            report,
            baseline: None,
            layout: Layout::plain(DEFAULT_WIDTH),
            fail_on: Some(Severity::Error),
            verbose: false,
        }
    }
}
