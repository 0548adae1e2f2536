//! `--format jsonl`: one finding per line as compact JSON, the same object as in the `findings`
//! array of `--format json` (with `baseline_status` when a baseline was given). For log
//! pipelines that read line by line.

use super::View;

/// `analyze --format jsonl`: one finding per line.
pub struct Jsonl<'a>(pub &'a View<'a>);

impl super::Exporter for Jsonl<'_> {
    fn write(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        write(self.0, out)
    }
}

/// One line per finding, each ending with a newline; nothing at all without findings.
fn write(view: &View, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    for f in super::json::findings_out(view.report, view.baseline) {
        let line = serde_json::to_string(&f).map_err(std::io::Error::from)?;
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
