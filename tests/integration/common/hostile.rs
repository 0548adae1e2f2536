//! Helpers of the hostile-input suite: a reference input whose findings must not change, a
//! seeded random generator, library and subprocess runs (the latter with their peak memory).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;
use tlstriage::analyze::{analyze, Options, Report};
use tlstriage::model::InputStatus;

/// The fixed "today" of every run (as in the CLI tests).
pub const NOW: &str = "2026-11-23T00:00:00Z";

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `samples/`, sorted, relative to the repository root.
pub fn sample_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join("samples"), &mut out);
    out.into_iter().map(|p| p.strip_prefix(root()).unwrap().to_path_buf()).collect()
}

/// Copy the directory `from` to `to` (created).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

/// The untouched reference input: a copy of `samples/logs` and of one capture, in a directory
/// that lives as long as the test binary.
pub struct Reference {
    pub dir: PathBuf,
    /// Its findings when analysed alone.
    pub alone: Vec<String>,
}

pub fn reference() -> &'static Reference {
    static REF: OnceLock<(tempfile::TempDir, Reference)> = OnceLock::new();
    &REF.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("reference");
        copy_dir(&root().join("samples/logs"), &dir.join("logs"));
        std::fs::copy(root().join("samples/captures/unknown-ca.pcap"), dir.join("unknown-ca.pcap")).unwrap();
        let report = run_lib(std::slice::from_ref(&dir));
        let alone = signature(&findings_json(&report), &dir);
        assert_eq!(alone.len(), 14, "the reference's own findings: {alone:#?}");
        (tmp, Reference { dir, alone })
    })
    .1
}

/// Analyse `paths` in-process with the fixed year and date.
pub fn run_lib(paths: &[PathBuf]) -> Report {
    let mut opts = Options::new(paths.to_vec());
    opts.year = Some(2026);
    opts.now = NOW.parse().unwrap();
    analyze(&opts)
}

/// The findings of a report as JSON (the same shape as `--format json`).
pub fn findings_json(r: &Report) -> Value {
    serde_json::to_value(&r.findings).unwrap()
}

/// What the reference contributes to `findings`: one line per finding that has a source under
/// `dir`, with its kind, peer and the per-source counts of those sources (paths made relative).
pub fn signature(findings: &Value, dir: &Path) -> Vec<String> {
    let dir = dir.display().to_string();
    let mut out = Vec::new();
    for f in findings.as_array().unwrap() {
        let sources: Vec<&Value> = f["sources"].as_array().map(|s| s.iter().collect()).unwrap_or_default();
        let mut mine: Vec<String> = sources
            .iter()
            .filter_map(|s| {
                let p = s["path"].as_str()?;
                let rel = p.strip_prefix(&dir)?;
                Some(format!("{rel}={}", s["count"]))
            })
            .collect();
        if sources.is_empty() {
            // An unfolded finding: its evidence paths, with the finding's count.
            let mut paths: Vec<&str> = f["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|e| e["path"].as_str()?.strip_prefix(&dir))
                .collect();
            paths.dedup();
            mine = paths.iter().map(|p| format!("{p}={}", f["count"])).collect();
        }
        if mine.is_empty() {
            continue;
        }
        mine.sort();
        out.push(format!("{} {} {}", f["kind"].as_str().unwrap(), f["peer"].as_str().unwrap_or("-"), mine.join(",")));
    }
    out.sort();
    out
}

/// Assert that the reference's findings in `findings` are those it has alone. The reference is
/// given before the hostile input: where that input holds a copy of one of its files, the copy is
/// the duplicate counted once (`docs/json.md`), and the reference keeps its findings.
pub fn assert_reference_unchanged(findings: &Value, what: &str) {
    let r = reference();
    assert_eq!(signature(findings, &r.dir), r.alone, "the reference's findings changed beside {what}");
}

/// The status line of `path` in `inputs`.
pub fn status_of<'a>(inputs: &'a [InputStatus], path: &Path) -> &'a InputStatus {
    let p = path.display().to_string();
    inputs.iter().find(|i| i.path == p).unwrap_or_else(|| panic!("{p} not among the inputs: {inputs:#?}"))
}

/// A tiny xorshift generator: the same bytes on every run.
pub struct XorShift(pub u64);

impl XorShift {
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut v = Vec::with_capacity(n + 8);
        while v.len() < n {
            v.extend_from_slice(&self.next_u64().to_le_bytes());
        }
        v.truncate(n);
        v
    }
}

/// A finished subprocess run of the debug binary.
pub struct Proc {
    pub code: i32,
    pub json: Value,
    pub stderr: String,
    /// Peak resident set size of the process, in MiB (`ru_maxrss` from `wait4`).
    pub peak_mib: u64,
}

/// Run `tlstriage analyze --format json` on `paths` as a child process and measure its peak RSS.
pub fn run_bin(paths: &[&Path]) -> Proc {
    let m = measure(&["analyze", "--format", "json"], paths);
    let json = serde_json::from_str(&m.stdout).unwrap_or_else(|e| panic!("not JSON ({e}); stderr: {}", m.stderr));
    Proc { code: m.code, json, stderr: m.stderr, peak_mib: m.peak_mib }
}

/// A finished subprocess run with its output as text.
pub struct Measured {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// Peak resident set size, in MiB.
    pub peak_mib: u64,
    /// Peak resident set size, in KiB.
    pub peak_kib: u64,
    /// Wall time from start to exit.
    pub wall: std::time::Duration,
    /// Stopped at the time limit of [`measure_within`] (then `code` is -1).
    pub stopped: bool,
}

/// Run `tlstriage ARGS --year 2026 --now 2026-11-23 PATHS` as a child process and measure its
/// peak RSS: its `VmHWM` (`/proc/<pid>/status`), read every 5 ms while it runs. The `ru_maxrss`
/// that `wait4` gives also counts this test process, whose pages the child shares until it
/// executes the binary (Linux keeps that mark across `exec`): in a test binary grown by the
/// tests before, it hid what the child itself took. Only a child gone before the first reading
/// falls back to `ru_maxrss`, an upper bound.
pub fn measure(args: &[&str], paths: &[&Path]) -> Measured {
    measure_within(args, paths, None)
}

/// [`measure`], stopping the child with SIGKILL once it has run for `limit`.
pub fn measure_within(args: &[&str], paths: &[&Path], limit: Option<std::time::Duration>) -> Measured {
    use std::io::Read;
    let out_file = tempfile::NamedTempFile::new().unwrap();
    let err_file = tempfile::NamedTempFile::new().unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_tlstriage"));
    cmd.args(args)
        .args(["--year", "2026", "--now", "2026-11-23"])
        .args(paths)
        .stdout(out_file.reopen().unwrap())
        .stderr(err_file.reopen().unwrap());
    let start = std::time::Instant::now();
    // Reaped below by `wait4`, which also gives its resource usage.
    #[allow(clippy::zombie_processes)]
    let child = cmd.spawn().unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: plain libc calls on our own child; the rusage struct is fully written by the kernel.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut stopped = false;
    let mut hwm_kib: Option<u64> = None;
    let waited = loop {
        if let Some(kib) = std::fs::read_to_string(format!("/proc/{pid}/status")).ok().as_deref().and_then(vm_hwm_kib) {
            hwm_kib = Some(hwm_kib.unwrap_or(0).max(kib));
        }
        let w = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if w != 0 {
            break w;
        }
        if limit.is_some_and(|l| start.elapsed() >= l) && !stopped {
            stopped = true;
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let wall = start.elapsed();
    assert_eq!(waited, pid, "wait4 failed");
    assert!(stopped || libc::WIFEXITED(status), "the binary did not exit normally (signal?): status {status}");
    let code = if stopped { -1 } else { libc::WEXITSTATUS(status) };
    let mut stdout = String::new();
    out_file.reopen().unwrap().read_to_string(&mut stdout).unwrap();
    let mut stderr = String::new();
    err_file.reopen().unwrap().read_to_string(&mut stderr).unwrap();
    let peak_kib = hwm_kib.unwrap_or(usage.ru_maxrss as u64);
    Measured { code, stdout, stderr, peak_mib: peak_kib / 1024, peak_kib, wall, stopped }
}

/// The `VmHWM` line of a `/proc/<pid>/status`, in KiB.
fn vm_hwm_kib(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The memory bound of every big case.
pub const MAX_PEAK_MIB: u64 = 512;

/// The `inputs` entry of `path` in a JSON document.
pub fn json_status<'a>(doc: &'a Value, path: &str) -> &'a Value {
    doc["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"] == path)
        .unwrap_or_else(|| panic!("{path} not among the inputs: {:#}", doc["inputs"]))
}
