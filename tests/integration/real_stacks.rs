//! The real-stack corpus (`tests/data/real-stacks/`, made by `scripts/real-stack-corpus/make.py`):
//! tlstriage runs on every capture and is compared with what the stacks themselves said
//! (`case.json`: the expected kind, depth and severity class, a phrase of its text or of its
//! steps, or "healthy").
//!
//! The cases where tlstriage does not agree yet are listed in [`KNOWN_WRONG`] with how it is
//! wrong today. The test fails when a case outside the list disagrees, and also when a listed
//! case starts to agree or is wrong in another way: the list only shrinks, deliberately.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;
use tlstriage::model::{CertSummary, Event, Role};
use tlstriage::x509::checks::{check, Policy};
use tlstriage::x509::path::build;
use tlstriage::x509::CertCache;

use crate::common;

/// How tlstriage's result differs from the stack's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Agree,
    /// Nothing at warning or above on a failed connection.
    Missed,
    /// The expected kind is not there (at that depth), another finding is.
    WrongKind,
    /// The expected kind is there, but its text lacks what it must say.
    WrongText,
    /// The expected finding and other findings at warning or above beside it.
    FalseExtra,
    /// A healthy connection with a finding at warning or above.
    FalseFinding,
    /// The handshake's outcome is not the expected one.
    WrongOutcome,
}

/// Cases tlstriage gets wrong, with how they are wrong: none since issue 22's second round. A
/// case added to the corpus that tlstriage does not get right yet goes here with its verdict.
const KNOWN_WRONG: &[(&str, Verdict)] = &[];

fn corpus() -> PathBuf {
    common::repo("tests/data/real-stacks")
}

fn cases() -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = std::fs::read_dir(corpus())
        .unwrap()
        .filter_map(|e| {
            let dir = e.unwrap().path();
            let text = std::fs::read_to_string(dir.join("case.json")).ok()?;
            Some((dir.file_name()?.to_str()?.to_string(), serde_json::from_str(&text).unwrap()))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn analyze(name: &str, case: &Value) -> Value {
    let dir = corpus().join(name);
    let anchors: Vec<String> = case["anchors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| corpus().join(a.as_str().unwrap()).to_string_lossy().into_owned())
        .collect();
    let mut extra = Vec::new();
    for a in &anchors {
        extra.extend(["--ca", a.as_str()]);
    }
    let capture = dir.join("capture.pcap");
    let (_, v) = common::analyze_json(&[path(&capture)], &extra);
    assert_eq!(v["inputs"][0]["status"], "ok", "{name}: {}", v["inputs"]);
    v
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn rank(severity: &str) -> u8 {
    match severity {
        "critical" => 4,
        "error" => 3,
        "warning" => 2,
        "info" => 1,
        _ => 0,
    }
}

fn in_class(severity: &str, class: &str) -> bool {
    match class {
        "error" => rank(severity) >= 3,
        other => severity == other,
    }
}

/// Compare one report with the case's `expect`.
fn judge(expect: &Value, report: &Value) -> Verdict {
    let findings = report["findings"].as_array().unwrap();
    let at_least = |min: u8| findings.iter().filter(move |f| rank(f["severity"].as_str().unwrap()) >= min);
    if let Some(outcome) = expect["outcome"].as_str() {
        let outcomes: Vec<&str> =
            report["handshakes"].as_array().unwrap().iter().filter_map(|h| h["outcome"].as_str()).collect();
        if outcomes != [outcome] {
            return Verdict::WrongOutcome;
        }
    }
    if expect["healthy"] == true {
        return if at_least(2).next().is_none() { Verdict::Agree } else { Verdict::FalseFinding };
    }
    if expect["no_error"] == true {
        return if at_least(3).next().is_none() { Verdict::Agree } else { Verdict::FalseFinding };
    }
    let kind = expect["kind"].as_str().unwrap();
    let class = expect["severity"].as_str().unwrap();
    let also: Vec<&str> =
        expect["also"].as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    let is_expected = |f: &Value| {
        f["kind"] == kind
            && expect.get("depth").is_none_or(|d| f["depth"] == *d)
            && in_class(f["severity"].as_str().unwrap(), class)
    };
    let Some(found) = findings.iter().find(|f| is_expected(f)) else {
        return if at_least(2).next().is_none() { Verdict::Missed } else { Verdict::WrongKind };
    };
    if let Some(phrase) = expect["detail"].as_str() {
        let text = format!("{} {}", found["title"], found["detail"]).to_lowercase();
        if !text.contains(&phrase.to_lowercase()) {
            return Verdict::WrongText;
        }
    }
    if let Some(phrase) = expect["fix"].as_str() {
        if !found["remediation"]["steps"].to_string().contains(phrase) {
            return Verdict::WrongText;
        }
    }
    let others = at_least(2).filter(|f| !std::ptr::eq(*f, found) && !also.contains(&f["kind"].as_str().unwrap()));
    if others.count() > 0 {
        return Verdict::FalseExtra;
    }
    Verdict::Agree
}

/// One line per finding at warning or above, for the failure message.
fn summary(report: &Value) -> String {
    let lines: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| rank(f["severity"].as_str().unwrap()) >= 2)
        .map(|f| format!("{} {} depth {}", f["kind"], f["severity"], f["depth"]))
        .collect();
    if lines.is_empty() {
        "nothing at warning or above".into()
    } else {
        lines.join(", ")
    }
}

#[test]
fn the_analyzer_agrees_with_the_stacks_except_the_known_wrong_cases() {
    let cases = cases();
    assert!(cases.len() >= 70, "the corpus has {} cases", cases.len());
    let mut problems = Vec::new();
    for (name, case) in &cases {
        let report = analyze(name, case);
        let got = judge(&case["expect"], &report);
        let known = KNOWN_WRONG.iter().find(|(n, _)| n == name).map(|(_, v)| *v);
        match (got, known) {
            (Verdict::Agree, None) => {}
            (Verdict::Agree, Some(_)) => problems.push(format!("{name}: agrees now; take it off KNOWN_WRONG")),
            (got, Some(known)) if got == known => {}
            (got, known) => problems.push(format!(
                "{name}: {got:?} (KNOWN_WRONG says {known:?}); expected {}, found {}",
                case["expect"],
                summary(&report)
            )),
        }
    }
    for (name, _) in KNOWN_WRONG {
        if !cases.iter().any(|(n, _)| n == name) {
            problems.push(format!("{name}: in KNOWN_WRONG but not in the corpus"));
        }
    }
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn every_case_records_the_stacks_verdict_beside_its_capture() {
    for (name, case) in cases() {
        let v = &case["stack_verdict"];
        assert!(corpus().join(&name).join("capture.pcap").is_file(), "{name}");
        assert_eq!(case["case"], name.as_str());
        let expect = &case["expect"];
        let failing = expect.get("kind").is_some();
        assert!(failing || expect["healthy"] == true || expect["no_error"] == true, "{name}: {expect}");
        if failing && v["stack"] != "hand-built" {
            // A failure the stack itself reported: a verify code or an alert, as it printed it; or,
            // for a certificate that expires soon, the end date it printed.
            let said = v.get("verify_code").is_some()
                || v.get("alert").is_some()
                || v.get("error").is_some()
                || (expect["kind"] == "expiring-soon" && v["leaf_not_after"].is_string());
            assert!(said, "{name}: {v}");
            assert!(!v["printed"].as_array().unwrap().is_empty(), "{name}");
        }
    }
}

/// The `handshakes` view of one corpus capture.
fn handshake(name: &str) -> Value {
    let capture = corpus().join(name).join("capture.pcap");
    let r = common::run(&["handshakes", "--format", "json", path(&capture)]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{name}: {e}: {}", r.stderr));
    assert_eq!(v.as_array().map(Vec::len), Some(1), "{name}: {v}");
    v[0].clone()
}

#[test]
fn handshakes_say_what_the_capture_shows_and_nothing_more() {
    // A capture that starts after the handshake: its encrypted records give no alert.
    for name in ["openssl-tls2-mid-connection", "openssl-tls3-mid-connection", "gnutls-tls3-mid-connection"] {
        let h = handshake(name);
        assert_eq!(h["outcome"], "not-captured", "{name}");
        assert_eq!(h["alerts"], serde_json::json!([]), "{name}");
        assert!(h["notes"].to_string().contains("the capture starts after the handshake"), "{name}: {h}");
    }
    // TLS 1.3 refusals whose alert is encrypted: who sent it, not which alert.
    for (name, by) in [("openssl-server-tls3-client-untrusted", "server"), ("gnutls-tls3-expired-leaf", "client")] {
        let h = handshake(name);
        assert_eq!(h["outcome"], "rejected-encrypted", "{name}");
        assert_eq!(h["alerts"], serde_json::json!([]), "{name}");
        let said = format!("the {by} sent one encrypted record of an alert's size");
        assert!(h["notes"].to_string().contains(&said), "{name}: {h}");
    }
    // OpenSSL's TLS 1.3 client sends its alert in plaintext: it is read.
    let h = handshake("openssl-tls3-expired-leaf");
    assert_eq!(
        (h["outcome"].as_str(), h["alerts"][0]["description"].as_str()),
        (Some("failed"), Some("certificate_expired"))
    );
    // The client had no certificate to send; the server refused it.
    let h = handshake("openssl-server-tls2-client-sent-no-certificate");
    assert_eq!(h["empty_certificate"], "client");
    assert_eq!(h["alerts"][0]["description"], "handshake_failure");
    // A plain-HTTP server answering the ClientHello.
    let h = handshake("openssl-plain-http-answer");
    assert_eq!(h["not_tls"], serde_json::json!({"from": "server", "first_line": "HTTP/1.1 400 Bad Request"}));
    assert_eq!(h["outcome"], "failed");
    // SSL 2.0 chosen by the server: its certificate is read from the SERVER-HELLO.
    let h = handshake("handbuilt-sslv2-server-hello");
    assert_eq!((h["version"].as_str(), h["outcome"].as_str()), (Some("SSL 2.0"), Some("established")));
    assert_eq!(h["certificates"][0]["subject"], "/CN=server.corpus.test/O=tlstriage corpus");
}

/// The certificates the verified side sent in one corpus capture (message order) and when.
fn sent_chain(name: &str, from: Role) -> Option<(Vec<Arc<CertSummary>>, jiff::Timestamp)> {
    let data = std::fs::read(corpus().join(name).join("capture.pcap")).unwrap();
    let cache = Arc::new(CertCache::default());
    let ctx = tlstriage::model::IngestContext::new(jiff::Timestamp::now(), cache);
    let mut src = tlstriage::model::Source::new(name, &data);
    let mut parsed = tlstriage::model::Parsed::default();
    tlstriage::capture::parse(&mut src, &ctx, &mut parsed);
    let attempt = parsed.attempts.first()?;
    let links = attempt.events.iter().find_map(|o| match &o.event {
        Event::Chain { from: f, links } if *f == from => Some(links),
        _ => None,
    })?;
    Some((links.iter().map(|l| l.cert.clone()).collect(), attempt.start?))
}

/// The value after `flag` in a command line as case.json shows it.
fn option<'a>(command: &'a str, flag: &str) -> Option<&'a str> {
    let mut words = command.split_whitespace();
    words.find(|w| *w == flag)?;
    words.next()
}

#[test]
fn the_path_checks_report_what_openssl_reported_first() {
    let cache = CertCache::default();
    let mut compared = 0;
    for (name, case) in cases() {
        let v = &case["stack_verdict"];
        let Some(verifier) = v["verifier"].as_str() else { continue };
        if case["tls"] != "TLS 1.2" || !matches!(v["stack"].as_str(), Some("openssl" | "python")) {
            continue;
        }
        let Some(code) = v["verify_code"].as_u64() else { continue };
        let command = case[verifier]["command"].as_str().unwrap();
        // The verifier's trust store, when the corpus has it.
        let ca = option(command, "-CAfile").or_else(|| option(command, "--ca")).unwrap();
        let anchor = corpus().join("anchors").join(ca.replace(".crt", ".pem"));
        let Ok(pem) = std::fs::read(&anchor) else { continue };
        let ctx = tlstriage::model::IngestContext::new(jiff::Timestamp::now(), Arc::new(CertCache::default()));
        let mut src = tlstriage::model::Source::new(ca, &pem);
        let mut read = tlstriage::model::Parsed::default();
        tlstriage::x509::files::parse_pem(&mut src, &ctx, &mut read);
        let anchors: Vec<Arc<CertSummary>> = read.certificates.iter().map(|c| c.cert.clone()).collect();
        let owner = if verifier == "client" { Role::Server } else { Role::Client };
        let (sent, at) = sent_chain(&name, owner).unwrap_or_else(|| panic!("{name}: no chain in the capture"));
        let path = build(&sent, &anchors, &cache);
        let level = if command.contains("-auth_level 2") { 2 } else { 1 };
        let host = option(command, "-verify_hostname").or_else(|| option(command, "--host"));
        let policy = Policy { at, level, role: owner, host };
        let first = check(&path, &policy, &cache).first().map(|f| (u64::from(f.code.0), f.depth));
        let want_depth = v["verify_depth"].as_u64();
        assert_eq!(first.map(|f| f.0), Some(code), "{name}: {:?}", check(&path, &policy, &cache));
        if let Some(d) = want_depth {
            assert_eq!(first.map(|f| u64::from(f.1)), Some(d), "{name}");
        }
        compared += 1;
    }
    assert!(compared >= 15, "only {compared} cases compared");
}
