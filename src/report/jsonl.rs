//! `--format jsonl`: one finding per line as compact JSON, the same object as in the `findings`
//! array of `--format json` (with `baseline_status` when a baseline was given). For log
//! pipelines that read line by line.

use super::View;

/// One line per finding, each ending with a newline; nothing at all without findings.
pub fn write(view: &View, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    for f in super::json::findings_out(view.report, view.baseline) {
        // A finding is plain data (strings, numbers, maps with string keys): it always serializes.
        if let Ok(line) = serde_json::to_string(&f) {
            out.write_all(line.as_bytes())?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}
