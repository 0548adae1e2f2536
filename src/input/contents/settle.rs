//! After the run: every duplicate named after the place finally read, with its format and size.

use std::collections::HashMap;

use super::Contents;
use crate::model::{Duplicate, Format, Parsed, Status};

/// After the run: point every duplicate at the place finally read, and give it that place's
/// format (a file reached twice by name was never opened the second time).
pub fn settle(parsed: &mut Parsed, contents: &Contents) {
    for d in &mut parsed.duplicates {
        if let Some(of) = d.id.as_ref().and_then(|id| contents.first_place(id)) {
            d.of = of;
        }
    }
    // The place read is the first line of its path (the same path may come again as a duplicate).
    let mut formats: HashMap<&str, (Format, u64)> = HashMap::new();
    for i in &parsed.inputs {
        formats.entry(i.path.as_str()).or_insert((i.format, i.bytes));
    }
    let mut fixed = Vec::new();
    for d in &parsed.duplicates {
        fixed.push((d.path.clone(), formats.get(d.of.as_str()).copied(), message(d)));
    }
    // The first skipped line of each path, found once (a run of many copies is not a square of
    // comparisons).
    let mut skipped: HashMap<String, usize> = HashMap::new();
    for (n, i) in parsed.inputs.iter().enumerate() {
        if i.status == Status::Skipped {
            skipped.entry(i.path.clone()).or_insert(n);
        }
    }
    for (path, format, why) in fixed {
        if let Some(st) = skipped.get(&path).and_then(|&n| parsed.inputs.get_mut(n)) {
            if let Some((format, bytes)) = format {
                st.format = format;
                st.bytes = bytes;
            }
            st.message = Some(why);
        }
    }
}

/// The status message of a duplicate.
pub fn message(d: &Duplicate) -> String {
    match d.id {
        Some(_) => format!("same content as {}: counted once", d.of),
        None => format!("the same file as {}: counted once", d.of),
    }
}
