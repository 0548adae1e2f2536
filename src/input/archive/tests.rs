//! Tests of archive reading; every archive is built here in memory with the `tar` and `flate2`
//! writers.

use std::io::Write;

use flate2::write::GzEncoder;
use flate2::Compression;
use jiff::Timestamp;
use tar::{Builder, EntryType, Header};

use crate::model::Limits;
use crate::model::{DeviceRole, Fact};
use crate::model::{Format, IngestContext, Parsed, Source, Status};

const FMC_IMS: &[u8] = b"APPLIANCE_UUID=cdb123c8-4347-11ef-aca1-f3aa241412a1\nSWVERSION=7.2.5\nMODEL_TYPE=CONSOLE\n";
const FTD_IMS: &[u8] = b"APPLIANCE_UUID=c8d5d5c6-87c9-11ef-a993-b9831565bc4e\nSWVERSION=7.2.5\nMODEL_TYPE=SENSOR\n";
const PUSH_1: &[u8] = b"c8d5d5c6-87c9-11ef-a993-b9831565bc4e BSNS-1120-1 10.48.67.54 /etc/sf/ca_root/cacert.pem \
/var/sf/peers/cdb123c8-4347-11ef-aca1-f3aa241412a1/cacert.pem\n";
const PUSH_2: &[u8] = b"6bf1143a-8a2e-11ef-92d8-fd927e807d77 EMEA-FPR3110-08 10.48.189.37 /etc/sf/ca_root/cacert.pem \
/var/sf/peers/cdb123c8-4347-11ef-aca1-f3aa241412a1/cacert.pem\n";

fn header(size: usize) -> Header {
    let mut h = Header::new_gnu();
    h.set_size(size as u64);
    h.set_mode(0o644);
    h.set_mtime(1_728_915_794);
    h.set_entry_type(EntryType::Regular);
    h
}

fn tar_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = Builder::new(Vec::new());
    for (name, data) in entries {
        b.append_data(&mut header(data.len()), name, *data).unwrap();
    }
    b.into_inner().unwrap()
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn run_with(path: &str, data: &[u8], limits: Limits) -> Parsed {
    let mut ctx = IngestContext::new(Timestamp::UNIX_EPOCH, std::sync::Arc::new(crate::x509::CertCache::default()));
    ctx.limits = limits;
    let mut out = Parsed::default();
    crate::input::ingest(
        Source { path: path.into(), data: crate::model::Data::Bytes(data), mtime: None, depth: 0 },
        &ctx,
        &mut out,
    );
    out
}

fn run(path: &str, data: &[u8]) -> Parsed {
    run_with(path, data, Limits::default())
}

/// `(evidence path, role)` of every Device fact.
fn devices(p: &Parsed) -> Vec<(String, DeviceRole)> {
    p.facts
        .iter()
        .filter_map(|f| match f {
            Fact::Device { evidence, device } => Some((evidence.path.clone(), device.role)),
            _ => None,
        })
        .collect()
}

fn line<'a>(p: &'a Parsed, path: &str) -> &'a crate::model::InputStatus {
    p.inputs.iter().find(|i| i.path == path).unwrap_or_else(|| panic!("no input {path} in {:#?}", p.inputs))
}

#[test]
fn case_archive_holding_two_bundles() {
    let fmc = gz(&tar_of(&[("etc/sf/ims.conf", FMC_IMS), ("var/tmp/certs/1728915794/FAILED_PUSH", PUSH_1)]));
    let ftd = gz(&tar_of(&[("./etc/sf/ims.conf", FTD_IMS), ("dir-archives/var-log/noise.bin", b"\x01\x02")]));
    let case = gz(&tar_of(&[("case/fmc.tar.gz", &fmc), ("case/ftd.tgz", &ftd)]));
    let out = run("case.tar.gz", &case);
    assert_eq!(
        devices(&out),
        vec![
            ("case.tar.gz!/case/fmc.tar.gz!/etc/sf/ims.conf".to_string(), DeviceRole::Fmc),
            ("case.tar.gz!/case/ftd.tgz!/etc/sf/ims.conf".to_string(), DeviceRole::Ftd),
        ]
    );
    let push = out.facts.iter().find_map(|f| match f {
        Fact::FailedPush { evidence, generated, rows } => Some((evidence.path.clone(), *generated, rows.len())),
        _ => None,
    });
    assert_eq!(
        push,
        Some((
            "case.tar.gz!/case/fmc.tar.gz!/var/tmp/certs/1728915794/FAILED_PUSH".to_string(),
            Some(Timestamp::from_second(1_728_915_794).unwrap()),
            1
        ))
    );
    let top = line(&out, "case.tar.gz");
    assert_eq!((top.format, top.status, top.message.as_deref()), (Format::Tar, Status::Ok, Some("2 entries")));
    let inner = line(&out, "case.tar.gz!/case/ftd.tgz");
    assert_eq!(inner.message.as_deref(), Some("2 entries, 1 not in a format tlstriage reads"));
    // The unreadable entry is counted, not listed.
    assert_eq!(out.inputs.len(), 6);
}

#[test]
fn rotated_gz_with_two_members() {
    let mut data = gz(PUSH_1);
    data.extend(gz(PUSH_2));
    let bundle = tar_of(&[("dir-archives/var-log/messages.1.gz", &data)]);
    let out = run("b.tar", &bundle);
    let st = line(&out, "b.tar!/dir-archives/var-log/messages.1.gz!/messages.1");
    assert_eq!(
        (st.format, st.status, st.bytes),
        (Format::FailedPush, Status::Ok, (PUSH_1.len() + PUSH_2.len()) as u64)
    );
    match &out.facts[..] {
        [Fact::FailedPush { rows, .. }] => {
            assert_eq!(rows.len(), 2);
            assert_eq!(rows[1].device_name, "EMEA-FPR3110-08");
        }
        other => panic!("unexpected facts {other:?}"),
    }
}

#[test]
fn gnu_long_name_and_ustar_prefix() {
    let long = format!("{}/etc/sf/ims.conf", "d".repeat(120));
    let mut b = Builder::new(Vec::new());
    b.append_data(&mut header(FMC_IMS.len()), &long, FMC_IMS).unwrap();
    let prefixed = format!("{}/ims.conf", "p".repeat(110));
    let mut h = Header::new_ustar();
    h.set_path(&prefixed).unwrap();
    h.set_size(FTD_IMS.len() as u64);
    h.set_mode(0o644);
    h.set_entry_type(EntryType::Regular);
    h.set_cksum();
    // The ustar header splits the path into its prefix and name fields.
    assert_eq!(&h.as_ustar().unwrap().prefix[..3], b"ppp");
    b.append(&h, FTD_IMS).unwrap();
    let data = b.into_inner().unwrap();
    let out = run("t.tar", &data);
    assert_eq!(
        devices(&out),
        vec![(format!("t.tar!/{long}"), DeviceRole::Fmc), (format!("t.tar!/{prefixed}"), DeviceRole::Ftd)]
    );
}

#[test]
fn links_and_special_files_are_noted_not_read() {
    let mut b = Builder::new(Vec::new());
    b.append_data(&mut header(FMC_IMS.len()), "etc/sf/ims.conf", FMC_IMS).unwrap();
    let mut h = header(0);
    h.set_entry_type(EntryType::Symlink);
    b.append_link(&mut h, "etc/link.conf", "/etc/passwd").unwrap();
    let mut h = header(0);
    h.set_entry_type(EntryType::Link);
    b.append_link(&mut h, "etc/hard.conf", "etc/sf/ims.conf").unwrap();
    let mut h = header(0);
    h.set_entry_type(EntryType::Fifo);
    b.append_data(&mut h, "run/fifo", std::io::empty()).unwrap();
    let out = run("l.tar", &b.into_inner().unwrap());
    assert_eq!(devices(&out).len(), 1);
    assert_eq!(
        line(&out, "l.tar").message.as_deref(),
        Some("4 entries, 1 symbolic links not followed (l.tar!/etc/link.conf), 1 hard links skipped, 1 special files skipped")
    );
}

#[test]
fn truncated_tar_keeps_what_came_before() {
    let big = vec![b'a'; 20_000];
    let data = tar_of(&[("etc/sf/ims.conf", FMC_IMS), ("var/log/big.log", &big)]);
    let cut = &data[..512 + 512 + 512 + 5_000];
    let out = run("cut.tar", cut);
    assert_eq!(devices(&out), vec![("cut.tar!/etc/sf/ims.conf".to_string(), DeviceRole::Fmc)]);
    let top = line(&out, "cut.tar");
    assert_eq!(top.status, Status::Partial);
    assert_eq!(
        top.message.as_deref(),
        Some("cut.tar!/var/log/big.log: entry cut short after 5000 of 20000 bytes (truncated tar); 2 entries read before")
    );
}

#[test]
fn corrupt_gzip_tail_keeps_what_came_before() {
    // Text that does not compress away, so the entry spans most of the stream.
    let noise: Vec<u8> = (0u32..200_000).map(|i| b'a' + (i.wrapping_mul(2_654_435_761) >> 27) as u8 % 26).collect();
    let data = gz(&tar_of(&[("etc/sf/ims.conf", FMC_IMS), ("var/log/noise.log", &noise)]));
    let cut = &data[..data.len() * 2 / 3];
    let out = run("c.tar.gz", cut);
    assert_eq!(devices(&out), vec![("c.tar.gz!/etc/sf/ims.conf".to_string(), DeviceRole::Fmc)]);
    let top = line(&out, "c.tar.gz");
    assert_eq!(top.status, Status::Partial);
    let msg = top.message.as_deref().unwrap();
    assert!(msg.starts_with("c.tar.gz!/var/log/noise.log: entry cut short after "), "{msg}");

    // Garbage in place of the trailer of a plain .gz: the text before it is still read.
    let mut broken = gz(PUSH_1);
    let n = broken.len();
    broken[n - 8..].copy_from_slice(b"garbage!");
    let out = run("FAILED_PUSH.gz", &broken);
    let st = line(&out, "FAILED_PUSH.gz!/FAILED_PUSH");
    assert_eq!(st.status, Status::Partial);
    assert!(st.message.as_deref().unwrap().starts_with("gzip: gzip stream broken after "), "{:?}", st.message);
    assert_eq!(out.facts.len(), 1);
}

#[test]
fn not_gzip_after_all() {
    let out = run("x.gz", b"\x1f\x8b\x08\x00garbage");
    let st = line(&out, "x.gz");
    assert_eq!((st.format, st.status), (Format::Gzip, Status::Error));
}

/// 16 MiB of zeros compressed once and repeated as 64 members: 1 GiB uncompressed.
fn bomb() -> Vec<u8> {
    let member = gz(&vec![0u8; 16 << 20]);
    member.repeat(64)
}

#[test]
fn gzip_bomb_stops_at_the_byte_limit() {
    let limits = Limits { max_uncompressed: 32 << 20, max_ratio: 100_000, ..Limits::default() };
    let out = run_with("bomb.gz", &bomb(), limits);
    let st = line(&out, "bomb.gz!/bomb");
    assert_eq!(st.status, Status::Partial);
    assert_eq!(
        st.message.as_deref(),
        Some("gzip: stopped after 33554432 uncompressed bytes from this input (limit max_uncompressed); not a format tlstriage reads")
    );
    assert!(st.bytes <= 32 << 20);
}

#[test]
fn gzip_bomb_stops_at_the_ratio_limit() {
    let limits = Limits { max_ratio: 100, ..Limits::default() };
    let out = run_with("bomb.tar.gz", &bomb(), limits);
    let st = line(&out, "bomb.tar.gz!/bomb.tar");
    assert_eq!(st.status, Status::Partial);
    let msg = st.message.as_deref().unwrap();
    assert!(
        msg.starts_with("gzip: stopped after ") && msg.contains("expand more than 100:1 (limit max_ratio"),
        "{msg}"
    );
}

#[test]
fn nesting_stops_at_the_depth_limit() {
    let mut data = gz(&tar_of(&[("etc/sf/ims.conf", FMC_IMS)]));
    for level in (2..=10).rev() {
        data = gz(&tar_of(&[(&format!("l{level}.tar.gz"), &data)]));
    }
    let out = run("l1.tar.gz", &data);
    assert!(devices(&out).is_empty());
    let deep: String = (2..=9).map(|l| format!("!/l{l}.tar.gz")).collect();
    let st = line(&out, &format!("l1.tar.gz{deep}"));
    assert_eq!(st.status, Status::Error);
    assert_eq!(st.message.as_deref(), Some("archive nested deeper than 8 levels; not opened (limit max_depth)"));
    let top = line(&out, "l1.tar.gz");
    assert_eq!(top.status, Status::Partial);
    assert_eq!(
        top.message.as_deref(),
        Some("1 entry; archive nested deeper than 8 levels; not opened (limit max_depth)")
    );
}

fn many_entries(n: u32) -> Vec<u8> {
    let mut b = Builder::new(GzEncoder::new(Vec::new(), Compression::fast()));
    for i in 0..n {
        b.append_data(&mut header(1), format!("f/{i}"), &b"x"[..]).unwrap();
    }
    b.into_inner().unwrap().finish().unwrap()
}

#[test]
fn hundred_thousand_tiny_entries() {
    let out = run("many.tar.gz", &many_entries(100_000));
    assert_eq!(out.inputs.len(), 1);
    let st = line(&out, "many.tar.gz");
    assert_eq!(st.status, Status::Skipped, "nothing in it is read");
    assert_eq!(
        st.message.as_deref(),
        Some("100000 entries, 100000 not in a format tlstriage reads: nothing in it could be read")
    );
}

#[test]
fn entry_count_limit() {
    let limits = Limits { max_entries: 1000, ..Limits::default() };
    let out = run_with("many.tar.gz", &many_entries(1500), limits);
    let st = line(&out, "many.tar.gz");
    assert_eq!(st.status, Status::Partial);
    assert_eq!(
        st.message.as_deref(),
        Some(
            "stopped after 1000 archive entries (limit max_entries); 1000 entries, 1000 not in a format tlstriage \
             reads read before"
        )
    );
}

#[test]
fn entry_size_limit_cuts_one_entry() {
    let mut text = PUSH_1.to_vec();
    text.extend(vec![b'\n'; 4000]);
    let limits = Limits { max_entry: 1000, ..Limits::default() };
    let out = run_with("s.tar", &tar_of(&[("FAILED_PUSH", &text)]), limits);
    let st = line(&out, "s.tar!/FAILED_PUSH");
    assert_eq!(st.status, Status::Partial);
    assert_eq!(st.bytes, 1000);
    assert_eq!(
        st.message.as_deref(),
        Some(&*format!("only the first 1000 of {} bytes read (limit max_entry)", text.len()))
    );
    assert_eq!(out.facts.len(), 1);
    assert_eq!(line(&out, "s.tar").status, Status::Partial);
}

#[test]
fn entries_streamed_out_of_plain_tars_are_not_charged_again() {
    // Three plain tars inside each other, about 1 MiB each: no level copies the next one out, so
    // reading the innermost entry costs no more than its bytes, which a budget of 1 MiB allows...
    let mut text = PUSH_1.to_vec();
    text.extend(vec![b'\n'; 1 << 20]);
    let inner = tar_of(&[("FAILED_PUSH", &text)]);
    let mid = tar_of(&[("inner.tar", &inner)]);
    let outer = tar_of(&[("mid.tar", &mid)]);
    let limits = Limits { max_uncompressed: 1 << 20, ..Limits::default() };
    let out = run_with("outer.tar", &outer, limits.clone());
    assert_eq!(out.facts.len(), 1);
    assert_eq!(line(&out, "outer.tar").status, Status::Ok);
    assert_eq!(line(&out, "outer.tar!/mid.tar!/inner.tar!/FAILED_PUSH").bytes, text.len() as u64);
    // ... and the same, gzipped, is charged once, as it expands: it stops inside the entry, whose
    // first bytes still count.
    let out = run_with("outer.tar.gz", &gz(&outer), Limits { max_uncompressed: 1 << 19, ..limits });
    assert_eq!(out.facts.len(), 1);
    let st = line(&out, "outer.tar.gz!/mid.tar!/inner.tar!/FAILED_PUSH");
    assert_eq!(st.status, Status::Partial);
    assert!(st.bytes < 1 << 19, "{}", st.bytes);
    let top = line(&out, "outer.tar.gz");
    assert_eq!(top.status, Status::Partial);
    assert!(top.message.as_deref().unwrap().contains("(limit max_uncompressed)"), "{:?}", top.message);
}
