//! The layering of `src/`: no cycle between top-level modules, and no module naming one of its
//! own row or a higher one of the table below (the same table is in `docs/design.md`); and no
//! cycle between the modules inside a top-level module, at any depth.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::module_graph::{self, crate_uses, cycles, inner_problems, problems, Graph};
use crate::common::module_tree;

/// Lowest first; a module may use modules of lower rows only.
const LAYERS: &[&[&str]] = &[
    &["codes", "util", "wording"],
    &["model"],
    &["firepower"],
    &["tls", "x509"],
    &["capture", "logs"],
    &["diagnose"],
    &["systems"],
    &["remedy"],
    &["input", "progress"],
    &["analyze"],
    &["plan", "baseline", "appliance", "watch"],
    &["fleet"],
    &["report"],
    &["cli", "fuzzing"],
];

/// Edges allowed against the table for a while, each as `(from, to, why and who removes it)`.
/// None today. An exception that no longer occurs fails the check, so none outlives its edge.
const EXCEPTIONS: &[(&str, &str, &str)] = &[];

/// Edges inside a module allowed in a cycle for a while, each as `(module, from, to, why and who
/// removes it)`. None today. An exception that no longer occurs fails the check.
const INNER_EXCEPTIONS: &[(&str, &str, &str, &str)] = &[];

fn src() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_cycle_inside_a_top_level_module() {
    let graphs = module_tree::read(&src());
    assert!(graphs.contains_key("diagnose::rules"), "the modules inside were read: {:?}", graphs.keys());
    let found = inner_problems(&graphs, INNER_EXCEPTIONS);
    assert!(found.is_empty(), "cycles inside modules:\n{}", found.join("\n"));
}

#[test]
fn the_inner_checker_names_a_cycle_and_a_stale_exception() {
    let mut graphs = BTreeMap::new();
    graphs.insert("top::inner".to_string(), graph(&[("a", "b"), ("b", "a"), ("c", "a")]));
    assert_eq!(inner_problems(&graphs, &[]), ["module cycle inside `top::inner`: a, b"]);
    assert!(inner_problems(&graphs, &[("top::inner", "b", "a", "moving")]).is_empty());
    assert_eq!(
        inner_problems(&graphs, &[("top::inner", "b", "a", "moving"), ("top::inner", "c", "b", "gone")]),
        ["the exception `c` → `b` inside `top::inner` (gone) no longer occurs: remove it from the table"]
    );
}

#[test]
fn the_inner_reader_follows_super_reexports_and_inline_modules() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("lib.rs", "mod top;\n");
    // `top` re-exports `Item` of `a`; `b` names it through `top`, `a` names `b` by `super::`.
    write(
        "top/mod.rs",
        "mod a;\nmod b;\n#[cfg(test)]\n#[path = \"a_tests.rs\"]\nmod a_tests_elsewhere;\npub use a::Item;\n",
    );
    write("top/a.rs", "use super::b::helper;\npub struct Item;\nmod tests { use super::super::b::other; }\n");
    write("top/b.rs", "pub fn helper() { let _ = crate::top::Item; }\n// crate::top::c is a comment\n");
    write("top/a_tests.rs", "use crate::top::b;\n");
    let graphs = module_tree::read(dir.path());
    let top = &graphs["top"];
    let edges: Vec<(&str, &str)> =
        top.iter().flat_map(|(f, e)| e.keys().map(move |t| (f.as_str(), t.as_str()))).collect();
    assert_eq!(edges, [("a", "b"), ("a_tests_elsewhere", "b"), ("b", "a")]);
    assert_eq!(cycles(top), vec![vec!["a", "b"]]);
}

#[test]
fn top_level_modules_follow_the_layer_table() {
    let graph = module_graph::read(&src());
    assert!(graph.len() > 10, "the graph of src/ was read: {:?}", graph.keys());
    let found = problems(&graph, LAYERS, EXCEPTIONS);
    assert!(found.is_empty(), "layering problems:\n{}", found.join("\n"));
}

/// A graph from `(from, to)` edges.
fn graph(edges: &[(&str, &str)]) -> Graph {
    let mut g = Graph::new();
    for (from, to) in edges {
        g.entry(from.to_string()).or_default().insert(to.to_string(), format!("src/{from}.rs:1"));
    }
    g
}

#[test]
fn the_checker_names_a_cycle() {
    let g = graph(&[("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("e", "f"), ("f", "e")]);
    assert_eq!(cycles(&g), vec![vec!["a", "b", "c"], vec!["e", "f"]]);
    let found = problems(&g, &[&["d"], &["a", "b", "c"], &["e", "f"]], &[]);
    assert!(found.contains(&"module cycle among: a, b, c".to_string()), "{found:?}");
    assert!(found.contains(&"module cycle among: e, f".to_string()), "{found:?}");
    assert!(cycles(&graph(&[("a", "b"), ("b", "c")])).is_empty());
}

#[test]
fn the_checker_refuses_upward_and_sideways_edges_and_unknown_modules() {
    let g = graph(&[("low", "high"), ("high", "low"), ("x", "y"), ("new", "low")]);
    let layers: &[&[&str]] = &[&["low"], &["high"], &["x", "y"]];
    let found = problems(&g, layers, &[]);
    assert_eq!(
        found,
        vec![
            "module cycle among: high, low".to_string(),
            "`low` (row 0) uses `high` (row 1) at src/low.rs:1: a module may use lower rows only".to_string(),
            "module `new` is not in the layer table".to_string(),
            "`x` (row 2) uses `y` (row 2) at src/x.rs:1: a module may use lower rows only".to_string(),
        ]
    );
}

#[test]
fn an_exception_allows_its_edge_until_the_edge_is_gone() {
    let g = graph(&[("low", "high"), ("high", "low")]);
    let layers: &[&[&str]] = &[&["low"], &["high"]];
    assert!(problems(&g, layers, &[("low", "high", "being moved")]).is_empty());
    let stale = problems(&graph(&[("high", "low")]), layers, &[("low", "high", "being moved")]);
    assert_eq!(stale, vec!["the exception `low` → `high` (being moved) no longer occurs: remove it from the table"]);
}

#[test]
fn uses_are_read_from_paths_and_groups() {
    let text = "use crate::model::{Attempt, Fact};\nuse crate::{codes, util::{printable, quote}, self};\n\
                fn f() { crate::diagnose::classify(); }\nmacro_rules! m { () => { $crate::report::x() } }\n\
                use super::inner; // not an edge\n";
    let names: Vec<(String, usize)> = crate_uses(text);
    let names: Vec<(&str, usize)> = names.iter().map(|(n, l)| (n.as_str(), *l)).collect();
    assert_eq!(names, vec![("model", 1), ("codes", 2), ("util", 2), ("diagnose", 3)]);
}
