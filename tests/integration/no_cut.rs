//! No word is ever cut, in any view at any width from 40 to 200 columns: an address with its
//! port, a UUID, a path, a state or a command is printed whole (a table column holds its
//! longest word or the view becomes a list; text breaks between words only), and a line is
//! wider than the width only when it holds one word too long for any line.
//!
//! Each view of `samples/` is rendered in process at every width. A word cut in two shows as a
//! piece that is no word of the view: the words a view may print are those it prints at 10,000
//! columns (no wrapping), at 159 and 200 (its list layouts, with room), and the words of the
//! report's JSON.

use std::collections::HashSet;
use std::path::PathBuf;

use clap::CommandFactory;
use tlstriage::report::fleet::FleetView;
use tlstriage::report::term::Layout;
use tlstriage::report::{render, AnalyzeFormat, Export, FleetFormat, ListFormat, View};

/// Characters of table borders, never part of a word.
const BORDERS: &[char] = &['│', '┆', '─', '═', '╞', '╪', '╡', '┌', '┬', '┐', '└', '┴', '┘', '├', '┼', '┤', '╭', '╮'];

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || BORDERS.contains(&c)).filter(|w| !w.is_empty())
}

/// A word without the punctuation around it (`(192.168.45.10),` → `192.168.45.10`).
fn bare(w: &str) -> &str {
    w.trim_matches(|c: char| ",;:()[]{}.'\"`".contains(c))
}

fn json_words(v: &serde_json::Value, out: &mut HashSet<String>) {
    match v {
        serde_json::Value::String(s) => out.extend(words(s).map(|w| bare(w).to_string())),
        serde_json::Value::Number(n) => {
            out.insert(n.to_string());
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| json_words(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| json_words(x, out)),
        _ => {}
    }
}

fn columns(line: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(line)
}

/// Check `view` at every width from 40 to 200; `known` holds the words it may print besides
/// its own at 10,000, 159 and 200 columns.
fn check(name: &str, known: &HashSet<String>, view: &dyn Fn(usize) -> String) {
    let mut vocabulary = known.clone();
    for w in [10_000, 159, 200] {
        vocabulary.extend(words(&view(w)).map(|w| bare(w).to_string()));
    }
    for width in 40..=200 {
        let text = view(width);
        for line in text.lines() {
            for word in words(line) {
                let b = bare(word);
                assert!(b.is_empty() || vocabulary.contains(b), "{name} at {width}: `{word}` is a cut word: {line}");
            }
            let all: Vec<&str> = words(line).collect();
            let marker = all.len() == 2 && all[0].trim_end_matches('.').parse::<u32>().is_ok();
            assert!(
                columns(line) <= width || all.len() == 1 || marker || line.trim_start().starts_with("$ "),
                "{name} at {width}: {} columns: {line}",
                columns(line)
            );
        }
    }
}

fn options(paths: Vec<PathBuf>) -> tlstriage::analyze::Options {
    let mut o = tlstriage::analyze::Options::new(paths);
    o.year = Some(2026);
    o.now = "2026-11-23T00:00:00Z".parse().unwrap();
    o
}

#[test]
fn no_view_cuts_a_word_at_any_width() {
    let report = tlstriage::analyze::analyze(&options(vec![PathBuf::from("samples/")]));
    let doc: serde_json::Value = serde_json::from_str(&tlstriage::report::json_document(&report)).unwrap();
    let mut known = HashSet::new();
    json_words(&doc, &mut known);
    let at = |w: usize| View { layout: Layout::plain(w), ..View::new(&report) };
    check("analyze", &known, &|w| render(Export::Analysis(AnalyzeFormat::Table, &at(w))));
    check("analyze -v", &known, &|w| render(Export::Analysis(AnalyzeFormat::Table, &View { verbose: true, ..at(w) })));
    check("certs", &known, &|w| render(Export::Certs(ListFormat::Table, &at(w))));
    check("handshakes", &known, &|w| render(Export::Handshakes(ListFormat::Table, &at(w))));
    let mut cases: Vec<PathBuf> = std::fs::read_dir("samples/cases").unwrap().map(|e| e.unwrap().path()).collect();
    cases.sort();
    cases.push(PathBuf::from("samples/bundles"));
    let fleet = tlstriage::fleet::run(&cases, &options(Vec::new()));
    let fleet_doc = render(Export::Fleet(FleetFormat::Json, &FleetView { fleet: &fleet, layout: Layout::plain(120) }));
    let mut fleet_known = HashSet::new();
    json_words(&serde_json::from_str(&fleet_doc).unwrap(), &mut fleet_known);
    check("fleet", &fleet_known, &|w| {
        render(Export::Fleet(FleetFormat::Table, &FleetView { fleet: &fleet, layout: Layout::plain(w) }))
    });
    let none = HashSet::new();
    for kind in ["expired-ca", "cipher-mismatch", "all"] {
        check(&format!("explain {kind}"), &none, &|w| tlstriage::cli::explain::text(kind, w).unwrap());
    }
    let mut names = vec![None];
    names.extend(tlstriage::cli::Cli::command().get_subcommands().map(|s| Some(s.get_name().to_string())));
    for sub in names {
        let help = |w: usize| {
            let mut cmd = tlstriage::cli::Cli::command().term_width(w).max_term_width(w);
            let mut cmd = match &sub {
                Some(s) => cmd.find_subcommand_mut(s).unwrap().clone().term_width(w).max_term_width(w),
                None => cmd,
            };
            cmd.render_long_help().to_string()
        };
        check(&format!("help {}", sub.as_deref().unwrap_or("")), &none, &help);
    }
}
