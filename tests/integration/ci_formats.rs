//! The CI formats through the binary: the JSON output against `docs/schema.json`, SARIF against
//! the official SARIF 2.1.0 schema, JUnit XML structure and counts, JSON Lines; Markdown to
//! stdout and to a file.

use crate::common;

use common::{analyze_json, run};
use serde_json::Value;

const TIME: [&str; 4] = ["--year", "2026", "--now", "2026-11-23"];

fn schema(path: &std::path::Path) -> jsonschema::Validator {
    let text = std::fs::read_to_string(path).unwrap();
    let mut schema: Value = serde_json::from_str(&text).unwrap();
    repair_sarif_region(&mut schema);
    jsonschema::options().should_validate_formats(true).build(&schema).unwrap()
}

/// The SARIF schema file (committed verbatim) places the `anyOf` of `region` (a region needs
/// startLine, charOffset or byteOffset) inside `properties`, where the 2020-12 meta-schema does
/// not allow an array, so the validator refuses to compile it. Put it where it was meant to be,
/// one level up; that only makes the check stricter.
fn repair_sarif_region(schema: &mut Value) {
    let Some(region) = schema.pointer_mut("/definitions/region") else { return };
    let misplaced = region["properties"].as_object_mut().and_then(|p| p.remove("anyOf"));
    if let Some(any_of) = misplaced {
        region["anyOf"] = any_of;
    }
}

fn errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

/// `analyze --format FORMAT` with the fixed time.
fn analyze(format: &str, paths: &[&str], extra: &[&str]) -> common::Run {
    let mut args = vec!["analyze", "--format", format];
    args.extend(TIME);
    args.extend_from_slice(extra);
    args.extend_from_slice(paths);
    run(&args)
}

#[test]
fn json_output_of_every_sample_set_matches_the_schema() {
    let v = schema(&common::repo("docs/schema.json"));
    for paths in [&["samples/logs"][..], &["samples/captures"], &["samples/bundles"], &["samples/"]] {
        let (_, doc) = analyze_json(paths, &[]);
        assert_eq!(errors(&v, &doc), Vec::<String>::new(), "{paths:?}");
        assert!(!doc["findings"].as_array().unwrap().is_empty(), "{paths:?}");
    }
    // With a baseline: the baseline section and the per-finding status are in the schema too.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("accepted.json");
    let r = run(&["baseline", "-o", file.to_str().unwrap(), "--now", "2026-11-23", "samples/captures"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (_, doc) = analyze_json(&["samples/logs", "samples/captures"], &["--baseline", file.to_str().unwrap()]);
    assert_eq!(doc["baseline"]["new"], 13);
    assert_eq!(errors(&v, &doc), Vec::<String>::new());
}

#[test]
fn the_schema_rejects_what_version_1_does_not_allow() {
    let v = schema(&common::repo("docs/schema.json"));
    let (_, doc) = analyze_json(&["samples/logs/tls-proxy"], &[]);
    assert!(v.is_valid(&doc));
    let mut unknown_kind = doc.clone();
    unknown_kind["findings"][0]["kind"] = "made-up".into();
    assert!(!v.is_valid(&unknown_kind));
    let mut extra_field = doc.clone();
    extra_field["findings"][0]["surprise"] = 1.into();
    assert!(!v.is_valid(&extra_field));
    let mut no_summary = doc.clone();
    no_summary.as_object_mut().unwrap().remove("summary");
    assert!(!v.is_valid(&no_summary));
    let mut bad_severity = doc;
    bad_severity["findings"][1]["severity"] = "fatal".into();
    assert!(!v.is_valid(&bad_severity));
}

#[test]
fn the_committed_sarif_schema_is_the_2_1_0_schema() {
    let text = std::fs::read_to_string("tests/data/sarif-schema-2.1.0.json").unwrap();
    assert_eq!(text.chars().count(), 112_785);
    let raw: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(raw["properties"]["version"]["enum"][0], "2.1.0");
    assert_eq!(raw["definitions"].as_object().unwrap().len(), 52);
    assert!(raw.pointer("/definitions/region/properties/anyOf").is_some(), "kept verbatim");
    assert!(raw.pointer("/definitions/region/anyOf").is_none());
    // A region without any of its anchors is refused once the schema is repaired.
    let v = schema(&common::data("sarif-schema-2.1.0.json"));
    let mut doc: Value = serde_json::from_str(&analyze("sarif", &["samples/logs/tls-proxy"], &[]).stdout).unwrap();
    assert!(v.is_valid(&doc));
    doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"] = serde_json::json!({ "endLine": 3 });
    assert!(!v.is_valid(&doc));
}

#[test]
fn sarif_validates_against_the_official_schema_with_one_rule_per_kind() {
    let v = schema(&common::data("sarif-schema-2.1.0.json"));
    let r = analyze("sarif", &["samples/"], &[]);
    assert_eq!(r.code, 1);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(errors(&v, &doc), Vec::<String>::new());
    assert_eq!(doc["version"], "2.1.0");
    let run0 = &doc["runs"][0];
    let rules: Vec<&str> =
        run0["tool"]["driver"]["rules"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    let kinds: Vec<&str> = tlstriage::diagnose::Kind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(rules, kinds);
    let expired = &run0["tool"]["driver"]["rules"][0];
    assert_eq!(expired["name"], "ExpiredCa");
    assert_eq!(expired["defaultConfiguration"]["level"], "error");
    assert!(expired["help"]["text"].as_str().unwrap().contains("generate_certs.pl"));

    // One result per finding, in the same order, with the kind as rule id.
    let (_, json) = analyze_json(&["samples/"], &[]);
    let results = run0["results"].as_array().unwrap();
    let finding_kinds = common::kinds(&json);
    let result_rules: Vec<&str> = results.iter().map(|r| r["ruleId"].as_str().unwrap()).collect();
    assert_eq!(result_rules, finding_kinds);
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index], r["ruleId"].as_str().unwrap());
    }
    // Evidence inside a bundle keeps its archive path, with the log line as region.
    let inside = results
        .iter()
        .flat_map(|r| r["locations"].as_array().unwrap())
        .find(|l| {
            l["physicalLocation"]["artifactLocation"]["uri"]
                == "samples/bundles/fmc-hq-01.tar.gz!/results-fmc-hq-01/dir-archives/var-log/messages"
        })
        .expect("a location inside the FMC bundle");
    assert!(inside["physicalLocation"]["region"]["startLine"].as_u64().unwrap() >= 1);
    assert_eq!(results[0]["level"], "error");
}

#[test]
fn sarif_paths_are_percent_encoded_uris() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("lab logs #1");
    std::fs::create_dir(&sub).unwrap();
    std::fs::copy("samples/logs/tls-proxy/tls_proxy.log", sub.join("tls_proxy.log")).unwrap();
    let r = analyze("sarif", &[sub.to_str().unwrap()], &[]);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let v = schema(&common::data("sarif-schema-2.1.0.json"));
    assert_eq!(errors(&v, &doc), Vec::<String>::new());
    let uri =
        doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
    let want = format!("file://{}/lab%20logs%20%231/tls_proxy.log", dir.path().display());
    assert_eq!(uri, want);
    // The schema does check the URI format: a raw space is refused.
    let mut broken = doc.clone();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "a b".into();
    assert!(!v.is_valid(&broken));
}

#[test]
fn jsonl_is_one_finding_object_per_line() {
    let r = analyze("jsonl", &["samples/"], &[]);
    assert_eq!(r.code, 1);
    let (_, json) = analyze_json(&["samples/"], &[]);
    let findings = json["findings"].as_array().unwrap();
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), findings.len());
    assert_eq!(lines.len(), 39);
    for (line, f) in lines.iter().zip(findings) {
        let v: Value = serde_json::from_str(line).unwrap();
        assert!(v.is_object());
        assert_eq!(&v, f);
    }
    assert!(r.stdout.ends_with('\n'));
}

#[test]
fn markdown_goes_to_stdout_or_to_the_file_of_o() {
    let r = analyze("markdown", &["samples/bundles"], &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.starts_with("### Case summary\n\n- **Case:** 5 findings (2 critical, 3 error)"), "{}", r.stdout);
    assert!(
        r.stdout.contains("\n| 1 | critical | expired-ca | ftd-branch-07 | 192.168.45.10 (fmc-hq-01) |"),
        "{}",
        r.stdout
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("case-note.md");
    let to_file = analyze("markdown", &["samples/bundles"], &["-o", file.to_str().unwrap()]);
    assert_eq!((to_file.code, to_file.stdout.as_str()), (1, ""));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), r.stdout);
}
