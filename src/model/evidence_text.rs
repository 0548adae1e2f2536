//! The raw text of an evidence line. Its one constructor, `EvidenceText::new`, replaces private
//! key material with a marker: PEM and OpenSSH key blocks (a block with no end is cut to the end of
//! the text, a header cut short at the end too), PuTTY private lines, and base64 runs after a
//! private key header or before its footer, joined on one line by spaces, `#012` or `\n`.

use std::fmt;
use std::ops::Deref;
use std::sync::LazyLock;

use memchr::memmem::Finder;
use regex::Regex;
use serde::{Serialize, Serializer};

/// What stands where key material was.
pub const KEY_REMOVED: &str = "[private key removed]";

/// Evidence text with every private key block removed; no other way to make one exists.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EvidenceText(String);

impl EvidenceText {
    /// `raw` with its private key material replaced by `KEY_REMOVED`.
    pub fn new(raw: &str) -> Self {
        EvidenceText(without_keys(raw))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for EvidenceText {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EvidenceText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for EvidenceText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// What may stand between two lines of a block joined into one: white space, rsyslog's escapes
/// of a line feed or carriage return, or a written `\n`.
const SEP: &str = r"(?:\s|#012|#015|\\n|\\r)";
/// A header or footer's name: `PRIVATE KEY`, any words before it, `BLOCK` after it (PGP).
const NAME: &str = r"[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?(?:\s*-+)?";

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a fixed pattern")
}

/// Whether `raw` might hold key material: every pattern below needs `private` in some case
/// (ASCII only: no other letter folds to one of its letters) or five dashes. Most texts have
/// neither and are kept as they are. Searched for with `memchr` (for the `v`), not a regex,
/// whose setup cost more than the search on a log line.
fn may_hold_key(raw: &str) -> bool {
    static DASHES: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"-----"));
    let b = raw.as_bytes();
    let private = |v: usize| v >= 3 && b.get(v - 3..v + 4).is_some_and(|w| w.eq_ignore_ascii_case(b"private"));
    DASHES.find(b).is_some() || memchr::memchr2_iter(b'v', b'V', b).any(private)
}
static BEGIN: LazyLock<Regex> = LazyLock::new(|| regex(&format!(r"(?i)-{{2,}}\s*BEGIN{NAME}")));
/// A footer with no header before it, and the base64 lines in front of it.
static END: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"(?i)(?:[A-Za-z0-9+/]{{16,}}={{0,2}}{SEP}+)*(?:[A-Za-z0-9+/]{{1,15}}={{0,2}}{SEP}+)?-{{2,}}\s*END{NAME}"
    ))
});
/// A header cut short at the end of the text (the evidence cap can do that).
static CUT_HEADER: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?i)-{5}\s*B(?:E(?:G(?:I(?:N(?:[ A-Z0-9]*-{0,4})?)?)?)?)?\z"));
/// PuTTY's private part: from `Private-Lines:` up to `Private-MAC` (or the end).
static PUTTY: LazyLock<Regex> = LazyLock::new(|| regex(r"(?is)Private-Lines:.*?(Private-MAC|\z)"));
/// A base64 run after a mention of a private key with no PEM header (`private key: MIIE…`).
static AFTER_MENTION: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"(?i)PRIVATE[ _-]?KEY[^A-Za-z0-9+/]{{0,16}}([A-Za-z0-9+/]{{32,}}={{0,2}}(?:{SEP}+[A-Za-z0-9+/]+={{0,2}})*)"
    ))
});

/// `raw` with every private key block, PuTTY private part and base64 run after a private key
/// header replaced by `KEY_REMOVED`.
pub(crate) fn without_keys(raw: &str) -> String {
    if !may_hold_key(raw) {
        return raw.to_string();
    }
    let mut text = blocks(raw);
    text = END.replace_all(&text, KEY_REMOVED).into_owned();
    text = CUT_HEADER.replace(&text, KEY_REMOVED).into_owned();
    text = PUTTY
        .replace_all(&text, |c: &regex::Captures<'_>| match &c[1] {
            "" => KEY_REMOVED.to_string(),
            mac => format!("{KEY_REMOVED} {mac}"),
        })
        .into_owned();
    AFTER_MENTION
        .replace_all(&text, |c: &regex::Captures<'_>| {
            let whole = c.get(0).expect("the match");
            let run = c.get(1).expect("the run");
            format!("{}{KEY_REMOVED}", &whole.as_str()[..run.start() - whole.start()])
        })
        .into_owned()
}

/// Each header through its footer, or through the end of the text when no footer follows.
fn blocks(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(b) = BEGIN.find(rest) {
        out.push_str(&rest[..b.start()]);
        out.push_str(KEY_REMOVED);
        rest = match END_ONLY.find(&rest[b.end()..]) {
            Some(e) => &rest[b.end() + e.end()..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

/// A footer alone, to close a block opened by a header.
static END_ONLY: LazyLock<Regex> = LazyLock::new(|| regex(&format!(r"(?i)-{{2,}}\s*END{NAME}")));

#[cfg(test)]
#[path = "evidence_text_tests.rs"]
mod tests;
