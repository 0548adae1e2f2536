//! Word wrapping for the terminal views: lines break at spaces, so addresses, names and
//! commands stay whole; only a word longer than a whole line (a deep archive path) is cut, and
//! then after a `/`, `!` or `,` where it has one.

use unicode_width::UnicodeWidthStr;

/// A word too long for any line starts on the current line only if this many columns are left.
const MIN_PIECE: usize = 12;

/// Display width of `s` in terminal columns.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `text` wrapped to `total` columns; the first line starts with `first`, the others with
/// `rest` (a hanging indent). Every line ends with a newline.
pub fn fill(text: &str, total: usize, first: &str, rest: &str) -> String {
    // A line that fits is kept as it is, with its alignment spaces.
    if !text.contains('\n') && width(first) + width(text) <= total {
        return format!("{first}{text}\n");
    }
    let mut out = String::new();
    for (i, line) in lines(text, total.saturating_sub(width(first)).max(1), total.saturating_sub(width(rest)).max(1))
        .iter()
        .enumerate()
    {
        out.push_str(if i == 0 { first } else { rest });
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The lines of `text`, the first at most `first_width` columns wide, the others `width`.
pub fn lines(text: &str, first_width: usize, rest_width: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    let limit = |out: &Vec<String>| if out.is_empty() { first_width } else { rest_width };
    for word in words(text, rest_width) {
        let word = word.as_str();
        let sep = usize::from(!line.is_empty());
        if width(&line) + sep + width(word) <= limit(&out) {
            if sep == 1 {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        let room = limit(&out).saturating_sub(width(&line) + sep);
        if width(word) <= rest_width || room < MIN_PIECE {
            if !line.is_empty() {
                out.push(std::mem::take(&mut line));
            }
            if width(word) <= limit(&out) {
                line.push_str(word);
                continue;
            }
        }
        // A word no line can hold: its first piece fills the current line, the others follow.
        let mut rest = word;
        while !rest.is_empty() {
            let room = limit(&out).saturating_sub(width(&line) + usize::from(!line.is_empty()));
            let piece = first_piece(rest, room.max(1));
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(piece);
            rest = &rest[piece.len()..];
            if !rest.is_empty() {
                out.push(std::mem::take(&mut line));
            }
        }
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

/// The words of `text`; a command between backticks is kept as one word when a line can hold it,
/// so that it can be copied from one line.
fn words(text: &str, max: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut open: Option<Vec<&str>> = None;
    for w in text.split_whitespace() {
        let ticks = w.matches('`').count();
        match open.as_mut() {
            Some(span) => {
                span.push(w);
                if ticks % 2 == 1 {
                    let span = open.take().unwrap_or_default();
                    close(&mut out, span, max);
                }
            }
            None if ticks % 2 == 1 => open = Some(vec![w]),
            None => out.push(w.to_string()),
        }
    }
    if let Some(span) = open {
        out.extend(span.into_iter().map(str::to_string));
    }
    out
}

/// A backtick span as one word if it fits `max` columns, else word by word.
fn close(out: &mut Vec<String>, span: Vec<&str>, max: usize) {
    let joined = span.join(" ");
    if width(&joined) <= max {
        out.push(joined);
    } else {
        out.extend(span.into_iter().map(str::to_string));
    }
}

/// The longest start of `word` that fits `max` columns, cut after a separator where possible,
/// else between characters (never empty).
fn first_piece(word: &str, max: usize) -> &str {
    if width(word) <= max {
        return word;
    }
    let mut end = 0;
    let mut last_sep = None;
    for (i, c) in word.char_indices() {
        let next = i + c.len_utf8();
        if width(&word[..next]) > max {
            break;
        }
        end = next;
        if matches!(c, '/' | '!' | ',' | ';') {
            last_sep = Some(next);
        }
    }
    let end = last_sep.unwrap_or(end);
    if end == 0 {
        word.chars().next().map_or(word, |c| &word[..c.len_utf8()])
    } else {
        &word[..end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_between_words_only() {
        let text = "peer 192.168.45.10 refused the certificate of fmc-hq-01";
        assert_eq!(lines(text, 20, 20), ["peer 192.168.45.10", "refused the", "certificate of", "fmc-hq-01"]);
        assert_eq!(fill("a b c", 5, "- ", "  "), "- a b\n  c\n");
        assert_eq!(fill("  a   b", 10, "", "  "), "  a   b\n");
        assert_eq!(lines("", 10, 10), [""]);
    }

    #[test]
    fn an_overlong_path_is_cut_after_its_separators() {
        let text = "at bundle.tar.gz!/results/dir-archives/var-log/messages:2";
        assert_eq!(lines(text, 24, 24), ["at bundle.tar.gz!/", "results/dir-archives/", "var-log/messages:2"]);
        assert_eq!(lines("a-very-long-name/x", 12, 8), ["a-very-long-", "name/x"]);
        assert_eq!(lines("abcdefghij", 4, 4), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn commands_stay_on_one_line() {
        let text = "then run `pmtool restartbyid sftunnel` there";
        assert_eq!(lines(text, 16, 32), ["then run", "`pmtool restartbyid sftunnel`", "there"]);
        assert_eq!(lines("a `b c d` e", 4, 4), ["a `b", "c d`", "e"]);
        assert_eq!(lines("a `b c", 10, 10), ["a `b c"]);
    }

    #[test]
    fn wide_characters_count_twice() {
        assert_eq!(width("証明書"), 6);
        assert_eq!(lines("証明書 期限切れ", 8, 8), ["証明書", "期限切れ"]);
    }
}
