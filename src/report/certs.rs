//! Placeholder replaced by the certificate view from the x509 work.

use crate::analyze::Report;

/// Render the certificate list.
pub fn render(report: &Report, width: Option<u16>) -> String {
    let _ = (report, width);
    String::new()
}
