//! The terminal views at any width: no line wider than the terminal, every finding named, no
//! address split, colours only when asked for, control characters from inputs shown inert;
//! and the `certs` / `handshakes` views with their own JSON arrays.

use std::process::Command;

use super::common::{analyze_json, run};

/// `tlstriage ARGS` with environment variables set (and NO_COLOR, COLUMNS cleared otherwise).
fn run_env(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tlstriage"));
    cmd.args(args).current_dir(env!("CARGO_MANIFEST_DIR")).env_remove("COLUMNS");
    for colour in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE"] {
        cmd.env_remove(colour);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("binary runs");
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn columns(line: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(line)
}

/// Whether `line` fits `width` columns, or is one word (a path) longer than any line, never cut,
/// after its step number at most.
fn fits(line: &str, width: usize) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let numbered = words.len() == 2 && words[0].strip_suffix('.').is_some_and(|n| n.parse::<u32>().is_ok());
    columns(line) <= width || words.len() == 1 || numbered
}

#[test]
fn every_width_fits_and_names_every_finding() {
    let (_, doc) = analyze_json(&["samples/"], &[]);
    let findings = doc["findings"].as_array().unwrap();
    assert!(findings.len() >= 20, "the samples hold many findings");
    for width in [40usize, 60, 80, 100, 120, 160] {
        let text = run_env(
            &["analyze", "samples/", "--year", "2026", "--now", "2026-11-23", "-v"],
            &[("COLUMNS", &width.to_string())],
        );
        for line in text.lines() {
            assert!(fits(line, width), "{width}: {} columns: {line}", columns(line));
        }
        for (i, f) in findings.iter().enumerate() {
            let (sev, kind) = (f["severity"].as_str().unwrap(), f["kind"].as_str().unwrap());
            let head = format!("[{}] {sev} {kind}", i + 1);
            assert!(text.contains(&head), "{width}: {head} missing");
            if let Some(peer) = f["peer"].as_str() {
                assert!(text.contains(peer), "{width}: peer {peer} split or missing");
            }
        }
        assert!(!text.contains("\x1b["), "{width}: no colour when stdout is not a terminal");
        assert!(!text.contains("Fix  ") && !text.contains("┆ Fix"), "{width}: no Fix column");
        let narrow = text.contains("Device → peer\n") || text.contains("Device → peer, what\n");
        assert_eq!(narrow, width < 120, "{width}: narrow layout under 120 columns only");
    }
}

#[test]
fn width_flag_beats_columns_and_colour_follows_the_flags() {
    let args = ["analyze", "samples/logs", "--year", "2026", "--now", "2026-11-23"];
    let text = run_env(&[&args[..], &["--width", "70"]].concat(), &[("COLUMNS", "200")]);
    assert!(text.lines().all(|l| fits(l, 70)), "{text}");
    assert!(text.contains("Device → peer"));
    let coloured = run_env(&[&args[..], &["--color", "always"]].concat(), &[("NO_COLOR", "1")]);
    assert!(coloured.contains("\x1b[1m\x1b[31mcritical\x1b[0m"), "always wins over NO_COLOR");
    let plain = run_env(&[&args[..], &["--color", "never"]].concat(), &[]);
    assert!(!plain.contains('\x1b'));
    assert_eq!(plain, run_env(&args, &[("NO_COLOR", "1")]));
    assert_eq!(plain, run_env(&args, &[]), "no colour into a pipe");
    let forced = run_env(&args, &[("CLICOLOR_FORCE", "1")]);
    assert!(forced.contains("\x1b[1m\x1b[31mcritical\x1b[0m"), "CLICOLOR_FORCE colours a pipe");
}

#[test]
fn control_characters_from_inputs_do_not_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let log = std::fs::read_to_string(format!("{root}/samples/logs/sftunnel-misc/messages")).unwrap();
    std::fs::write(dir.path().join("messages"), log.replace("ftd-lab-03", "ftd\x1b]0;owned\x07\x1b[2J")).unwrap();
    let path = dir.path().to_str().unwrap();
    let text = run_env(&["analyze", path, "--year", "2026", "--color", "never"], &[]);
    assert!(text.contains("self-signed"), "{text}");
    assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
    assert!(text.contains("ftd\\x1b]0;owned\\x07\\x1b[2J"), "{text}");
}

#[test]
fn certs_view_has_serial_validity_fingerprint_and_its_own_json() {
    let args = ["certs", "samples/bundles", "--now", "2026-11-23"];
    // A table where every column holds its longest word (the found-in paths are long, and the
    // Role column says `pushed, sftunnel cert`).
    let wide = run_env(&[&args[..], &["--width", "320"]].concat(), &[]);
    for needle in ["Serial", "Not before", "SHA-256", "5a:01", "1042776a623a488a…"] {
        assert!(wide.contains(needle), "{needle}: {wide}");
    }
    let narrow = run_env(&args, &[("COLUMNS", "80")]);
    assert!(narrow.lines().all(|l| fits(l, 80)), "{narrow}");
    assert!(narrow.contains("serial 5a:01, SHA-256 1042776a623a488a…"), "{narrow}");
    assert!(narrow.contains("expired 258 days ago") && narrow.contains("in 2,551 days"), "{narrow}");
    let json: serde_json::Value =
        serde_json::from_str(&run(&[&args[..], &["--format", "json"]].concat()).stdout).unwrap();
    let rows = json.as_array().expect("an array of its own");
    let ca = &rows[0];
    assert_eq!(ca["serial"], "5a:01");
    assert_eq!(ca["expiry"], "expired 258 days ago");
    assert_eq!(ca["days_left"], -258);
    assert_eq!(ca["not_before"], "2016-03-10T00:00:00Z");
    assert_eq!(ca["system"], "fmc-hq-01");
    assert_eq!(ca["found_in"].as_array().unwrap().len(), 2);
    assert!(ca["sha256"].as_str().unwrap().starts_with("1042776a623a488a"));
}

#[test]
fn handshakes_view_has_start_duration_names_and_its_own_json() {
    let text = run_env(&["handshakes", "samples/captures/cipher-mismatch.pcap", "--width", "200"], &[]);
    assert!(text.contains("2025-06-12 09:30:00.000") && text.contains("927 µs"), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&run(&["handshakes", "samples/captures/cipher-mismatch.pcap", "--format", "json"]).stdout)
            .unwrap();
    let h = &json.as_array().unwrap()[0];
    assert_eq!(h["duration_us"], 927);
    assert_eq!(h["start"], "2025-06-12T09:30:00Z");
    assert_eq!(h["server"], "10.48.79.232:8305");
    assert!(h.get("server_name").is_none(), "no input names 10.48.79.232");
    let narrow = run_env(&["handshakes", "samples/captures", "--width", "64"], &[]);
    for line in narrow.lines() {
        assert!(fits(line, 64), "{line}");
    }
}

/// `docs/schema-views.json` with its root pointed at `$defs/NAME`.
fn view_schema(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(crate::common::repo("docs/schema-views.json")).unwrap();
    let mut schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    schema["$ref"] = format!("#/$defs/{name}").into();
    jsonschema::options().should_validate_formats(true).build(&schema).unwrap()
}

#[test]
fn both_views_json_match_their_schema() {
    let certs = view_schema("certs");
    let handshakes = view_schema("handshakes");
    for paths in [&["samples/bundles"][..], &["samples/captures"], &["samples/"]] {
        let args = [&["certs", "--now", "2026-11-23", "--format", "json"][..], paths].concat();
        let doc: serde_json::Value = serde_json::from_str(&run(&args).stdout).unwrap();
        let errors: Vec<String> = certs.iter_errors(&doc).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "certs {paths:?}: {errors:?}");
        assert!(!doc.as_array().unwrap().is_empty());
        let args = [&["handshakes", "--format", "json"][..], paths].concat();
        let doc: serde_json::Value = serde_json::from_str(&run(&args).stdout).unwrap();
        let errors: Vec<String> =
            handshakes.iter_errors(&doc).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "handshakes {paths:?}: {errors:?}");
    }
    let mut bad = serde_json::json!([{"surprise": 1}]);
    assert!(!certs.is_valid(&bad));
    bad = serde_json::json!([]);
    assert!(certs.is_valid(&bad) && handshakes.is_valid(&bad));
}

#[test]
fn a_host_name_too_long_for_the_table_falls_back_to_the_narrow_layout() {
    let dir = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let log = std::fs::read_to_string(format!("{root}/samples/logs/sftunnel-misc/messages")).unwrap();
    let long = "ftd-".repeat(30);
    std::fs::write(dir.path().join("messages"), log.replace("ftd-lab-03", &long)).unwrap();
    let path = dir.path().to_str().unwrap();
    let text = run_env(&["analyze", path, "--year", "2026", "--width", "130"], &[]);
    assert!(text.contains(&long[..60]), "{text}");
    assert!(text.contains("Device → peer"), "the narrow layout: {text}");
    for line in text.lines() {
        assert!(columns(line) <= 130, "{line}");
    }
}
