//! The modules inside each top-level module of `src/`, and which of them uses which: for every
//! module with children, a [`Graph`] of its children (a child uses a sibling when it, or anything
//! below it, names the sibling or something in it). A name the parent re-exports (`pub use
//! child::Item`) counts as the child it comes from; an item of the parent's own file is no
//! child. Paths are read from `use` trees and from `crate::`, `super::` and `self::` paths in code
//! (comments and strings are not read), inside inline modules (`mod tests { use super::*; }`)
//! as well; a `#[path]` file is the module that declares it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::module_graph::{rust_files, Graph};
use super::rust_tokens::{is_pub_before, simple_path, tokens, use_trees, Token};

/// A module by its path from the crate root (`["diagnose", "rules", "finding"]`).
type ModPath = Vec<String>;

/// Every module with children: its path joined by `::`, and the graph of its children.
pub fn read(src: &Path) -> BTreeMap<String, Graph> {
    let files = module_files(src);
    let modules: BTreeSet<ModPath> = files.values().flat_map(|m| (1..=m.len()).map(|n| m[..n].to_vec())).collect();
    let mut reexports: BTreeMap<(ModPath, String), ModPath> = BTreeMap::new();
    let mut refs: Vec<(ModPath, ModPath, String)> = Vec::new();
    for (file, module) in &files {
        let text = std::fs::read_to_string(file).expect("source is UTF-8");
        let rel = file.strip_prefix(src).expect("under src").display().to_string();
        for r in references(&text, module, &modules) {
            if r.public_use && r.depth == 0 {
                if let Some(name) = &r.binding {
                    reexports.insert((r.context.clone(), name.clone()), r.target.clone());
                }
            }
            refs.push((r.context, r.target, format!("src/{rel}:{}", r.line)));
        }
    }
    let mut out: BTreeMap<String, Graph> = BTreeMap::new();
    for (from, to, place) in refs {
        if let Some((parent, child, sibling)) = edge(&from, to, &modules, &reexports) {
            let graph = out.entry(parent.join("::")).or_default();
            graph.entry(child).or_default().entry(sibling).or_insert(place);
        }
    }
    out
}

/// Which sibling a path named in module `from` leads to: `(parent, from's child of it, the
/// sibling)`, below the level where the two paths part (only inside one top-level module). A
/// name the common ancestor re-exports (`diagnose::Finding`) leads where it comes from
/// (`diagnose::rules::finding`); a name a sibling re-exports is that sibling's; an item of the
/// ancestor's own file is no sibling.
fn edge(
    from: &ModPath,
    mut to: ModPath,
    modules: &BTreeSet<ModPath>,
    reexports: &BTreeMap<(ModPath, String), ModPath>,
) -> Option<(ModPath, String, String)> {
    if from.is_empty() || from.first() != to.first() {
        return None;
    }
    for _ in 0..16 {
        let at = (1..from.len().min(to.len())).find(|&n| from[n] != to[n])?;
        if modules.contains(&to[..=at].to_vec()) {
            return Some((from[..at].to_vec(), from[at].clone(), to[at].clone()));
        }
        let target = reexports.get(&(to[..at].to_vec(), to[at].clone()))?;
        if target[..] == to[..=at] {
            return None;
        }
        to = target.iter().cloned().chain(to[at + 1..].iter().cloned()).collect();
    }
    None
}

/// Every `.rs` file under `src` with the module it is: by its place, or by the `#[path]` of the
/// module that declares it.
fn module_files(src: &Path) -> BTreeMap<PathBuf, ModPath> {
    let mut files = BTreeMap::new();
    for path in rust_files(src) {
        let rel = path.strip_prefix(src).expect("under src").with_extension("");
        let mut m: ModPath = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        if m.last().is_some_and(|l| l == "mod") || m == ["lib"] || m == ["main"] {
            m.pop();
        }
        files.insert(path, m);
    }
    let declared: Vec<(PathBuf, ModPath)> = files
        .iter()
        .flat_map(|(file, module)| {
            let text = std::fs::read_to_string(file).expect("source is UTF-8");
            let dir = file.parent().expect("a folder").to_path_buf();
            path_attributes(&text).into_iter().map(move |(at, name)| {
                let mut m = module.clone();
                m.push(name);
                (dir.join(at), m)
            })
        })
        .collect();
    for (file, module) in declared {
        files.insert(file, module);
    }
    files
}

/// `#[path = "x.rs"] mod name;` declarations: (the path, the module's name).
fn path_attributes(text: &str) -> Vec<(String, String)> {
    let toks: Vec<Token> = tokens(text).into_iter().map(|(t, _)| t).collect();
    let mut out = Vec::new();
    for (i, w) in toks.windows(5).enumerate() {
        if let [Token::Ident(p), Token::Punct('='), Token::Str(at), Token::Punct(']'), _] = w {
            if p != "path" {
                continue;
            }
            // The next `mod NAME` after the attribute (other attributes may come between).
            let rest = &toks[i + 4..];
            let name = rest.windows(2).take(16).find_map(|w| match w {
                [Token::Ident(m), Token::Ident(n)] if m == "mod" => Some(n.clone()),
                _ => None,
            });
            out.extend(name.map(|n| (at.clone(), n)));
        }
    }
    out
}

/// One path a module names.
struct Reference {
    /// The module it is named in (inline modules included).
    context: ModPath,
    target: ModPath,
    /// The name a `use` binds it to (none for a glob).
    binding: Option<String>,
    public_use: bool,
    /// How deep in braces below its module's items it stands (0: an item of the module).
    depth: usize,
    line: usize,
}

/// The paths of a file that is module `module`.
fn references(text: &str, module: &ModPath, modules: &BTreeSet<ModPath>) -> Vec<Reference> {
    let toks = tokens(text);
    let mut out = Vec::new();
    // Inline modules: (name, the brace depth of their body).
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth: usize = 0;
    let mut i = 0;
    while i < toks.len() {
        let context: ModPath = module.iter().cloned().chain(inline.iter().map(|(n, _)| n.clone())).collect();
        let item_depth = depth.saturating_sub(inline.last().map_or(0, |(_, d)| *d));
        match &toks[i].0 {
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
            }
            Token::Ident(m) if m == "mod" => {
                if let (Some((Token::Ident(name), _)), Some((Token::Punct('{'), _))) =
                    (toks.get(i + 1), toks.get(i + 2))
                {
                    inline.push((name.clone(), depth + 1));
                }
            }
            Token::Ident(u) if u == "use" => {
                let public = i > 0 && is_pub_before(&toks, i);
                let (trees, end) = use_trees(&toks, i + 1);
                for (path, binding) in trees {
                    if let Some(target) = resolve(&path, &context, modules) {
                        let line = toks[i].1;
                        out.push(Reference {
                            context: context.clone(),
                            target,
                            binding,
                            public_use: public,
                            depth: item_depth,
                            line,
                        });
                    }
                }
                i = end;
                continue;
            }
            Token::Ident(head) if ["crate", "super", "self"].contains(&head.as_str()) => {
                let (path, end) = simple_path(&toks, i);
                if let Some(target) = resolve(&path, &context, modules) {
                    let line = toks[i].1;
                    out.push(Reference { context, target, binding: None, public_use: false, depth: item_depth, line });
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// A path named in `context` as a path from the crate root; `None` for another crate's.
fn resolve(path: &[String], context: &ModPath, modules: &BTreeSet<ModPath>) -> Option<ModPath> {
    let (mut base, mut rest): (ModPath, &[String]) = match path.first()?.as_str() {
        "crate" => (Vec::new(), &path[1..]),
        "self" => (context.clone(), &path[1..]),
        "super" => (context.clone(), path),
        first => {
            let child: ModPath = context.iter().cloned().chain([first.to_string()]).collect();
            if !modules.contains(&child) {
                return None;
            }
            (context.clone(), path)
        }
    };
    while rest.first().is_some_and(|s| s == "super") {
        base.pop()?;
        rest = &rest[1..];
    }
    Some(base.into_iter().chain(rest.iter().filter(|s| *s != "self").cloned()).collect())
}
