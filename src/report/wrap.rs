//! Word wrapping for the terminal views: lines break at spaces only, so addresses, names, paths
//! and commands stay whole; a word longer than a whole line (a deep archive path) stands on a
//! line of its own, longer than the others.

use unicode_width::UnicodeWidthStr;

/// Display width of `s` in terminal columns.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// The width of the longest word of `text` (what a column must hold for no word to be cut).
pub fn longest_word(text: &str) -> usize {
    text.split_whitespace().map(width).max().unwrap_or(0)
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

/// The lines of `text`, the first at most `first_width` columns wide, the others `width`. A
/// word longer than a line (a deep archive path) gets a line of its own and is never cut: a
/// cut path or address cannot be copied, and the terminal shows the long line anyway.
pub fn lines(text: &str, first_width: usize, rest_width: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    let limit = |out: &Vec<String>| if out.is_empty() { first_width } else { rest_width };
    for word in words(text, rest_width) {
        let sep = usize::from(!line.is_empty());
        if width(&line) + sep + width(&word) <= limit(&out) {
            if sep == 1 {
                line.push(' ');
            }
            line.push_str(&word);
            continue;
        }
        if !line.is_empty() {
            out.push(std::mem::take(&mut line));
        }
        line = word;
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
    fn an_overlong_path_gets_a_line_of_its_own_whole() {
        let text = "at bundle.tar.gz!/results/dir-archives/var-log/messages:2 seen";
        assert_eq!(lines(text, 24, 24), ["at", "bundle.tar.gz!/results/dir-archives/var-log/messages:2", "seen"]);
        assert_eq!(lines("a-very-long-name/x", 12, 8), ["a-very-long-name/x"]);
        assert_eq!(lines("abcdefghij", 4, 4), ["abcdefghij"]);
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
