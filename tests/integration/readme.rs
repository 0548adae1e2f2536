//! The examples of README.md, samples/README.md and samples/bundles/README.md are run and their
//! shown output is compared with what the commands print.
//!
//! The format of an example (a fenced block marked `console`):
//!
//! ```text
//! $ tlstriage analyze samples/bundles --year 2026 --now 2026-11-23
//! │ 1 ┆ critical ┆ expired-ca ...
//! ...
//! $ echo $?  # 1
//! ```
//!
//! - `$ COMMAND` runs COMMAND with `sh -c` in a scratch folder that holds `samples/` (a link to
//!   the repository's) and `trees/` (the sample bundles as appliance trees, see [`scratch`]),
//!   with the built `tlstriage` first on `PATH`. A line ending in `\` goes on
//!   on the next line. Files the commands write stay in the scratch folder, shared by the
//!   examples of one file, in order.
//! - `$ echo $?  # N` is not run: it checks that the command before it exited with N.
//! - Other lines are the output shown: stdout, then stderr. Lines must follow each other as
//!   printed; a line `...` stands for any number of lines (at the end: the output goes on); a
//!   line ending in ` ...` matches a printed line that starts with what comes before it.
//!   Trailing blanks are ignored.
//!
//! Other blocks (`sh` set-up commands, `text` synopses) are not run, and must not show a
//! `tlstriage` command: every command the reader is shown is checked.

use std::path::Path;
use std::process::Command;

const FILES: [&str; 3] = ["README.md", "samples/README.md", "samples/bundles/README.md"];

/// Every Markdown file whose commands are checked: the READMEs and `docs/*.md`.
fn all_files() -> Vec<String> {
    let mut files: Vec<String> = FILES.iter().map(|f| f.to_string()).collect();
    let mut docs: Vec<String> = std::fs::read_dir(crate::common::repo("docs"))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".md"))
        .map(|n| format!("docs/{n}"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

/// One `$ ` command of an example with what it should print.
struct Example {
    file: &'static str,
    /// Line of the `$ ` in the file (1-based).
    line: usize,
    command: String,
    /// Expected output lines with their line numbers in the file.
    output: Vec<(usize, String)>,
    /// From `$ echo $?  # N`, with its line.
    exit: Option<(usize, i32)>,
}

/// The fenced blocks of `text`: `(info string, first line number, lines)`.
fn blocks(text: &str) -> Vec<(String, usize, Vec<String>)> {
    let mut out = Vec::new();
    let mut open: Option<(String, usize, Vec<String>)> = None;
    for (i, line) in text.lines().enumerate() {
        let fence = line.trim_start().starts_with("```");
        match (&mut open, fence) {
            (None, true) => open = Some((line.trim_start()[3..].trim().to_string(), i + 2, Vec::new())),
            (Some(_), true) => out.extend(open.take()),
            (Some((_, _, lines)), false) => lines.push(line.to_string()),
            (None, false) => {}
        }
    }
    out
}

/// Whether `line` is a synopsis, not a command: it names a placeholder in capitals (`PATH...`,
/// `KIND`, `SHELL`, `[-o FILE]`).
fn synopsis(line: &str) -> bool {
    line.split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| w.len() >= 3 && w.chars().all(|c| c.is_ascii_uppercase()) && w != "HTML")
}

fn examples(file: &'static str, text: &str) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    for (info, first, lines) in blocks(text) {
        if info != "console" {
            let shown = lines.iter().position(|l| {
                let l = l.trim_start().trim_start_matches("$ ");
                l.starts_with("tlstriage ") && !synopsis(l)
            });
            assert!(
                shown.is_none(),
                "{file}:{}: a tlstriage command in a `{info}` block is never checked; put it in a `console` block",
                first + shown.unwrap_or(0)
            );
            continue;
        }
        let mut i = 0;
        while i < lines.len() {
            let at = first + i;
            let line = &lines[i];
            i += 1;
            if let Some(cmd) = line.strip_prefix("$ ") {
                if let Some(code) = cmd.trim().strip_prefix("echo $?") {
                    let n = code.trim().trim_start_matches('#').trim();
                    let n: i32 = n.parse().unwrap_or_else(|_| panic!("{file}:{at}: write `echo $?  # N`"));
                    let last = out.last_mut().unwrap_or_else(|| panic!("{file}:{at}: `echo $?` before any command"));
                    last.exit = Some((at, n));
                    continue;
                }
                let mut command = cmd.to_string();
                while command.ends_with('\\') && i < lines.len() {
                    command.pop();
                    command.push(' ');
                    command.push_str(lines[i].trim());
                    i += 1;
                }
                out.push(Example { file, line: at, command, output: Vec::new(), exit: None });
            } else {
                let ex = out.last_mut().unwrap_or_else(|| panic!("{file}:{at}: output before any `$ ` command"));
                ex.output.push((at, line.trim_end().to_string()));
            }
        }
    }
    out
}

/// Compare `printed` with the expected lines; `Err` names the first expected line that differs.
fn matches(expected: &[(usize, String)], printed: &[&str]) -> Result<(), (usize, String)> {
    let mut p = 0;
    let mut skip = false;
    for (line, want) in expected {
        if want == "..." {
            skip = true;
            continue;
        }
        let fits = |got: &str| match want.strip_suffix(" ...") {
            Some(prefix) => got.starts_with(prefix.trim_end()),
            None => got == want,
        };
        let found = if skip {
            printed[p..].iter().position(|g| fits(g)).map(|k| p + k)
        } else {
            (p < printed.len() && fits(printed[p])).then_some(p)
        };
        match found {
            Some(k) => p = k + 1,
            None => {
                let why = match printed.get(p) {
                    Some(got) if !skip => format!("expected `{want}`\n     printed `{got}`"),
                    _ if skip => format!("expected `{want}` somewhere after printed line {p}, not found"),
                    _ => format!("expected `{want}`, but the output ended after {p} lines"),
                };
                return Err((*line, why));
            }
        }
        skip = false;
    }
    match printed.get(p) {
        Some(extra) if !skip && !expected.is_empty() => {
            let line = expected.last().map_or(0, |l| l.0);
            Err((line, format!("the output goes on with `{extra}`: end the example with `...`")))
        }
        _ => Ok(()),
    }
}

/// A scratch folder with `samples/` (a link to the repository's) and `trees/`: the two sample
/// bundles laid out as their appliances' trees, as README's `cargo run -p xtask --
/// appliance-trees --out trees samples/bundles/*.tar.gz` writes them.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(crate::common::repo("samples"), dir.path().join("samples")).unwrap();
    for name in ["fmc-hq-01", "ftd-branch-07"] {
        let bundle = crate::common::repo(&format!("samples/bundles/{name}.tar.gz"));
        tlstriage::appliance::tree::from_bundle(&bundle, &dir.path().join("trees").join(name)).unwrap();
    }
    dir
}

/// Run every example of `file`; the failures, each naming the file, line and example.
fn check(file: &str) -> Vec<String> {
    let file: &'static str = Box::leak(file.to_string().into_boxed_str());
    let text = std::fs::read_to_string(crate::common::repo(file)).unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_tlstriage")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let dir = scratch();
    let mut failures = Vec::new();
    for ex in examples(file, &text) {
        let out = Command::new("sh")
            .arg("-c")
            .arg(&ex.command)
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .output()
            .expect("sh runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let printed: Vec<&str> = stdout.lines().chain(stderr.lines()).map(str::trim_end).collect();
        let code = out.status.code().unwrap_or(-1);
        let head = format!("{}:{}: `$ {}`", ex.file, ex.line, ex.command);
        if let Err((line, why)) = matches(&ex.output, &printed) {
            failures.push(format!("{head}\n  {}:{line}: {why}\n  printed:\n{}", ex.file, indent(&printed)));
        }
        match ex.exit {
            Some((line, want)) if want != code => {
                failures.push(format!("{head}\n  {}:{line}: exit code {code}, the file says {want}", ex.file))
            }
            None if code != 0 => failures.push(format!(
                "{head}\n  exit code {code}: show it with `$ echo $?  # {code}` after the command\n  printed:\n{}",
                indent(&printed)
            )),
            _ => {}
        }
    }
    failures
}

fn indent(lines: &[&str]) -> String {
    lines.iter().take(60).map(|l| format!("    | {l}\n")).collect()
}

#[test]
fn every_example_of_the_readmes_prints_what_they_show() {
    let failures: Vec<String> = all_files().iter().flat_map(|f| check(f)).collect();
    assert!(failures.is_empty(), "{} README example(s) differ:\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn each_readme_has_examples() {
    // docs/*.md are checked when they show examples; the READMEs must.
    for f in FILES {
        let text = std::fs::read_to_string(crate::common::repo(f)).unwrap();
        assert!(!examples(f, &text).is_empty(), "{f} shows no `console` example");
    }
}

/// The `cargo test` commands of `text` (code spans, which may run over a line break, and lines
/// of code blocks): `(line, command)`.
fn cargo_tests(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut in_block = false;
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
        } else if in_block && line.contains("cargo test") {
            out.push((i + 1, line.split('#').next().unwrap_or_default().trim().to_string()));
        }
    }
    // Code spans outside blocks, joined over line breaks.
    let mut prose = String::new();
    let mut in_block = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
            prose.push('\n');
        } else if in_block {
            prose.push('\n');
        } else {
            prose.push_str(line);
            prose.push('\n');
        }
    }
    let mut rest = prose.as_str();
    let mut offset = 0;
    while let Some(start) = rest.find('`') {
        let Some(len) = rest[start + 1..].find('`') else { break };
        let span = &rest[start + 1..start + 1 + len];
        if span.contains("cargo test") {
            let line = prose[..offset + start].matches('\n').count() + 1;
            out.push((line, span.split_whitespace().collect::<Vec<_>>().join(" ")));
        }
        offset += start + len + 2;
        rest = &rest[start + len + 2..];
    }
    out
}

/// The test filter of a `cargo test` command and the test binary it runs (`lib`, or the name of
/// `--test NAME`); `None` without a filter (or with a placeholder such as `<kind>`).
fn filter_of(command: &str) -> Option<(String, String)> {
    let words: Vec<&str> = command.split_whitespace().collect();
    let at = words.iter().position(|w| *w == "test")?;
    let mut target = "any".to_string();
    let mut filter = None;
    let mut i = at + 1;
    while i < words.len() {
        match words[i] {
            "--" => break,
            "--lib" => target = "lib".into(),
            "--test" => {
                target = words.get(i + 1)?.to_string();
                i += 1;
            }
            w if w.starts_with('-') => {}
            w => filter = Some(w.to_string()),
        }
        i += 1;
    }
    let filter = filter.filter(|f| !f.contains('<'))?;
    Some((target, filter))
}

/// The names of the tests of a test binary (`--list`).
fn listed(binary: &Path) -> Vec<String> {
    let out = Command::new(binary).args(["--list", "--format", "terse"]).output().expect("test binary runs");
    String::from_utf8_lossy(&out.stdout).lines().filter_map(|l| l.strip_suffix(": test")).map(str::to_string).collect()
}

/// The library's unit-test binary beside this one (`target/*/deps/tlstriage-HASH`), the one
/// with the most tests; `None` when it is not built (`cargo test --test integration` alone).
fn lib_tests() -> Option<Vec<String>> {
    let me = std::env::current_exe().ok()?;
    let deps = me.parent()?;
    let mut best: Option<Vec<String>> = None;
    for e in std::fs::read_dir(deps).ok()?.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let runnable =
            e.metadata().is_ok_and(|m| std::os::unix::fs::PermissionsExt::mode(&m.permissions()) & 0o111 != 0);
        if name.starts_with("tlstriage-") && !name.contains('.') && runnable {
            let tests = listed(&e.path());
            if best.as_ref().is_none_or(|b| tests.len() > b.len()) {
                best = Some(tests);
            }
        }
    }
    best
}

#[test]
fn every_cargo_test_filter_of_the_docs_runs_a_test() {
    let integration = listed(&std::env::current_exe().unwrap());
    let lib = lib_tests();
    let mut checked = 0;
    let mut failures = Vec::new();
    for file in all_files() {
        let text = std::fs::read_to_string(crate::common::repo(&file)).unwrap();
        for (line, command) in cargo_tests(&text) {
            let Some((target, filter)) = filter_of(&command) else { continue };
            let names = match target.as_str() {
                "integration" => Some(&integration),
                "lib" => lib.as_ref(),
                other => {
                    failures.push(format!("{file}:{line}: `{command}`: unknown test target {other}"));
                    continue;
                }
            };
            let Some(names) = names else {
                eprintln!("{file}:{line}: `{command}`: the library's tests are not built; not checked");
                continue;
            };
            checked += 1;
            if !names.iter().any(|n| n.contains(&filter)) {
                failures.push(format!("{file}:{line}: `{command}` runs no test (filter `{filter}`)"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 3, "the docs name cargo test filters: {checked} checked");
}

#[test]
fn a_stale_filter_is_found() {
    let text = "Run `cargo test --lib logs::samples_tests` and `cargo test --test\nintegration field`.\n";
    assert_eq!(
        cargo_tests(text),
        [
            (1, "cargo test --lib logs::samples_tests".to_string()),
            (1, "cargo test --test integration field".to_string())
        ]
    );
    assert_eq!(filter_of("cargo test --lib logs::samples_tests"), Some(("lib".into(), "logs::samples_tests".into())));
    assert_eq!(filter_of("cargo test --workspace"), None);
    assert_eq!(filter_of("INSTA_UPDATE=always cargo test --lib rules::<kind>"), None);
    let lib = ["input::log_samples_tests::ftd_expired_ca".to_string()];
    assert!(!lib.iter().any(|n| n.contains("logs::samples_tests")), "the old filter matches nothing");
}

#[test]
fn the_matcher_reports_the_line_that_differs() {
    let exp = |v: &[&str]| v.iter().enumerate().map(|(i, s)| (i + 10, s.to_string())).collect::<Vec<_>>();
    assert!(matches(&exp(&["a", "b ..."]), &["a", "bcd"]).is_ok());
    assert!(matches(&exp(&["a", "...", "z"]), &["a", "b", "c", "z"]).is_ok());
    assert!(matches(&exp(&["a", "..."]), &["a", "b"]).is_ok());
    assert_eq!(matches(&exp(&["a", "c"]), &["a", "b"]).unwrap_err().0, 11);
    assert!(matches(&exp(&["a"]), &["a", "b"]).unwrap_err().1.contains("goes on with `b`"));
    assert!(matches(&exp(&["a", "...", "q"]), &["a", "b"]).unwrap_err().1.contains("not found"));
    assert!(matches(&[], &["anything"]).is_ok());
}
