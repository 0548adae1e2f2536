//! Tests of the FAILED_PUSH parser, on rows as the seed transcript shows them (wrapped at the
//! screen width).

use super::*;
use crate::model::{Format, Parsed};

const FMC_UUID: &str = "cdb123c8-4347-11ef-aca1-f3aa241412a1";

/// The seed's `cat /var/tmp/certs/1728915794/FAILED_PUSH` output; the last row, cut off in the
/// seed, is completed the way the others wrap.
const SEED: &str = "\
root@fmcv72-stejanss:/Volume/home/admin# cat /var/tmp/certs/1728915794/FAILED_PUSH
c8d5d5c6-87c9-11ef-a993-b9831565bc4e BSNS-1120-1 10.48.67.54 /etc/sf/ca_root/cacert.pem /var/sf/peers/cdb123c8-4
347-11ef-aca1-f3aa241412a1/cacert.pem
c8d5d5c6-87c9-11ef-a993-b9831565bc4e BSNS-1120-1 10.48.67.54 /var/sf/peers/c8d5d5c6-87c9-11ef-a993-b9831565bc4e/c
erts_pushed//sftunnel-key.pem /var/sf/peers/cdb123c8-4347-11ef-aca1-f3aa241412a1/sftunnel-key.pem
c8d5d5c6-87c9-11ef-a993-b9831565bc4e BSNS-1120-1 10.48.67.54 /var/sf/peers/c8d5d5c6-87c9-11ef-a993-b9831565bc4e/c
erts_pushed//sftunnel-cert.pem /var/sf/peers/cdb123c8-4347-11ef-aca1-f3aa241412a1/sftunnel-cert.pem
6bf1143a-8a2e-11ef-92d8-fd927e807d77 EMEA-FPR3110-08 10.48.189.37 /etc/sf/ca_root/cacert.pem /var/sf/peers/cdb12
3c8-4347-11ef-aca1-f3aa241412a1/cacert.pem
6bf1143a-8a2e-11ef-92d8-fd927e807d77 EMEA-FPR3110-08 10.48.189.37 /var/sf/peers/6bf1143a-8a2e-11ef-92d8-fd927e807
d77/certs_pushed//sftunnel-key.pem /var/sf/peers/cdb123c8-4347-11ef-aca1-f3aa241412a1/sftunnel-key.pem
6bf1143a-8a2e-11ef-92d8-fd927e807d77 EMEA-FPR3110-08 10.48.189.37 /var/sf/peers/6bf1143a-8a2e-11ef-92d8-fd927e807
d77/certs_pushed//sftunnel-cert.pem /var/sf/peers/cdb123c8-4347-11ef-aca1-f3aa241412a1/sftunnel-cert.pem
root@fmcv72-stejanss:/Volume/home/admin#
";

fn row(uuid: &str, name: &str, ip: &str, source: &str, file: &str) -> PushRow {
    PushRow {
        device_uuid: uuid.into(),
        device_name: name.into(),
        device_ip: ip.into(),
        source: source.into(),
        destination: format!("/var/sf/peers/{FMC_UUID}/{file}"),
        line: None,
    }
}

fn expected() -> Vec<PushRow> {
    let (a, b) = ("c8d5d5c6-87c9-11ef-a993-b9831565bc4e", "6bf1143a-8a2e-11ef-92d8-fd927e807d77");
    vec![
        row(a, "BSNS-1120-1", "10.48.67.54", "/etc/sf/ca_root/cacert.pem", "cacert.pem"),
        row(
            a,
            "BSNS-1120-1",
            "10.48.67.54",
            &format!("/var/sf/peers/{a}/certs_pushed//sftunnel-key.pem"),
            "sftunnel-key.pem",
        ),
        row(
            a,
            "BSNS-1120-1",
            "10.48.67.54",
            &format!("/var/sf/peers/{a}/certs_pushed//sftunnel-cert.pem"),
            "sftunnel-cert.pem",
        ),
        row(b, "EMEA-FPR3110-08", "10.48.189.37", "/etc/sf/ca_root/cacert.pem", "cacert.pem"),
        row(
            b,
            "EMEA-FPR3110-08",
            "10.48.189.37",
            &format!("/var/sf/peers/{b}/certs_pushed//sftunnel-key.pem"),
            "sftunnel-key.pem",
        ),
        row(
            b,
            "EMEA-FPR3110-08",
            "10.48.189.37",
            &format!("/var/sf/peers/{b}/certs_pushed//sftunnel-cert.pem"),
            "sftunnel-cert.pem",
        ),
    ]
}

#[test]
fn seed_transcript_with_wrapped_rows() {
    let (rows, first, problems) = parse_rows(SEED);
    assert_eq!(rows, expected());
    assert_eq!(first, 2);
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn unwrapped_file_and_generated_time_from_path() {
    let text: String = expected()
        .iter()
        .map(|r| format!("{} {} {} {} {}\n", r.device_uuid, r.device_name, r.device_ip, r.source, r.destination))
        .collect();
    let ctx = IngestContext::new(Timestamp::UNIX_EPOCH, std::sync::Arc::new(crate::x509::CertCache::default()));
    let mut src = Source {
        path: "fmc.tgz!/var/tmp/certs/1728915794/FAILED_PUSH".into(),
        data: crate::model::Data::Bytes(text.as_bytes()),
        mtime: None,
        depth: 1,
    };
    let out = Parsed::read_with(&mut src, Format::FailedPush, |src, sink| parse(src, &ctx, sink));
    assert_eq!(out.inputs[0].status, Status::Ok);
    assert_eq!(out.inputs[0].format, Format::FailedPush);
    match &out.facts[..] {
        [Fact::FailedPush { evidence, generated, rows }] => {
            assert_eq!(evidence.path, "fmc.tgz!/var/tmp/certs/1728915794/FAILED_PUSH");
            assert_eq!(evidence.line, Some(1));
            assert_eq!(*generated, Some(Timestamp::from_second(1_728_915_794).unwrap()));
            assert_eq!(rows, &expected());
        }
        other => panic!("unexpected facts {other:?}"),
    }
}

#[test]
fn row_cut_off_as_in_the_seed_is_reported() {
    // The seed's transcript ends the sixth row in the middle of its source path.
    let cut = SEED.replace(
        "d77/certs_pushed//sftunnel-cert.pem /var/sf/peers/cdb123c8-4347-11ef-aca1-f3aa241412a1/sftunnel-cert.pem\n",
        "",
    );
    let ctx = IngestContext::new(Timestamp::UNIX_EPOCH, std::sync::Arc::new(crate::x509::CertCache::default()));
    let mut src = Source {
        path: "transcript.txt".into(),
        data: crate::model::Data::Bytes(cut.as_bytes()),
        mtime: None,
        depth: 0,
    };
    let out = Parsed::read_with(&mut src, Format::FailedPush, |src, sink| parse(src, &ctx, sink));
    assert_eq!(out.inputs[0].status, Status::Partial);
    assert_eq!(out.inputs[0].message.as_deref(), Some("line 12: incomplete row (4 fields, 5 expected)"));
    match &out.facts[..] {
        [Fact::FailedPush { generated, rows, .. }] => {
            assert_eq!(rows[..], expected()[..5]);
            // The time comes from the `cat` command line of the transcript.
            assert_eq!(*generated, Some(Timestamp::from_second(1_728_915_794).unwrap()));
        }
        other => panic!("unexpected facts {other:?}"),
    }
}

#[test]
fn console_lines_of_generate_certs() {
    let text = format!(
        "Current ca_root expires in 3646 days - at Oct  9 10:12:50 2034 GMT\n\
Failed to push to BSNS-1120-1 = /var/sf/peers/{FMC_UUID}/cacert.pem\n\
Failed to push to BSNS-1120-1 = /var/sf/peers/{FMC_UUID}/sftunnel-key.pem\n\
\n\
Some files were failed to be pushed to remote peers. For more details check /var/tmp/certs/1728915794/FAILED_PUSH\n"
    );
    assert!(looks_like("Failed to push to BSNS-1120-1 = /var/sf/peers/x/cacert.pem"));
    let (rows, first, problems) = parse_rows(&text);
    assert!(problems.is_empty());
    assert_eq!(first, 2);
    assert_eq!(
        rows,
        vec![
            PushRow {
                device_uuid: String::new(),
                device_name: "BSNS-1120-1".into(),
                device_ip: String::new(),
                source: String::new(),
                destination: format!("/var/sf/peers/{FMC_UUID}/cacert.pem"),
                line: None
            },
            PushRow {
                device_uuid: String::new(),
                device_name: "BSNS-1120-1".into(),
                device_ip: String::new(),
                source: String::new(),
                destination: format!("/var/sf/peers/{FMC_UUID}/sftunnel-key.pem"),
                line: None
            },
        ]
    );
    assert_eq!(generated_from(&text), Some(Timestamp::from_second(1_728_915_794).unwrap()));
    // With the list in the same transcript, the console lines add nothing.
    let both = format!("{text}{SEED}");
    assert_eq!(parse_rows(&both).0, expected());
}

#[test]
fn looks_like_rows_only() {
    assert!(looks_like(
        "c8d5d5c6-87c9-11ef-a993-b9831565bc4e BSNS-1120-1 10.48.67.54 /var/sf/peers/c8d5d5c6-87c9-11ef-a993-b9831565bc4e/c"
    ));
    assert!(!looks_like("347-11ef-aca1-f3aa241412a1/cacert.pem"));
    assert!(!looks_like("c8d5d5c6-87c9-11ef-a993-b9831565bc4e is a uuid"));
    assert!(!looks_like("Failed to push to = nothing"));
    assert_eq!(generated_from("/var/tmp/certs/abc/FAILED_PUSH"), None);
}

#[test]
fn rows_with_shell_characters_are_kept_for_the_rules_to_refuse() {
    // The parser keeps the row as written, so that the refusal is reported (finding and plan)
    // instead of the row vanishing; `firepower::shape` refuses it.
    let text = "c8d5d5c6-87c9-11ef-a993-b9831565bc4e ftd$(reboot) 10.0.0.1 /etc/sf/ca_root/cacert.pem /var/sf/peers/x/cacert.pem\n";
    let (rows, _, problems) = parse_rows(text);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].device_name, "ftd$(reboot)");
    let why = crate::firepower::shape::check_row(&rows[0]).unwrap_err();
    assert_eq!(why, "line 1: device name \"ftd$(reboot)\" has characters a device name never has");
    let console = "Failed to push to ftd-z = /var/sf/peers/c8d5d5c6-87c9-11ef-a993-b9831565bc4e/$(touch${IFS}PWNED)\n";
    let (rows, _, _) = parse_rows(console);
    assert_eq!(rows.len(), 1);
    assert!(crate::firepower::shape::check_row(&rows[0])
        .unwrap_err()
        .starts_with("line 1: destination \"/var/sf/peers/"));
}

#[test]
fn names_with_blanks_or_vertical_tabs_keep_their_rows_for_the_rules_to_refuse() {
    // A name of several words (a blank, a vertical tab) made the whole list unknown: its rows
    // are read, the name as written between the UUID and the address, and the shape check
    // refuses that row only.
    let peers = "/var/sf/peers/3b9c1e52-8a41-11e4-9c2f-5254001a7c33";
    let text = format!(
        "a7d20c4e-8b3f-11ee-9c41-6f2e81d05b19 ftd branch 07 192.168.45.21 /etc/sf/ca_root/cacert.pem {peers}/cacert.pem\n\
5e19b3f7-8c20-11ee-b2d6-0c4a7f93e1d8 ftd\u{b}dc-02 192.168.45.22 /etc/sf/ca_root/cacert.pem {peers}/cacert.pem\n\
c8d5d5c6-87c9-11ef-a993-b9831565bc4e ftd-ok 192.168.45.23 /etc/sf/ca_root/cacert.pem {peers}/cacert.pem\n"
    );
    assert!(text.lines().all(looks_like));
    let (rows, first, problems) = parse_rows(&text);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(first, 1);
    let names: Vec<&str> = rows.iter().map(|r| r.device_name.as_str()).collect();
    assert_eq!(names, ["ftd branch 07", "ftd\u{b}dc-02", "ftd-ok"]);
    assert_eq!(rows[1].device_ip, "192.168.45.22");
    assert_eq!(rows[1].destination, format!("{peers}/cacert.pem"));
    let why: Vec<Result<(), String>> = rows.iter().map(crate::firepower::shape::check_row).collect();
    assert_eq!(why[0], Err("line 1: device name \"ftd branch 07\" has characters a device name never has".into()));
    assert_eq!(why[1], Err("line 2: device name \"ftd\\x0bdc-02\" has characters a device name never has".into()));
    assert_eq!(why[2], Ok(()));
}
