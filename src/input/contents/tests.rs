//! The claims of a run: the earliest place of a content wins whatever the order of arrival.

use super::*;

impl Contents {
    fn judge_any(&self, src: &Source<'_>) -> Verdict {
        self.judge(src, Format::Syslog)
    }
}

fn src(path: &str, data: &'static [u8], depth: u32) -> Source<'static> {
    Source { path: path.into(), data: crate::model::Data::Bytes(data), mtime: None, depth }
}

fn judge(c: &Contents, top: usize, path: &str, data: &'static [u8]) -> Option<String> {
    let _r = c.reading(top);
    // Position 0 is the top-level file itself; members follow.
    let _ = c.judge_any(&src("top", b"", 0));
    match c.judge_any(&src(path, data, 1)) {
        Verdict::Read => None,
        Verdict::Duplicate(d) => Some(d.of),
    }
}

#[test]
fn an_earlier_input_takes_over_a_claim_and_displaces_the_later_one() {
    let c = Contents::new(vec![None, None]);
    assert_eq!(judge(&c, 1, "b!/x", b"same bytes"), None);
    assert_eq!(judge(&c, 0, "a!/x", b"same bytes"), None);
    assert_eq!(c.freeze(), vec![1]);
    // Read again with the claims frozen, the later input now finds the earlier place.
    assert_eq!(judge(&c, 1, "b!/x", b"same bytes"), Some("a!/x".into()));
    assert_eq!(judge(&c, 0, "a!/x", b"same bytes"), None);
}

#[test]
fn inside_one_input_the_first_member_wins() {
    let c = Contents::new(vec![None]);
    let _r = c.reading(0);
    assert!(matches!(c.judge_any(&src("a!/1", b"abc", 1)), Verdict::Read));
    assert!(matches!(c.judge_any(&src("a!/2", b"abd", 1)), Verdict::Read));
    match c.judge_any(&src("a!/3", b"abc", 1)) {
        Verdict::Duplicate(d) => assert_eq!(d.of, "a!/1"),
        Verdict::Read => panic!("a copy was read twice"),
    }
    assert!(c.freeze().is_empty());
}

#[test]
fn a_member_equal_to_a_top_level_file_hashes_that_file_from_disk() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bundle.tar.gz");
    std::fs::write(&file, b"bundle bytes").unwrap();
    let other = dir.path().join("other");
    std::fs::write(&other, b"other bytes!").unwrap();
    let c = Contents::new(vec![Some((file.clone(), "bundle.tar.gz".into(), 12)), None]);
    // The top-level file has a length of its own: it is not hashed when read.
    {
        let _r = c.reading(0);
        assert!(matches!(c.judge_any(&src("bundle.tar.gz", b"bundle bytes", 0)), Verdict::Read));
    }
    assert_eq!(judge(&c, 1, "case.tar!/bundle.tar.gz", b"bundle bytes"), Some("bundle.tar.gz".into()));
    // Same length, other bytes: read.
    assert_eq!(judge(&c, 1, "case.tar!/x", b"bundle bytez"), None);
    assert!(c.freeze().is_empty());
}

#[test]
fn certificates_at_two_places_are_both_read() {
    let c = Contents::new(vec![None]);
    let _r = c.reading(0);
    assert!(matches!(c.judge(&src("a!/ftd/cacert.pem", b"pem", 1), Format::Pem), Verdict::Read));
    assert!(matches!(c.judge(&src("a!/fmc/cacert.pem", b"pem", 1), Format::Pem), Verdict::Read));
}
