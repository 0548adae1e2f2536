//! Issue 24's attacks on the advice, each on a case folder built the way a case grows (a real
//! bundle plus what someone put beside it): a folder that forges an archive member's path, a
//! loose FAILED_PUSH, a loose `cacert.pem` with an `ims.conf`, and (in `fleet`) a second bundle
//! claiming the FMC's UUID with another CA.

use serde_json::Value;

use crate::common::case::{heads, Case};
use crate::common::member;

const FMC_BUNDLE: &str = "samples/bundles/fmc-hq-01.tar.gz";
const PUSHED: &str = "results-fmc-hq-01/dir-archives/var-sf-peers/a7d20c4e-8b3f-11ee-9c41-6f2e81d05b19/certs_pushed";

#[test]
fn a_folder_named_like_the_bundle_cannot_replace_its_members() {
    let alone = Case::holding(FMC_BUNDLE, "fmc-hq-01.tar.gz");
    let (_, before) = alone.analyze();
    // Beside the bundle, a folder literally named `fmc-hq-01.tar.gz!` holding the FMC's new CA
    // where the bundle holds the half-copied folder's old one.
    let forged = Case::holding(FMC_BUNDLE, "fmc-hq-01.tar.gz");
    let new_ca = member(FMC_BUNDLE, "results-fmc-hq-01/dir-archives/etc/sf/ca_root/cacert.pem");
    forged.write(&format!("fmc-hq-01.tar.gz!/{PUSHED}/cacert.pem"), &new_ca);
    let (code, after) = forged.analyze();
    assert_eq!(code, 1);
    assert_eq!(forged.lines(&after), alone.lines(&before), "the bundle's findings stand as they are");
    let mismatch = crate::common::finding(&after, "ca-mismatch");
    assert_eq!(mismatch["severity"], "critical");
    let paths: Vec<&str> =
        mismatch["evidence"].as_array().unwrap().iter().map(|e| e["path"].as_str().unwrap()).collect();
    let root = forged.dir.path().display().to_string();
    assert_eq!(
        paths,
        [
            format!("{root}/fmc-hq-01.tar.gz!/{PUSHED}/sftunnel-cert.pem"),
            format!("{root}/fmc-hq-01.tar.gz!/{PUSHED}/cacert.pem")
        ]
    );
    // The folder's file is an input of its own, under a path no member can have.
    let shown = format!("{root}/fmc-hq-01.tar.gz!\\/{PUSHED}/cacert.pem");
    assert_eq!(crate::common::input(&after, &shown)["status"], "ok");
}

const FTD_BUNDLE: &str = "samples/bundles/ftd-branch-07.tar.gz";
const FMC_UUID: &str = "3b9c1e52-8a41-11e4-9c2f-5254001a7c33";
const FAILED_PUSH: &str = "results-fmc-hq-01/dir-archives/var-tmp/certs/1773480000/FAILED_PUSH";

/// The system named `name`.
fn system<'a>(v: &'a Value, name: &str) -> &'a Value {
    let all = v["systems"].as_array().unwrap();
    all.iter().find(|s| s["id"] == name).unwrap_or_else(|| panic!("no system {name} in {all:#?}"))
}

/// `name ip needs_push` of every device of a system.
fn devices(s: &Value) -> Vec<String> {
    let t = |x: &Value| x.as_str().unwrap_or("-").to_string();
    let all = s["devices"].as_array().unwrap();
    all.iter().map(|d| format!("{} {} {}", t(&d["name"]), t(&d["ip"]), d["needs_push"])).collect()
}

fn step_ids(s: &Value) -> Vec<&str> {
    s["next_steps"].as_array().unwrap().iter().map(|st| st["id"].as_str().unwrap()).collect()
}

/// `tlstriage plan -o OUT CASE`: (exit code, devices.csv, plan.txt).
fn plan_files(case: &Case) -> (i32, String, String) {
    let out = case.path("plan-out");
    let args = ["plan", "--year", "2026", "--now", "2026-11-23", case.dir.path().to_str().unwrap(), "-o"];
    let r = crate::common::run(&[&args[..], &[out.to_str().unwrap()]].concat());
    let read = |f: &str| std::fs::read_to_string(out.join(f)).unwrap_or_default();
    (r.code, read("devices.csv"), read("plan.txt"))
}

#[test]
fn a_loose_failed_push_beside_the_fmc_bundle_is_listed_and_never_used() {
    let case = Case::holding(FMC_BUNDLE, "fmc-hq-01.tar.gz");
    // A later "run" that gives ftd-dc-02 another address, in a folder of notes.
    let list = String::from_utf8(member(FMC_BUNDLE, FAILED_PUSH)).unwrap().replace("192.168.45.22", "203.0.113.66");
    case.write("notes/var/tmp/certs/1800000000/FAILED_PUSH", list.as_bytes());
    let (code, v) = case.analyze();
    assert_eq!(code, 1);
    assert_eq!(heads(&v), ["fmc-hq-01 renewed-push-pending"]);
    let s = system(&v, "fmc-hq-01");
    assert_eq!(s["renewed_at"], "2026-03-14T09:20:00Z", "the bundle's own FAILED_PUSH, not the later loose one");
    assert_eq!(devices(s), ["ftd-branch-07 192.168.45.21 true", "ftd-dc-02 192.168.45.22 true"]);
    let root = case.dir.path().display().to_string();
    assert_eq!(
        s["loose"],
        serde_json::json!([{
            "path": format!("{root}/notes/var/tmp/certs/1800000000/FAILED_PUSH"),
            "reason": format!(
                "not in the FMC's own bundle: the FAILED_PUSH of fmc-hq-01's bundle ({root}/fmc-hq-01.tar.gz) is the one used"
            ),
        }])
    );
    assert_eq!(s["next_steps"][0]["command"], format!("tlstriage plan '{root}/fmc-hq-01.tar.gz' -o 'plan-fmc-hq-01'"));
    assert!(!v["systems"].to_string().contains("203.0.113.66"));
    for f in v["findings"].as_array().unwrap() {
        assert!(!f["remediation"].to_string().contains("203.0.113.66"), "{f:#}");
    }
    let (code, csv, text) = plan_files(&case);
    assert_eq!(code, 0);
    assert_eq!(
        csv,
        "#device_name,ipaddr,login,password\n#fmc-hq-01,FMC-IP,admin,  (the FMC's address is in none of the inputs: \
write it in place of FMC-IP and remove the leading #)\nftd-branch-07,192.168.45.21,admin,\nftd-dc-02,192.168.45.22,admin,\n"
    );
    assert!(!text.contains("203.0.113.66"), "{text}");
    assert!(
        text.contains("#   Not counted: ") && text.contains("notes/var/tmp/certs/1800000000/FAILED_PUSH"),
        "{text}"
    );
}

#[test]
fn two_counted_sources_that_disagree_on_an_address_are_a_conflict_and_no_row() {
    // The FMC's own bundle: its FAILED_PUSH gives ftd-dc-02 one address, its peer folder of
    // ftd-dc-02 another.
    let dc02 = "5e19b3f7-8c20-11ee-b2d6-0c4a7f93e1d8";
    let list = String::from_utf8(member(FMC_BUNDLE, FAILED_PUSH)).unwrap().replace("192.168.45.22", "203.0.113.66");
    let mut entries: Vec<(String, Vec<u8>)> = crate::common::members(FMC_BUNDLE);
    for (p, d) in entries.iter_mut() {
        if p == FAILED_PUSH {
            *d = list.clone().into_bytes();
        }
    }
    let peer =
        format!("{{\"uuid\": \"{dc02}\", \"name\": \"ftd-dc-02\", \"ip\": \"192.168.45.22\", \"role\": \"device\"}}");
    entries.push((format!("results-fmc-hq-01/dir-archives/var-sf-peers/{dc02}/sftunnel.json"), peer.into_bytes()));
    let refs: Vec<(&str, &[u8])> = entries.iter().map(|(p, d)| (p.as_str(), d.as_slice())).collect();
    let case = Case::new();
    case.write("fmc-hq-01.tar.gz", &crate::common::tgz(&refs));
    let (_, v) = case.analyze();
    let s = system(&v, "fmc-hq-01");
    let root = case.dir.path().display().to_string();
    let bundle = format!("{root}/fmc-hq-01.tar.gz!/results-fmc-hq-01/dir-archives");
    assert_eq!(
        s["conflicts"],
        serde_json::json!([{
            "about": "device-address",
            "device": "ftd-dc-02",
            "values": [
                {"value": "203.0.113.66", "at": format!("{bundle}/var-tmp/certs/1773480000/FAILED_PUSH")},
                {"value": "192.168.45.22", "at": format!("{bundle}/var-sf-peers/{dc02}/sftunnel.json")},
            ],
        }])
    );
    // Shown first in the finding about that device, not in the other device's.
    let pushed = |peer: &str| {
        let all = v["findings"].as_array().unwrap();
        all.iter().find(|f| f["kind"] == "cert-push-failed" && f["peer"] == peer).unwrap()["remediation"]["steps"][0]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(pushed("ftd-dc-02").starts_with("The sources disagree on the address of ftd-dc-02: 203.0.113.66 (in "));
    assert!(pushed("ftd-dc-02").contains("tlstriage plan writes no row for this device"));
    assert!(!pushed("ftd-branch-07").contains("disagree"));
    // The plan refuses the row and says why; the other device is planned as before.
    let (code, csv, text) = plan_files(&case);
    assert_eq!(code, 0);
    // The FMC's address is in none of the inputs: its line says so instead of an empty cell.
    assert_eq!(
        csv,
        "#device_name,ipaddr,login,password\n#fmc-hq-01,FMC-IP,admin,  (the FMC's address is in none of the inputs: \
write it in place of FMC-IP and remove the leading #)\nftd-branch-07,192.168.45.21,admin,\n"
    );
    assert!(text.contains("#   Conflict: the sources disagree on the address of ftd-dc-02"), "{text}");
    assert!(text.contains("no row is written for it"), "{text}");
    assert!(!text.lines().any(|l| !l.starts_with('#') && l.contains("203.0.113.66")), "{text}");
}

#[test]
fn a_loose_ca_and_ims_conf_beside_an_ftd_bundle_change_nothing() {
    let alone = Case::holding(FTD_BUNDLE, "ftd-branch-07.tar.gz");
    let (_, before) = alone.analyze();
    let case = Case::holding(FTD_BUNDLE, "ftd-branch-07.tar.gz");
    // A self-made InternalCA with the FMC's UUID, valid to 2036, and an FMC's ims.conf.
    case.write("cacert.pem", crate::common::certs::internal_ca(FMC_UUID, (2026, 3, 14), (2036, 3, 12)).as_bytes());
    case.write("ims.conf", &member(FMC_BUNDLE, "results-fmc-hq-01/dir-archives/etc/sf/ims.conf"));
    let (_, v) = case.analyze();
    assert_eq!(heads(&v), ["fmc-hq-01 expired"]);
    let s = system(&v, "fmc-hq-01");
    assert_eq!(s["internal_ca"]["not_after"], "2026-03-10T00:00:00Z");
    assert_eq!(s["fmc"]["version"], Value::Null, "a loose ims.conf names no FMC version");
    // Its one device is all the FMC's devices that is known: no upgrade offered.
    let renew = ["backup-fmc", "install-hotfix", "check-tunnels", "run-generate-certs", "push-with-copy-script"];
    assert_eq!(step_ids(s)[..5], renew);
    assert!(!s["next_steps"].to_string().contains("Do not run generate_certs.pl again"));
    let root = case.dir.path().display().to_string();
    let loose: Vec<&str> = s["loose"].as_array().unwrap().iter().map(|l| l["path"].as_str().unwrap()).collect();
    assert_eq!(loose, [format!("{root}/cacert.pem"), format!("{root}/ims.conf")]);
    assert!(s["loose"][0]["reason"]
        .as_str()
        .unwrap()
        .starts_with("an InternalCA file outside the tree of a known appliance"));
    assert!(s["loose"][1]["reason"].as_str().unwrap().starts_with("an ims.conf that is not at /etc/sf/ims.conf"));
    // The FTD bundle's findings stay as they were; the loose CA is judged as a file of its own.
    let lines = case.lines(&v);
    for l in alone.lines(&before) {
        assert!(lines.contains(&l), "{l} missing from {lines:#?}");
    }
}

/// A bundle that claims to be the FMC `fmc-ha-a` (same UUID) with a CA of its own valid to 2036.
fn claimant() -> Vec<u8> {
    let bundle = "samples/cases/fmc-ha/fmc-ha-a.tar.gz";
    let ims = member(bundle, "results-fmc-ha-a/dir-archives/etc/sf/ims.conf");
    let uuid = "41f0d2aa-7e3b-11e8-b0c1-5254003c9d01";
    let ca = crate::common::certs::internal_ca(uuid, (2026, 10, 1), (2036, 9, 30));
    crate::common::tgz(&[
        ("results-fmc-ha-a/dir-archives/etc/sf/ims.conf", ims),
        ("results-fmc-ha-a/dir-archives/etc/sf/ca_root/cacert.pem", ca.into_bytes()),
    ])
}

#[test]
fn fleet_keeps_a_second_bundle_with_the_same_uuid_and_another_ca_apart() {
    let case = Case::holding("samples/cases/fmc-ha/fmc-ha-a.tar.gz", "a/fmc-ha-a.tar.gz");
    case.write("b/fmc-ha-a.tar.gz", &claimant());
    let (a, b) = (case.path("a"), case.path("b"));
    let args = ["fleet", "--format", "json", "--year", "2026", "--now", "2026-11-23"];
    let r = crate::common::run(&[&args[..], &[a.to_str().unwrap(), b.to_str().unwrap()]].concat());
    assert_eq!(r.code, 1, "{}", r.stdout);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let rows = doc["systems"].as_array().unwrap();
    let shown: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {}",
                r["name"],
                r["state"],
                r["ca_not_after"],
                r["conflicts"].as_array().map_or(0, Vec::len)
            )
        })
        .collect();
    assert_eq!(
        shown,
        ["\"fmc-ha-a\" \"expired\" \"2026-09-30T00:00:00Z\" 1", "\"fmc-ha-a\" \"healthy\" \"2036-09-30T00:00:00Z\" 1",]
    );
    assert_ne!(rows[0]["id"], rows[1]["id"]);
    let conflict = rows[0]["conflicts"][0].as_str().unwrap();
    assert!(conflict.starts_with("other inputs claim the same FMC UUID with another InternalCA: "), "{conflict}");
    assert!(conflict.contains(b.to_str().unwrap()), "{conflict}");
    // In one run, the two trees of one FMC that disagree on its CA: a conflict, judged on the
    // CA that ends first.
    let (_, v) = case.analyze();
    let s = system(&v, "fmc-ha-a");
    assert_eq!(s["state"], "expired");
    assert_eq!(s["internal_ca"]["not_after"], "2026-09-30T00:00:00Z");
    assert_eq!(s["conflicts"][0]["about"], "internal-ca");
}

#[test]
fn fleet_still_merges_a_renewal_its_device_has_not_received() {
    // The FTD's bundle holds the old CA, which the FMC's bundle shows as the CA it replaced.
    let args = ["fleet", "--format", "json", "--year", "2026", "--now", "2026-11-23", FTD_BUNDLE, FMC_BUNDLE];
    let r = crate::common::run(&args);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let rows = doc["systems"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{doc:#}");
    assert_eq!(rows[0]["state"], "renewed-push-pending");
    assert_eq!(rows[0]["name"], "fmc-hq-01");
    assert_eq!(rows[0].get("conflicts"), None);
}
