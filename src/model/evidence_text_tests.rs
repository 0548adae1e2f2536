//! The edge cases of key removal: every header form, joined and escaped lines, a block with no
//! footer, a footer with no header, a header cut short, PuTTY, and texts that must stay as they are.

use std::ops::Range;
use std::sync::Arc;

use super::{may_hold_key, without_keys, EvidenceText, KEY_REMOVED};
use crate::model::{TextBlock, TextBlockBuilder};

const BODY: [&str; 3] = [
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj",
    "MxLwmm1Hy7bNw+9Qm4pfu3rJn0+SeqA1GHsZKjQ7kpNaHp9dyEvrhfTkyJmoFCkx",
    "AbCdEf==",
];

fn pem(label: &str, sep: &str) -> String {
    format!("-----BEGIN {label}-----{sep}{}{sep}-----END {label}-----", BODY.join(sep))
}

fn assert_clean(out: &str) {
    for line in BODY {
        assert!(!out.contains(line), "{line} is left in {out:?}");
    }
    assert!(!out.to_ascii_uppercase().contains("BEGIN"), "a header is left in {out:?}");
    assert!(out.contains(KEY_REMOVED), "no marker in {out:?}");
}

#[test]
fn every_header_form_and_separator_is_removed_and_the_rest_kept() {
    let labels = ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "OPENSSH PRIVATE KEY"];
    for label in labels {
        for sep in [" ", "\n", "#012", "\\n", "\r\n"] {
            let raw = format!("before {} after", pem(label, sep));
            let out = without_keys(&raw);
            assert_eq!(out, format!("before {KEY_REMOVED} after"), "{label} joined by {sep:?}");
        }
    }
    let ssh2 =
        format!("---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ---- {} ---- END SSH2 ENCRYPTED PRIVATE KEY ----", BODY[0]);
    assert_eq!(without_keys(&ssh2), KEY_REMOVED);
    let lower = format!("x -----begin private key----- {} -----end private key----- y", BODY[0]);
    assert_eq!(without_keys(&lower), format!("x {KEY_REMOVED} y"));
}

#[test]
fn two_blocks_are_both_removed() {
    let raw = format!("a {} b {} c", pem("PRIVATE KEY", " "), pem("EC PRIVATE KEY", "\n"));
    assert_eq!(without_keys(&raw), format!("a {KEY_REMOVED} b {KEY_REMOVED} c"));
}

#[test]
fn a_header_with_no_footer_is_cut_to_the_end() {
    let raw = format!("err: -----BEGIN PRIVATE KEY----- {} {}", BODY[0], &BODY[1][..20]);
    assert_eq!(without_keys(&raw), format!("err: {KEY_REMOVED}"));
}

#[test]
fn a_footer_with_no_header_takes_the_base64_before_it() {
    let raw = format!("tail {} {} -----END PRIVATE KEY----- done", BODY[1], BODY[2]);
    let out = without_keys(&raw);
    assert_clean(&format!("{out} {KEY_REMOVED}"));
    assert_eq!(out, format!("tail {KEY_REMOVED} done"));
}

#[test]
fn a_header_cut_short_at_the_end_is_removed() {
    for cut in ["-----B", "-----BEGIN", "-----BEGIN RSA PRIV", "-----BEGIN PRIVATE KEY--"] {
        assert_eq!(without_keys(&format!("line {cut}")), format!("line {KEY_REMOVED}"), "{cut}");
    }
}

#[test]
fn base64_after_a_mention_without_pem_is_removed() {
    let raw = format!("loaded private key: {} {}", BODY[0], BODY[1]);
    assert_eq!(without_keys(&raw), format!("loaded private key: {KEY_REMOVED}"));
}

#[test]
fn putty_private_lines_are_removed_up_to_the_mac() {
    let raw = format!(
        "PuTTY-User-Key-File-3: ssh-rsa Encryption: none Public-Lines: 1 AAAAB3NzaC1yc2EAAAADAQAB Private-Lines: 2 {} {} Private-MAC: 0a1b2c",
        BODY[0], BODY[1]
    );
    let out = without_keys(&raw);
    assert!(out.contains("Public-Lines: 1 AAAAB3NzaC1yc2EAAAADAQAB"), "{out}");
    assert!(out.ends_with(&format!("{KEY_REMOVED} Private-MAC: 0a1b2c")), "{out}");
    assert!(!out.contains(BODY[0]) && !out.contains(BODY[1]), "{out}");
    let cut = format!("Private-Lines: 2 {}", BODY[0]);
    assert_eq!(without_keys(&cut), KEY_REMOVED);
}

#[test]
fn texts_without_keys_are_kept_exactly() {
    for raw in [
        "",
        "SSL_connect: error:0A000086:SSL routines::certificate verify failed",
        "-----BEGIN CERTIFICATE----- MIIB -----END CERTIFICATE-----",
        "the private key does not match the certificate public key",
        "Private key file /etc/sf/keys/sftunnel-key.pem loaded",
        "separator -----",
        "-----END CERTIFICATE-----",
    ] {
        assert_eq!(without_keys(raw), raw);
        assert_eq!(&*EvidenceText::new(raw), raw);
    }
}

#[test]
fn evidence_text_serialises_as_a_plain_string() {
    let t = EvidenceText::new(&format!("x {}", pem("PRIVATE KEY", " ")));
    assert_eq!(serde_json::to_string(&t).unwrap(), format!("\"x {KEY_REMOVED}\""));
    assert_eq!(t.to_string(), format!("x {KEY_REMOVED}"));
}

#[test]
fn the_quick_check_finds_what_the_patterns_need_in_any_case() {
    for raw in [
        "private",
        "xPrIvAtE KEY",
        "---- RSA PRIVATE",
        "PuTTY Private-Lines: 1",
        "-----B",
        "a -----",
        "pri\u{17f}private",
    ] {
        assert!(may_hold_key(raw), "{raw:?}");
    }
    for raw in [
        "",
        "v",
        "priv",
        "rivate",
        "privat",
        "IPv4 ----",
        "pr\u{131}vate",
        "Initiating IPv4 connection to 10.0.0.1:8305/tcp",
    ] {
        assert!(!may_hold_key(raw), "{raw:?}");
    }
    // What the regex this check replaced matched, it finds: every spelling of the word with each
    // letter in either case or as a Unicode look-alike that case-folds near it.
    let regex = regex::Regex::new(r"(?i)private|-{5}\s*B").unwrap();
    let odd = ['\u{130}', '\u{131}', '\u{17f}', '\u{212a}', '\u{ff30}', '\u{3c1}'];
    let mut spellings = vec![String::new()];
    for letter in "private".chars() {
        let forms: Vec<char> = [letter, letter.to_ascii_uppercase()].into_iter().chain(odd).collect();
        spellings = spellings.iter().flat_map(|s| forms.iter().map(move |c| format!("{s}{c}"))).collect();
    }
    assert_eq!(spellings.len(), 8usize.pow(7));
    for raw in spellings.iter().map(String::as_str).chain(["-----  B", "----- b", "x-----\tB"]) {
        assert!(may_hold_key(raw) || !regex.is_match(raw), "{raw:?}");
    }
}

fn block(lines: &[&str]) -> (Arc<TextBlock>, Vec<Range<usize>>) {
    let mut b = TextBlockBuilder::default();
    let places = lines.iter().map(|l| b.push(l)).collect();
    (Arc::new(b.build().numbered(7)), places)
}

#[test]
fn a_text_in_a_block_is_the_text_made_on_its_own() {
    let key = format!("sftunneld: -----BEGIN PRIVATE KEY----- {} -----END PRIVATE KEY-----", BODY[0]);
    let lines =
        ["Sep 20 00:00:00 FTD-lab SF-IMS[1]: [2] sftunneld:sf_ssl [ERROR] err 10:certificate has expired", &key, "é ü"];
    let (b, places) = block(&lines);
    assert!(!b.is_clean(), "one line may hold a key: each is checked on its own");
    for (line, place) in lines.iter().zip(places.clone()) {
        let made = EvidenceText::new(line);
        let apart = EvidenceText::apart(&b, place.clone());
        assert_eq!(EvidenceText::in_block(&b, place).as_str(), made.as_str());
        assert!(apart.is_none() || apart.as_ref() == Some(&made), "{line}");
    }
    assert!(!EvidenceText::in_block(&b, places[1].clone()).contains("MIIE"), "the key is removed");
    assert_eq!(EvidenceText::apart(&b, places[1].clone()).map(|t| t.block_seq()), Some(None), "made on its own");
    assert_eq!(EvidenceText::in_block(&b, places[0].clone()).block_seq(), Some(7), "a line without one stays");
    let (clean, places) = block(&lines[..1]);
    assert!(clean.is_clean());
    assert_eq!(EvidenceText::apart(&clean, places[0].clone()), None);
    assert_eq!(EvidenceText::in_block(&clean, places[0].clone()).block_seq(), Some(7));
}

#[test]
fn a_detached_text_keeps_its_characters_and_lets_its_block_go() {
    let (b, places) = block(&["first line", "second line"]);
    let mut t = EvidenceText::in_block(&b, places[1].clone());
    assert_eq!(Arc::strong_count(&b), 2);
    t.detach();
    assert_eq!(Arc::strong_count(&b), 1);
    assert_eq!((t.as_str(), t.block_seq()), ("second line", None));
}
