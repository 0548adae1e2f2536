//! A strict reader of the Prometheus text exposition format (0.0.4), for the tests of
//! `check --format prometheus`: what it accepts, node_exporter's textfile collector accepts.

use std::collections::{BTreeMap, BTreeSet};

/// One sample line: name, labels, value.
#[derive(Debug, PartialEq)]
pub struct Sample {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub value: f64,
}

fn is_name(s: &str, colon: bool) -> bool {
    let mut chars = s.chars();
    let ok_first = |c: char| c.is_ascii_alphabetic() || c == '_' || (colon && c == ':');
    chars.next().is_some_and(ok_first) && chars.all(|c| ok_first(c) || c.is_ascii_digit())
}

/// The value of a label from just after its opening quote: the unescaped text and the rest
/// after the closing quote. Only `\\`, `\"` and `\n` are escapes.
fn label_value(s: &str) -> Result<(String, &str), String> {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((out, &s[i + 1..])),
            '\\' => match chars.next() {
                Some((_, '\\')) => out.push('\\'),
                Some((_, '"')) => out.push('"'),
                Some((_, 'n')) => out.push('\n'),
                other => return Err(format!("bad escape \\{other:?}")),
            },
            c => out.push(c),
        }
    }
    Err("label value not closed".into())
}

fn float(s: &str) -> Result<f64, String> {
    match s {
        "NaN" => Ok(f64::NAN),
        "+Inf" => Ok(f64::INFINITY),
        "-Inf" => Ok(f64::NEG_INFINITY),
        _ => s.parse::<f64>().map_err(|e| format!("value {s:?}: {e}")),
    }
}

/// Parse `text` strictly: every family has one HELP and one TYPE before its samples, a family's
/// lines are together, no series twice, names and escapes as the format allows.
pub fn parse(text: &str) -> Result<Vec<Sample>, String> {
    if !text.ends_with('\n') {
        return Err("the last line has no line break".into());
    }
    let mut samples: Vec<Sample> = Vec::new();
    let mut help: BTreeSet<String> = BTreeSet::new();
    let mut typed: BTreeMap<String, String> = BTreeMap::new();
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut current: Option<String> = None;
    let mut series: BTreeSet<String> = BTreeSet::new();
    for (n, line) in text.lines().enumerate() {
        let at = |e: String| format!("line {}: {e}: {line:?}", n + 1);
        let mut enter = |name: &str, current: &mut Option<String>| -> Result<(), String> {
            if current.as_deref() != Some(name) {
                if done.contains(name) {
                    return Err(format!("family {name} is split"));
                }
                if let Some(c) = current.take() {
                    done.insert(c);
                }
                *current = Some(name.to_string());
            }
            Ok(())
        };
        if let Some(rest) = line.strip_prefix("# ") {
            let (kind, rest) = rest.split_once(' ').ok_or_else(|| at("bad comment".into()))?;
            let (name, doc) = rest.split_once(' ').ok_or_else(|| at("no text".into()))?;
            if !is_name(name, true) {
                return Err(at(format!("bad metric name {name}")));
            }
            enter(name, &mut current).map_err(at)?;
            match kind {
                "HELP" => {
                    if !help.insert(name.to_string()) || doc.contains("\\\\n") {
                        return Err(at("HELP twice".into()));
                    }
                }
                "TYPE" => {
                    let types = ["counter", "gauge", "histogram", "summary", "untyped"];
                    if !types.contains(&doc) || typed.insert(name.to_string(), doc.to_string()).is_some() {
                        return Err(at("bad or second TYPE".into()));
                    }
                }
                _ => return Err(at("a comment that is neither HELP nor TYPE".into())),
            }
            continue;
        }
        let end = line.find(['{', ' ']).ok_or_else(|| at("no value".into()))?;
        let name = &line[..end];
        if !is_name(name, true) || !typed.contains_key(name) || !help.contains(name) {
            return Err(at(format!("{name} is not a declared metric name")));
        }
        enter(name, &mut current).map_err(at)?;
        let mut rest = &line[end..];
        let mut labels = BTreeMap::new();
        if let Some(mut l) = rest.strip_prefix('{') {
            loop {
                if let Some(after) = l.strip_prefix('}') {
                    rest = after;
                    break;
                }
                let (key, after) = l.split_once("=\"").ok_or_else(|| at("bad label".into()))?;
                if !is_name(key, false) {
                    return Err(at(format!("bad label name {key}")));
                }
                let (value, after) = label_value(after).map_err(at)?;
                if labels.insert(key.to_string(), value).is_some() {
                    return Err(at(format!("label {key} twice")));
                }
                l = after.strip_prefix(',').unwrap_or(after);
                if !after.starts_with([',', '}']) {
                    return Err(at("a label is not followed by , or }".into()));
                }
            }
        }
        let fields: Vec<&str> =
            rest.strip_prefix(' ').ok_or_else(|| at("no space before the value".into()))?.split(' ').collect();
        let value = match fields.as_slice() {
            [v] => float(v),
            [v, ts] => ts.parse::<i64>().map_err(|e| e.to_string()).and_then(|_| float(v)),
            _ => Err("too many fields".into()),
        }
        .map_err(at)?;
        if !series.insert(format!("{name}{labels:?}")) {
            return Err(at("the same series twice".into()));
        }
        samples.push(Sample { name: name.to_string(), labels, value });
    }
    Ok(samples)
}
