//! Hostile inputs, part 1: every file under `samples/` cut at every 1 KiB boundary (and at half
//! its length and one byte short, so that small files are cut too), each analysed beside an
//! untouched reference input whose findings must not change.

use crate::common;

use std::path::Path;

use common::hostile::*;
use tlstriage::model::{Format, Status};

/// Where a capture cut at `cut` ends: `None` at a record boundary, else the message the reader
/// gives (`frame N` for pcap, `block B (before frame F` for pcapng).
fn capture_cut(data: &[u8], cut: usize, pcapng: bool) -> Option<String> {
    let u32_at = |at: usize| u32::from_le_bytes(data[at..at + 4].try_into().unwrap()) as usize;
    let (mut pos, mut block, mut frames) = if pcapng { (0, 0, 0) } else { (24, 0, 0) };
    loop {
        if pos == cut {
            return None;
        }
        let len = if pcapng { u32_at(pos + 4) } else { 16 + u32_at(pos + 8) };
        if pos + len > cut {
            return Some(if pcapng {
                format!("block {} (before frame {}", block + 1, frames + 1)
            } else {
                format!("frame {}", block + 1)
            });
        }
        if pcapng && u32_at(pos) == 6 {
            frames += 1;
        }
        block += 1;
        pos += len;
    }
}

/// The cuts of a file of `len` bytes.
fn cuts(len: usize) -> Vec<usize> {
    let mut c: Vec<usize> =
        (1024..len).step_by(1024).chain([len / 2, len.saturating_sub(1)]).filter(|&c| c > 0).collect();
    c.sort();
    c.dedup();
    c
}

/// Check the status of the cut file `path` (the first `cut` bytes of `data`).
fn check_status(r: &tlstriage::analyze::Report, path: &Path, data: &[u8], cut: usize) {
    let p = path.display().to_string();
    // A plain .gz is reported under the path of what it holds (`messages.1.gz!/messages.1`).
    let inner = format!("{p}!/");
    let st = r.inputs.iter().find(|i| i.path == p).or_else(|| r.inputs.iter().find(|i| i.path.starts_with(&inner)));
    let st = st.unwrap_or_else(|| panic!("{p} not among the inputs: {:#?}", r.inputs));
    let msg = st.message.clone().unwrap_or_default();
    let what = format!("{p} cut at {cut} of {}: {st:?}", data.len());
    match st.format {
        Format::Pcap | Format::Pcapng => match capture_cut(data, cut, st.format == Format::Pcapng) {
            None => assert_eq!((st.status, st.message.as_deref()), (Status::Ok, None), "{what}"),
            Some(at) => {
                assert_eq!(st.status, Status::Partial, "{what}");
                assert!(msg.starts_with(&format!("{p}: the file ends inside {at}")), "{what}");
                assert!(msg.contains("cut off); read up to there"), "{what}");
            }
        },
        Format::Syslog if st.path != p => {
            assert_eq!(st.status, Status::Partial, "{what}");
            assert!(msg.starts_with("gzip: gzip stream broken after "), "{what}");
        }
        Format::Syslog | Format::TlsProxyLog => {
            if data[cut - 1] == b'\n' {
                assert_eq!((st.status, st.message.as_deref()), (Status::Ok, None), "{what}");
            } else {
                let line = data[..cut].iter().filter(|&&b| b == b'\n').count() + 1;
                assert_eq!(st.status, Status::Partial, "{what}");
                assert!(
                    msg.starts_with(&format!("line {line}, the last, has no line end: the file looks cut off")),
                    "{what}"
                );
            }
        }
        Format::Tar => {
            // A bundle: the tar inside the gzip stream breaks off.
            assert_eq!(st.status, Status::Partial, "{what}");
            assert!(msg.contains("incomplete deflate stream") || msg.contains("unexpected end of file"), "{what}");
            assert!(msg.contains("entries read before"), "{what}");
        }
        Format::Gzip => {
            // A plain .gz too short to give anything.
            assert_eq!(st.status, Status::Error, "{what}");
            assert!(msg.starts_with("gzip stream broken after 0 bytes"), "{what}");
        }
        Format::Excerpt | Format::TunnelStatus => {
            // A case note cut before its first message is read but gives nothing.
            if st.status == Status::Skipped {
                assert!(msg.starts_with("no sftunneld message or status output"), "{what}");
            } else if data[cut - 1] == b'\n' {
                assert_eq!(st.status, Status::Ok, "{what}");
            } else {
                assert_eq!(st.status, Status::Partial, "{what}");
                assert!(msg.contains("has no line end: the file looks cut off"), "{what}");
            }
        }
        f if f == Format::named("openssl") => {
            // What the cut output still shows is read; a printed certificate or a PEM block cut
            // inside is a problem the status names.
            assert!(msg.starts_with("openssl output: "), "{what}");
            let cut_block = msg.contains("`Certificate:` block without") || msg.contains("block: no END line");
            assert_eq!(st.status, if cut_block { Status::Partial } else { Status::Ok }, "{what}");
        }
        Format::Unknown => {
            // A README, or a case note cut before the first line that carries a message.
            assert!(p.ends_with("README.md") || p.contains("/samples/field/"), "{what}");
            assert_eq!((st.status, msg.as_str()), (Status::Skipped, "not a format tlstriage reads"), "{what}");
        }
        other => panic!("unexpected format {other:?}: {what}"),
    }
    for inner in r.inputs.iter().filter(|i| i.path.starts_with(&inner)) {
        if inner.status != Status::Ok {
            assert!(inner.message.as_deref().is_some_and(|m| !m.is_empty()), "{inner:?}");
        }
    }
}

#[test]
fn every_sample_cut_at_every_kib_leaves_the_reference_alone() {
    let reference = reference();
    let tmp = tempfile::tempdir().unwrap();
    let mut runs = 0;
    for rel in sample_files() {
        let data = std::fs::read(root().join(&rel)).unwrap();
        for cut in cuts(data.len()) {
            let path = tmp.path().join("cut").join(&rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &data[..cut]).unwrap();
            let r = run_lib(&[reference.dir.clone(), path.clone()]);
            check_status(&r, &path, &data, cut);
            assert_reference_unchanged(&findings_json(&r), &format!("{} cut at {cut}", rel.display()));
            runs += 1;
        }
    }
    // Every sample file at every cut: the count moves only when samples are added or grow.
    assert_eq!(runs, 180);
}

#[test]
fn a_cut_rotated_log_names_the_broken_gzip_stream() {
    let tmp = tempfile::tempdir().unwrap();
    let data = std::fs::read(root().join("samples/logs/rotated/messages.1.gz")).unwrap();
    let path = tmp.path().join("messages.1.gz");
    // Without its 8-byte trailer (CRC and size): every line is there, the stream is not whole.
    std::fs::write(&path, &data[..data.len() - 8]).unwrap();
    let r = run_lib(std::slice::from_ref(&path));
    let inner = format!("{}!/messages.1", path.display());
    let st = r.inputs.iter().find(|i| i.path == inner).unwrap_or_else(|| panic!("{:#?}", r.inputs));
    assert_eq!(st.status, Status::Partial);
    let msg = st.message.as_deref().unwrap();
    assert!(msg.starts_with("gzip: gzip stream broken after "), "{msg}");
    // The attempts before the break count.
    assert_eq!(r.findings.iter().map(|f| (f.kind.as_str(), f.count)).collect::<Vec<_>>(), [("expired-ca", 2)]);
}
