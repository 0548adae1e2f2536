//! `analyze --format html` in a real browser: headless Chromium renders the samples' report,
//! the DOM after the page's script ran is checked (one timeline lane per peer, every finding
//! kind, every command with its copy button, the filters' count), and a screenshot is taken.
//! Without Chromium the browser test is skipped with a message, except in CI (`CI=true`), where
//! it fails. An insta snapshot pins the outline of the page (elements, ids and classes).

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::common::{analyze_json, run};

/// Where the test's screenshot goes; `TLSTRIAGE_SCREENSHOT=docs/html-report.png` refreshes the
/// README's picture with the same command.
fn screenshot_path(root: &Path) -> PathBuf {
    match std::env::var_os("TLSTRIAGE_SCREENSHOT") {
        Some(p) => root.join(p),
        None => root.join("target/html-report/report.png"),
    }
}

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |d| d.join(name)))
        .find(|p| p.is_file())
}

/// Run headless Chromium on `page` with `extra` arguments; stdout.
fn headless(browser: &Path, profile: &Path, page: &Path, extra: &[&str]) -> String {
    let out = Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        .args(["--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(out.status.success(), "chromium failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The peers the timeline must have one lane each for: every finding's peer (else its
/// TLS-proxy session, else its device) and the server of every handshake that succeeded.
fn expected_lanes(doc: &serde_json::Value) -> BTreeSet<String> {
    let mut lanes = BTreeSet::new();
    for f in doc["findings"].as_array().unwrap() {
        let lane = match (f["peer"].as_str(), f["facts"]["session"].as_str(), f["device"].as_str()) {
            // A peer known by name (FAILED_PUSH, sftunnel.json) shows both.
            (Some(p), ..) => match f["facts"]["peer_name"].as_str() {
                Some(name) => format!("{p} ({name})"),
                None => p.to_string(),
            },
            (None, Some(s), _) => format!("session {s}"),
            (None, None, Some(d)) => d.to_string(),
            _ => "no peer named".to_string(),
        };
        lanes.insert(lane);
    }
    for h in doc["handshakes"].as_array().unwrap() {
        if h["outcome"] == "established" {
            lanes.insert(h["server"].as_str().unwrap().to_string());
        }
    }
    lanes
}

/// The commands of every step (`remediation.commands`), HTML-escaped as the page has them.
fn commands(doc: &serde_json::Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for f in doc["findings"].as_array().unwrap() {
        for step in f["remediation"]["commands"].as_array().into_iter().flatten() {
            for c in step.as_array().unwrap() {
                out.insert(c.as_str().unwrap().replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;"));
            }
        }
    }
    out
}

#[test]
fn the_samples_report_renders_in_chromium() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Some(browser) = chromium() else {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "CI=true but chromium is not installed (.ci/run installs it)"
        );
        // Written past the test harness's capture, so that the skip shows in a normal run.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED the_samples_report_renders_in_chromium: chromium is not installed (apt-get install chromium)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let args = ["analyze", "samples/", "--year", "2026", "--now", "2026-11-23", "--format", "html", "-o"];
    let wrote = run(&[&args[..], &[page.to_str().unwrap()]].concat());
    assert_eq!(wrote.code, 1, "the samples hold errors: {}", wrote.stderr);
    let (_, doc) = analyze_json(&["samples/"], &[]);

    let dom = headless(&browser, &dir.path().join("profile"), &page, &["--dump-dom"]);
    let lanes: Vec<&str> =
        dom.match_indices("<g class=\"lane\" data-peer=\"").map(|(i, m)| &dom[i + m.len()..]).collect();
    let lanes: Vec<&str> = lanes.iter().map(|s| &s[..s.find('"').unwrap()]).collect();
    let drawn: BTreeSet<String> = lanes.iter().map(|s| s.to_string()).collect();
    assert_eq!(lanes.len(), drawn.len(), "one lane per peer: {lanes:?}");
    assert_eq!(drawn, expected_lanes(&doc));
    let kinds: BTreeSet<&str> = crate::common::kinds(&doc).into_iter().collect();
    for k in &kinds {
        assert!(dom.contains(&format!("data-kind=\"{k}\"")), "finding kind {k} missing");
        assert!(dom.contains(&format!("name=\"kind\" value=\"{k}\"")), "no filter for {k}");
    }
    let cmds = commands(&doc);
    assert!(cmds.contains("generate_certs.pl") && cmds.len() > 5, "{cmds:?}");
    for c in &cmds {
        let set = format!("<span class=\"cmd\"><code>{c}</code><button class=\"copy\" type=\"button\"");
        assert!(dom.contains(&set), "command {c} without its copy button");
    }
    let n = doc["findings"].as_array().unwrap().len();
    assert!(dom.contains(&format!("Showing {n} of {n} findings.")), "the page's script did not run");

    // The filters, set from the address: only the critical findings stay visible.
    let critical = doc["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == "critical").count();
    assert!(critical > 0 && critical < n);
    let url = format!("{}#severity=critical", page.display());
    let filtered = headless(&browser, &dir.path().join("profile"), Path::new(&url), &["--dump-dom"]);
    assert!(filtered.contains(&format!("Showing {critical} of {n} findings.")), "the severity filter did not apply");
    let cards = regex::Regex::new(r#"<article class="finding"[^>]*>"#).unwrap();
    let cards: Vec<&str> = cards.find_iter(&filtered).map(|m| m.as_str()).collect();
    assert_eq!(cards.len(), n, "every card stays in the page");
    for card in cards {
        let is_critical = card.contains("data-severity=\"critical\"");
        assert_eq!(card.contains(" hidden"), !is_critical, "{card}");
    }

    // A malformed escape in the address (decodeURIComponent throws on it): the filters stay as
    // they are and the count is filled.
    let url = format!("{}#kind=%E0%A4%A", page.display());
    let odd = headless(&browser, &dir.path().join("profile"), Path::new(&url), &["--dump-dom"]);
    assert!(odd.contains(&format!("Showing {n} of {n} findings.")), "the script stopped on a malformed address");

    let shot = screenshot_path(root);
    std::fs::create_dir_all(shot.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(&shot);
    headless(
        &browser,
        &dir.path().join("profile"),
        &page,
        &["--window-size=1280,4200", &format!("--screenshot={}", shot.display())],
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 50_000, "{} bytes", png.len());
}

/// The page's outline: one line per element down to `depth`, runs of equal lines counted.
fn outline(html: &str, depth: usize) -> String {
    let re = regex::Regex::new(r#"<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>"]|"[^"]*")*)>"#).unwrap();
    let attr = |attrs: &str, name: &str| {
        regex::Regex::new(&format!(r#"\s{name}="([^"]*)""#)).unwrap().captures(attrs).map(|c| c[1].to_string())
    };
    let body = regex::Regex::new(r"(?s)<(style|script)>.*?</(style|script)>").unwrap().replace_all(html, "<$1></$1>");
    let mut lines: Vec<String> = Vec::new();
    let mut level = 0usize;
    for c in re.captures_iter(&body) {
        let (close, tag, attrs) = (&c[1] == "/", &c[2], &c[3]);
        if close {
            level = level.saturating_sub(1);
            continue;
        }
        if level < depth {
            let id = attr(attrs, "id").map(|i| format!("#{i}")).unwrap_or_default();
            let class = attr(attrs, "class").map(|c| format!(".{}", c.replace(' ', "."))).unwrap_or_default();
            lines.push(format!("{}{tag}{id}{class}", "  ".repeat(level)));
        }
        if !matches!(tag, "meta" | "input" | "br" | "img" | "hr" | "link") && !attrs.ends_with('/') {
            level += 1;
        }
    }
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        let run = lines[i..].iter().take_while(|l| **l == lines[i]).count();
        out.push_str(&lines[i]);
        if run > 1 {
            out.push_str(&format!(" ×{run}"));
        }
        out.push('\n');
        i += run;
    }
    out
}

#[test]
fn html_structure_snapshot() {
    let mut o = tlstriage::analyze::Options::new(vec![
        PathBuf::from("samples/logs/ftd-expired-ca"),
        PathBuf::from("samples/captures/sftunnel-expired-ca.pcap"),
    ]);
    o.year = Some(2026);
    o.now = "2026-11-23T00:00:00Z".parse().unwrap();
    let r = tlstriage::analyze::analyze(&o);
    let view = tlstriage::report::View::new(&r);
    let page =
        tlstriage::report::render(tlstriage::report::Export::Analysis(tlstriage::report::AnalyzeFormat::Html, &view));
    insta::assert_snapshot!("html_outline", outline(&page, 6));
}
