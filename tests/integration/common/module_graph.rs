//! The top-level module graph of `src/`: which top-level module names which other one through
//! `crate::x` or `crate::{x, y::z}` paths (comments and doc links included: a doc link to a higher
//! module is a dependency of the docs). `super::` paths stay inside a module and are not edges.
//! Also the checks on such a graph: its cycles, and edges that go up a layer table.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// `from → to → first place (file:line) where from names to`.
pub type Graph = BTreeMap<String, BTreeMap<String, String>>;

/// The graph of the crate under `src`: every `.rs` file belongs to the top-level module of its
/// first path component (`src/x.rs`, `src/x/...`); `lib.rs` and `main.rs` are the root.
pub fn read(src: &Path) -> Graph {
    let mut graph = Graph::new();
    for path in rust_files(src) {
        let rel = path.strip_prefix(src).expect("under src");
        let first = rel.components().next().expect("a component").as_os_str().to_string_lossy();
        let top = first.trim_end_matches(".rs").to_string();
        if top == "lib" || top == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("source is UTF-8");
        let node = graph.entry(top.clone()).or_default();
        for (to, line) in crate_uses(&text) {
            if to != top {
                node.entry(to).or_insert_with(|| format!("src/{}:{line}", rel.display()));
            }
        }
    }
    graph
}

/// Every `.rs` file under `src`.
pub fn rust_files(src: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src is readable") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out
}

/// The top-level modules a source text names, each with the line it is named on.
pub fn crate_uses(text: &str) -> Vec<(String, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(off) = text[at..].find("crate::") {
        let start = at + off;
        at = start + "crate::".len();
        let before = start.checked_sub(1).map(|i| bytes[i]);
        if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$') {
            continue; // `$crate::` of a macro, or a longer name ending in `crate`
        }
        let line = text[..start].matches('\n').count() + 1;
        if bytes.get(at) == Some(&b'{') {
            for name in group_heads(&text[at + 1..]) {
                out.push((name, line));
            }
        } else if let Some(name) = ident(&text[at..]) {
            out.push((name.to_string(), line));
        }
    }
    out
}

/// The first names of the items of a `{...}` group (the text after its `{`), nested groups
/// skipped: `a, b::{c, d}, self}` → `a`, `b`.
fn group_heads(text: &str) -> Vec<String> {
    let mut heads = Vec::new();
    let (mut depth, mut item_start) = (0usize, true);
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => item_start = true,
            c if item_start && depth == 0 && !c.is_whitespace() => {
                item_start = false;
                if let Some(name) = ident(&text[i..]).filter(|n| *n != "self") {
                    heads.push(name.to_string());
                }
            }
            _ => {}
        }
    }
    heads
}

fn ident(text: &str) -> Option<&str> {
    let end = text.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(text.len());
    (end > 0).then(|| &text[..end])
}

/// The strongly connected components of more than one module, each sorted (Tarjan's algorithm).
pub fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph.get(v).into_iter().flat_map(|e| e.keys()) {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut scc = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                scc.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if scc.len() > 1 {
                scc.sort();
                s.found.push(scc);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    let nodes: BTreeSet<&str> =
        graph.keys().map(String::as_str).chain(graph.values().flat_map(|e| e.keys().map(String::as_str))).collect();
    for v in nodes {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.found.sort();
    s.found
}

/// What is wrong with `graph` against `layers` (lowest row first; a module may name modules of
/// lower rows only), allowing the edges of `exceptions` (left out of the cycle search too): one
/// line per problem. Modules missing
/// from the table and exceptions that no longer occur are problems too.
pub fn problems(graph: &Graph, layers: &[&[&str]], exceptions: &[(&str, &str, &str)]) -> Vec<String> {
    let row_of = |m: &str| layers.iter().position(|row| row.contains(&m));
    let mut out = Vec::new();
    let mut kept = graph.clone();
    for (from, to, _) in exceptions {
        if let Some(edges) = kept.get_mut(*from) {
            edges.remove(*to);
        }
    }
    for scc in cycles(&kept) {
        out.push(format!("module cycle among: {}", scc.join(", ")));
    }
    for (from, edges) in graph {
        let Some(from_row) = row_of(from) else {
            out.push(format!("module `{from}` is not in the layer table"));
            continue;
        };
        for (to, place) in edges {
            let excepted = exceptions.iter().any(|(a, b, _)| a == from && b == to);
            match row_of(to) {
                None => out.push(format!("module `{to}` (named by `{from}` at {place}) is not in the layer table")),
                Some(to_row) if to_row >= from_row && !excepted => out.push(format!(
                    "`{from}` (row {from_row}) uses `{to}` (row {to_row}) at {place}: a module may use lower rows only"
                )),
                _ => {}
            }
        }
    }
    for (from, to, why) in exceptions {
        if !graph.get(*from).is_some_and(|e| e.contains_key(*to)) {
            out.push(format!("the exception `{from}` → `{to}` ({why}) no longer occurs: remove it from the table"));
        }
    }
    out
}

/// What is wrong inside the modules of `graphs` (module path → the graph of its children):
/// a cycle among the children of one module, unless `exceptions` (`(module, from, to, why)`)
/// break it; an exception that no longer occurs is a problem too.
pub fn inner_problems(graphs: &BTreeMap<String, Graph>, exceptions: &[(&str, &str, &str, &str)]) -> Vec<String> {
    let mut out = Vec::new();
    for (module, graph) in graphs {
        let mut kept = graph.clone();
        for (m, from, to, _) in exceptions.iter().filter(|e| e.0 == module) {
            debug_assert_eq!(m, module);
            if let Some(edges) = kept.get_mut(*from) {
                edges.remove(*to);
            }
        }
        for scc in cycles(&kept) {
            out.push(format!("module cycle inside `{module}`: {}", scc.join(", ")));
        }
    }
    for (module, from, to, why) in exceptions {
        if !graphs.get(*module).and_then(|g| g.get(*from)).is_some_and(|e| e.contains_key(*to)) {
            out.push(format!(
                "the exception `{from}` → `{to}` inside `{module}` ({why}) no longer occurs: remove it from the table"
            ));
        }
    }
    out
}
