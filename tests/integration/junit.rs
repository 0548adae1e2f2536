//! `--format junit` through the binary: the document parses as XML (quick-xml checks that every
//! tag closes), with one test case per input and the expected counts and failure texts.

use crate::common;

use std::collections::BTreeMap;

use quick_xml::events::Event;

/// An element with its attributes, text and children.
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: BTreeMap<String, String>,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
    fn attr(&self, name: &str) -> &str {
        self.attrs.get(name).map(String::as_str).unwrap_or_else(|| panic!("{} has no {name}", self.name))
    }
}

fn unescape_ref(name: &str) -> String {
    match name {
        "amp" => "&".into(),
        "lt" => "<".into(),
        "gt" => ">".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        n => {
            let code = n.strip_prefix('#').and_then(|d| d.parse::<u32>().ok()).expect("known reference");
            char::from_u32(code).expect("a character").to_string()
        }
    }
}

fn element(e: &quick_xml::events::BytesStart) -> Node {
    let mut n = Node { name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(), ..Default::default() };
    for a in e.attributes() {
        let a = a.unwrap();
        let key = String::from_utf8(a.key.as_ref().to_vec()).unwrap();
        n.attrs.insert(key, a.normalized_value(quick_xml::XmlVersion::Implicit1_0).unwrap().into_owned());
    }
    n
}

/// Parse the document into its root element; panics on anything that is not well-formed.
fn parse(xml: &str) -> Node {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<Node> = vec![Node::default()];
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => stack.last_mut().unwrap().children.push(element(&e)),
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(done);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t.decode().unwrap()),
            Event::GeneralRef(r) => stack.last_mut().unwrap().text.push_str(&unescape_ref(&r.decode().unwrap())),
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    let mut top = stack.pop().unwrap();
    assert_eq!(top.children.len(), 1, "one root element");
    top.children.pop().unwrap()
}

fn junit(args: &[&str]) -> (i32, Node) {
    let mut all = vec!["analyze", "--format", "junit", "--year", "2026", "--now", "2026-11-23"];
    all.extend_from_slice(args);
    let r = common::run(&all);
    assert!(r.stdout.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"), "{}", r.stdout);
    (r.code, parse(&r.stdout))
}

/// Tests, failures, errors and skipped of the suite; the root has the first three.
fn counts(n: &Node) -> [&str; 4] {
    [n.attr("tests"), n.attr("failures"), n.attr("errors"), n.attr("skipped")]
}

fn root_counts(n: &Node) -> [&str; 3] {
    [n.attr("tests"), n.attr("failures"), n.attr("errors")]
}

#[test]
fn one_case_per_input_with_failures_at_the_threshold() {
    let (code, root) = junit(&["samples/logs", "samples/README.md", "/nonexistent/messages"]);
    assert_eq!(code, 1);
    assert_eq!(root.name, "testsuites");
    assert_eq!(root_counts(&root), ["8", "6", "1"]);
    let suites: Vec<&Node> = root.all("testsuite").collect();
    assert_eq!(suites.len(), 1);
    let suite = suites[0];
    assert_eq!(counts(suite), ["8", "6", "1", "1"]);
    let cases: Vec<&Node> = suite.all("testcase").collect();
    let names: Vec<&str> = cases.iter().map(|c| c.attr("name")).collect();
    assert_eq!(
        names,
        [
            "samples/logs/fmc-expired-ca/messages",
            "samples/logs/ftd-expired-ca/messages",
            "samples/logs/ftd-invalid-purpose/messages",
            "samples/logs/rotated/messages.1.gz!/messages.1",
            "samples/logs/sftunnel-misc/messages",
            "samples/logs/tls-proxy/tls_proxy.log",
            "samples/README.md",
            "/nonexistent/messages",
        ]
    );
    assert_eq!(cases[5].attr("classname"), "tlstriage.tls-proxy-log");
    let misc = cases[4].all("failure").next().expect("sftunnel-misc fails");
    assert_eq!(
        misc.attr("message"),
        "7 findings: expired-cert, not-yet-valid, self-signed, unknown-ca, cipher-mismatch, protocol-mismatch, connection-refused"
    );
    assert_eq!(misc.attr("type"), "expired-cert");
    // Title, detail, evidence and the fix are in the failure text, unescaped by the parser.
    let proxy = cases[5].all("failure").next().unwrap();
    assert!(proxy.text.starts_with("[error] self-signed: Self-signed certificate is not trusted\n"), "{}", proxy.text);
    assert!(proxy.text.contains("for the server's certificate\n"), "{}", proxy.text);
    assert!(proxy.text.contains("  at samples/logs/tls-proxy/tls_proxy.log:4\n"), "{}", proxy.text);
    assert!(
        proxy.text.contains("  Fix [tls-proxy-import-server-cert]: Import the server's certificate"),
        "{}",
        proxy.text
    );
    assert!(proxy.text.contains("(Configurations > Policies/Settings > Decryption policies)"), "{}", proxy.text);
    assert_eq!(cases[6].all("skipped").count(), 1);
    let err = cases[7].all("error").next().unwrap();
    assert_eq!(err.attr("message"), "no such file or directory", "{:?}", err.attrs);
}

#[test]
fn below_the_threshold_findings_go_to_the_output_not_failures() {
    let (code, root) = junit(&["--fail-on", "critical", "samples/logs"]);
    assert_eq!(code, 1);
    let suite = root.all("testsuite").next().unwrap();
    assert_eq!(counts(suite), ["6", "2", "0", "0"]);
    let failed: Vec<&str> =
        suite.all("testcase").filter(|c| c.all("failure").count() == 1).map(|c| c.attr("name")).collect();
    assert_eq!(failed, ["samples/logs/ftd-expired-ca/messages", "samples/logs/rotated/messages.1.gz!/messages.1"]);
    let misc = suite.all("testcase").find(|c| c.attr("name") == "samples/logs/sftunnel-misc/messages").unwrap();
    let out = &misc.all("system-out").next().unwrap().text;
    assert!(out.contains("[error] connection-refused: Connection refused before TLS began"), "{out}");
    let props: Vec<(&str, &str)> =
        suite.all("properties").flat_map(|p| p.all("property")).map(|p| (p.attr("name"), p.attr("value"))).collect();
    assert_eq!(props, [("now", "2026-11-23T00:00:00Z"), ("fail_on", "critical")]);

    let (code, root) = junit(&["--fail-on", "never", "samples/logs"]);
    assert_eq!(code, 0);
    assert_eq!(root_counts(&root), ["6", "0", "0"]);
}

#[test]
fn with_a_baseline_only_new_findings_fail() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("accepted.json");
    let r = common::run(&[
        "baseline",
        "-o",
        file.to_str().unwrap(),
        "--year",
        "2026",
        "--now",
        "2026-11-23",
        "samples/logs",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (code, root) =
        junit(&["--baseline", file.to_str().unwrap(), "samples/logs", "samples/captures/self-signed.pcap"]);
    assert_eq!(code, 1);
    assert_eq!(root_counts(&root), ["7", "1", "0"]);
    let suite = root.all("testsuite").next().unwrap();
    assert_eq!(counts(suite), ["7", "1", "0", "0"]);
    let failed: Vec<&Node> = suite.all("testcase").filter(|c| c.all("failure").count() == 1).collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].attr("name"), "samples/captures/self-signed.pcap");
    let text = &failed[0].all("failure").next().unwrap().text;
    assert!(text.starts_with("[error] self-signed (new): "), "{text}");
}

#[test]
fn a_copy_counted_once_is_not_a_skipped_case() {
    // The log, its backup (the same bytes) and a file of no known format: the summary says
    // "1 read, 1 counted once, 1 skipped", and so does the suite.
    let case = common::case::Case::holding("samples/logs/ftd-expired-ca/messages", "messages");
    case.copy("samples/logs/ftd-expired-ca/messages", "messages.bak").write("notes.txt", b"call back on Monday\n");
    let dir = case.dir.path().to_str().unwrap().to_string();
    let (code, root) = junit(&[&dir]);
    assert_eq!(code, 1);
    let suite = root.all("testsuite").next().unwrap();
    assert_eq!(counts(suite), ["3", "1", "0", "1"]);
    let cases: Vec<&Node> = suite.all("testcase").collect();
    let copy = cases.iter().find(|c| c.attr("name").ends_with("messages.bak")).expect("the backup's case");
    assert_eq!(copy.all("skipped").count() + copy.all("failure").count(), 0, "{:?}", copy.attrs);
    let out = copy.all("system-out").next().expect("what became of it");
    assert_eq!(out.text, format!("same content as {dir}/messages: counted once\n"));
    let notes = cases.iter().find(|c| c.attr("name").ends_with("notes.txt")).unwrap();
    assert_eq!(notes.all("skipped").count(), 1);
}
