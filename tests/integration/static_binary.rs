//! The appliance binary (`cargo static`, README "On the appliance"): statically linked, and
//! running in an empty chroot that holds only it and an FMC's (or an FTD's) files where the
//! appliance keeps them, so `check` there reads `/` as on the box. mimalloc, a C library, is its
//! allocator there too (`MIMALLOC_VERBOSE=1` makes it say so).
//!
//! The binary is `target/x86_64-unknown-linux-gnu/appliance/tlstriage` (or
//! `$TLSTRIAGE_STATIC_BIN`); `.ci/run` builds it before the tests. Without it, or without root
//! for `chroot`, the test says it skipped, except in CI (`CI=true`), where that fails.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::appliance::tree;
use crate::common::repo;

fn skip(why: &str) {
    assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "CI=true but {why}");
    eprintln!("skipped: {why}");
}

fn static_binary() -> Option<PathBuf> {
    let path = std::env::var_os("TLSTRIAGE_STATIC_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo("target/x86_64-unknown-linux-gnu/appliance/tlstriage"));
    path.is_file().then_some(path)
}

/// The newest modification time of the sources the binary is built from.
fn newest_source() -> std::time::SystemTime {
    let mut newest = std::fs::metadata(repo("Cargo.lock")).unwrap().modified().unwrap();
    let mut todo = vec![repo("src")];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let m = e.metadata().unwrap();
            if m.is_dir() {
                todo.push(e.path());
            } else {
                newest = newest.max(m.modified().unwrap());
            }
        }
    }
    newest
}

fn u16_at(b: &[u8], at: usize) -> usize {
    u16::from_le_bytes(b[at..at + 2].try_into().unwrap()) as usize
}

fn u64_at(b: &[u8], at: usize) -> usize {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap()) as usize
}

/// The ELF program header types of a 64-bit little-endian executable, and its `DT_NEEDED`
/// count (the shared libraries it asks the loader for).
fn elf_linking(b: &[u8]) -> (Vec<u32>, usize) {
    assert_eq!(&b[..6], b"\x7fELF\x02\x01", "a 64-bit little-endian ELF file");
    let (phoff, phentsize, phnum) = (u64_at(b, 0x20), u16_at(b, 0x36), u16_at(b, 0x38));
    let mut types = Vec::new();
    let mut needed = 0;
    for i in 0..phnum {
        let ph = &b[phoff + i * phentsize..];
        let kind = u32::from_le_bytes(ph[..4].try_into().unwrap());
        types.push(kind);
        if kind == 2 {
            // PT_DYNAMIC: (tag, value) pairs up to DT_NULL.
            let (off, size) = (u64_at(ph, 0x08), u64_at(ph, 0x20));
            needed += b[off..off + size]
                .chunks_exact(16)
                .take_while(|e| u64_at(e, 0) != 0)
                .filter(|e| u64_at(e, 0) == 1)
                .count();
        }
    }
    (types, needed)
}

/// Run `args` of the binary at `/tlstriage` with `dir` as the root directory.
fn in_chroot(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let dir_c = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()).unwrap();
    let mut cmd = Command::new("/tlstriage");
    cmd.args(args).env_clear().envs(env.iter().copied()).current_dir("/");
    // SAFETY: chroot and chdir are async-signal-safe; the pointer outlives the spawn.
    unsafe {
        cmd.pre_exec(move || {
            if libc::chroot(dir_c.as_ptr()) != 0 || libc::chdir(c"/".as_ptr()) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd.output().expect("the static binary starts in the chroot");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every file under `dir`, relative to it.
fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.path().is_dir() {
                todo.push(e.path());
            } else {
                out.push(e.path().strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_static_binary_checks_an_fmc_and_an_ftd_in_an_empty_chroot() {
    let Some(bin) = static_binary() else {
        return skip("the static binary is not built (cargo static)");
    };
    if std::fs::metadata(&bin).unwrap().modified().unwrap() < newest_source() {
        return skip("the static binary is older than src/ (cargo static builds it again)");
    }
    let bytes = std::fs::read(&bin).unwrap();
    let (types, needed) = elf_linking(&bytes);
    assert!(!types.contains(&3), "{} has a PT_INTERP: it needs the dynamic loader", bin.display());
    assert_eq!(needed, 0, "{} asks for shared libraries", bin.display());
    if let Ok(out) = Command::new("ldd").arg(&bin).output() {
        let said = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
        assert!(said.contains("statically linked") || said.contains("not a dynamic executable"), "ldd: {said}");
    }
    if unsafe { libc::geteuid() } != 0 {
        return skip("chroot needs root");
    }
    for (bundle, role, state) in [
        ("samples/bundles/fmc-hq-01.tar.gz", "fmc", "renewed-push-pending"),
        ("samples/bundles/ftd-branch-07.tar.gz", "ftd", "expired"),
    ] {
        let scratch = tempfile::tempdir().unwrap();
        let t = tree(&repo(bundle), scratch.path());
        std::fs::copy(&bin, t.root.join("tlstriage")).unwrap();
        let mut expected: Vec<String> = files(&t.root);
        assert!(expected
            .iter()
            .all(|f| f == "tlstriage" || f.starts_with("etc/") || f.starts_with("var/") || f.starts_with("ngfw/")));
        let (code, out, err) = in_chroot(&t.root, &["--version"], &[("MIMALLOC_VERBOSE", "1")]);
        assert_eq!(code, 0, "{err}");
        assert!(out.starts_with("tlstriage "), "{out}");
        assert!(err.contains("mimalloc: "), "mimalloc does not report itself: {err}");
        let (code, out, err) =
            in_chroot(&t.root, &["check", "--format", "json", "--year", "2026", "--now", "2026-11-23"], &[]);
        assert_eq!(code, 1, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
        assert_eq!(v["check"]["root"], "/");
        assert_eq!(v["check"]["role"], role);
        assert_eq!(v["analysis"]["systems"][0]["state"], state, "{bundle}");
        if role == "fmc" {
            // On the box, the push step names the list where generate_certs.pl left it, and the
            // folder the plan is written to.
            let push = &v["analysis"]["systems"][0]["next_steps"][0]["command"];
            assert_eq!(push, "tlstriage plan '/var/tmp/certs/1773480000/FAILED_PUSH' -o 'plan-fmc-hq-01'");
        }
        // The run wrote nothing.
        expected.sort();
        assert_eq!(files(&t.root), expected);
    }
}
