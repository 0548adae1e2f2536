//! The same content reached two or three ways counts once: a folder and a file in it, a symbolic
//! link, a copy under another name, the same bundle inside a case archive and given alone, a log
//! given plain and gzipped. The JSON `inputs` says which place was a duplicate of which.

use std::io::Write;
use std::path::Path;

use crate::common;

const FMC: &str = "samples/bundles/fmc-hq-01.tar.gz";
const FTD: &str = "samples/bundles/ftd-branch-07.tar.gz";

use common::repo as root;

/// A plain tar holding the two sample bundles, as a case archive would.
fn case_tar(at: &Path) {
    let mut b = tar::Builder::new(std::fs::File::create(at).unwrap());
    for p in [FMC, FTD] {
        let name = Path::new(p).file_name().unwrap();
        b.append_path_with_name(root(p), name).unwrap();
    }
    b.finish().unwrap();
}

/// `(path, duplicate_of)` of every input that has one.
fn duplicates(v: &serde_json::Value) -> Vec<(String, String)> {
    v["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| {
            let of = i["duplicate_of"].as_str()?;
            assert_eq!(i["status"], "skipped", "{i}");
            Some((i["path"].as_str().unwrap().to_string(), of.to_string()))
        })
        .collect()
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

#[test]
fn a_bundle_reached_four_ways_counts_once() {
    let (_, alone) = common::analyze_json(&["samples/bundles"], &[]);
    let dir = tempfile::tempdir().unwrap();
    let d = |n: &str| dir.path().join(n).display().to_string();
    case_tar(&dir.path().join("case.tar"));
    std::fs::copy(root(FMC), dir.path().join("copy-of-fmc.tgz")).unwrap();
    std::os::unix::fs::symlink(root(FTD), dir.path().join("ftd-link.tgz")).unwrap();
    let args = ["samples/bundles", FMC, &d("copy-of-fmc.tgz"), &d("ftd-link.tgz"), &d("case.tar")];
    for threads in ["1", "2"] {
        let (code, v) = common::analyze_json(&args, &["--threads", threads]);
        assert_eq!(code, 1);
        assert_eq!(common::finding_lines(&v), common::finding_lines(&alone));
        assert_eq!(v["findings"][0]["count"], alone["findings"][0]["count"]);
        assert_eq!(
            duplicates(&v),
            vec![
                pair(FMC, FMC),
                pair(&d("copy-of-fmc.tgz"), FMC),
                pair(&d("ftd-link.tgz"), FTD),
                pair(&format!("{}!/fmc-hq-01.tar.gz", d("case.tar")), FMC),
                pair(&format!("{}!/ftd-branch-07.tar.gz", d("case.tar")), FTD),
            ],
            "threads {threads}"
        );
        let copy = common::input(&v, &d("copy-of-fmc.tgz"));
        assert_eq!(copy["format"], "tar");
        assert_eq!(copy["message"], format!("same content as {FMC}: counted once"));
    }
}

#[test]
fn the_case_archive_given_first_is_the_one_read() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case.tar");
    case_tar(&case);
    let case = case.display().to_string();
    let (_, alone) = common::analyze_json(&["samples/bundles"], &[]);
    let (_, v) = common::analyze_json(&[&case, "samples/bundles"], &[]);
    assert_eq!(common::finding_lines(&v), common::finding_lines(&alone));
    assert_eq!(
        duplicates(&v),
        vec![pair(FMC, &format!("{case}!/fmc-hq-01.tar.gz")), pair(FTD, &format!("{case}!/ftd-branch-07.tar.gz"))]
    );
    let brief = common::run(&["analyze", "--year", "2026", "--now", "2026-11-23", &case, "samples/bundles"]);
    assert!(
        brief
            .stdout
            .contains("Inputs: 18 read, 2 counted once (same content), 1 skipped (the places counted once: -v)"),
        "{}",
        brief.stdout
    );
    let table = common::run(&["analyze", "--year", "2026", "--now", "2026-11-23", &case, "samples/bundles", "-v"]);
    assert!(table.stdout.contains("  2 places counted once (same content as an earlier input):\n"), "{}", table.stdout);
    assert!(table
        .stdout
        .contains(&format!("  same     {FMC}: same content as {case}!/fmc-hq-01.tar.gz: counted once\n")));
    // The HTML page lists the copies as its inputs line counts them: counted once, not skipped.
    let html = common::run(&[
        "analyze",
        "--year",
        "2026",
        "--now",
        "2026-11-23",
        "--format",
        "html",
        &case,
        "samples/bundles",
    ]);
    assert!(html.stdout.contains("18 read, 2 counted once (same content), 1 skipped."), "{}", html.stdout);
    assert_eq!(html.stdout.matches("<span class=\"status\">counted once</span>").count(), 2);
    assert_eq!(html.stdout.matches("<span class=\"status\">skipped</span>").count(), 1);
}

#[test]
fn a_log_plain_and_gzipped_counts_once() {
    let log = "samples/logs/ftd-expired-ca/messages";
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("messages.1.gz");
    let mut enc = flate2::write::GzEncoder::new(std::fs::File::create(&gz).unwrap(), flate2::Compression::default());
    enc.write_all(&std::fs::read(root(log)).unwrap()).unwrap();
    enc.finish().unwrap();
    let gz = gz.display().to_string();
    let (_, once) = common::analyze_json(&[log], &[]);
    let (_, v) = common::analyze_json(&[log, &gz], &[]);
    assert_eq!(common::finding_lines(&v), common::finding_lines(&once));
    assert_eq!(v["findings"][0]["count"], 4);
    assert_eq!(duplicates(&v), vec![pair(&format!("{gz}!/messages.1"), log)]);
}

#[test]
fn certificate_files_at_two_places_stay_two_facts() {
    // The old CA sits on the FTD and, as a stale copy, in the FMC's certs_pushed/: both are
    // evidence of the expired CA, and the copy is needed to see the half-done push.
    let (_, v) = common::analyze_json(&["samples/bundles"], &[]);
    assert!(duplicates(&v).is_empty());
    assert!(common::kinds(&v).contains(&"ca-mismatch"));
}

#[test]
fn a_big_log_streamed_out_of_archives_counts_once() {
    // Longer than what is sniffed before reading, so every member is streamed out of its archive
    // and judged by the hash taken on the same pass: two copies in one tar, a gzipped copy, and
    // the plain file given last.
    let one = std::fs::read(root("samples/logs/ftd-expired-ca/messages")).unwrap();
    let big = one.repeat((300_000 / one.len()).max(2));
    let dir = tempfile::tempdir().unwrap();
    let d = |n: &str| dir.path().join(n).display().to_string();
    std::fs::write(dir.path().join("big.log"), &big).unwrap();
    let mut enc =
        flate2::write::GzEncoder::new(std::fs::File::create(d("big.log.gz")).unwrap(), flate2::Compression::fast());
    enc.write_all(&big).unwrap();
    enc.finish().unwrap();
    let mut b = tar::Builder::new(std::fs::File::create(d("case.tar")).unwrap());
    for name in ["a/messages", "b/messages"] {
        let mut h = tar::Header::new_gnu();
        h.set_size(big.len() as u64);
        h.set_mode(0o644);
        b.append_data(&mut h, name, &big[..]).unwrap();
    }
    b.finish().unwrap();
    let (_, alone) = common::analyze_json(&[&d("big.log")], &[]);
    let first = format!("{}!/a/messages", d("case.tar"));
    for threads in ["1", "2"] {
        let (_, v) = common::analyze_json(&[&d("case.tar"), &d("big.log.gz"), &d("big.log")], &["--threads", threads]);
        assert_eq!(common::finding_lines(&v), common::finding_lines(&alone), "threads {threads}");
        assert_eq!(v["findings"][0]["count"], alone["findings"][0]["count"]);
        assert_eq!(
            duplicates(&v),
            vec![
                pair(&format!("{}!/b/messages", d("case.tar")), &first),
                pair(&format!("{}!/big.log", d("big.log.gz")), &first),
                pair(&d("big.log"), &first),
            ],
            "threads {threads}"
        );
    }
}
