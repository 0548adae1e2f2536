//! Just enough of Rust's grammar to read a module's paths: its tokens (identifiers and the
//! punctuation of paths and use trees, with comments, strings and character literals skipped,
//! each with the line it is on), simple paths and use trees.

/// One token of a source text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Token {
    Ident(String),
    /// `::`
    PathSep,
    /// Any other punctuation character (`{`, `}`, `,`, `;`, `*`, `#`, `=`, ...).
    Punct(char),
    /// A string literal's contents (attributes such as `#[path = "x.rs"]` need them).
    Str(String),
}

/// The tokens of `text`, each with its line (1-based).
pub fn tokens(text: &str) -> Vec<(Token, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            line += 1;
            i += 1;
        } else if c.is_ascii_whitespace() {
            i += 1;
        } else if b[i..].starts_with(b"//") {
            i = b[i..].iter().position(|&x| x == b'\n').map_or(b.len(), |p| i + p);
        } else if b[i..].starts_with(b"/*") {
            let end = block_comment_end(b, i);
            line += count_lines(&b[i..end]);
            i = end;
        } else if let Some((end, contents)) = string_at(b, i) {
            line += count_lines(&b[i..end]);
            out.push((Token::Str(contents), line));
            i = end;
        } else if c == b'\'' {
            i = quote_end(b, i);
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let end = b[i..].iter().position(|x| !(x.is_ascii_alphanumeric() || *x == b'_')).map_or(b.len(), |p| i + p);
            out.push((Token::Ident(text[i..end].to_string()), line));
            i = end;
        } else if b[i..].starts_with(b"::") {
            out.push((Token::PathSep, line));
            i += 2;
        } else {
            let ch = text[i..].chars().next().unwrap_or(' ');
            out.push((Token::Punct(ch), line));
            i += ch.len_utf8();
        }
    }
    out
}

fn count_lines(b: &[u8]) -> usize {
    b.iter().filter(|&&x| x == b'\n').count()
}

/// The end of a (nested) block comment starting at `i`.
fn block_comment_end(b: &[u8], mut i: usize) -> usize {
    let mut depth = 0;
    while i < b.len() {
        if b[i..].starts_with(b"/*") {
            depth += 1;
            i += 2;
        } else if b[i..].starts_with(b"*/") {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

/// A string literal (`"..."`, `b"..."`, `r#"..."#`, `br"..."`) starting at `i`: its end and
/// its contents (escapes left as written).
fn string_at(b: &[u8], i: usize) -> Option<(usize, String)> {
    let mut j = i;
    if b[j] == b'b' {
        j += 1;
    }
    if b.get(j) == Some(&b'r') && matches!(b.get(j + 1), Some(b'"') | Some(b'#')) {
        let hashes = b[j + 1..].iter().take_while(|&&x| x == b'#').count();
        let open = j + 1 + hashes;
        if b.get(open) != Some(&b'"') {
            return None;
        }
        let close: Vec<u8> = std::iter::once(b'"').chain(std::iter::repeat_n(b'#', hashes)).collect();
        let end = b[open + 1..].windows(close.len()).position(|w| w == close.as_slice())? + open + 1;
        return Some((end + close.len(), String::from_utf8_lossy(&b[open + 1..end]).into_owned()));
    }
    if b.get(j) != Some(&b'"') || (j > i && b[i] != b'b') {
        return None;
    }
    let mut k = j + 1;
    while k < b.len() && b[k] != b'"' {
        k += if b[k] == b'\\' { 2 } else { 1 };
    }
    Some((k + 1, String::from_utf8_lossy(&b[j + 1..k.min(b.len())]).into_owned()))
}

/// The end of a character literal or a lifetime starting at the quote `i`.
fn quote_end(b: &[u8], i: usize) -> usize {
    if b.get(i + 1) == Some(&b'\\') {
        // An escape: up to the closing quote.
        return b[i + 2..].iter().position(|&x| x == b'\'').map_or(b.len(), |p| i + 3 + p);
    }
    let ch_len = std::str::from_utf8(&b[i + 1..]).ok().and_then(|s| s.chars().next()).map_or(1, char::len_utf8);
    if b.get(i + 1 + ch_len) == Some(&b'\'') {
        i + 2 + ch_len
    } else {
        // A lifetime (`'a`): the name is read as an identifier next.
        i + 1
    }
}

/// A path a `use` imports, with the name it binds (none for a glob).
pub type Imported = (Vec<String>, Option<String>);

/// Whether `pub` or `pub(...)` stands right before the token at `i`.
pub fn is_pub_before(toks: &[(Token, usize)], i: usize) -> bool {
    match &toks[i - 1].0 {
        Token::Ident(p) => p == "pub",
        Token::Punct(')') => toks[..i].iter().rev().take(10).any(|(t, _)| *t == Token::Ident("pub".into())),
        _ => false,
    }
}

/// `a::b::c` from `i`: the segments and the index after them.
pub fn simple_path(toks: &[(Token, usize)], mut i: usize) -> (Vec<String>, usize) {
    let mut segs = Vec::new();
    while let Some((Token::Ident(s), _)) = toks.get(i) {
        segs.push(s.clone());
        if toks.get(i + 1).map(|t| &t.0) != Some(&Token::PathSep) {
            return (segs, i + 1);
        }
        i += 2;
    }
    (segs, i)
}

/// The use trees from `i` up to the `;`: each imported path with the name it is bound to.
pub fn use_trees(toks: &[(Token, usize)], i: usize) -> (Vec<Imported>, usize) {
    let mut out = Vec::new();
    let end = tree(toks, i, Vec::new(), &mut out);
    let semi = toks[end..].iter().position(|(t, _)| *t == Token::Punct(';')).map_or(toks.len(), |p| end + p + 1);
    (out, semi)
}

/// One use tree after `prefix`; returns the index after it.
fn tree(
    toks: &[(Token, usize)],
    mut i: usize,
    mut prefix: Vec<String>,
    out: &mut Vec<(Vec<String>, Option<String>)>,
) -> usize {
    loop {
        match toks.get(i).map(|t| &t.0) {
            Some(Token::Ident(s)) if s != "as" => {
                prefix.push(s.clone());
                i += 1;
                if toks.get(i).map(|t| &t.0) == Some(&Token::PathSep) {
                    i += 1;
                    continue;
                }
                let mut binding = prefix.last().cloned();
                if let (Some((Token::Ident(a), _)), Some((Token::Ident(b), _))) = (toks.get(i), toks.get(i + 1)) {
                    if a == "as" {
                        binding = Some(b.clone());
                        i += 2;
                    }
                }
                out.push((prefix, binding));
                return i;
            }
            Some(Token::PathSep) => i += 1,
            Some(Token::Punct('*')) => {
                out.push((prefix, None));
                return i + 1;
            }
            Some(Token::Punct('{')) => {
                i += 1;
                while !matches!(toks.get(i).map(|t| &t.0), None | Some(Token::Punct('}'))) {
                    i = tree(toks, i, prefix.clone(), out);
                    if toks.get(i).map(|t| &t.0) == Some(&Token::Punct(',')) {
                        i += 1;
                    }
                }
                return i + 1;
            }
            _ => return i,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idents(text: &str) -> Vec<String> {
        tokens(text)
            .into_iter()
            .filter_map(|(t, _)| match t {
                Token::Ident(s) => Some(s),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn strings_comments_and_chars_are_not_code() {
        let text = "a /* b { */ \"c { // \\\" d\" r#\"e}\"# '{' 'f' x<'g> // h\n i";
        assert_eq!(idents(text), ["a", "x", "g", "i"]);
        assert!(tokens(text).iter().all(|(t, _)| *t != Token::Punct('{') && *t != Token::Punct('}')));
        assert_eq!(tokens("#[path = \"x_tests.rs\"]")[4].0, Token::Str("x_tests.rs".into()));
        assert_eq!(tokens("a\n/* \n */ b").last().map(|t| t.1), Some(3));
    }
}
