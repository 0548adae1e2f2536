//! Tables that never cut a word: every column is at least as wide as the longest word of its
//! header and cells (an address with its port, a UUID, a path, a state, a command), so a cell
//! wraps between words only. When the columns cannot all be that wide at the layout's width,
//! [`table`] gives `None` and the view lays the rows out as a list (one block per row).

use comfy_table::{Cell, ColumnConstraint, Width};

use super::term::Layout;
use super::wrap;

/// What the borders and padding of [`super::table_for`]'s style take: one border and a space
/// either side per column, and the closing border.
fn frame(columns: usize) -> usize {
    columns * 3 + 1
}

/// The width of the longest word of each column, header included.
pub fn longest_words(header: &[&str], rows: &[Vec<String>]) -> Vec<usize> {
    let mut longest: Vec<usize> = header.iter().map(|h| wrap::longest_word(h)).collect();
    for row in rows {
        for (n, cell) in row.iter().enumerate() {
            if let Some(l) = longest.get_mut(n) {
                *l = (*l).max(wrap::longest_word(cell));
            }
        }
    }
    longest
}

/// Whether a table of columns this wide (their longest words) fits `width`.
pub fn fits(longest: &[usize], width: usize) -> bool {
    longest.iter().sum::<usize>() + frame(longest.len()) <= width
}

/// The rows as a table at `layout`'s width, each column at least its longest word wide (no
/// colour); `None` when that does not fit.
pub fn table(header: &[&str], rows: &[Vec<String>], layout: &Layout) -> Option<comfy_table::Table> {
    let longest = longest_words(header, rows);
    if !fits(&longest, layout.width) {
        return None;
    }
    let mut t = super::table_for(&Layout { color: false, ..*layout });
    t.set_header(header.to_vec());
    for row in rows {
        t.add_row(row.iter().map(Cell::new).collect::<Vec<_>>());
    }
    for (n, w) in longest.iter().enumerate() {
        if let Some(col) = t.column_mut(n) {
            // The width counts the cell padding, one space either side.
            let min = u16::try_from(w + 2).unwrap_or(u16::MAX);
            col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(min)));
        }
    }
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_holds_every_word_whole_or_is_not_made() {
        let rows = vec![
            vec!["10.48.79.232:8305".to_string(), "a long text of many short words that wraps".to_string()],
            vec!["fmc-west-02".to_string(), "renewed-push-pending".to_string()],
        ];
        let header = ["Peer", "What"];
        assert_eq!(longest_words(&header, &rows), [17, 20]);
        let t = table(&header, &rows, &Layout::plain(46)).expect("fits in 17 + 20 + 7");
        let text = t.to_string();
        assert!(text.contains("10.48.79.232:8305") && text.contains("renewed-push-pending"), "{text}");
        assert!(text.lines().all(|l| wrap::width(l) <= 46), "{text}");
        assert!(table(&header, &rows, &Layout::plain(43)).is_none(), "17 + 20 + 7 = 44 columns");
    }
}
