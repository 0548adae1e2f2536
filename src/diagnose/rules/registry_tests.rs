//! The registry against every hand-written list of kinds: the JSON Schema's enum, the README's
//! table; and the registry's own consistency (names, verify codes, fallback entries).

use super::{About, Depth, Kind};
use crate::codes::VerifyCode;
use crate::model::Context;

fn names() -> Vec<&'static str> {
    Kind::ALL.iter().map(|k| k.as_str()).collect()
}

#[test]
fn schema_kind_enum_is_the_registry() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../../docs/schema.json")).expect("docs/schema.json is JSON");
    let listed: Vec<&str> = schema["$defs"]["kind"]["enum"]
        .as_array()
        .expect("the schema defines the kind enum")
        .iter()
        .map(|v| v.as_str().expect("kind names are strings"))
        .collect();
    assert_eq!(listed, names(), "docs/schema.json $defs.kind.enum must list the registry in its order");
}

#[test]
fn readme_table_is_the_registry() {
    let readme = include_str!("../../../README.md");
    let table = readme.split("## What it diagnoses").nth(1).expect("README has the kinds table");
    let table = table.split("\n\n").find(|p| p.trim_start().starts_with('|')).expect("a table");
    let mut listed: Vec<&str> = table
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .flat_map(|l| l.split(" |").next().unwrap_or("").split(" / "))
        .map(|n| n.trim_matches('`'))
        .collect();
    let mut known = names();
    listed.sort_unstable();
    known.sort_unstable();
    assert_eq!(listed, known, "README's table of kinds must name every kind once");
}

#[test]
fn names_are_unique_and_kebab_case() {
    let mut all = names();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), Kind::ALL.len());
    for n in names() {
        assert!(n.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{n}");
        assert_eq!(n.parse::<Kind>().map(Kind::as_str), Ok(n));
    }
}

#[test]
fn every_kind_has_a_fallback_entry_and_ids_are_unique_per_context() {
    for k in Kind::ALL {
        let rule = k.rule();
        assert!(rule.fix_for(Context::Generic).is_some(), "{k} has no fallback entry");
        let mut contexts: Vec<Option<Context>> = rule.fixes.iter().map(|f| f.context).collect();
        contexts.sort();
        contexts.dedup();
        assert_eq!(contexts.len(), rule.fixes.len(), "{k}: two entries for one context");
    }
}

#[test]
fn each_verify_code_has_one_kind_at_each_depth() {
    for code in (0..=80).map(VerifyCode) {
        for depth in [Some(0), Some(1), None] {
            let claims = Kind::ALL.iter().filter(|k| k.rule().verify.as_ref().is_some_and(|v| v.matches(code, depth)));
            assert!(claims.count() <= 1, "code {} at {depth:?} is claimed twice", code.0);
        }
    }
    assert_eq!(Kind::for_verify_code(VerifyCode::CERT_HAS_EXPIRED, Some(2)), Kind::ExpiredCa);
    assert_eq!(Kind::for_verify_code(VerifyCode::CERT_HAS_EXPIRED, None), Kind::ExpiredCert);
    assert_eq!(Kind::for_verify_code(VerifyCode::CERT_REVOKED, Some(0)), Kind::VerifyFailed);
}

#[test]
fn verify_kinds_are_chain_verdicts() {
    for k in Kind::ALL {
        let rule = k.rule();
        if let Some(v) = &rule.verify {
            assert!(k.is_chain_verdict(), "{k} comes from verify codes but is not a chain verdict");
            assert!(v.depth != Depth::Ca || rule.about == About::CertificateTrust);
        }
    }
}
