//! Issue 23's one story per system and one number per definition, on case folders built the
//! way a case grows (an extracted bundle, the FMC's journal, a device's log of an expired CA),
//! and on `samples/`: every view names a system the same way, every row names its device where
//! any view knows it, and every count and day figure agrees across table, JSON, HTML, certs and
//! fleet.

use serde_json::Value;

use crate::common::case::{heads, Case};
use crate::common::{analyze_json, members, run};

const FMC_BUNDLE: &str = "samples/bundles/fmc-hq-01.tar.gz";
const JOURNAL: &str = "samples/field/journal-post-handshake-auth.txt";

/// The case summary and the table, as the terminal shows them at `width`.
fn table(paths: &[&str], now: &str, width: &str) -> String {
    let args = ["analyze", "--year", "2026", "--now", now, "--width", width, "--color", "never", "-v"];
    run(&[&args[..], paths].concat()).stdout
}

/// Every member of `bundle` written under `dir` of the case, as `tar xzf` would.
fn extract(case: &Case, bundle: &str, dir: &str) {
    for (path, data) in members(bundle) {
        case.write(&format!("{dir}/{path}"), &data);
    }
}

#[test]
fn an_extracted_bundle_is_one_system_like_its_archive() {
    let archived = Case::holding(FMC_BUNDLE, "fmc-hq-01.tar.gz");
    let (_, a) = archived.analyze();
    let extracted = Case::new();
    extract(&extracted, FMC_BUNDLE, "fmc-hq-01");
    let (_, e) = extracted.analyze();
    assert_eq!(extracted.lines(&e), archived.lines(&a), "the same findings");
    assert_eq!(heads(&e), ["fmc-hq-01 renewed-push-pending"]);
    let devices = |v: &Value| -> Vec<String> {
        let all = v["systems"][0]["devices"].as_array().unwrap();
        all.iter()
            .map(|d| format!("{} {} {} {} {}", d["name"], d["ip"], d["uuid"], d["tunnel"], d["needs_push"]))
            .collect()
    };
    assert_eq!(devices(&e), devices(&a));
    assert_eq!(devices(&e).len(), 2);
    // Every finding is the system's and names where it was seen, as in the archive.
    let seen = |v: &Value| -> Vec<String> {
        let all = v["findings"].as_array().unwrap();
        all.iter().map(|f| format!("{} {} {}", f["kind"], f["system"], f["facts"]["device"])).collect()
    };
    assert_eq!(seen(&e), seen(&a));
    assert!(seen(&e).iter().any(|l| l == "\"ca-mismatch\" \"fmc-hq-01\" \"fmc-hq-01\""), "{:?}", seen(&e));
    // The plan is suggested on the extracted tree itself.
    let root = extracted.dir.path().display().to_string();
    let command = e["systems"][0]["next_steps"][0]["command"].as_str().unwrap();
    assert_eq!(command, format!("tlstriage plan '{root}/fmc-hq-01/results-fmc-hq-01' -o 'plan-fmc-hq-01'"));
}

#[test]
fn the_fmc_log_in_its_bundle_is_the_fmcs_whatever_host_name_it_shows() {
    // The bundle's log spells the FMC with its domain: still one bundle, one system.
    let mut entries = members(FMC_BUNDLE);
    for (p, d) in entries.iter_mut() {
        if p.ends_with("var-log/messages") {
            *d = String::from_utf8(d.clone()).unwrap().replace(" fmc-hq-01 ", " fmc-hq-01.example.net ").into_bytes();
        }
    }
    let refs: Vec<(&str, &[u8])> = entries.iter().map(|(p, d)| (p.as_str(), d.as_slice())).collect();
    let case = Case::new();
    case.write("fmc-hq-01.tar.gz", &crate::common::tgz(&refs));
    let (_, v) = case.analyze();
    assert_eq!(heads(&v), ["fmc-hq-01 renewed-push-pending"]);
    assert!(v["findings"].as_array().unwrap().iter().all(|f| f["system"] == "fmc-hq-01"));
}

#[test]
fn the_fmcs_journal_never_makes_its_device_the_fmc() {
    let (_, v) = analyze_json(&[JOURNAL], &[]);
    assert_eq!(heads(&v), ["fmc-hq-01 unknown"]);
    let s = &v["systems"][0];
    assert_eq!(s["fmc"]["ip"], Value::Null);
    assert_eq!(
        s["notes"],
        serde_json::json!([
            "fmc-hq-01's log connects to 192.168.45.23; no input says which of the two is the FMC (either end may open \
the sftunnel)"
        ])
    );
    let text = table(&[JOURNAL], "2026-11-23", "200");
    assert!(text.starts_with("Case: 1 finding (1 error) in 1 input read\nfmc-hq-01: not enough evidence"), "{text}");
    assert!(!text.contains("FMC 192.168.45.23"), "{text}");
    // With the FMC's bundle, the journal is that FMC's and 192.168.45.23 one of its devices.
    let (_, v) = analyze_json(&[FMC_BUNDLE, JOURNAL], &[]);
    assert_eq!(heads(&v), ["fmc-hq-01 renewed-push-pending"]);
    let devices: Vec<&str> =
        v["systems"][0]["devices"].as_array().unwrap().iter().map(|d| d["ip"].as_str().unwrap_or("-")).collect();
    assert_eq!(devices, ["192.168.45.21", "192.168.45.22", "192.168.45.23"]);
}

#[test]
fn a_devices_report_of_an_expired_ca_makes_the_state_expired() {
    // One FTD's log: 39 peers, each failing with `err 10` at depth 1, no subject lines.
    let mut log = String::new();
    for i in 1..=39 {
        let line = |msg: &str| {
            format!("Mar 14 06:{i:02}:05 ftd-core-1 SF-IMS[3120]: [{}] sftunneld:sf_ssl [ERROR] {msg}\n", 4000 + i)
        };
        log += &line(&format!("Initiating IPv4 connection to 10.9.0.{i}:8305/tcp"));
        log += &line("-Error with certificate at depth: 1");
        log += &line("err 10:certificate has expired");
        log += &line("Connect:SSL handshake failed");
    }
    let case = Case::new();
    case.write("messages", log.as_bytes());
    let (_, v) = case.analyze();
    let critical = v["findings"].as_array().unwrap().iter().filter(|f| f["kind"] == "expired-ca").count();
    assert_eq!(critical, 39);
    assert_eq!(heads(&v), ["ftd-core-1 expired"]);
    let s = &v["systems"][0];
    assert_eq!(s["internal_ca"]["reported"], true);
    assert_eq!(s["next_steps"][0]["id"], "backup-fmc");
    let text = table(&[case.dir.path().to_str().unwrap()], "2026-11-23", "300");
    assert_eq!(
        text.lines().nth(1),
        Some(
            "ftd-core-1: InternalCA expired (reported by the devices; the CA file was not in the inputs); its only known \
device is disconnected → back up the FMC, then renew the InternalCA"
        )
    );
    assert!(!text.contains("not enough evidence"), "{text}");
}

/// The rows of the wide table: `(device, peer)` of each.
fn table_ends(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter(|l| {
            l.starts_with("│ ")
                && l.split('┆').next().is_some_and(|n| n.trim_start_matches('│').trim().parse::<u32>().is_ok())
        })
        .map(|l| {
            let cells: Vec<&str> = l.split('┆').map(str::trim).collect();
            (cells[3].to_string(), cells[4].to_string())
        })
        .collect()
}

#[test]
fn every_view_names_the_systems_and_devices_of_the_samples_the_same_way() {
    let (_, v) = analyze_json(&["samples/"], &[]);
    let names: Vec<&str> = v["systems"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "fmc-hq-01",
            "fmc-north-03",
            "fmc-ha-a",
            "fmc-ha-b",
            "fmc-west-02",
            "fmc-east-01",
            "ftd-lab-09",
            "10.48.79.232 (8f3c2a64-5b1e-11ea-9d2f-4a1c7e0b6d35)",
            "10.48.79.232 (2d7b9e10-d1a3-11e3-8c4f-0b5e3a9f7c21)",
            "ftd-lab-03",
            "ftd-lab-05",
        ]
    );
    // The summary heads each system's line with its name.
    let text = table(&["samples/"], "2026-11-23", "400");
    for s in v["systems"].as_array().unwrap() {
        let label = match s["fmc"]["version"].as_str() {
            Some(ver) => format!("{} ({ver}): ", s["id"].as_str().unwrap()),
            None => format!("{}: ", s["id"].as_str().unwrap()),
        };
        assert!(text.lines().any(|l| l.starts_with(&label)), "{label} missing");
    }
    // Every row's device column is the JSON's facts.device; "-" only where no view knows it.
    let findings = v["findings"].as_array().unwrap();
    let ends = table_ends(&text);
    assert_eq!(ends.len(), findings.len());
    let mut unknown = Vec::new();
    for (i, (f, (device, _))) in findings.iter().zip(&ends).enumerate() {
        assert_eq!(device.as_str(), f["facts"]["device"].as_str().unwrap_or("-"), "row {}", i + 1);
        if device == "-" {
            unknown.push(format!("{} {}", f["kind"].as_str().unwrap(), f["evidence"][0]["path"].as_str().unwrap()));
        }
    }
    assert_eq!(
        unknown,
        [
            "expired-cert samples/field/mail-tls-proxy.txt",
            "self-signed samples/logs/tls-proxy/tls_proxy.log",
            "connection-refused samples/field/case-note-ja.txt",
            "handshake-failed samples/field/mail-tls-proxy.txt",
            "tunnel-down samples/field/case-note-ja.txt",
            "weak-certificate samples/field/forum-paste-key-too-small.txt",
            "weak-certificate samples/field/case-note-weak-digest.txt",
        ]
    );
    // Where the device is unknown but the system is, the peer is the system's FMC by name.
    for (f, (_, peer)) in findings.iter().zip(&ends) {
        if f["system"] == "fmc-hq-01" && f["peer"] == "192.168.45.10" {
            assert_eq!(peer, "192.168.45.10 (fmc-hq-01)");
        }
    }
    // Fleet spells each FMC as analyze does.
    let r = run(&["fleet", "--format", "json", "--now", "2026-11-23", "samples/bundles", "samples/cases/fmc-ha"]);
    let fleet: Value = serde_json::from_str(&r.stdout).unwrap();
    let fleet_names: Vec<&str> =
        fleet["systems"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(fleet_names, ["fmc-ha-a", "fmc-hq-01", "fmc-ha-b"]);
}

/// The number before `needle` in `text` (`expired 54 days ago` → 54 for `" days ago"`).
fn number_before(text: &str, needle: &str) -> Vec<i64> {
    text.match_indices(needle)
        .filter_map(|(i, _)| text[..i].rsplit(|c: char| !c.is_ascii_digit()).next().and_then(|n| n.parse().ok()))
        .collect()
}

#[test]
fn every_count_and_day_figure_agrees_across_the_views_of_the_samples() {
    // An hour in the afternoon: a figure rounded another way would differ by one.
    let now = "2026-11-23T13:00:00Z";
    let json = |args: &[&str]| -> Value {
        let r = run(args);
        serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
    };
    let doc = json(&["analyze", "--format", "json", "--year", "2026", "--now", now, "samples/"]);
    let certs = json(&["certs", "--format", "json", "--now", now, "samples/"]);
    let fleet = json(&["fleet", "--format", "json", "--now", now, "samples/bundles", "samples/cases/expired-up"]);
    let html = run(&["analyze", "--format", "html", "--year", "2026", "--now", now, "samples/"]).stdout;
    let text = table(&["samples/"], now, "160");
    // Counts: one definition, the same words everywhere.
    let sum = &doc["summary"];
    let n = |k: &str| sum[k].as_u64().unwrap();
    assert_eq!((n("inputs"), n("inputs_read"), n("inputs_same_content"), n("inputs_skipped")), (92, 86, 2, 4));
    assert_eq!(
        n("inputs"),
        n("inputs_read") + n("inputs_same_content") + n("inputs_skipped") + n("inputs_with_errors")
    );
    let words = "86 read, 2 counted once (same content), 4 skipped";
    assert!(text.starts_with("Case: 39 findings (6 critical, 29 error, 4 warning) in 86 inputs read\n"), "{text}");
    assert!(text.contains(&format!("\nInputs: {words} (listed under Inputs)\n")), "{text}");
    assert!(text.contains(&format!("\nInputs: {words}\n")), "{text}");
    assert!(html.contains(&format!("<p>{words}.</p>")));
    assert!(html.contains("in 86 inputs read"));
    let md = run(&["analyze", "--format", "markdown", "--year", "2026", "--now", now, "samples/"]).stdout;
    assert!(md.contains("- **Case:** 39 findings (6 critical, 29 error, 4 warning) in 86 inputs read\n"), "{md}");
    // Every certificate's days left: the document's and the certs view's are one figure.
    let certs_rows = certs.as_array().unwrap();
    let doc_certs = doc["certificates"].as_array().unwrap();
    assert!(!doc_certs.is_empty());
    for c in doc_certs {
        let rows: Vec<&Value> = certs_rows.iter().filter(|r| r["sha256"] == c["sha256"]).collect();
        assert!(!rows.is_empty(), "{} not in certs", c["subject"]);
        assert!(rows.iter().all(|r| r["days_left"] == c["days_left"]), "{}", c["subject"]);
    }
    // Days: each system's InternalCA, in the JSON, the certs view, the HTML card, fleet and the
    // titles of the findings about that file.
    let mut checked = 0;
    for s in doc["systems"].as_array().unwrap() {
        let ca = &s["internal_ca"];
        let (Some(days), Some(sha)) = (ca["days_left"].as_i64(), ca["sha256"].as_str()) else { continue };
        let row = certs.as_array().unwrap().iter().find(|c| c["sha256"] == sha).unwrap();
        assert_eq!(row["days_left"].as_i64(), Some(days), "certs, {}", s["id"]);
        let words = if days < 0 { format!("expired {} days ago", -days) } else { format!("{days} days left") };
        assert!(html.contains(&format!("({words})")), "html card of {}: {words}", s["id"]);
        for f in doc["findings"].as_array().unwrap().iter().filter(|f| f["certificate"]["sha256"] == sha) {
            let title = f["title"].as_str().unwrap();
            let in_title = match title.contains(" ago") {
                true => number_before(title, " days ago").into_iter().map(|d| -d).collect::<Vec<_>>(),
                false => number_before(title, " days"),
            };
            for d in in_title {
                assert_eq!(d, days, "{title}");
            }
        }
        if let Some(r) = fleet["systems"].as_array().unwrap().iter().find(|r| r["name"] == s["id"]) {
            assert_eq!(r["days_left"].as_i64(), Some(days), "fleet, {}", s["id"]);
            checked += 1;
        }
    }
    assert_eq!(checked, 2, "fmc-hq-01 and fmc-north-03 are in both");
    // The expired one: 22 days and 13 hours after its end is 22, everywhere.
    let north = doc["systems"].as_array().unwrap().iter().find(|s| s["id"] == "fmc-north-03").unwrap();
    assert_eq!(north["internal_ca"]["days_left"], -22);
}

#[test]
fn an_appliance_root_is_one_systems_tree_like_its_bundle() {
    // The FMC's files where the FMC keeps them, under one folder (what `check` reads, or a copy):
    // `dir-archives/etc/sf/x` is `etc/sf/x`, `dir-archives/var-tmp/x` is `var/tmp/x`.
    let case = Case::new();
    for (path, data) in members(FMC_BUNDLE) {
        let Some(rest) = path.strip_prefix("results-fmc-hq-01/dir-archives/") else { continue };
        let (first, tail) = rest.split_once('/').unwrap();
        case.write(&format!("root/{}/{tail}", first.replace('-', "/")), &data);
    }
    let (_, v) = case.analyze();
    assert_eq!(heads(&v), ["fmc-hq-01 renewed-push-pending"]);
    let root = case.dir.path().display().to_string();
    // A root is no input to read whole (on the FMC itself it is `/`): the plan names its list.
    let list = format!("{root}/root/var/tmp/certs/1773480000/FAILED_PUSH");
    assert_eq!(v["systems"][0]["next_steps"][0]["command"], format!("tlstriage plan '{list}' -o 'plan-fmc-hq-01'"));
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["system"] == "fmc-hq-01" && f["facts"]["device"] == "fmc-hq-01"));
    // Without its ims.conf the folder is no appliance: its FAILED_PUSH alone still names the FMC
    // by its peer folder, and counts while no tree of that FMC is among the inputs.
    std::fs::remove_file(case.path("root/etc/sf/ims.conf")).unwrap();
    let (_, v) = case.analyze();
    assert_eq!(heads(&v), ["fmc-hq-01 renewed-push-pending"], "named by the log's host that behaves as an FMC");
    let command = v["systems"][0]["next_steps"][0]["command"].as_str().unwrap();
    assert_eq!(
        command,
        format!("tlstriage plan '{root}/root/var/tmp/certs/1773480000/FAILED_PUSH' -o 'plan-fmc-hq-01'")
    );
}
