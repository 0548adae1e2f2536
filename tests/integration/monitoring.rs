//! `check --format prometheus` read back by a strict parser of the text exposition format
//! (0.0.4), on every sample tree and on a tree whose names try to break out of their labels;
//! `check --nagios` status lines and exit codes for healthy, expiring, expired and unreadable
//! trees. The metric names are the ones `docs/monitoring.md` documents.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::appliance::{check_json, sample_bundles, tree};
use crate::common::{repo, run};

/// One sample line: name, labels, value.
#[derive(Debug, PartialEq)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
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
fn parse(text: &str) -> Result<Vec<Sample>, String> {
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

/// The metric names `docs/monitoring.md` documents (`` `tlstriage_...` `` at a table row's start).
fn documented() -> BTreeSet<String> {
    let text = std::fs::read_to_string(repo("docs/monitoring.md")).unwrap();
    text.lines()
        .filter_map(|l| l.strip_prefix("| `tlstriage_"))
        .map(|l| format!("tlstriage_{}", l.split('`').next().unwrap()))
        .collect()
}

fn prometheus(root: &Path, extra: &[&str]) -> (i32, String) {
    let root = root.display().to_string();
    let args = [&["check", "--root", &root, "--format", "prometheus", "--now", "2026-11-23", "--year", "2026"], extra]
        .concat();
    let r = run(&args);
    (r.code, r.stdout)
}

#[test]
fn the_parser_refuses_what_the_format_forbids() {
    let head = "# HELP m x\n# TYPE m gauge\n";
    assert!(parse(&format!("{head}m{{a=\"x\\\"y\"}} 1\n")).is_ok());
    for bad in [
        format!("{head}m{{a=\"x\"y\"}} 1\n"),
        format!("{head}m{{a=\"x\\q\"}} 1\n"),
        format!("{head}m{{a=\"x\"}} 1\nm{{a=\"x\"}} 2\n"),
        format!("{head}m 1\n# HELP n y\n# TYPE n gauge\nn 1\nm 2\n"),
        format!("{head}n 1\n"),
        format!("{head}m one\n"),
        format!("{head}m 1"),
        "m 1\n".to_string(),
    ] {
        assert!(parse(&bad).is_err(), "accepted: {bad:?}");
    }
}

#[test]
fn metrics_of_every_sample_tree_parse_and_match_the_analysis() {
    let documented = documented();
    assert_eq!(documented.len(), 8, "{documented:?}");
    let dir = tempfile::tempdir().unwrap();
    for bundle in sample_bundles() {
        let t = tree(&bundle, dir.path());
        let outputs: Vec<String> = t.outputs.iter().map(|p| p.display().to_string()).collect();
        let with: Vec<&str> = outputs.iter().flat_map(|o| ["--with", o.as_str()]).collect();
        let (_, text) = prometheus(&t.root, &with);
        let samples = parse(&text).unwrap_or_else(|e| panic!("{}: {e}\n{text}", bundle.display()));
        let names: BTreeSet<String> = samples.iter().map(|s| s.name.clone()).collect();
        assert!(names.is_subset(&documented), "{}: {names:?}", bundle.display());
        let (_, c) = check_json(&t, &[]);
        let a = &c["analysis"];
        let value = |name: &str, labels: &[(&str, &str)]| {
            samples
                .iter()
                .find(|s| {
                    s.name == name && labels.iter().all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
                })
                .map(|s| s.value)
        };
        assert_eq!(value("tlstriage_check_timestamp_seconds", &[]), Some(1_795_392_000.0));
        assert_eq!(value("tlstriage_check_files_read", &[]), c["check"]["files_read"].as_f64());
        for s in a["systems"].as_array().unwrap() {
            let id = s["id"].as_str().unwrap();
            assert_eq!(
                value("tlstriage_internal_ca_days_left", &[("system", id)]),
                s["internal_ca"]["days_left"].as_f64()
            );
            let state = s["state"].as_str().unwrap();
            assert_eq!(value("tlstriage_system_state", &[("system", id), ("state", state)]), Some(1.0));
            let states = samples.iter().filter(|x| x.name == "tlstriage_system_state" && x.labels["system"] == id);
            assert_eq!(states.map(|x| x.value).sum::<f64>(), 1.0);
            for d in s["devices"].as_array().unwrap() {
                let peer = d["name"].as_str().unwrap();
                let up = value("tlstriage_tunnel_up", &[("system", id), ("peer", peer)]);
                let want = match d["tunnel"].as_str().unwrap() {
                    "up" => Some(1.0),
                    "down" => Some(0.0),
                    _ => None,
                };
                assert_eq!(up, want, "{id} {peer}");
                let push = value("tlstriage_peer_needs_push", &[("system", id), ("peer", peer)]);
                assert_eq!(push, Some(if d["needs_push"] == true { 1.0 } else { 0.0 }));
            }
        }
        let counted: f64 = samples.iter().filter(|s| s.name == "tlstriage_findings").map(|s| s.value).sum();
        assert_eq!(counted, a["findings"].as_array().unwrap().len() as f64, "{}", bundle.display());
    }
}

/// The fmc-west-02 tree with names that try to end a label, a line or the file, add a metric,
/// or colour a terminal.
fn hostile_tree(dir: &Path) -> std::path::PathBuf {
    let t = tree(&repo("samples/cases/two-fmcs/fmc-west-02.tar.gz"), dir);
    let peer = t.root.join("var/sf/peers/1f6b2d90-4e1a-11ec-8a3d-0050569a0b11/sftunnel.json");
    let mut json: Value = serde_json::from_slice(&std::fs::read(&peer).unwrap()).unwrap();
    json["name"] = Value::from("ftd\"} 1\nfake_metric{a=\"b\"} 2\\\u{1b}[31m|days_left=999");
    std::fs::write(&peer, serde_json::to_vec(&json).unwrap()).unwrap();
    let ims = t.root.join("etc/sf/ims.conf");
    let text = std::fs::read_to_string(&ims).unwrap().replace("HOSTNAME=fmc-west-02", "HOSTNAME=fmc\"}|x=1\\");
    std::fs::write(&ims, text).unwrap();
    t.root
}

#[test]
fn names_from_the_tree_stay_inside_their_labels() {
    let dir = tempfile::tempdir().unwrap();
    let root = hostile_tree(dir.path());
    let (code, text) = prometheus(&root, &[]);
    assert_eq!(code, 1);
    let samples = parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert!(samples.iter().all(|s| s.name.starts_with("tlstriage_")), "{text}");
    let push: Vec<&Sample> = samples.iter().filter(|s| s.name == "tlstriage_peer_needs_push").collect();
    assert_eq!(push.len(), 1, "{text}");
    // The value read back is the name with its control characters written out (`\x0a`, `\x1b`).
    assert_eq!(push[0].labels["peer"], "ftd\"} 1\\x0afake_metric{a=\"b\"} 2\\\\x1b[31m|days_left=999");
    assert!(!text.contains('\u{1b}'));
}

fn nagios(root: &Path, now: &str) -> (i32, String) {
    let root = root.display().to_string();
    let r = run(&["check", "--root", &root, "--nagios", "--now", now, "--year", "2026"]);
    assert_eq!(r.stderr, "");
    (r.code, r.stdout)
}

#[test]
fn nagios_status_follows_the_internal_ca_days_left() {
    let dir = tempfile::tempdir().unwrap();
    // fmc-west-02's InternalCA ends 2027-01-18.
    let t = tree(&repo("samples/cases/two-fmcs/fmc-west-02.tar.gz"), dir.path());
    let cases = [
        (
            "2026-06-01",
            0,
            "TLSTRIAGE OK - fmc-west-02: InternalCA ends 2027-01-18 (231 days left) | days_left=231;90;30",
        ),
        (
            "2026-10-20",
            1,
            "TLSTRIAGE WARNING - fmc-west-02: InternalCA ends 2027-01-18 (90 days left) | days_left=90;90;30",
        ),
        (
            "2026-11-23",
            1,
            "TLSTRIAGE WARNING - fmc-west-02: InternalCA ends 2027-01-18 (56 days left) | days_left=56;90;30",
        ),
        (
            "2026-12-19",
            2,
            "TLSTRIAGE CRITICAL - fmc-west-02: InternalCA ends 2027-01-18 (30 days left) | days_left=30;90;30",
        ),
        (
            "2027-01-01",
            2,
            "TLSTRIAGE CRITICAL - fmc-west-02: InternalCA ends 2027-01-18 (17 days left) | days_left=17;90;30",
        ),
        (
            "2027-02-01",
            2,
            "TLSTRIAGE CRITICAL - fmc-west-02: InternalCA ended 2027-01-18 (14 days ago) | days_left=-14;90;30",
        ),
    ];
    for (now, code, line) in cases {
        assert_eq!(nagios(&t.root, now), (code, format!("{line}\n")), "--now {now}");
    }
    // A renewed CA whose files still have to reach two devices is a warning.
    let t = tree(&repo("samples/bundles/fmc-hq-01.tar.gz"), dir.path());
    let (code, out) = nagios(&t.root, "2026-11-23");
    assert_eq!(code, 1);
    assert_eq!(out, "TLSTRIAGE WARNING - fmc-hq-01: InternalCA ends 2036-03-12 (3397 days left); 2 devices still lack the new files | days_left=3397;90;30\n");
}

#[test]
fn nagios_is_unknown_when_nothing_or_no_internal_ca_can_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("gone|x=1");
    let (code, out) = nagios(&missing, "2026-11-23");
    assert_eq!(code, 3);
    let first = out.lines().next().unwrap();
    assert_eq!(
        first,
        format!("TLSTRIAGE UNKNOWN - nothing could be read under {}", missing.display().to_string().replace('|', "¦"))
    );
    assert!(out.contains("the InternalCA: not there: /etc/sf/ca_root/cacert.pem\n"), "{out}");
    assert_eq!(out.matches('|').count(), 0, "{out}");
    // An FMC whose InternalCA is not a readable file: the rest is read, and still UNKNOWN.
    let t = tree(&repo("samples/cases/two-fmcs/fmc-west-02.tar.gz"), dir.path());
    let ca = t.root.join("etc/sf/ca_root/cacert.pem");
    std::fs::remove_file(&ca).unwrap();
    std::fs::create_dir(&ca).unwrap();
    let (code, out) = nagios(&t.root, "2026-11-23");
    assert_eq!(code, 3, "{out}");
    assert!(
        out.starts_with(&format!("TLSTRIAGE UNKNOWN - no InternalCA's end is known under {}\n", t.root.display())),
        "{out}"
    );
    assert!(out.contains("the InternalCA: /etc/sf/ca_root/cacert.pem: a folder, not read\n"), "{out}");
}

#[test]
fn a_name_with_a_bar_cannot_add_performance_data() {
    let dir = tempfile::tempdir().unwrap();
    let root = hostile_tree(dir.path());
    let (code, out) = nagios(&root, "2026-11-23");
    assert_eq!(code, 1);
    let first = out.lines().next().unwrap();
    assert_eq!(first.matches('|').count(), 1, "{out}");
    assert!(first.ends_with("| days_left=56;90;30"), "{out}");
}
