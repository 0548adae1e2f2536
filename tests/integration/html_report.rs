//! `analyze --format html` in a real browser. Headless Chromium renders the samples' report and
//! the DOM after the page's script ran is checked (one timeline lane per peer, every finding
//! kind, every command with its copy button, the filters' count). Driven through WebDriver
//! (Debian's chromium-driver) at 1400 and 390 px wide: no two labels of the timeline's axis and
//! lanes overlap, none is cut or tiny, the page does not scroll sideways, every validity bar is
//! shown, a malformed fragment still leaves a working page, and the screenshots of the README
//! are taken. Without the browser or its driver a test is skipped with a message, except in CI,
//! where it fails. An insta snapshot pins the outline of the page (elements, ids and classes).

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::common::webdriver::{self, Session};
use super::common::{analyze_json, run};

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
    // Each peer is drawn once: on a lane of its own, or on its device's lane (`data-also`).
    let attr = regex::Regex::new(r#"<g class="lane"[^>]*? data-(peer|also)="([^"]*)""#).unwrap();
    let also = regex::Regex::new(r#"<g class="lane"[^>]*? data-also="([^"]*)""#).unwrap();
    let mut lanes: Vec<String> =
        attr.captures_iter(&dom).filter(|c| &c[1] == "peer").map(|c| c[2].to_string()).collect();
    lanes.extend(also.captures_iter(&dom).flat_map(|c| c[1].split('\n').map(str::to_string).collect::<Vec<_>>()));
    let drawn: BTreeSet<String> = lanes.iter().cloned().collect();
    assert_eq!(lanes.len(), drawn.len(), "one lane per peer: {lanes:?}");
    assert_eq!(drawn, expected_lanes(&doc));
    for (name, n) in [("fmc-hq-01", 1), ("ftd-dc-02", 1), ("ftd-branch-07", 1), ("192.168.45.22", 1)] {
        let label = format!(">{name}</text>");
        assert_eq!(dom.matches(&label).count(), n, "{name}: one lane per device");
    }
    // The InternalCA's end (each system whose CA ended or ends soon), fmc-hq-01's renewal and
    // its two failed pushes.
    assert_eq!(dom.matches("class=\"moment renewal\"").count(), 1);
    assert_eq!(dom.matches("class=\"moment push\"").count(), 2);
    assert!(dom.matches("class=\"moment ca-end\"").count() >= 6);
    let uuid = regex::Regex::new(r"[0-9a-f]{8}-[0-9a-f]{4}-").unwrap();
    let names = regex::Regex::new(r#"<div class="cert-name"[^>]*>([^<]*)<"#).unwrap();
    let names: Vec<&str> = names.captures_iter(&dom).map(|c| c.get(1).unwrap().as_str()).collect();
    assert!(names.len() > 30 && names.iter().all(|n| !uuid.is_match(n) && n.contains(" · ")), "{names:?}");
    assert!(dom.contains(">server · 10.48.79.232</div>") && dom.contains(">client · 10.48.79.23</div>"));
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
}

/// The text boxes of the timeline's axis and lanes, and of the validity bars' axis, that
/// overlap another or stick out of their drawing; and whether any label is under 10 px tall.
const TEXT_BOXES: &str = r#"
var sel = 'svg.timeline .axis-labels text, svg.timeline-labels text, svg.timeline .more, .axis-track .tick';
var boxes = [];
document.querySelectorAll(sel).forEach(function (e) {
  var r = e.getBoundingClientRect();
  if (r.width > 0) { boxes.push({ t: e.textContent, r: r, e: e }); }
});
var bad = [];
for (var i = 0; i < boxes.length; i++) {
  var a = boxes[i].r;
  var frame = (boxes[i].e.closest('svg') || boxes[i].e.closest('.axis-track')).getBoundingClientRect();
  if (a.left < frame.left - 0.5 || a.right > frame.right + 0.5) { bad.push('out: ' + boxes[i].t); }
  if (a.height < 10) { bad.push('small: ' + boxes[i].t + ' ' + a.height); }
  for (var j = i + 1; j < boxes.length; j++) {
    var b = boxes[j].r;
    if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) {
      bad.push(boxes[i].t + ' / ' + boxes[j].t);
    }
  }
}
return { boxes: boxes.length, bad: bad };
"#;

/// Where the WebDriver test's screenshots go; `TLSTRIAGE_SCREENSHOTS=docs` refreshes the
/// README's pictures.
fn screenshot_dir(root: &Path) -> PathBuf {
    root.join(std::env::var_os("TLSTRIAGE_SCREENSHOTS").unwrap_or_else(|| "target/html-report".into()))
}

#[test]
fn the_samples_report_through_webdriver() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (Some(driver), Some(_)) = (webdriver::chromedriver(), chromium()) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but chromedriver or chromium is missing (.ci/run installs them)"
        );
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED the_samples_report_through_webdriver: chromedriver is not installed (apt-get install chromium-driver)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let args = ["analyze", "samples/", "--year", "2026", "--now", "2026-11-23", "--format", "html", "-o"];
    assert_eq!(run(&[&args[..], &[page.to_str().unwrap()]].concat()).code, 1);
    let n = analyze_json(&["samples/"], &[]).1["findings"].as_array().unwrap().len();
    let url = format!("file://{}", page.display());
    let browser = Session::start(&driver);
    let shots = screenshot_dir(root);
    std::fs::create_dir_all(&shots).unwrap();
    for width in [1400, 390] {
        browser.resize(width, 2000);
        browser.goto(&url);
        let boxes = browser.run(TEXT_BOXES);
        assert!(boxes["boxes"].as_u64().unwrap() > 40, "{width} px: {boxes}");
        assert_eq!(boxes["bad"], serde_json::json!([]), "{width} px: overlapping, cut or tiny labels");
        let widths = browser.run("var d = document.documentElement; return [d.scrollWidth, d.clientWidth];");
        assert!(widths[0].as_u64() <= widths[1].as_u64(), "{width} px: the page scrolls sideways: {widths}");
        // Every validity bar is drawn, inside the page.
        let hidden = browser.run(
            "return Array.prototype.filter.call(document.querySelectorAll('.bar'), function (b) { \
             var r = b.getBoundingClientRect(); return r.width < 2 || r.height < 4 || r.left < 0 || \
             r.right > document.documentElement.clientWidth; }).length;",
        );
        assert_eq!(hidden, 0, "{width} px: validity bars not shown");
        // Scrolled to its end, the timeline keeps its lanes' names in view.
        let labels_stay = browser.run(
            "var b = document.querySelector('.timeline-box'); b.scrollLeft = b.scrollWidth; \
             var l = document.querySelector('svg.timeline-labels').getBoundingClientRect(); \
             return Math.abs(l.left - b.getBoundingClientRect().left) < 1 && l.width > 150;",
        );
        assert_eq!(labels_stay, true, "{width} px: the lanes' names scrolled out of view");
        browser.run("document.getElementById('timeline').scrollIntoView(); return null;");
        let png = browser.screenshot();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 30_000, "{} bytes", png.len());
        std::fs::write(shots.join(format!("html-report-{width}.png")), png).unwrap();
    }
    // A malformed escape in the address: the count is still filled and the Copy buttons work.
    // (A page is loaded afresh: going from the same page to a new fragment only changes the hash.)
    browser.goto("about:blank");
    browser.goto(&format!("{url}#kind=%E0%A4%A"));
    assert_eq!(browser.run("return location.hash;"), "#kind=%E0%A4%A");
    let shown = browser.run("return document.getElementById('shown').textContent;");
    assert_eq!(shown, format!("Showing {n} of {n} findings."));
    browser.run("document.querySelector('button.copy').click(); return null;");
    assert!(
        browser.wait_for("return document.querySelector('button.copy').textContent === 'Copied';"),
        "the Copy button did not answer its click"
    );
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
