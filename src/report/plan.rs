//! The plan's exporters: the plan as a script of comments and quoted commands (printed, or
//! `plan.txt`), and the `devices.csv` template. What the plan says is built in `src/plan/`;
//! these only put it together and write it.

use std::io;

use super::Exporter;
use crate::plan::Plan;

/// The plan of a run and what each system's state means for it (comment lines).
#[derive(Clone, Copy, Debug)]
pub struct PlanView<'a> {
    pub plan: &'a Plan,
    /// [`crate::plan::state_lines`] of the report.
    pub states: &'a str,
}

/// The plan: the state lines, then the copy commands; when there is nothing to copy, why. A plan
/// whose every row was refused says only that (nothing in it is safe to paste).
pub struct PlanScript<'a>(pub &'a PlanView<'a>);

impl Exporter for PlanScript<'_> {
    fn write(&self, out: &mut dyn io::Write) -> io::Result<()> {
        let PlanView { plan, states } = *self.0;
        if plan.is_empty() {
            out.write_all(states.as_bytes())?;
            return out.write_all(b"Nothing to push: no FAILED_PUSH entries in the inputs.\n");
        }
        if !plan.all_refused() {
            out.write_all(states.as_bytes())?;
        }
        out.write_all(plan.render_text().as_bytes())
    }
}

/// `devices.csv` for `copy_sftunnel_certs.py` (the passwords left for the user).
pub struct DevicesCsv<'a>(pub &'a PlanView<'a>);

impl Exporter for DevicesCsv<'_> {
    fn write(&self, out: &mut dyn io::Write) -> io::Result<()> {
        out.write_all(self.0.plan.devices_csv().as_bytes())
    }
}
