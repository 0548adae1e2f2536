//! `tlstriage explain KIND`: the full explanation and remediation of a finding kind, or the list
//! of every kind with its summary.

use std::process::ExitCode;

use super::error::{Error, OK};
use super::stdout::print;
use crate::diagnose::Kind;
use crate::report::term::{ColorChoice, Layout};
use crate::report::wrap;

/// Run `tlstriage explain`: an unknown kind is an error naming the known ones. The text is
/// wrapped to `width` (else the terminal's), lines broken between words only.
pub fn run(kind: &str, width: Option<usize>) -> Result<ExitCode, Error> {
    let width = Layout::for_stdout(width, ColorChoice::Never).width;
    print(&text(kind, width)?)?;
    Ok(ExitCode::from(OK))
}

/// The text of `explain KIND` laid out for `width` columns.
pub fn text(kind: &str, width: usize) -> Result<String, Error> {
    if kind == "all" {
        let name = Kind::ALL.iter().map(|k| k.as_str().len()).max().unwrap_or(0) + 2;
        let hang = " ".repeat(name);
        // The summaries beside the names when there is room, else under them.
        let hang = if width >= name + 30 { hang } else { "    ".to_string() };
        let mut out = String::new();
        for k in Kind::ALL {
            if hang.len() == name {
                out.push_str(&wrap::fill(k.summary(), width, &format!("{:<name$}", k.as_str()), &hang));
            } else {
                out.push_str(k.as_str());
                out.push('\n');
                out.push_str(&wrap::fill(k.summary(), width, &hang, &hang));
            }
        }
        return Ok(out);
    }
    let k = kind.parse::<Kind>().map_err(|e| Error::Message(crate::util::printable(&e.to_string()).into_owned()))?;
    let text = crate::util::printable_lines(&crate::remedy::explain(k)).into_owned();
    let mut out = String::new();
    for line in text.lines() {
        // A line keeps its indent, and a numbered step its hanging indent.
        let indent = line.len() - line.trim_start().len();
        let body = line.trim_start();
        let marker = body.split_once(' ').map_or(0, |(m, _)| {
            let numbered = m.strip_suffix('.').is_some_and(|n| n.parse::<u32>().is_ok()) || m == "-";
            if numbered {
                m.len() + 1
            } else {
                0
            }
        });
        let first = &line[..indent];
        let rest = " ".repeat(indent + marker);
        out.push_str(&wrap::fill(body, width, first, &rest));
    }
    Ok(out)
}
