//! The raw text of an evidence line. Its constructors replace private key material with a
//! marker: PEM and OpenSSH key blocks (a block with no end is cut to the end of the text, a header
//! cut short at the end too), PuTTY private lines, base64 runs after a private key header or
//! before its footer, joined on one line by spaces, `#012` or `\n`, and a key's base64 with no
//! header at all (`bare_key`).
//!
//! A text is held on its own, or as a place in a [`TextBlock`] that holds the lines of a whole log
//! chunk (no allocation or copy per line). A text in a block ties the block's memory to it: a
//! holder that keeps evidence beyond the reading of its input calls [`EvidenceText::detach`].

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::{Deref, Range};
use std::sync::{Arc, LazyLock};

use regex::Regex;
use serde::{Serialize, Serializer};

use super::key_hint::may_hold_key;
use super::text_block::TextBlock;

/// What stands where key material was.
pub const KEY_REMOVED: &str = "[private key removed]";

/// Evidence text with every private key block removed: made by [`EvidenceText::new`], or a place
/// in a block where `new` would have changed nothing; no other way to make one exists.
#[derive(Clone, Default)]
pub struct EvidenceText(Repr);

#[derive(Clone)]
enum Repr {
    Own(String),
    /// `block`'s text from `start` to `end`, a range that holds nothing like key material.
    InBlock {
        block: Arc<TextBlock>,
        start: u32,
        end: u32,
    },
}

impl Default for Repr {
    fn default() -> Self {
        Repr::Own(String::new())
    }
}

impl EvidenceText {
    /// `raw` with its private key material replaced by `KEY_REMOVED`.
    pub fn new(raw: &str) -> Self {
        EvidenceText(Repr::Own(without_keys(raw)))
    }

    /// The text of `block` at `range`, held in the block where nothing in it could be key
    /// material (else made with [`EvidenceText::new`]); empty for a range that is not a piece of
    /// the block's text.
    pub fn in_block(block: &Arc<TextBlock>, range: Range<usize>) -> Self {
        let Some(piece) = block.text().get(range.clone()) else {
            debug_assert!(false, "a range outside its block");
            return EvidenceText::default();
        };
        if !block.is_clean() && may_hold_key(piece) {
            return EvidenceText::new(piece);
        }
        match (u32::try_from(range.start), u32::try_from(range.end)) {
            (Ok(start), Ok(end)) => EvidenceText(Repr::InBlock { block: Arc::clone(block), start, end }),
            _ => EvidenceText::new(piece),
        }
    }

    /// The text of `block` at `range` made on its own, its key material removed, when it cannot
    /// be held in the block (something in it might be key material); `None` when it can.
    pub fn apart(block: &TextBlock, range: Range<usize>) -> Option<Self> {
        let piece = block.text().get(range).unwrap_or("");
        (!block.is_clean() && may_hold_key(piece)).then(|| EvidenceText::new(piece))
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Own(s) => s,
            // The range was checked against the block when the text was made; blocks do not change.
            Repr::InBlock { block, start, end } => &block.text()[*start as usize..*end as usize],
        }
    }

    /// Hold the text on its own, so that keeping it does not keep its block.
    pub fn detach(&mut self) {
        if let Repr::InBlock { .. } = self.0 {
            self.0 = Repr::Own(self.as_str().to_owned());
        }
    }

    /// The number of the block the text is held in ([`TextBlock::seq`]), if it is in one.
    pub fn block_seq(&self) -> Option<u64> {
        match &self.0 {
            Repr::Own(_) => None,
            Repr::InBlock { block, .. } => Some(block.seq()),
        }
    }
}

impl Deref for EvidenceText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

// Texts compare, order and hash as their characters, wherever they are held.
impl PartialEq for EvidenceText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for EvidenceText {}

impl PartialOrd for EvidenceText {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for EvidenceText {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for EvidenceText {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.as_str().hash(h);
    }
}

impl fmt::Debug for EvidenceText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for EvidenceText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for EvidenceText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
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

/// `raw` with every private key block, PuTTY private part, base64 run after a private key
/// header and bare base64 key (`bare_key`) replaced by `KEY_REMOVED`.
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
    text = AFTER_MENTION
        .replace_all(&text, |c: &regex::Captures<'_>| {
            let whole = c.get(0).expect("the match");
            let run = c.get(1).expect("the run");
            format!("{}{KEY_REMOVED}", &whole.as_str()[..run.start() - whole.start()])
        })
        .into_owned();
    super::bare_key::without_bare_keys(&text, KEY_REMOVED).unwrap_or(text)
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
