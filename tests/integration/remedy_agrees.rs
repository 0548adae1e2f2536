//! The advice agrees with what the inputs show of a system: no upgrade shortcut while the FMC's
//! device list is unknown, no second generate_certs.pl run once the InternalCA was renewed, a
//! version that two sources disagree on shown with both, and a plan command that says what it
//! writes.

use serde_json::Value;

use crate::common::{analyze_json, run};

fn system<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["systems"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap_or_else(|| panic!("no system {id}"))
}

fn step<'a>(s: &'a Value, id: &str) -> Option<&'a Value> {
    s["next_steps"].as_array().unwrap().iter().find(|st| st["id"] == id)
}

/// The check step when one device is known: `fmc` is how the system names its FMC.
fn one_device_known(fmc: &str) -> String {
    format!(
        "Only 1 device of {fmc} is known from the inputs (ftd-branch-07), and it is disconnected; nothing in them lists \
the FMC's devices (its troubleshoot bundle, or `sftunnel_status.pl` run on it). On {fmc}, list every device it manages \
and which are connected now. Only if every one is disconnected does upgrading {fmc} cost no tunnel (an option instead \
of the hotfix); while any is connected, an upgrade or a reboot of the FMC closes every sftunnel connection, and they do \
not come back with the expired CA."
    )
}

const COLLECT_LIST: &str = "the FMC's list of its devices and their tunnels (`sftunnel_status.pl` run on the FMC, or \
its troubleshoot bundle), to know whether every device is disconnected";

/// A device's bundle (or its log) names its FMC, not the FMC's other devices: its one device
/// being down is no reason to upgrade the FMC.
#[test]
fn one_device_known_is_not_every_device() {
    for (input, fmc) in
        [("samples/bundles/ftd-branch-07.tar.gz", "fmc-hq-01"), ("samples/logs/ftd-expired-ca", "the FMC")]
    {
        let (_, v) = analyze_json(&[input], &[]);
        let s = &v["systems"][0];
        assert_eq!((s["state"].as_str(), s["tunnels"].as_str()), (Some("expired"), Some("all-down")), "{input}");
        assert!(step(s, "upgrade-fmc").is_none(), "{input}: {:#}", s["next_steps"]);
        assert_eq!(step(s, "check-tunnels").unwrap()["text"], one_device_known(fmc), "{input}");
        assert!(s["collect"].as_array().unwrap().iter().any(|c| c == COLLECT_LIST), "{input}: {:#}", s["collect"]);
        let backup = step(s, "backup-fmc").unwrap()["text"].as_str().unwrap();
        assert!(backup.contains("do not reboot or upgrade the FMC or any device"), "{input}: {backup}");
        let text = crate::common::run(&["analyze", "-v", "--year", "2026", "--now", "2026-11-23", input]).stdout;
        assert!(!text.contains("Every device is disconnected already"), "{input}: {text}");
    }
}

fn finding_of<'a>(v: &'a Value, kind: &str, system: &str) -> &'a Value {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == kind && f["system"] == system)
        .unwrap_or_else(|| panic!("no {kind} of {system}"))
}

const INSTEAD: &str = "fmc-hq-01's InternalCA was renewed already (2026-03-14 09:20): do not run generate_certs.pl \
again, it would make yet another InternalCA. Push the current InternalCA's files to the devices that lack them \
instead, as fmc-hq-01's steps say (on fmc-hq-01: `tlstriage plan 'samples/bundles/fmc-hq-01.tar.gz' -o \
'plan-fmc-hq-01'`).";

const VERSIONS: &str = "The sources disagree on the FMC's version: 7.4.1 (in \
samples/bundles/fmc-hq-01.tar.gz!/results-fmc-hq-01/dir-archives/etc/sf/ims.conf) or 7.6 or later, as the TLS 1.3 \
post-handshake authentication of the sftunnel shows (in samples/field/journal-post-handshake-auth.txt:2). Read the \
version on the FMC itself (Help > About) first: the hotfix, and whether its sftunnel speaks TLS 1.3, depend on it.";

/// fmc-hq-01 is renewed with pushes pending: no finding of it says to run generate_certs.pl.
#[test]
fn findings_of_a_renewed_fmc_push_instead_of_regenerating() {
    let (_, v) = analyze_json(&["samples"], &[]);
    assert_eq!(system(&v, "fmc-hq-01")["state"], "renewed-push-pending");
    let pha = &finding_of(&v, "post-handshake-auth-failed", "fmc-hq-01")["remediation"];
    let weak = &finding_of(&v, "weak-certificate", "fmc-hq-01")["remediation"];
    for r in [pha, weak] {
        let each = r["commands"].as_array().unwrap().iter().filter_map(Value::as_array);
        let commands: Vec<&str> = each.flatten().filter_map(Value::as_str).collect();
        assert!(!commands.contains(&"generate_certs.pl"), "{r:#}");
    }
    assert_eq!(pha["steps"][0], VERSIONS);
    assert_eq!(pha["steps"][4], INSTEAD);
    assert_eq!(weak["steps"][1], INSTEAD);
    // The version in conflict is not used, and the system carries both sources.
    let s = system(&v, "fmc-hq-01");
    assert_eq!(s["fmc"]["version"], Value::Null);
    assert_eq!(s["conflicts"][0]["about"], "fmc-version");
    assert_eq!(s["conflicts"][0]["values"][1]["at"], "samples/field/journal-post-handshake-auth.txt:2");
}

/// The advised plan command writes the files it names; the plan of a non-HA FMC calls it the
/// FMC, and an address no input gives is said, not left as an empty cell.
#[test]
fn the_plan_command_writes_what_the_step_says() {
    let (_, v) = analyze_json(&["samples/bundles/fmc-hq-01.tar.gz"], &[]);
    let push = step(system(&v, "fmc-hq-01"), "push-with-copy-script").unwrap();
    assert_eq!(push["command"], "tlstriage plan 'samples/bundles/fmc-hq-01.tar.gz' -o 'plan-fmc-hq-01'");
    assert!(push["text"].as_str().unwrap().contains(
        "writes devices.csv (the devices of the FAILED_PUSH list, the FMC \
first) and plan.txt into the folder plan-fmc-hq-01;"
    ));
    let r = run(&["plan", "--year", "2026", "--now", "2026-11-23", "samples/bundles/fmc-hq-01.tar.gz"]);
    assert!(r
        .stdout
        .contains("\n# Order: the FMC fmc-hq-01 (3b9c1e52-8a41-11e4-9c2f-5254001a7c33) keeps its new files;"));
    assert!(!r.stdout.contains("primary FMC"), "{}", r.stdout);
    assert!(r.stdout.contains(
        "\n#     #fmc-hq-01,FMC-IP,admin,  (the FMC's address is in none of the inputs: write it in place of FMC-IP and \
remove the leading #)\n"
    ));
    assert!(r.stdout.contains(
        "\n# The address of the FMC fmc-hq-01 (3b9c1e52-8a41-11e4-9c2f-5254001a7c33) is in none of \
the inputs: write it into the first line of devices.csv\n"
    ));
    let all = run(&["plan", "--year", "2026", "--now", "2026-11-23", "samples"]);
    assert!(all.stdout.contains("\n#     fmc-hq-01,192.168.45.10,admin,\n"), "{}", all.stdout);
    // Known only as where a device's log connects to: filled, and said so.
    let args = ["plan", "--year", "2026", "--now", "2026-11-23", "samples/bundles/fmc-hq-01.tar.gz"];
    let inferred = run(&[&args[..], &["samples/logs/ftd-expired-ca"]].concat()).stdout;
    assert!(inferred.contains("\n#     fmc-hq-01,192.168.45.10,admin,\n"), "{inferred}");
    assert!(inferred.contains(
        "\n# The address 192.168.45.10 of the FMC is not read from a file that names the FMC: it \
is where the other evidence points (`tlstriage analyze` says how in its notes). Check it before running the script.\n"
    ));
}
