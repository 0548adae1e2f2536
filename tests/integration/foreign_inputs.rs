//! Inputs tlstriage knows but does not read: an editor's working files beside a case's log
//! (which hold the log's lines and would count them again), and archives or encrypted files of
//! kinds it does not open, each listed with what it is and what to do.

use serde_json::Value;

use crate::common::case::Case;
use crate::common::repo;

const LOG: &str = "samples/logs/ftd-expired-ca/messages";

/// `path status note` of each input of a case, the case's folder written `CASE`.
fn inputs(case: &Case, v: &Value) -> Vec<String> {
    let root = case.dir.path().display().to_string();
    let all = v["inputs"].as_array().unwrap();
    let line = |i: &Value| format!("{} {} {}", i["path"].as_str().unwrap(), i["status"], i["message"]);
    all.iter().map(|i| line(i).replace(&root, "CASE")).collect()
}

#[test]
fn an_editors_working_copies_of_a_log_are_listed_and_not_read() {
    let log = std::fs::read(repo(LOG)).unwrap();
    let alone = Case::holding(LOG, "messages");
    let (_, expected) = alone.analyze();
    let case = Case::holding(LOG, "messages");
    // A vim swap file keeps the text being edited in blocks after its header; Emacs keeps an
    // auto-save copy of it as `#name#`.
    let mut swap = b"b0VIM 9.0\0\0\0\0".to_vec();
    swap.resize(1024, 0);
    swap.extend_from_slice(&log);
    case.write(".notes.txt.swp", &swap).write("#notes.txt#", &log);
    let (code, v) = case.analyze();
    assert_eq!(code, 1);
    assert_eq!(case.lines(&v), alone.lines(&expected), "the same findings, counted once");
    assert_eq!(
        inputs(&case, &v),
        [
            "CASE/#notes.txt# \"skipped\" \"an Emacs auto-save file (an editor's working copy, not evidence)\"",
            "CASE/.notes.txt.swp \"skipped\" \"a vim swap file (an editor's working copy, not evidence)\"",
            "CASE/messages \"ok\" null",
        ]
    );
}

#[test]
fn archives_and_encrypted_files_it_does_not_open_say_what_to_do() {
    let case = Case::new();
    case.write("bundle.zip", b"PK\x03\x04\x14\x00\x00\x00\x08\x00\x02\x1a")
        .write("secret.zip", b"PK\x03\x04\x14\x00\x09\x00\x08\x00\xa9\x76")
        .write("bundle.tar.gz.enc", b"Salted__\x8c\x72\x73\xcd\x6f\x4a\x67\x85")
        .write("bundle.tar.xz", b"\xfd7zXZ\x00\x00\x04\xe6\xd6\xb4\x46");
    let (code, v) = case.analyze();
    assert_eq!(code, 2, "nothing could be read");
    assert_eq!(
        inputs(&case, &v),
        [
            "CASE/bundle.tar.gz.enc \"skipped\" \"encrypted with `openssl enc`: decrypt it first, then give the result\"",
            "CASE/bundle.tar.xz \"skipped\" \"xz-compressed: decompress it (xz -d, or tar xJf for a .tar.xz) and give the result\"",
            "CASE/bundle.zip \"skipped\" \"a zip archive: extract it (unzip) and give the folder; tlstriage reads .tar.gz and .gz in place\"",
            "CASE/secret.zip \"skipped\" \"a zip archive with encrypted members: extract it with its password, then give the folder\"",
        ]
    );
}
