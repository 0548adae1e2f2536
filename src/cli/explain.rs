//! `tlstriage explain KIND`: the full explanation and remediation of a finding kind, or the list
//! of every kind with its summary.

use std::process::ExitCode;

use super::error::{Error, OK};
use super::stdout::print;
use crate::diagnose::Kind;

/// Run `tlstriage explain`: an unknown kind is an error naming the known ones.
pub fn run(kind: &str) -> Result<ExitCode, Error> {
    let text = if kind == "all" {
        Kind::ALL.iter().map(|k| format!("{:<28} {}\n", k.as_str(), k.summary())).collect()
    } else {
        let k =
            kind.parse::<Kind>().map_err(|e| Error::Message(crate::util::printable(&e.to_string()).into_owned()))?;
        crate::util::printable_lines(&crate::remedy::explain(k)).into_owned()
    };
    print(&text)?;
    Ok(ExitCode::from(OK))
}
