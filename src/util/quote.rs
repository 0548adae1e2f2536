//! Quoting for the places input values are written into: POSIX shell words (the plan's
//! commands), and CSV cells (the plan's `devices.csv`, the fleet CSV), which a spreadsheet may
//! open: the csv crate quotes them, and a cell that starts like a formula is defused here first.

use std::borrow::Cow;

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

/// `s` as a spreadsheet cell that is never a formula: when it starts with `=`, `+`, `-` or `@`
/// (also after blanks, which some spreadsheets skip), or with a tab or a carriage return, a `'`
/// goes in front.
pub fn defuse_formula(s: &str) -> Cow<'_, str> {
    if s.trim_start().starts_with(['=', '+', '-', '@']) || s.starts_with(['\t', '\r']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// One CSV line (RFC 4180: a cell is quoted when it holds a separator, a quote or a line
/// break), each cell defused.
pub fn csv_line(cells: &[&str]) -> String {
    let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    // Writing into memory cannot fail, and the cells are UTF-8.
    w.write_record(cells.iter().map(|c| defuse_formula(c).into_owned())).expect("CSV into memory");
    String::from_utf8(w.into_inner().expect("CSV into memory")).expect("UTF-8 cells")
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
        let line = |cell: &str| csv_line(&[cell, "x"]);
        assert_eq!(line("ftd-1"), "ftd-1,x\n");
        assert_eq!(line("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\",x\n");
        assert_eq!(line("+1"), "'+1,x\n");
        assert_eq!(line("-2+3"), "'-2+3,x\n");
        assert_eq!(line("@SUM(A1)"), "'@SUM(A1),x\n");
        assert_eq!(line("  =1"), "'  =1,x\n");
        assert_eq!(line("\tcmd"), "'\tcmd,x\n");
        assert_eq!(line("a,b"), "\"a,b\",x\n");
        assert_eq!(line("a\nb"), "\"a\nb\",x\n");
        assert_eq!(csv_line(&["ftd-1", "10.0.0.1", "admin", ""]), "ftd-1,10.0.0.1,admin,\n");
    }
}
