//! `tlstriage fleet`: many top-level inputs (a bundle, or a folder of one case, each), each
//! analysed on its own and in parallel, summarised as one row per system, most urgent first.
//!
//! Each input is a stateless job (its path or bytes in, its rows out); rows of the same system
//! seen in several inputs are merged by system id ([`row::merge`]), in any order. The Python
//! package and its Dask runner call the same functions, task by task. The rows are written by
//! the fleet's exporters in `report::fleet`.

pub mod row;
pub mod systems;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use row::{merge, Fleet, InputRow, NextStep, RowState, SystemRow};

use crate::analyze::{analyze, analyze_bytes, Options};

/// Analyse one top-level input (`opts.paths` is replaced by it) into its fleet part.
pub fn analyze_input(path: &Path, opts: &Options) -> Fleet {
    let mut o = opts.clone();
    o.paths = vec![path.to_path_buf()];
    o.threads = None;
    o.progress = false;
    let report = analyze(&o);
    systems::fleet_of(&crate::model::DisplayPath::of_file(path), &report)
}

/// Analyse one input held in memory, named `name` (its path or URL), into its fleet part.
pub fn analyze_input_bytes(name: &str, data: &[u8], opts: &Options) -> Fleet {
    systems::fleet_of(name, &analyze_bytes(name, data, opts))
}

/// The whole fleet of `paths`, each analysed on its own, on `opts.threads` workers when set.
pub fn run(paths: &[PathBuf], opts: &Options) -> Fleet {
    let job = || merge(paths.par_iter().map(|p| analyze_input(p, opts)).collect::<Vec<_>>());
    match opts.threads.map(|n| rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build()) {
        Some(Ok(pool)) => pool.install(job),
        _ => job(),
    }
}
