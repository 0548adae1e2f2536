//! The quick test for text that might hold private key material, run before the patterns that
//! remove it (`evidence_text`) and once over a whole block of lines (`text_block`).

use std::sync::LazyLock;

use memchr::memmem::Finder;

/// Whether `raw` might hold key material: every pattern below needs `private` in some case
/// (ASCII only: no other letter folds to one of its letters) or five dashes, except a bare
/// base64 key (`bare_key`), which needs a long run that starts like one. Most texts have
/// neither and are kept as they are. Searched for with `memchr` (for the `v`), not a regex,
/// whose setup cost more than the search on a log line.
pub(super) fn may_hold_key(raw: &str) -> bool {
    static DASHES: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"-----"));
    let b = raw.as_bytes();
    let private = |v: usize| v >= 3 && b.get(v - 3..v + 4).is_some_and(|w| w.eq_ignore_ascii_case(b"private"));
    DASHES.find(b).is_some() || memchr::memchr2_iter(b'v', b'V', b).any(private) || super::bare_key::may_hold_key_run(b)
}
