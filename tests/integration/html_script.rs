//! The HTML page's own script run by Node.js against a minimal stand-in for the page (its cards,
//! filter boxes and copy buttons as the samples' report has them): whatever the address holds,
//! even a malformed escape that makes `decodeURIComponent` throw, the count is filled, every
//! copy button gets its click handler and the print handler is set. Headless Chromium checks the
//! count in `html_report`; this checks the handlers, which a dump of the DOM cannot show.
//! Without Node.js the test is skipped with a message, except in CI (`CI=true`).

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

use super::common::run;

/// The stand-in page: `PAGE` (cards, boxes, buttons) and `HASH` are set before the script runs;
/// what the script did is printed as JSON.
const HARNESS: &str = r#"
const page = JSON.parse(process.argv[process.argv.length - 1]);
function node(extra) {
  const n = { listeners: {}, addEventListener(t, f) { (this.listeners[t] = this.listeners[t] || []).push(f); } };
  return Object.assign(n, extra);
}
const cards = page.cards.map(([severity, kind]) => node({ dataset: { severity, kind }, hidden: false }));
const boxes = page.boxes.map(([name, value]) => node({ name, value, checked: true }));
const buttons = Array.from({ length: page.buttons }, () => node({}));
const shown = node({ textContent: "" });
const form = node({});
const all = (list) => Object.assign(list.slice(), { forEach: Array.prototype.forEach });
global.document = {
  querySelector: (q) => (q === "form.filters" ? form : null),
  querySelectorAll: (q) => {
    if (q === "article.finding") return all(cards);
    if (q === "button.copy") return all(buttons);
    if (q === "details") return all([]);
    const m = /^input\[name="(\w+)"\]$/.exec(q);
    if (m) return all(boxes.filter((b) => b.name === m[1]));
    throw new Error("unexpected query " + q);
  },
  getElementById: (id) => (id === "shown" ? shown : null),
};
const win = node({});
global.window = win;
global.location = { hash: page.hash, pathname: "/report.html" };
global.history = { replaceState() {} };
let error = null;
try { eval(page.script); } catch (e) { error = String(e); }
console.log(JSON.stringify({
  error,
  shown: shown.textContent,
  wired: buttons.filter((b) => (b.listeners.click || []).length === 1).length,
  print: (win.listeners.beforeprint || []).length,
  hidden: cards.filter((c) => c.hidden).length,
}));
"#;

fn node() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["node", "nodejs"].iter().flat_map(|n| std::env::split_paths(&path).map(move |d| d.join(n))).find(|p| p.is_file())
}

/// Run the page's script with `hash` as the address's fragment.
fn run_script(node: &PathBuf, html: &str, hash: &str) -> serde_json::Value {
    let attr = |re: &str| -> Vec<Vec<String>> {
        let re = regex::Regex::new(re).unwrap();
        re.captures_iter(html).map(|c| vec![c[1].to_string(), c[2].to_string()]).collect()
    };
    let script = &html[html.rfind("<script>").unwrap() + 8..html.rfind("</script>").unwrap()];
    let page = serde_json::json!({
        "cards": attr(r#"<article class="finding" id="[^"]*" data-severity="([^"]*)" data-kind="([^"]*)""#),
        "boxes": attr(r#"<input type="checkbox" name="(\w+)" value="([^"]*)""#),
        "buttons": html.matches("<button class=\"copy\"").count(),
        "hash": hash,
        "script": script,
    });
    let out = Command::new(node).args(["-e", HARNESS, &page.to_string()]).output().expect("node runs");
    assert!(out.status.success(), "node failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_page_script_survives_any_address() {
    let Some(node) = node() else {
        assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "CI=true but Node.js is not installed");
        let _ = writeln!(std::io::stderr(), "SKIPPED the_page_script_survives_any_address: Node.js is not installed");
        return;
    };
    let r = run(&["analyze", "samples/", "--year", "2026", "--now", "2026-11-23", "--format", "html"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let html = r.stdout;
    let n = html.matches("<article class=\"finding\"").count();
    let buttons = html.matches("<button class=\"copy\"").count();
    assert!(n > 5 && buttons > 5, "{n} findings, {buttons} copy buttons");
    let critical = html.matches("data-severity=\"critical\" data-kind").count();
    // A fragment the script reads (it hides the other findings), then ones it cannot decode.
    let cases = [
        ("#severity=critical", critical),
        ("", n),
        ("#kind=%E0%A4%A", n),
        ("#severity=%&kind=%zz", n),
        ("#kind=expired-ca,%", n),
    ];
    for (hash, visible) in cases {
        let did = run_script(&node, &html, hash);
        assert_eq!(did["error"], serde_json::Value::Null, "{hash}: {did}");
        assert_eq!(did["shown"], format!("Showing {visible} of {n} findings."), "{hash}");
        assert_eq!(did["hidden"], n - visible, "{hash}");
        assert_eq!(did["wired"], buttons, "{hash}: copy buttons without their handler");
        assert_eq!(did["print"], 1, "{hash}: no print handler");
    }
}
