//! The command line as a user meets it: exit codes, explain, skipped and broken inputs.

use std::process::Command;

use crate::common::outcome as tlstriage;

#[test]
fn missing_path_is_exit_code_2_with_the_path_named() {
    let (code, out, _) = tlstriage(&["analyze", "/nonexistent/messages", "--format", "json"]);
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["inputs"][0]["path"], "/nonexistent/messages");
    assert_eq!(v["inputs"][0]["status"], "error");
}

#[test]
fn unknown_files_are_skipped_and_nothing_read_is_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "just some notes\nnothing to see\n").unwrap();
    std::fs::write(dir.path().join("empty"), "").unwrap();
    let (code, out, err) = tlstriage(&["analyze", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no input could be read"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let statuses: Vec<&str> = v["inputs"].as_array().unwrap().iter().map(|i| i["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["skipped", "skipped"]);
    assert_eq!(v["schema_version"], 2);
    assert_eq!(v["findings"].as_array().unwrap().len(), 0);
}

#[test]
fn explain_prints_every_context_of_a_kind() {
    let (code, out, _) = tlstriage(&["explain", "expired-ca"]);
    assert_eq!(code, 0);
    assert!(out.contains("generate_certs.pl"), "{out}");
    assert!(out.contains("openssl x509 -dates -noout -in /etc/sf/ca_root/cacert.pem"), "{out}");
    assert!(out.contains("primary FMC first"), "{out}");
    let (code, out, _) = tlstriage(&["explain", "cipher-mismatch"]);
    assert_eq!(code, 0);
    assert!(out.contains("K9"), "{out}");
}

#[test]
fn explain_rejects_unknown_kinds_and_lists_all() {
    let (code, _, err) = tlstriage(&["explain", "nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown finding kind 'nope'"), "{err}");
    let (code, out, _) = tlstriage(&["explain", "all"]);
    assert_eq!(code, 0);
    // One entry per kind: its name at the start of a line, the summary beside it, wrapped.
    let names: Vec<&str> = out.lines().filter(|l| !l.starts_with(' ')).filter_map(|l| l.split(' ').next()).collect();
    let kinds: Vec<&str> = tlstriage::diagnose::Kind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(names, kinds);
}

#[test]
fn output_is_identical_with_one_and_with_several_threads() {
    let root = env!("CARGO_MANIFEST_DIR");
    let run = |threads: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_tlstriage"))
            .args([
                "analyze",
                "--format",
                "json",
                "--year",
                "2026",
                "--now",
                "2026-11-23",
                "--threads",
                threads,
                "samples",
            ])
            .current_dir(root)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let one = run("1");
    assert!(one.contains("\"findings\""));
    assert_eq!(one, run("4"));
    assert_eq!(one, run("2"));
}

#[test]
fn help_is_wrapped_between_words_to_the_width_it_is_given() {
    for (columns, most) in [("60", 60), ("80", 80), ("300", 100)] {
        for sub in ["analyze", "fleet", "certs", "plan"] {
            let out =
                Command::new(env!("CARGO_BIN_EXE_tlstriage")).args([sub, "--help"]).env("COLUMNS", columns).output();
            let text = String::from_utf8(out.expect("runs").stdout).expect("UTF-8");
            assert!(text.contains("Usage: tlstriage"), "{text}");
            for line in text.lines() {
                assert!(unicode_width::UnicodeWidthStr::width(line) <= most, "{sub} at {columns}: {line}");
            }
            // The longest description is whole, over several lines.
            if sub == "analyze" {
                let words: Vec<&str> = text.split_whitespace().collect();
                assert!(words.windows(3).any(|w| w == ["GitHub-flavoured", "Markdown", "for"]), "{text}");
            }
        }
    }
}

#[test]
fn dash_o_dash_is_stdout_and_every_listing_writes_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["analyze", "samples/logs/tls-proxy", "--now", "2026-11-23", "--format", "json"];
    let (code, out, _) = tlstriage(&[&args[..], &["-o", "-"]].concat());
    assert_eq!(code, 1);
    assert!(out.starts_with('{'), "{out}");
    assert!(!std::path::Path::new("-").exists(), "no file named -");
    for cmd in ["certs", "handshakes", "fleet"] {
        let file = dir.path().join(format!("{cmd}.json"));
        let f = file.to_str().unwrap();
        let (code, out, err) = tlstriage(&[cmd, "samples/bundles", "--now", "2026-11-23", "--format", "json", "-o", f]);
        assert_ne!(code, 2, "{cmd}: {err}");
        assert_eq!(out, "", "{cmd}: nothing on stdout");
        let written: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let (_, printed, _) =
            tlstriage(&[cmd, "samples/bundles", "--now", "2026-11-23", "--format", "json", "-o", "-"]);
        assert_eq!(written, serde_json::from_str::<serde_json::Value>(&printed).unwrap(), "{cmd}");
    }
}

#[test]
fn completions_and_the_manual_page_come_from_the_binary() {
    let (code, out, _) = tlstriage(&["completions", "bash"]);
    assert_eq!(code, 0);
    assert!(out.contains("_tlstriage()") && out.contains("handshakes"), "{out}");
    let (code, out, _) = tlstriage(&["completions", "fish"]);
    assert_eq!(code, 0);
    assert!(out.contains("complete -c tlstriage"), "{out}");
    let (code, _, err) = tlstriage(&["completions", "tcsh"]);
    assert_eq!(code, 2, "{err}");
    let (code, out, _) = tlstriage(&["man"]);
    assert_eq!(code, 0);
    assert!(out.starts_with(".ie") && out.contains(".TH tlstriage 1") && out.contains("Exit codes"), "{out}");
}

#[test]
fn help_lists_the_exit_codes_and_examples() {
    for args in [&["--help"][..], &["analyze", "--help"]] {
        let (code, out, _) = tlstriage(args);
        assert_eq!(code, 0);
        let out: String = out.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(out.contains("Exit codes") && out.contains("exits 1 by design"), "{out}");
        assert!(out.contains("Examples:") && out.contains("tlstriage analyze -"), "{out}");
    }
}

#[test]
fn explain_is_wrapped_to_the_width_between_words() {
    for width in [40usize, 60, 80, 100] {
        let (code, out, _) = tlstriage(&["explain", "expired-ca", "--width", &width.to_string()]);
        assert_eq!(code, 0);
        for line in out.lines() {
            let long = unicode_width::UnicodeWidthStr::width(line) > width;
            assert!(!long || line.split_whitespace().count() <= 2, "{width}: {line}");
        }
        let flat: String = out.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("`sftunnel_status.pl`"), "{width}");
    }
}
