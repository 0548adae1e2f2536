//! Quoting for the two places plan and step values are written into: POSIX shell words, and the
//! cells of the plan's `devices.csv` (which a spreadsheet may open: a cell that starts like a
//! formula is neutralised).

/// `s` as one POSIX shell word: always single-quoted, an inner `'` written as `'\''`.
pub fn sh_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// `s` as one CSV cell (RFC 4180): quoted when it holds a separator, a quote or a line break; a
/// leading `=`, `+`, `-`, `@`, tab or carriage return gets a `'` in front so no spreadsheet reads
/// the cell as a formula.
pub fn csv_cell(s: &str) -> String {
    let neutral = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() };
    if neutral.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words() {
        assert_eq!(sh_quote("/var/sf/peers/x/"), "'/var/sf/peers/x/'");
        assert_eq!(sh_quote("it's"), "'it'\\''s'");
        assert_eq!(sh_quote(""), "''");
        assert_eq!(sh_quote("$(id)`id`\n"), "'$(id)`id`\n'");
    }

    #[test]
    fn csv_cells() {
        assert_eq!(csv_cell("ftd-1"), "ftd-1");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-2+3"), "'-2+3");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("a\nb"), "\"a\nb\"");
    }
}
