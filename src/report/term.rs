//! How the human views fit the terminal: the width to lay out for (`--width`, the terminal,
//! `COLUMNS`, else 120), whether to colour (`--color`, `NO_COLOR`) and the severity colours.
//! Text from the inputs is made safe with [`crate::util::printable`].

use std::io::IsTerminal;

use crate::diagnose::Severity;

/// The width used when neither the terminal nor `COLUMNS` tells one.
pub const DEFAULT_WIDTH: usize = 120;
/// Below this width the findings table takes its narrow layout.
pub const WIDE_FROM: usize = 120;
/// From this width on, `certs` and `handshakes` are tables (they have more columns); below,
/// one block per row.
pub const LISTS_WIDE_FROM: usize = 160;
/// Narrower than this is laid out as if it were this wide (nothing useful fits in less).
pub const MIN_WIDTH: usize = 40;

/// `--color`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and `NO_COLOR` is not set.
    #[default]
    Auto,
    Always,
    Never,
}

/// The settings a human view is laid out with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    pub width: usize,
    pub color: bool,
}

impl Layout {
    /// A fixed width without colour (tests, files).
    pub fn plain(width: usize) -> Self {
        Layout { width: width.max(MIN_WIDTH), color: false }
    }

    /// The layout for stdout: `width` is `--width`, `color` is `--color`.
    pub fn for_stdout(width: Option<usize>, color: ColorChoice) -> Self {
        let tty = std::io::stdout().is_terminal();
        let terminal = if tty { terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)) } else { None };
        let columns = std::env::var("COLUMNS").ok();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Layout::resolve(width, terminal, columns.as_deref(), color, tty, no_color)
    }

    /// [`Layout::for_stdout`] with everything it looks at passed in.
    pub fn resolve(
        width: Option<usize>,
        terminal: Option<usize>,
        columns: Option<&str>,
        color: ColorChoice,
        tty: bool,
        no_color: bool,
    ) -> Self {
        let from_env = columns.and_then(|c| c.trim().parse::<usize>().ok()).filter(|&c| c > 0);
        let width = width.or(terminal.filter(|&w| w > 0)).or(from_env).unwrap_or(DEFAULT_WIDTH);
        let color = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => tty && !no_color,
        };
        Layout { width: width.max(MIN_WIDTH), color }
    }

    pub fn is_wide(&self) -> bool {
        self.width >= WIDE_FROM
    }

    /// Whether the `certs` and `handshakes` listings are tables.
    pub fn lists_wide(&self) -> bool {
        self.width >= LISTS_WIDE_FROM
    }

    /// `text` in the colour of `severity` (unchanged without colour).
    pub fn paint(&self, severity: Severity, text: &str) -> String {
        if !self.color {
            return text.to_string();
        }
        format!("\x1b[{}m{text}\x1b[0m", sgr(severity))
    }

    /// `text` in bold (unchanged without colour).
    pub fn bold(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// The SGR parameters of each severity: critical bold red, error red, warning yellow, info cyan.
fn sgr(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "1;31",
        Severity::Error => "31",
        Severity::Warning => "33",
        Severity::Info => "36",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_comes_from_the_flag_then_the_terminal_then_columns() {
        let w = |flag, term, cols| Layout::resolve(flag, term, cols, ColorChoice::Never, false, false).width;
        assert_eq!(w(Some(90), Some(200), Some("70")), 90);
        assert_eq!(w(None, Some(200), Some("70")), 200);
        assert_eq!(w(None, None, Some("70")), 70);
        assert_eq!(w(None, None, Some(" 100 ")), 100);
        assert_eq!(w(None, None, Some("wide")), DEFAULT_WIDTH);
        assert_eq!(w(None, None, Some("0")), DEFAULT_WIDTH);
        assert_eq!(w(None, None, None), DEFAULT_WIDTH);
        assert_eq!(w(Some(10), None, None), MIN_WIDTH);
    }

    #[test]
    fn colour_follows_the_flag_the_terminal_and_no_color() {
        let c = |choice, tty, no_color| Layout::resolve(None, None, None, choice, tty, no_color).color;
        assert!(c(ColorChoice::Auto, true, false));
        assert!(!c(ColorChoice::Auto, true, true));
        assert!(!c(ColorChoice::Auto, false, false));
        assert!(c(ColorChoice::Always, false, true));
        assert!(!c(ColorChoice::Never, true, false));
        let l = Layout { width: 80, color: true };
        assert_eq!(l.paint(Severity::Critical, "critical"), "\x1b[1;31mcritical\x1b[0m");
        assert_eq!(Layout::plain(80).paint(Severity::Error, "error"), "error");
    }
}
