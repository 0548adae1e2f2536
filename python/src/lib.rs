//! `tlstriage._native`: the analysis of the `tlstriage` crate for Python (PyO3). Every call
//! releases the GIL while it reads and classifies; results cross over as the JSON text the CLI
//! prints, which the Python side (`tlstriage/__init__.py`) turns into dicts, so the Python API and
//! `--format json` cannot drift apart.

use std::path::{Path, PathBuf};

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;

use tlstriage::analyze::{analyze, analyze_bytes, Options};
use tlstriage::fleet::{self, Fleet};
use tlstriage::report::fleet::FleetView;
use tlstriage::report::term::{Layout, DEFAULT_WIDTH};
use tlstriage::report::{Export, FleetFormat};

/// An `OSError` (its subclass by errno, e.g. `FileNotFoundError`) naming `path`.
fn os_error(path: &Path, e: &std::io::Error) -> PyErr {
    PyOSError::new_err((e.raw_os_error().unwrap_or(0), e.to_string(), path.display().to_string()))
}

/// Analysis settings; every named path must exist (the error names the one that does not).
fn options(paths: Vec<PathBuf>, now: Option<&str>, year: Option<i16>, ca: Vec<PathBuf>) -> PyResult<Options> {
    for p in paths.iter().chain(&ca) {
        std::fs::metadata(p).map_err(|e| os_error(p, &e))?;
    }
    let mut o = Options::new(paths);
    o.year = year;
    o.ca_files = ca;
    if let Some(n) = now {
        o.now = tlstriage::cli::parse_now(n).map_err(PyValueError::new_err)?;
    }
    Ok(o)
}

fn json_error(e: serde_json::Error) -> PyErr {
    PyValueError::new_err(format!("not a fleet document: {e}"))
}

/// The `--format json` document of `paths`, as text.
#[pyfunction]
#[pyo3(signature = (paths, now=None, year=None, ca=Vec::new()))]
fn analyze_json(py: Python<'_>, paths: Vec<PathBuf>, now: Option<&str>, year: Option<i16>, ca: Vec<PathBuf>) -> PyResult<String> {
    let o = options(paths, now, year, ca)?;
    Ok(py.allow_threads(|| tlstriage::report::json_document(&analyze(&o))))
}

/// The `--format json` document of bytes named `name`, as text; no file is written.
#[pyfunction]
#[pyo3(signature = (name, data, now=None, year=None, ca=Vec::new()))]
fn analyze_bytes_json(
    py: Python<'_>,
    name: &str,
    data: &[u8],
    now: Option<&str>,
    year: Option<i16>,
    ca: Vec<PathBuf>,
) -> PyResult<String> {
    let o = options(Vec::new(), now, year, ca)?;
    Ok(py.allow_threads(|| tlstriage::report::json_document(&analyze_bytes(name, data, &o))))
}

/// What a finding kind means and how to fix it (`all`: one entry per kind), wrapped to `width`
/// as `tlstriage explain --width N` prints it (`None`: not wrapped).
#[pyfunction]
#[pyo3(signature = (kind, width=None))]
fn explain(kind: &str, width: Option<usize>) -> PyResult<String> {
    tlstriage::cli::explain::text(kind, width.unwrap_or(UNWRAPPED)).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// A width no line of `explain` reaches: the text as written.
const UNWRAPPED: usize = 1 << 20;

/// The fleet part (`{"systems", "inputs"}`) of one top-level input on disk, as JSON text.
#[pyfunction]
#[pyo3(signature = (path, now=None, year=None, ca=Vec::new()))]
fn fleet_part_json(py: Python<'_>, path: PathBuf, now: Option<&str>, year: Option<i16>, ca: Vec<PathBuf>) -> PyResult<String> {
    let o = options(vec![path.clone()], now, year, ca)?;
    let part = py.allow_threads(|| fleet::analyze_input(&path, &o));
    serde_json::to_string(&part).map_err(json_error)
}

/// The fleet part of one input held in memory, named `name` (its path or URL), as JSON text.
#[pyfunction]
#[pyo3(signature = (name, data, now=None, year=None, ca=Vec::new()))]
fn fleet_part_bytes_json(
    py: Python<'_>,
    name: &str,
    data: &[u8],
    now: Option<&str>,
    year: Option<i16>,
    ca: Vec<PathBuf>,
) -> PyResult<String> {
    let o = options(Vec::new(), now, year, ca)?;
    let part = py.allow_threads(|| fleet::analyze_input_bytes(name, data, &o));
    serde_json::to_string(&part).map_err(json_error)
}

/// The fleet part of an input that could not be fetched at all (a failed download).
#[pyfunction]
fn fleet_error_part_json(name: &str, message: &str) -> PyResult<String> {
    let part = Fleet {
        systems: vec![fleet::systems::error_row(name, message)],
        inputs: vec![fleet::InputRow {
            path: name.into(),
            status: "error".into(),
            systems: 0,
            findings: 0,
            message: Some(message.into()),
        }],
    };
    serde_json::to_string(&part).map_err(json_error)
}

/// Merge fleet parts (JSON texts) by system id into one fleet, sorted by urgency.
#[pyfunction]
fn merge_fleet_json(py: Python<'_>, parts: Vec<String>) -> PyResult<String> {
    let parsed: Vec<Fleet> = parts.iter().map(|p| serde_json::from_str(p)).collect::<Result<_, _>>().map_err(json_error)?;
    let merged = py.allow_threads(|| fleet::merge(parsed));
    serde_json::to_string(&merged).map_err(json_error)
}

/// Render a fleet document (JSON text) as `table`, `json`, `jsonl` or `csv`; the table `width`
/// columns wide (default 120), never coloured.
#[pyfunction]
#[pyo3(signature = (doc, format="table", width=None))]
fn render_fleet(doc: &str, format: &str, width: Option<usize>) -> PyResult<String> {
    let f = match format {
        "table" => FleetFormat::Table,
        "json" => FleetFormat::Json,
        "jsonl" => FleetFormat::Jsonl,
        "csv" => FleetFormat::Csv,
        other => return Err(PyValueError::new_err(format!("unknown fleet format '{other}' (table, json, jsonl, csv)"))),
    };
    let fleet: Fleet = serde_json::from_str(doc).map_err(json_error)?;
    let shown = FleetView { fleet: &fleet, layout: Layout::plain(width.unwrap_or(DEFAULT_WIDTH)) };
    Ok(tlstriage::report::render(Export::Fleet(f, &shown)))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(analyze_json, m)?)?;
    m.add_function(wrap_pyfunction!(analyze_bytes_json, m)?)?;
    m.add_function(wrap_pyfunction!(explain, m)?)?;
    m.add_function(wrap_pyfunction!(fleet_part_json, m)?)?;
    m.add_function(wrap_pyfunction!(fleet_part_bytes_json, m)?)?;
    m.add_function(wrap_pyfunction!(fleet_error_part_json, m)?)?;
    m.add_function(wrap_pyfunction!(merge_fleet_json, m)?)?;
    m.add_function(wrap_pyfunction!(render_fleet, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
