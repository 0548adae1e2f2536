//! The Markdown exporter's escaping, read back by a GFM parser (comrak, with GitHub's
//! extensions): input text renders as itself, never as a link, an image or HTML.

use comrak::nodes::{AstNode, NodeValue};
use comrak::{parse_document, Arena, Options};

use super::*;

/// The device name of an attacker: a cell break, code, a link, HTML.
const EVIL: &str = "x|`a`[b](javascript:alert(1))<script>";

fn gfm() -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.autolink = true;
    o.extension.strikethrough = true;
    o.extension.tasklist = true;
    o.extension.footnotes = true;
    o
}

/// The text `node` shows, code included; panics on any node but text and code in the
/// paragraphs, lists, emphasis, headings and tables this exporter writes itself (a link, an
/// image or HTML above all).
fn shown_in<'a>(node: &'a AstNode<'a>) -> String {
    let mut out = String::new();
    for n in node.descendants() {
        match &n.data.borrow().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::Document | NodeValue::Paragraph | NodeValue::List(_) | NodeValue::Item(_) => {}
            NodeValue::Strong | NodeValue::Emph | NodeValue::Heading(_) | NodeValue::SoftBreak => {}
            NodeValue::Table(_) | NodeValue::TableRow(_) | NodeValue::TableCell => {}
            other => panic!("{other:?} after {:?}", out.get(out.len().saturating_sub(80)..)),
        }
    }
    out
}

/// The text `markdown` shows (see [`shown_in`]).
fn shown(markdown: &str) -> String {
    let arena = Arena::new();
    shown_in(parse_document(&arena, markdown, &gfm()))
}

/// The cells of every table row of `markdown`, each as the text it shows.
fn table_rows(markdown: &str) -> Vec<Vec<String>> {
    let arena = Arena::new();
    let root = parse_document(&arena, markdown, &gfm());
    shown_in(root);
    let rows = root.descendants().filter(|n| matches!(n.data.borrow().value, NodeValue::TableRow(_)));
    rows.map(|row| row.children().map(shown_in).collect()).collect()
}

#[test]
fn text_is_escaped_exactly() {
    assert_eq!(text("fmc-hq-01 (7.4.1)", Place::Block), "fmc-hq-01 (7.4.1)");
    assert_eq!(text(EVIL, Place::Block), "x\\|\\`a\\`\\[b\\](javascript:alert(1))\\<script\\>");
    assert_eq!(text("# a > b", Place::Block), "\\# a \\> b");
    assert_eq!(text("1. one", Place::Block), "1\\. one");
    assert_eq!(text("- item", Place::Cell), "- item");
    assert_eq!(
        text("a_b *c* ~~d~~ &lt; $x$ ![i]", Place::Block),
        "a\\_b \\*c\\* \\~\\~d\\~\\~ \\&lt; \\$x\\$ \\!\\[i\\]"
    );
    assert_eq!(text("line\nbreak\x1b[2J", Place::Block), "line\\\\x0abreak\\\\x1b\\[2J");
    assert_eq!(
        text("mail admin@example.com or www.example.com", Place::Block),
        "mail `admin@example.com` or `www.example.com`"
    );
}

#[test]
fn code_spans_hold_any_backticks_and_pipes() {
    assert_eq!(code("sftunnel_status.pl", Place::Block), "`sftunnel_status.pl`");
    assert_eq!(code("a`b", Place::Block), "``a`b``");
    assert_eq!(code("`x``", Place::Block), "``` `x`` ```");
    assert_eq!(code("a|b", Place::Cell), "`a`\\|`b`");
    assert_eq!(code("a|b", Place::Block), "`a|b`");
    assert_eq!(code("", Place::Block), "");
    for value in ["a`b", "`x``", " lead", "trail` ", "``", "a|b`|"] {
        let md = format!("run {}", code(value, Place::Block));
        assert_eq!(shown(&md), format!("run {value}"), "{md}");
    }
}

#[test]
fn prose_makes_code_of_commands_only() {
    assert_eq!(prose(&StepText::ours("run `generate_certs.pl` now"), Place::Block), "run `generate_certs.pl` now");
    assert_eq!(prose(&StepText::ours("a `b` and `c"), Place::Block), "a `b` and \\`c");
    assert_eq!(shown(&prose(&StepText::ours("a `b` and `c"), Place::Block)), "a b and `c");
}

#[test]
fn hostile_text_renders_as_itself_in_text_and_in_cells() {
    let hostile = [
        EVIL,
        "<img src=x onerror=alert(1)>",
        "[a][b] [^1] [c]: http://evil.example",
        "https://evil.example/x",
        "user@evil.example",
        "WWW.evil.example",
        "`code` ``two`` \\`",
        "*em* __strong__ ~~del~~ ~x~",
        "&#60;script&#62; &amp;",
        "a\\|b|c",
        "# heading",
        "> quote",
        "- [ ] task",
        "1) list",
        "---",
        "$x^2$ $$y$$",
        "ftd\x1b]0;owned\x07",
    ];
    for value in hostile {
        let expected = printable(value).into_owned();
        assert_eq!(shown(&text(value, Place::Block)), expected, "{value:?}");
        assert_eq!(shown(&format!("- **On {}:** x", text(value, Place::Block))), format!("On {expected}: x"));
        let table =
            format!("| a | b |\n| --- | --- |\n| {} | {} |\n", text(value, Place::Cell), code(value, Place::Cell));
        assert_eq!(table_rows(&table), [["a", "b"], [expected.as_str(), expected.as_str()]], "{table}");
    }
}

fn report_of(path: &std::path::Path) -> Report {
    let mut o = crate::analyze::Options::new(vec![path.to_path_buf()]);
    o.year = Some(2026);
    o.now = "2026-11-23T00:00:00Z".parse().expect("time");
    crate::analyze::analyze(&o)
}

fn markdown(view: &View) -> String {
    super::super::render(super::super::Export::Analysis(super::super::AnalyzeFormat::Markdown, view))
}

#[test]
fn the_bundles_sample_as_markdown() {
    let r = report_of("samples/bundles".as_ref());
    insta::assert_snapshot!("markdown_bundles", markdown(&View::new(&r)));
}

#[test]
fn every_row_of_the_samples_findings_table_has_the_header_columns() {
    let r = report_of("samples".as_ref());
    let md = markdown(&View::new(&r));
    let rows = table_rows(&md);
    let header = ["#", "Severity", "Kind", "Device", "Peer", "What", "Count", "First seen", "Last seen"];
    assert_eq!(rows[0], header);
    assert_eq!(rows.len(), r.findings.len() + 1);
    for (i, (row, f)) in rows[1..].iter().zip(&r.findings).enumerate() {
        assert_eq!(row.len(), header.len(), "row {}: {row:?}", i + 1);
        assert_eq!(
            (row[0].as_str(), row[2].as_str(), row[5].as_str()),
            (&*(i + 1).to_string(), f.kind.as_str(), &*f.title)
        );
    }
    // Every system with steps has its heading and its steps in order.
    let shown = shown(&md);
    for s in r.systems.iter().filter(|s| !s.next_steps.is_empty()) {
        assert!(shown.contains(&format!("{}: {}", s.label(), s.state.as_str())), "{}", s.label());
    }
}

#[test]
fn a_baseline_adds_its_column_and_counts() {
    let r = report_of("samples/bundles".as_ref());
    let accepted: Vec<_> = r.findings[1..].iter().map(|f| crate::baseline::Accepted::of(f)).collect();
    let cmp = crate::baseline::compare("accepted.json", &r.findings, &accepted);
    let md = markdown(&View { baseline: Some(&cmp), ..View::new(&r) });
    assert!(md.contains("- **Baseline** `accepted.json`: 1 new, 4 unchanged, 0 changed, 0 resolved\n"), "{md}");
    let rows = table_rows(&md);
    assert_eq!((rows[0][1].as_str(), rows[1][1].as_str(), rows[2][1].as_str()), ("Baseline", "new", "unchanged"));
    assert!(rows.iter().all(|row| row.len() == 10));
}

#[test]
fn a_hostile_device_name_in_a_log_renders_as_itself() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = std::fs::read_to_string("samples/logs/ftd-expired-ca/messages").expect("sample");
    std::fs::write(dir.path().join("messages"), log.replace("ftd-branch-07", EVIL)).expect("write");
    let r = report_of(dir.path());
    assert_eq!(r.findings[0].device.as_deref(), Some(EVIL));
    let md = markdown(&View::new(&r));
    // No link, image or HTML anywhere (table_rows panics on one), the cell is the name.
    let rows = table_rows(&md);
    assert_eq!(rows[1][3], EVIL);
    assert!(rows.iter().all(|row| row.len() == 9));
    let shown = shown(&md);
    assert!(shown.contains(&format!("On {EVIL}:")), "{md}");
    assert!(shown.contains(&format!("Inferred: {EVIL}'s log connects to 192.168.45.10; no input says which")), "{md}");
}
