//! `tlstriage check` on appliance trees built from the sample bundles: the same systems (state,
//! tunnels, InternalCA, devices, next steps) and findings as `analyze` of each bundle, FMC and
//! FTD told apart, places that are not there said, nothing written, and `-o` replacing its file.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{analyze_json, repo, run};

/// Every sample bundle: `samples/bundles/` and `samples/cases/*/`.
pub fn sample_bundles() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["samples/bundles", "samples/cases/expired-up", "samples/cases/fmc-ha", "samples/cases/two-fmcs"] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(repo(dir))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().ends_with(".tar.gz"))
            .collect();
        found.sort();
        out.extend(found);
    }
    assert_eq!(out.len(), 7, "{out:?}");
    out
}

/// The tree of `bundle` under `dir`.
pub fn tree(bundle: &Path, dir: &Path) -> tlstriage::appliance::tree::Tree {
    let name = bundle.file_name().unwrap().to_str().unwrap().trim_end_matches(".tar.gz");
    tlstriage::appliance::tree::from_bundle(bundle, &dir.join(name)).unwrap()
}

/// `check --format json` of a tree (and its saved status outputs), with the samples' date.
pub fn check_json(t: &tlstriage::appliance::tree::Tree, extra: &[&str]) -> (i32, Value) {
    let root = t.root.to_str().unwrap().to_string();
    let mut args = vec!["check", "--root", &root, "--format", "json", "--year", "2026", "--now", "2026-11-23"];
    let outputs: Vec<String> = t.outputs.iter().map(|p| p.display().to_string()).collect();
    for o in &outputs {
        args.extend(["--with", o.as_str()]);
    }
    args.extend_from_slice(extra);
    let r = run(&args);
    let v = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", r.stdout, r.stderr));
    (r.code, v)
}

/// What a system is judged to be, without the paths of where it was read: the plan command
/// names the bundle or the FAILED_PUSH file, and a tree's peer folders come in name order.
fn judged(s: &Value) -> Value {
    let mut devices: Vec<Value> = s["devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| serde_json::json!([d["name"], d["ip"], d["uuid"], d["fmc"], d["tunnel"], d["needs_push"]]))
        .collect();
    devices.sort_by_key(|d| d.to_string());
    let steps: Vec<Value> = s["next_steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|st| {
            let command = st["command"].as_str().filter(|c| !c.starts_with("tlstriage plan "));
            serde_json::json!([st["id"], st["on"], st["optional"], command])
        })
        .collect();
    // The version is read from the appliance's own ims.conf in both, under their own paths.
    let mut fmc = s["fmc"].clone();
    if let Some(at) = fmc.get("version_at").and_then(Value::as_str) {
        fmc["version_at"] = Value::Bool(at.ends_with("etc/sf/ims.conf"));
    }
    serde_json::json!({
        "id": s["id"], "fmc": fmc, "state": s["state"], "tunnels": s["tunnels"],
        "internal_ca": s["internal_ca"], "previous_ca": s["previous_ca"], "renewed_at": s["renewed_at"],
        "devices": devices, "next_steps": steps, "collect": s["collect"],
    })
}

fn findings(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {} {} {}", f["kind"], f["severity"], f["device"], f["count"]))
        .collect();
    out.sort();
    out
}

#[test]
fn check_of_each_sample_tree_judges_as_analyze_of_its_bundle() {
    let dir = tempfile::tempdir().unwrap();
    for bundle in sample_bundles() {
        let t = tree(&bundle, dir.path());
        let (_, a) = analyze_json(&[bundle.to_str().unwrap()], &[]);
        let (code, c) = check_json(&t, &[]);
        let name = bundle.display();
        let (want, got): (Vec<Value>, Vec<Value>) = (
            a["systems"].as_array().unwrap().iter().map(judged).collect(),
            c["analysis"]["systems"].as_array().unwrap().iter().map(judged).collect(),
        );
        assert!(!want.is_empty(), "{name}: the bundle shows a system");
        assert_eq!(got, want, "{name}: check of its tree judges otherwise");
        assert_eq!(findings(&c["analysis"]), findings(&a), "{name}");
        let needs_action = want
            .iter()
            .any(|s| ["expired", "expiring", "renewed-push-pending"].contains(&s["state"].as_str().unwrap()));
        assert_eq!(
            code,
            i32::from(
                needs_action
                    || c["analysis"]["summary"]["error"].as_u64() > Some(0)
                    || c["analysis"]["summary"]["critical"].as_u64() > Some(0)
            ),
            "{name}: exit code"
        );
        let role = if t.ftd { "ftd" } else { "fmc" };
        assert_eq!(c["check"]["role"], role, "{name}: {}", c["check"]["why"]);
        // Every path in the analysis is one of this machine: the tree's, or a --with file.
        for input in c["analysis"]["inputs"].as_array().unwrap() {
            let p = input["path"].as_str().unwrap();
            assert!(Path::new(p).exists(), "{name}: input path {p} is not a path of this machine");
        }
    }
}

#[test]
fn the_push_step_names_the_failed_push_file_to_plan_from() {
    let dir = tempfile::tempdir().unwrap();
    let t = tree(&repo("samples/bundles/fmc-hq-01.tar.gz"), dir.path());
    let (_, c) = check_json(&t, &[]);
    let push = &c["analysis"]["systems"][0]["next_steps"][0];
    assert_eq!(push["id"], "push-with-copy-script");
    let list = t.root.join("var/tmp/certs/1773480000/FAILED_PUSH");
    assert_eq!(push["command"], format!("tlstriage plan '{}' -o 'plan-fmc-hq-01'", list.display()));
    // And that command writes the plan for both devices.
    let r = run(&["plan", list.to_str().unwrap(), "--now", "2026-11-23"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("ftd-branch-07") && r.stdout.contains("ftd-dc-02"), "{}", r.stdout);
}

#[test]
fn the_text_says_what_it_read_judged_and_what_was_not_there() {
    let dir = tempfile::tempdir().unwrap();
    let t = tree(&repo("samples/bundles/ftd-branch-07.tar.gz"), dir.path());
    let root = t.root.display().to_string();
    let r = run(&["check", "--root", &root, "--year", "2026", "--now", "2026-11-23", "--width", "200"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let expected_lines = [
        format!("Check of {root} (FTD ftd-branch-07, 7.2.5), judged at 2026-11-23 00:00 UTC"),
        "  /ngfw/etc/sf/ims.conf describes an FTD (Cisco Firepower Threat Defense for VMware)".into(),
        "  identity, product and version: /ngfw/etc/sf/ims.conf".into(),
        "  sftunneld's log: /ngfw/var/log/messages".into(),
        "  sftunnel configuration: not there: /ngfw/etc/sf/sftunnel.conf, /etc/sf/sftunnel.conf; the certificate \
files sftunnel is configured with are not known"
            .into(),
        "  State: expired; tunnels: all-down".into(),
        "  InternalCA: serial 5a:01, ended 2026-03-10 (258 days ago)".into(),
        format!("    ftd-branch-07: down ({root}/ngfw/var/log/messages:43 at 2026-03-14 06:15:05)"),
        // Its one device is not every device of the FMC: the warning stays (wrapped after "the").
        "    1. [backup-fmc] on fmc-hq-01: Take a backup of fmc-hq-01 (System > Tools > Backup/Restore) before \
touching its certificates. Until the new certificates are in place, do not reboot or upgrade the"
            .into(),
        format!(
            "  [critical] expired-ca ftd-branch-07 → 192.168.45.10: CA certificate at depth 1 has expired \
({root}/ngfw/var/sf/peers/3b9c1e52-8a41-11e4-9c2f-5254001a7c33/cacert.pem)"
        ),
    ];
    let lines: Vec<&str> = r.stdout.lines().collect();
    for want in &expected_lines {
        assert!(lines.contains(&want.as_str()), "missing line `{want}` in:\n{}", r.stdout);
    }
    // The summary line is the one `analyze` prints for the same system.
    let a = run(&["analyze", "samples/bundles/ftd-branch-07.tar.gz", "--year", "2026", "--now", "2026-11-23"]);
    let summary = a.stdout.lines().nth(1).unwrap();
    assert!(summary.starts_with("fmc-hq-01: InternalCA expired 2026-03-10"), "{summary}");
    assert!(r.stdout.contains(summary), "{summary}\n{}", r.stdout);
}

#[test]
fn a_tree_with_nothing_readable_says_so_and_never_that_all_is_well() {
    let empty = tempfile::tempdir().unwrap();
    for root in [empty.path().to_path_buf(), empty.path().join("not-there")] {
        let root = root.display().to_string();
        let r = run(&["check", "--root", &root]);
        assert_eq!(r.code, 2, "{}", r.stdout);
        assert!(r.stdout.contains("Read: nothing"), "{}", r.stdout);
        assert!(
            r.stdout.contains(&format!("Nothing could be read under {root}: no state can be told")),
            "{}",
            r.stdout
        );
        assert!(r.stdout.contains("  the InternalCA: not there: /etc/sf/ca_root/cacert.pem;"), "{}", r.stdout);
        assert!(!r.stdout.to_lowercase().contains("no problem"), "{}", r.stdout);
        let (code, v) = {
            let r = run(&["check", "--root", &root, "--format", "json"]);
            (r.code, serde_json::from_str::<Value>(&r.stdout).unwrap())
        };
        assert_eq!(code, 2);
        assert_eq!(v["check"]["files_read"], 0);
        assert_eq!(v["check"]["role"], "unknown");
    }
}

/// `(path, bytes, modification time)` of every file under `dir`.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else {
                let m = std::fs::metadata(&p).unwrap().modified().unwrap();
                out.push((p.clone(), std::fs::read(&p).unwrap(), m));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn check_changes_nothing_in_the_tree_and_o_replaces_its_file_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let t = tree(&repo("samples/bundles/fmc-hq-01.tar.gz"), dir.path());
    let before = snapshot(dir.path());
    let root = t.root.display().to_string();
    let out = tempfile::tempdir().unwrap();
    let prom = out.path().join("tlstriage.prom");
    std::fs::write(&prom, "old").unwrap();
    let args = ["check", "--root", &root, "--format", "prometheus", "--now", "2026-11-23", "-o"];
    let r = run(&[&args[..], &[prom.to_str().unwrap()]].concat());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    let text = std::fs::read_to_string(&prom).unwrap();
    assert!(text.starts_with("# HELP tlstriage_check_timestamp_seconds"), "{text}");
    // Only the one file is in the output folder (the temporary one was renamed over it).
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 1);
    assert_eq!(snapshot(dir.path()), before, "check wrote into the tree");
    // A symbolic link at the output name is refused, and its target kept.
    let link = out.path().join("link.prom");
    std::os::unix::fs::symlink(&prom, &link).unwrap();
    let r = run(&[&args[..], &[link.to_str().unwrap()]].concat());
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is not a regular file; refusing to write there"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&prom).unwrap(), text);
}

#[test]
fn a_saved_status_output_given_with_with_adds_the_tunnels_it_shows() {
    let dir = tempfile::tempdir().unwrap();
    let t = tree(&repo("samples/cases/expired-up/fmc-north-03.tar.gz"), dir.path());
    assert_eq!(t.outputs, [dir.path().join("fmc-north-03.command-outputs/sftunnel_status.pl.output")]);
    let root = t.root.display().to_string();
    let tunnels = |v: &Value| {
        let s = &v["analysis"]["systems"][0];
        let devices: Vec<&str> =
            s["devices"].as_array().unwrap().iter().map(|d| d["tunnel"].as_str().unwrap()).collect();
        (s["state"].as_str().unwrap().to_string(), s["tunnels"].as_str().unwrap().to_string(), devices.join(","))
    };
    // The tree alone: the InternalCA has expired, and no file of the appliance shows a tunnel.
    let r = run(&["check", "--root", &root, "--format", "json", "--year", "2026", "--now", "2026-11-23"]);
    let alone: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(tunnels(&alone), ("expired".into(), "unknown".into(), "unknown,unknown".into()));
    // With the saved output of sftunnel_status.pl both channels of both devices are up.
    let (_, with) = check_json(&t, &[]);
    assert_eq!(tunnels(&with), ("expired".into(), "all-up".into(), "up,up".into()));
    assert_eq!(with["check"]["with"][0], t.outputs[0].display().to_string());
}
