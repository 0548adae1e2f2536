//! Text from inputs made safe for a terminal: control characters (C0, DEL, C1) and the Unicode
//! controls that reorder or hide text are shown as escapes (`\x1b`, `\x07`, `\u{202e}`), so a log
//! hostname or a certificate subject can neither move the cursor, retitle the window nor hide
//! part of a line. Every human-readable view passes input text through [`printable`]; the HTML
//! page and the JUnit texts pass through [`printable_document`] as a whole, the SARIF messages
//! (shown by code-scanning pages) through [`printable`]; the JSON keeps the values as they are
//! (escaped as JSON), for programs.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` must not reach a terminal as it is.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

fn escape_into(out: &mut String, c: char) {
    let n = c as u32;
    if n < 0x100 {
        let _ = write!(out, "\\x{n:02x}");
    } else {
        let _ = write!(out, "\\u{{{n:04x}}}");
    }
}

/// `s` with every control character escaped (line breaks and tabs too: one value, one line).
/// Borrows when there is nothing to escape.
pub fn printable(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// Like [`printable`], but keeps line breaks: for a whole block of text written by us that may
/// embed input values (a plan, a step list).
pub fn printable_lines(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

/// Like [`printable_lines`], but keeps tabs and carriage returns too: for a whole document (the
/// HTML page, a JUnit text) whose own white space is harmless there, with input values in it.
pub fn printable_document(s: &str) -> Cow<'_, str> {
    escape_unless(s, |c| matches!(c, '\n' | '\t' | '\r'))
}

fn escape(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    escape_unless(s, |c| keep_newlines && c == '\n')
}

fn escape_unless(s: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) && !keep(c) {
            escape_into(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(printable("fmc-1 /CN=Root, O=Cisco"), Cow::Borrowed(_)));
        assert!(matches!(printable_lines("a\nb"), Cow::Borrowed(_)));
        assert_eq!(printable("Grüße ✓"), "Grüße ✓");
    }

    #[test]
    fn controls_are_escaped() {
        assert_eq!(printable("ftd\x1b]0;owned\x07-1"), "ftd\\x1b]0;owned\\x07-1");
        assert_eq!(printable("a\nb\tc\r"), "a\\x0ab\\x09c\\x0d");
        assert_eq!(printable("del\x7f c1\u{9b}"), "del\\x7f c1\\x9b");
        assert_eq!(printable("abc\u{202e}gpj.exe"), "abc\\u{202e}gpj.exe");
        assert_eq!(printable_lines("one\x1b[2J\ntwo\r\n"), "one\\x1b[2J\ntwo\\x0d\n");
        assert_eq!(printable_document("<p>\tone\r\n\u{9b}two\u{200b}</p>"), "<p>\tone\r\n\\x9btwo\\u{200b}</p>");
    }
}
