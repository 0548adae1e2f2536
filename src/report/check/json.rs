//! `check --format json`: `{"check": what was looked for and found, "analysis": the analyze
//! JSON document}`, with the paths of this machine in both.

use std::io;

use super::CheckView;
use crate::appliance::Check;
use crate::report::Exporter;

/// The JSON document of a check, pretty-printed.
pub struct CheckJson<'a>(pub &'a CheckView<'a>);

impl Exporter for CheckJson<'_> {
    fn write(&self, out: &mut dyn io::Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &document(self.0.check))?;
        out.write_all(b"\n")
    }
}

/// The document: the check's own part and the analysis, with the paths of this machine.
fn document(c: &Check) -> serde_json::Value {
    let mut analysis: serde_json::Value =
        serde_json::from_str(&crate::report::json_document(&c.report)).expect("the JSON document parses");
    c.paths.rewrite_json(&mut analysis);
    let looked: Vec<serde_json::Value> = c
        .discovery
        .looked
        .iter()
        .map(|l| {
            serde_json::json!({
                "what": l.what,
                "tried": l.tried,
                "files": l.files.iter().map(|f| f.real.display().to_string()).collect::<Vec<_>>(),
                "problems": l.problems,
            })
        })
        .collect();
    serde_json::json!({
        "check": {
            "root": c.discovery.root.display().to_string(),
            "role": c.discovery.role,
            "why": c.discovery.why,
            "looked": looked,
            "with": c.extra.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            "files_read": c.files_read(),
        },
        "analysis": analysis,
    })
}
