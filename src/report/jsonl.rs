//! `--format jsonl`: one finding per line as compact JSON, the same object as in the `findings`
//! array of `--format json` (with `baseline_status` when a baseline was given). For log
//! pipelines that read line by line.

use crate::analyze::Report;
use crate::baseline::Comparison;

/// One line per finding, each ending with a newline; nothing at all without findings.
pub fn render(r: &Report, baseline: Option<&Comparison>) -> String {
    let mut out = String::new();
    for f in super::json::findings_out(r, baseline) {
        // A finding is plain data (strings, numbers, maps with string keys): it always serializes.
        if let Ok(line) = serde_json::to_string(&f) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}
